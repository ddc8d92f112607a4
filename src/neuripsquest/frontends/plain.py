"""Plain mode: the accessible front end for screen readers, braille displays and pipes.

Output is only ever appended, with no escape codes, colour, box drawing or hard wrapping, and
every turn comes in the same order: place and time, the text, numbered choices, the prompt.
Everything else (status, inventory, saving) is a typed command. It imports no Textual.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from neuripsquest.core import engine
from neuripsquest.core.money import format_money
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.frontends.plaintext import to_plain
from neuripsquest.guard import shown
from neuripsquest.play import view
from neuripsquest.store import saves

HELP = """Commands:
  a number      take that choice
  save NAME     save to a slot (letters, digits, - and _)
  load NAME     load a slot
  saves         list the save slots
  undo          take back the last choice
  stats         show your stats and the time
  inventory     show what you carry (also: items)
  repeat        show the scene again (also: look)
  new           start a new game (the last one stays loadable: load autosave-previous)
  help          this list
  quit          leave (your progress is autosaved; so is leaving with Ctrl+D)
On a question that wants an amount, type it, for example $100M, 250k or 1.5 billion."""

GOODBYE = "Goodbye. Your progress is in the autosave slot."
# Only ASCII digits are a choice number: str.isdigit() also accepts "²" and "①", which int()
# then refuses.
_NUMBER = re.compile(r"[+-]?[0-9]+", re.ASCII)


class PlainGame:
    """A plain-text session over one world. `on_step` lets a recorder see every action; with
    a `watcher` (play --watch) the world is reloaded when its files change; a `recorder`
    (play --record) is told about new games and loads, which steps alone do not show."""

    def __init__(
        self,
        world: World,
        state: State,
        saves_dir: Path,
        out: IO[str],
        on_step: Callable[[engine.Action, State], None] | None = None,
        seed: int = 0,
        watcher: Any = None,
        recorder: Any = None,
        journal: Sequence[str] = (),
    ):
        self.world = world
        self.state = state
        self.saves_dir = saves_dir
        self.out = out
        self.on_step = on_step
        self.seed = seed
        self.journal: list[str] = list(journal)
        self.watcher = watcher
        self.recorder = recorder
        self.pending_world: World | None = None  # reloaded, waiting for a scene it has
        if recorder is not None and on_step is None:
            self.on_step = recorder.record

    # ---- output

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def show_scene(self) -> None:
        w, s = self.world, self.state
        scene = w.scenes[s.scene]
        where = view.place(w, s)
        header = f"{where} - {view.when(w, s)}" if where else view.when(w, s)
        self.say()
        self.say(f"== {header} ==")
        self.say(scene.title)
        self.say()
        body = to_plain(view.text(w, s))
        self.say(body)
        self.journal.append(f"{scene.title}: {body}")
        self.say()
        if scene.ending is not None:
            self.show_ending()
            return
        if scene.input is not None:
            self.say(scene.input.prompt)
            self.say(f"({scene.input.hint})")
            return
        for c in view.choices(w, s):
            if c.enabled:
                self.say(f"{c.number}. {c.text}")
            else:
                self.say(f"{c.number}. {view.sentence(c.text)} Not now: {c.locked_line}")

    def show_ending(self) -> None:
        r = view.recap(self.world, self.state)
        self.say(f"THE END: {r.title}")
        self.say()
        if r.decisions:
            self.say("What you did this week:")
            for d in r.decisions:
                self.say(f"- {d}")
        self.say("How you changed:")
        for label, a, b in r.stats:
            if a != b:
                self.say(f"- {label}: {view.show_number(a)} to {view.show_number(b)}")
        self.say()
        self.say("Type new to play again, undo to step back, or quit.")

    def show_stats(self) -> None:
        w, s = self.world, self.state
        self.say(f"It is {view.when(w, s)}. Turn {s.turn}.")
        for st in view.stats(w, s):
            if not st.money:
                self.say(f"{st.label}: {st.value} of {st.max}")
            elif st.value:  # an amount nobody has named yet is not worth a line
                self.say(f"{st.label}: {format_money(st.value)}")

    def show_items(self) -> None:
        carried = view.items(self.world, self.state)
        self.say("You carry: " + (", ".join(carried) if carried else "nothing"))

    # ---- input

    def handle(self, line: str) -> bool:
        """Act on one line; False means quit."""
        text = line.strip()
        word, _, rest = text.partition(" ")
        cmd = word.lower()
        rest = rest.strip()
        if rest and cmd not in ("save", "load"):
            # A command is a word on its own: "I don't have a number" at the money prompt is
            # an answer, not the inventory command `i`.
            cmd = ""
        scene = self.world.scenes[self.state.scene]
        if not text:
            self.say("Type a choice number, or help.")
        elif _NUMBER.fullmatch(cmd) and scene.input is None:
            self.choose_number(int(cmd))
        elif cmd in ("quit", "exit", "q"):
            self.goodbye()
            return False
        elif cmd in ("help", "?"):
            self.say(HELP)
            self.say(
                f"Saves go to {self.saves_dir.absolute()} "
                "(choose another folder with --saves DIR or NEURIPSQUEST_SAVES)."
            )
            if self.watcher is not None:
                self.say(
                    "  reload        reload the world files now (they reload by themselves too)"
                )
        elif cmd == "reload" and self.watcher is not None:
            if not self.check_reload(force=True):
                self.say("The world files have not changed.")
        elif cmd in ("repeat", "look", "l"):
            self.show_scene()
        elif cmd == "stats":
            self.show_stats()
        elif cmd in ("inventory", "items", "i"):
            self.show_items()
        elif cmd == "undo":
            self.apply(engine.Undo())
        elif cmd == "saves":
            self.list_saves()
        elif cmd == "save" and rest:
            self.save(rest)
        elif cmd == "load" and rest:
            self.load(rest)
        elif cmd in ("save", "load"):
            self.say(f"Give a slot name, for example: {cmd} friday")
        elif cmd in ("new", "restart"):
            if self.pending_world is not None:
                self.world, self.pending_world = self.pending_world, None
                if self.recorder is not None:
                    self.recorder.world_changed(self.world)
            kept = self.keep_previous_run()
            self.state = engine.new_game(self.world, self.seed)
            self.journal = []
            if kept:
                self.say("A new game. Your last one is kept: load autosave-previous to go back.")
            if self.recorder is not None:
                self.recorder.restart(self.state)
            self.show_scene()
        elif scene.input is not None:
            self.apply(engine.Type(text))
        else:
            self.say(f"I didn't understand '{shown(text)}'. Type a choice number, or help.")
        return True

    def choose_number(self, n: int) -> None:
        shown = view.choices(self.world, self.state)
        if self.world.scenes[self.state.scene].ending is not None:
            self.say("The story has ended. Type new, undo or quit.")
            return
        if not 1 <= n <= len(shown):
            self.say(f"There is no choice {n}. Choose 1 to {len(shown)}.")
            return
        c = shown[n - 1]
        if not c.enabled:
            self.say(f"Not now: {c.locked_line}")
            return
        self.apply(engine.Choose(c.id))

    def apply(self, action: engine.Action) -> None:
        new, events = engine.step(self.world, self.state, action)
        if new is self.state:  # rejected: the state is unchanged, say why
            for ev in events:
                line = view.describe(self.world, ev, new)
                if line:
                    self.say(line)
            return
        self.state = new
        if self.on_step is not None:
            self.on_step(action, new)
        for ev in events:
            if isinstance(ev, engine.Ended):
                continue  # the ending screen says it
            line = to_plain(view.describe(self.world, ev, new))
            if line:
                self.say(line)
                self.journal.append(line)
        if isinstance(action, engine.Undo):
            self.say("Taken back.")
        if self.pending_world is not None and self.pending_world.has_scene(new.scene):
            self.switch_world(self.pending_world)
        self.autosave()
        self.show_scene()

    # ---- saves

    def goodbye(self) -> None:
        self.autosave()
        self.say(GOODBYE)

    def keep_previous_run(self) -> bool:
        """Before the autosave comes to hold another run: keep the current one loadable."""
        try:
            return saves.keep_previous_run(self.saves_dir)
        except saves.SaveError as exc:
            self.say(f"({exc}; the autosave will hold the new game)")
            return False

    def autosave(self) -> None:
        try:
            saves.write(self.saves_dir, saves.AUTOSAVE, self.world, self.state, self.journal)
        except saves.SaveError as exc:
            self.say(f"(autosave failed: {exc})")

    def save(self, name: str) -> None:
        try:
            saves.write(self.saves_dir, name, self.world, self.state, self.journal)
            self.say(f"Saved to '{name}'.")
        except saves.SaveError as exc:
            self.say(f"Not saved: {exc}")

    def load(self, name: str) -> None:
        try:
            loaded = saves.read(self.saves_dir, name, self.world)
        except saves.SaveError as exc:
            self.say(f"Not loaded: {exc}")
            return
        kept = name != saves.AUTOSAVE and self.keep_previous_run()
        self.state = loaded.state
        self.journal = list(loaded.journal)
        self.say(f"Loaded '{name}'." + (f" Note: {loaded.note}." if loaded.note else ""))
        if kept:
            self.say("The game you left is kept: load autosave-previous to go back.")
            self.autosave()
        if self.recorder is not None:
            note = self.recorder.loaded(f"the save '{name}'")
            if note:
                self.say(note)
        self.show_scene()

    def list_saves(self) -> None:
        slots = saves.slot_order(saves.list_slots(self.saves_dir, self.world))
        if not slots:
            self.say("No saves yet.")
        for s in slots:
            if s.problem:
                self.say(f"{s.name}: cannot be loaded: {s.problem}.")
            else:
                self.say(f"{s.name}: {s.scene}, {s.day}. Saved {saves.when_saved(s.saved_at)}.")

    # ---- hot reload

    def check_reload(self, force: bool = False) -> bool:
        """Ask the watcher; True when the world files had changed."""
        if self.watcher is None:
            return False
        news = self.watcher.poll(force=force)
        if news is None:
            return False
        if isinstance(news, list):
            self.say()
            self.say("The world files have problems; still playing the last good version:")
            for p in news[:20]:
                self.say(f"  {p}")
            if len(news) > 20:
                self.say(f"  ... and {len(news) - 20} more (neuripsquest check lists them all)")
            return True
        if not news.has_scene(self.state.scene):
            # Progress is never lost to a reload: play on in the old world and switch as
            # soon as the player reaches a scene the new one has (or starts a new game).
            self.pending_world = news
            self.say()
            self.say(
                f"Reloaded the world files, but the scene '{self.state.scene}' is gone from "
                "them: still playing the old version until you reach a scene the new one has "
                "(or type new)."
            )
            return True
        return self.switch_world(news)

    def switch_world(self, news: World) -> bool:
        from neuripsquest.play.watch import carry_over

        moved = carry_over(self.world, news, self.state)
        if moved is None:
            self.pending_world = news
            return False
        self.pending_world = None
        self.world = news
        self.state = moved
        if self.recorder is not None:
            self.recorder.world_changed(news)
        self.say()
        self.say("Reloaded the world; you are where you were.")
        self.show_scene()
        return True

    # ---- loop

    def run(self, lines: IO[str], opening: Sequence[str] = ()) -> int:
        """Play until quit or end of input; `opening` says how this session began."""
        self.say(f"{self.world.title}. Type help for commands.")
        for line in opening:
            self.say(line)
        self.show_scene()
        while True:
            self.check_reload()
            self.out.write("> ")
            self.out.flush()
            line = lines.readline()
            if not line:  # end of input (Ctrl+D, or the end of a pipe): as quit does
                self.say()
                self.goodbye()
                return 0
            if not self.handle(line):
                return 0


def opening(
    world: World, folder: Path, seed: int, fresh: bool, start: State | None, kept: bool
) -> tuple[State, list[str], list[str]]:
    """The state a plain session begins in, its journal, and what to say about it: the
    writer's --from scene, a new game, or else the autosave continued."""
    from neuripsquest.play import start as starting

    said = ["Your last game is kept: load autosave-previous to go back."] if kept else []
    if start is not None:
        title = world.scenes[start.scene].title
        said.insert(
            0,
            f"Starting at {start.scene} ({title}), {view.when(world, start)}; "
            f"the story's own start is {world.start}.",
        )
        return start, [], said
    if not fresh:
        loaded, problem = starting.continue_autosave(world, folder)
        if loaded is not None:
            s = loaded.state
            note = f" Note: {loaded.note}." if loaded.note else ""
            line = (
                f"Continuing: {view.when(world, s)}, {world.scenes[s.scene].title}. "
                f"Type new to start over.{note}"
            )
            return s, list(loaded.journal), [line]
        if problem:
            said.append(problem)
    return engine.new_game(world, seed), [], said
