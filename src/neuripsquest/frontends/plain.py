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
from neuripsquest.frontends.plaintext import to_plain, wrap
from neuripsquest.guard import shown
from neuripsquest.i18n import N_, _
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

HELP = N_("""Commands:
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
On a question that wants an amount, type it, for example $100M, 250k or 1.5 billion.""")

DEBUG_HELP = N_("""Debugging (play --debug; each change is one step: undo takes it back):
  debug                   every stat, flag, item, visit count and the clock
  debug set NAME=VALUE    set values, several separated by spaces (energy=2 met=true day=3)
  debug jump SCENE        go to a scene; its entry effects run
  debug scenes            the scene ids and titles, to jump to""")

GOODBYE = N_("Goodbye. Your progress is in the autosave slot.")
STORY_CHANGED = N_("The story changed; here is the scene again.")
# The commands' Chinese names (HELP in Chinese lists them): taken in any language, as typing
# them costs nothing.
ALIASES = {
    "存檔": "save",
    "讀取": "load",
    "讀檔": "load",
    "存檔列表": "saves",
    "復原": "undo",
    "上一步": "undo",
    "狀態": "stats",
    "物品": "inventory",
    "重看": "repeat",
    "新遊戲": "new",
    "說明": "help",
    "離開": "quit",
}
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
        width: int | None = None,
    ):
        self.session = Session(
            world, saves_dir, seed, recorder=recorder, watcher=watcher, debugging=debugging
        )
        if state is not None:
            self.session.start(state, journal)
        self.out = out
        # Lines are broken only when asked (Chinese on a terminal, which would otherwise break
        # before a ，or 。): screen readers, braille displays and pipes get whole paragraphs.
        self.width = width

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

    def fit(self, text: str) -> str:
        return wrap(text, self.width) if self.width else text

    def show_scene(self) -> None:
        w, s = self.world, self.state
        scene = w.scenes[s.scene]
        text, choices = view.shown(w, s)
        where = view.place(w, s)
        when = view.when(w, s)
        header = _("{place} - {time}").format(place=where, time=when) if where else when
        self.say()
        self.say(_("== {header} ==").format(header=header))
        self.say(scene.title)
        self.say()
        self.say(self.fit(to_plain(text)))
        self.say()
        if scene.ending is not None:
            self.show_ending()
            return
        if scene.input is not None:
            self.say(scene.input.prompt)
            self.say(_("({hint})").format(hint=scene.input.hint))
            return
        for c in choices:
            if c.enabled:
                self.say(self.fit(f"{c.number}. {c.text}"))
            else:
                line = _("{number}. {choice} Not now: {why}").format(
                    number=c.number, choice=view.sentence(c.text), why=c.locked_line
                )
                self.say(self.fit(line))

    def show_ending(self) -> None:
        r = view.recap(self.world, self.state)
        self.say(_("THE END: {title}").format(title=r.title))
        self.say()
        if r.decisions:
            self.say(_("What you did this week:"))
            for d in r.decisions:
                self.say(f"- {d}")
        self.say(_("How you changed:"))
        for label, a, b in r.stats:
            if a != b:
                line = _("- {label}: {before} to {after}").format(
                    label=label, before=view.show_number(a), after=view.show_number(b)
                )
                self.say(line)
        self.say()
        self.say(_("Type new to play again, undo to step back, or quit."))

    def show_stats(self) -> None:
        w, s = self.world, self.state
        self.say(_("It is {time}. Turn {turn}.").format(time=view.when(w, s), turn=s.turn))
        for st in view.stats(w, s):
            if not st.money:
                self.say(
                    _("{label}: {value} of {max}").format(
                        label=st.label, value=st.value, max=st.max
                    )
                )
            elif st.value:  # an amount nobody has named yet is not worth a line
                self.say(
                    _("{label}: {amount}").format(label=st.label, amount=format_money(st.value))
                )

    def show_items(self) -> None:
        carried = view.items(self.world, self.state)
        listed = _(", ").join(carried) if carried else _("nothing")
        self.say(_("You carry: {items}").format(items=listed))

    def tell(self, notices: Iterable[Notice]) -> None:
        for line in notice_lines(notices):
            self.say(line)

    # ---- input

    def handle(self, line: str) -> bool:
        """Act on one line; False means quit."""
        text = line.strip()
        word, _sep, rest = text.partition(" ")
        cmd = ALIASES.get(word, word.lower())
        rest = rest.strip()
        takes_words = ("save", "load", "debug") if self.session.debugging else ("save", "load")
        if rest and cmd not in takes_words:
            # A command is a word on its own: "I don't have a number" at the money prompt is
            # an answer, not the inventory command `i`.
            cmd = ""
        scene = self.world.scenes[self.state.scene]
        if not text:
            self.say(_("Type a choice number, or help."))
        elif _NUMBER.fullmatch(cmd) and scene.input is None:
            self.choose_number(int(cmd))
        elif cmd in ("quit", "exit", "q"):
            self.goodbye()
            return False
        elif cmd in ("help", "?"):
            self.say(_(HELP))
            self.say(
                _(
                    "Saves go to {folder} "
                    "(choose another folder with --saves DIR or NEURIPSQUEST_SAVES)."
                ).format(folder=self.session.saves_dir.absolute())
            )
            if self.session.watcher is not None:
                self.say(
                    _("  reload        reload the world files now (they reload by themselves too)")
                )
            if self.session.debugging:
                self.say(_(DEBUG_HELP))
        elif cmd == "debug" and self.session.debugging:
            self.debug_command(rest)
        elif cmd == "reload" and self.session.watcher is not None:
            if not self.check_reload(force=True):
                self.say(_("The world files have not changed."))
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
            self.say(_("Give a slot name, for example: {command} friday").format(command=cmd))
        elif cmd in ("new", "restart"):
            notices = self.session.new_game()
            if any(n.kind == "kept" for n in notices):
                self.say(_("A new game. Your last one is kept: load autosave-previous to go back."))
            self.tell(notices)
            self.show_scene()
        elif scene.input is not None:
            self.show_turn(self.session.apply(engine.Type(text)))
        else:
            self.say(
                _("I didn't understand '{text}'. Type a choice number, or help.").format(
                    text=shown(text)
                )
            )
        return True

    def debug_command(self, rest: str) -> None:
        """`debug`, `debug set NAME=VALUE...`, `debug jump SCENE`, `debug scenes`."""
        word, _sep, arg = rest.partition(" ")
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
            self.say(_(DEBUG_HELP))

    def choose_number(self, n: int) -> None:
        shown = view.choices(self.world, self.state)
        if self.world.scenes[self.state.scene].ending is not None:
            self.say(_("The story has ended. Type new, undo or quit."))
            return
        if not 1 <= n <= len(shown):
            self.say(
                _("There is no choice {number}. Choose 1 to {last}.").format(
                    number=n, last=len(shown)
                )
            )
            return
        c = shown[n - 1]
        if not c.enabled:
            self.say(_("Not now: {why}").format(why=c.locked_line))
            return
        self.show_turn(self.session.apply(engine.Choose(c.id)))

    def show_turn(self, result: TurnResult) -> None:
        """Say what a step did, then the scene it led to (a refusal only says why)."""
        for ev in result.events:
            if isinstance(ev, engine.Ended):
                continue  # the ending screen says it
            line = to_plain(view.describe(result.world, ev, result.state))
            if line:
                self.say(self.fit(line))
        if not result.accepted:
            return
        if result.undone:
            self.say(_("Taken back."))
        self.tell(result.notices)
        if result.reload is not None:
            self.tell_reload(result.reload)
        self.show_scene()

    # ---- saves

    def goodbye(self) -> None:
        self.tell([n for n in [self.session.autosave()] if n is not None])
        self.say(_(GOODBYE))

    def save(self, name: str) -> None:
        try:
            self.session.save(name)
            self.say(_("Saved to '{name}'.").format(name=name))
        except saves.SaveError as exc:
            self.say(_("Not saved: {why}").format(why=exc))

    def load(self, name: str) -> None:
        try:
            notices = self.session.load(name)
        except saves.SaveError as exc:
            self.say(_("Not loaded: {why}").format(why=exc))
            return
        note = next((_note(n.text) for n in notices if n.kind == "story-changed"), "")
        self.say(_("Loaded '{name}'.").format(name=name) + note)
        if any(n.kind == "kept" for n in notices):
            self.say(_("The game you left is kept: load autosave-previous to go back."))
        self.tell(notices)
        self.show_scene()

    def list_saves(self) -> None:
        slots = self.session.slots()
        if not slots:
            self.say(_("No saves yet."))
        for s in slots:
            if s.problem:
                self.say(_("{name}: cannot be loaded: {why}.").format(name=s.name, why=s.problem))
            else:
                line = _("{name}: {scene}, {day}. Saved {when}.").format(
                    name=s.name, scene=s.scene, day=s.day, when=saves.when_saved(s.saved_at)
                )
                self.say(line)

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
            self.say(_("The world watcher failed: {error}").format(error=news.error))
        elif news.kind == "problems":
            self.say(_("The world files have problems; still playing the last good version:"))
            for p in news.problems[:20]:
                self.say(f"  {p}")
            if len(news.problems) > 20:
                more = len(news.problems) - 20
                self.say(
                    _("  ... and {count} more (neuripsquest check lists them all)").format(
                        count=more
                    )
                )
        elif news.kind == "waiting" and news.scene_gone:
            self.say(
                _(
                    "Reloaded the world files, but the scene '{scene}' is gone from "
                    "them: still playing the old version until you reach a scene the new one "
                    "has (or type new)."
                ).format(scene=news.scene)
            )
        elif news.kind == "waiting":
            self.say(
                _(
                    "Reloaded the world files, but this game cannot be carried over to them "
                    "here: still playing the old version until the next scene (or type new)."
                )
            )
        else:
            self.say(_("Reloaded the world; you are where you were."))

    # ---- loop

    def run(self, lines: IO[str], opening: Sequence[str] = ()) -> int:
        """Play until quit or end of input; `opening` says how this session began."""
        if self.session.state is None:
            opening = [*opening, *notice_lines(self.session.new_game(keep_previous=False))]
        self.say(_("{title}. Type help for commands.").format(title=self.world.shown_title))
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
                    self.say(_(STORY_CHANGED))
                    self.show_scene()
                    continue
            if not self.handle(line):
                return 0


def opening(game: PlainGame, fresh: bool, start: State | None, kept: bool) -> list[str]:
    """Begin the session: the writer's --from state, a new game, or else the autosave
    continued. Returns what to say about it."""
    session = game.session
    said = [_("Your last game is kept: load autosave-previous to go back.")] if kept else []
    if start is not None:
        session.start(start)
        title = session.world.scenes[start.scene].title
        said.insert(
            0,
            _("Starting at {scene} ({title}), {time}; the story's own start is {start}.").format(
                scene=start.scene,
                title=title,
                time=view.when(session.world, start),
                start=session.world.start,
            ),
        )
        return said
    if not fresh:
        got = session.continue_autosave()
        if got.loaded:
            note = _note(got.note) if got.note else ""
            said_now = _("Continuing: {where}. Type new to start over.")
            return [said_now.format(where=session.where()) + note]
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
            out.append(_("(autosave failed: {why})").format(why=n.text))
        elif n.kind == "keep-failed":
            out.append(_("({why}; the autosave will hold the new game)").format(why=n.text))
        elif n.kind == "recorder":
            out.append(n.text)
    return out


def _note(text: str) -> str:
    """What a load or a continue has to add (the story changed since the save)."""
    return _(" Note: {note}.").format(note=text)
