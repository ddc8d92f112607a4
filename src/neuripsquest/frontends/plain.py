"""Plain mode: the accessible front end for screen readers, braille displays and pipes.

Output is only ever appended, with no escape codes, colour, box drawing or hard wrapping, and
every turn comes in the same order: place and time, the text, numbered choices, the prompt.
Everything else (status, inventory, saving) is a typed command. It imports no Textual.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

from neuripsquest.core import engine
from neuripsquest.core.money import format_money
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.frontends.plaintext import to_plain
from neuripsquest.guard import shown
from neuripsquest.play import debug, view
from neuripsquest.play.session import (
    Notice,
    Reload,
    Session,
    StepRecorder,
    TurnResult,
    WorldWatcher,
)
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

DEBUG_HELP = """Debugging (play --debug; each change is one step: undo takes it back):
  debug                   every stat, flag, item, visit count and the clock
  debug set NAME=VALUE    set values, several separated by spaces (energy=2 met=true day=3)
  debug jump SCENE        go to a scene; its entry effects run
  debug scenes            the scene ids and titles, to jump to"""

GOODBYE = "Goodbye. Your progress is in the autosave slot."
STORY_CHANGED = "The story changed; here is the scene again."
# Only ASCII digits are a choice number: str.isdigit() also accepts "²" and "①", which int()
# then refuses.
_NUMBER = re.compile(r"[+-]?[0-9]+", re.ASCII)


class PlainGame:
    """Plain text over a `Session`: it says what the session did and routes typed lines to it.
    Built from a world and the state to play from (None: `opening` or `run` starts one), with
    a `watcher` (play --watch) and a `recorder` (play --record) handed to the session, and
    the `debug` commands with `debugging` (play --debug; unknown words without it)."""

    def __init__(
        self,
        world: World,
        state: State | None,
        saves_dir: Path,
        out: IO[str],
        seed: int = 0,
        watcher: WorldWatcher | None = None,
        recorder: StepRecorder | None = None,
        journal: Sequence[str] = (),
        debugging: bool = False,
    ):
        self.session = Session(
            world, saves_dir, seed, recorder=recorder, watcher=watcher, debugging=debugging
        )
        if state is not None:
            self.session.start(state, journal)
        self.out = out

    @property
    def world(self) -> World:
        return self.session.world

    @property
    def state(self) -> State:
        if self.session.state is None:
            raise RuntimeError("no game has started (opening() or run() starts one)")
        return self.session.state

    @property
    def pending_world(self) -> World | None:
        return self.session.pending_world

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
        self.say(to_plain(view.text(w, s)))
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

    def tell(self, notices: Iterable[Notice]) -> None:
        for line in notice_lines(notices):
            self.say(line)

    # ---- input

    def handle(self, line: str) -> bool:
        """Act on one line; False means quit."""
        text = line.strip()
        word, _, rest = text.partition(" ")
        cmd = word.lower()
        rest = rest.strip()
        takes_words = ("save", "load", "debug") if self.session.debugging else ("save", "load")
        if rest and cmd not in takes_words:
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
                f"Saves go to {self.session.saves_dir.absolute()} "
                "(choose another folder with --saves DIR or NEURIPSQUEST_SAVES)."
            )
            if self.session.watcher is not None:
                self.say(
                    "  reload        reload the world files now (they reload by themselves too)"
                )
            if self.session.debugging:
                self.say(DEBUG_HELP)
        elif cmd == "debug" and self.session.debugging:
            self.debug_command(rest)
        elif cmd == "reload" and self.session.watcher is not None:
            if not self.check_reload(force=True):
                self.say("The world files have not changed.")
        elif cmd in ("repeat", "look", "l"):
            self.show_scene()
        elif cmd == "stats":
            self.show_stats()
        elif cmd in ("inventory", "items", "i"):
            self.show_items()
        elif cmd == "undo":
            self.show_turn(self.session.undo())
        elif cmd == "saves":
            self.list_saves()
        elif cmd == "save" and rest:
            self.save(rest)
        elif cmd == "load" and rest:
            self.load(rest)
        elif cmd in ("save", "load"):
            self.say(f"Give a slot name, for example: {cmd} friday")
        elif cmd in ("new", "restart"):
            notices = self.session.new_game()
            if any(n.kind == "kept" for n in notices):
                self.say("A new game. Your last one is kept: load autosave-previous to go back.")
            self.tell(notices)
            self.show_scene()
        elif scene.input is not None:
            self.show_turn(self.session.apply(engine.Type(text)))
        else:
            self.say(f"I didn't understand '{shown(text)}'. Type a choice number, or help.")
        return True

    def debug_command(self, rest: str) -> None:
        """`debug`, `debug set NAME=VALUE...`, `debug jump SCENE`, `debug scenes`."""
        word, _, arg = rest.partition(" ")
        word, arg = word.lower(), arg.strip()
        if not word:
            for heading, lines in debug.inspect(self.world, self.state).sections():
                self.say(f"{heading}:")
                for row in lines:
                    self.say(f"  {row.text}")
        elif word == "set":
            self.show_turn(self.session.apply(debug.SetValues.of(arg)))
        elif word == "jump" and arg:
            self.show_turn(self.session.apply(debug.Jump(arg)))
        elif word == "scenes":
            for sc in debug.scenes(self.world):
                self.say(f"{sc.id}: {sc.title}{' (an ending)' if sc.ending else ''}")
        else:
            self.say(DEBUG_HELP)

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
        self.show_turn(self.session.apply(engine.Choose(c.id)))

    def show_turn(self, result: TurnResult) -> None:
        """Say what a step did, then the scene it led to (a refusal only says why)."""
        for ev in result.events:
            if isinstance(ev, engine.Ended):
                continue  # the ending screen says it
            line = to_plain(view.describe(result.world, ev, result.state))
            if line:
                self.say(line)
        if not result.accepted:
            return
        if result.undone:
            self.say("Taken back.")
        self.tell(result.notices)
        if result.reload is not None:
            self.tell_reload(result.reload)
        self.show_scene()

    # ---- saves

    def goodbye(self) -> None:
        self.tell([n for n in [self.session.autosave()] if n is not None])
        self.say(GOODBYE)

    def save(self, name: str) -> None:
        try:
            self.session.save(name)
            self.say(f"Saved to '{name}'.")
        except saves.SaveError as exc:
            self.say(f"Not saved: {exc}")

    def load(self, name: str) -> None:
        try:
            notices = self.session.load(name)
        except saves.SaveError as exc:
            self.say(f"Not loaded: {exc}")
            return
        note = next((f" Note: {n.text}." for n in notices if n.kind == "story-changed"), "")
        self.say(f"Loaded '{name}'.{note}")
        if any(n.kind == "kept" for n in notices):
            self.say("The game you left is kept: load autosave-previous to go back.")
        self.tell(notices)
        self.show_scene()

    def list_saves(self) -> None:
        slots = self.session.slots()
        if not slots:
            self.say("No saves yet.")
        for s in slots:
            if s.problem:
                self.say(f"{s.name}: cannot be loaded: {s.problem}.")
            else:
                self.say(f"{s.name}: {s.scene}, {s.day}. Saved {saves.when_saved(s.saved_at)}.")

    # ---- hot reload

    def check_reload(self, force: bool = False) -> bool:
        """Ask the session for a reload; True when the world files had changed."""
        news = self.session.poll_reload(force=force)
        if news is None:
            return False
        self.tell_reload(news)
        if news.kind == "reloaded":
            self.show_scene()
        return True

    def tell_reload(self, news: Reload) -> None:
        self.say()
        if news.kind == "failed":
            self.say(f"The world watcher failed: {news.error}")
        elif news.kind == "problems":
            self.say("The world files have problems; still playing the last good version:")
            for p in news.problems[:20]:
                self.say(f"  {p}")
            if len(news.problems) > 20:
                more = len(news.problems) - 20
                self.say(f"  ... and {more} more (neuripsquest check lists them all)")
        elif news.kind == "waiting" and news.scene_gone:
            self.say(
                f"Reloaded the world files, but the scene '{news.scene}' is gone from "
                "them: still playing the old version until you reach a scene the new one has "
                "(or type new)."
            )
        elif news.kind == "waiting":
            self.say(
                "Reloaded the world files, but this game cannot be carried over to them here: "
                "still playing the old version until the next scene (or type new)."
            )
        else:
            self.say("Reloaded the world; you are where you were.")

    # ---- loop

    def run(self, lines: IO[str], opening: Sequence[str] = ()) -> int:
        """Play until quit or end of input; `opening` says how this session began."""
        if self.session.state is None:
            opening = [*opening, *notice_lines(self.session.new_game(keep_previous=False))]
        self.say(f"{self.world.shown_title}. Type help for commands.")
        for line in opening:
            self.say(line)
        self.show_scene()
        while True:
            self.out.write("> ")
            self.out.flush()
            line = lines.readline()
            if not line:  # end of input (Ctrl+D, or the end of a pipe): as quit does
                self.say()
                self.goodbye()
                return 0
            # The line was typed at the scene on screen: when the story changed meanwhile, a
            # number could now mean another choice, so show the scene again and ask again.
            # (Forced: the watcher's interval is for timers, and this costs a file scan.)
            news = self.session.poll_reload(force=True)
            if news is not None:
                self.tell_reload(news)
                if news.kind == "reloaded":
                    self.say(STORY_CHANGED)
                    self.show_scene()
                    continue
            if not self.handle(line):
                return 0


def opening(game: PlainGame, fresh: bool, start: State | None, kept: bool) -> list[str]:
    """Begin the session: the writer's --from state, a new game, or else the autosave
    continued. Returns what to say about it."""
    session = game.session
    said = ["Your last game is kept: load autosave-previous to go back."] if kept else []
    if start is not None:
        session.start(start)
        title = session.world.scenes[start.scene].title
        said.insert(
            0,
            f"Starting at {start.scene} ({title}), {view.when(session.world, start)}; "
            f"the story's own start is {session.world.start}.",
        )
        return said
    if not fresh:
        got = session.continue_autosave()
        if got.loaded:
            note = f" Note: {got.note}." if got.note else ""
            return [f"Continuing: {session.where()}. Type new to start over.{note}"]
        if got.problem:
            said.append(got.problem)
    said.extend(notice_lines(session.new_game(keep_previous=False)))
    return said


def notice_lines(notices: Iterable[Notice]) -> list[str]:
    """What the session did besides the step itself, in plain mode's words (what the player
    asked for, such as a load, is said where it is asked)."""
    out = []
    for n in notices:
        if n.kind == "autosave-failed":
            out.append(f"(autosave failed: {n.text})")
        elif n.kind == "keep-failed":
            out.append(f"({n.text}; the autosave will hold the new game)")
        elif n.kind == "recorder":
            out.append(n.text)
    return out
