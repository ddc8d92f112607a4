"""The Textual app. It renders a `play.session.Session` (which holds the world, the current
state, the journal, the saves and the reloads) and routes keys and messages to it; it keeps
only the settings and what is on screen. Screens and widgets are handed plain values
(`frame.Frame`, `frame.EndingView`) and answer with messages or App actions.

Start-up cost is watched (benchmarks/tui_startup.py): only what the title screen needs is
imported before the first frame. The game screens, then Rich's Markdown (~0.1 s; prose.py
draws plain text without it), load in a thread a moment after it, and the turn helpers
(`view`, `frame`, `journal`, `endings_log`: ~8 ms of dataclass and regex set-up) are imported
inside the methods that use them (the session does the same).
"""

from __future__ import annotations

import asyncio
import gc
import threading
from collections import deque
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from neuripsquest.core import engine
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.frontends.tui import settings as settings_mod
from neuripsquest.frontends.tui.keys import DEBUG_KEYS, ENDING_KEYS, GAME_KEYS
from neuripsquest.frontends.tui.messages import (
    AmountSubmitted,
    ChoicePicked,
    ChoiceRefused,
    MenuPicked,
    SettingsChanged,
)
from neuripsquest.frontends.tui.screens.title import TitleScreen
from neuripsquest.frontends.tui.settings import Settings
from neuripsquest.frontends.tui.widgets.notice_bar import NoticeHost
from neuripsquest.i18n import N_, _
from neuripsquest.play.session import AutosaveJob, Notice, Reload, Session
from neuripsquest.store import saves

if TYPE_CHECKING:
    from neuripsquest.play.debug import Change, Listing

WATCH_SECONDS = 0.5
PRELOAD_AFTER = 0.3  # seconds after the title's first frame: the game screens load then
KEPT_NOTICE = N_("Your last game is kept: load '{slot}' to go back.")
NOTICE_LOG = 100  # notices remembered for the tests and the journal-minded
# Keys that act at once, never queued behind others (leaving must always work).
IMMEDIATE_KEYS = frozenset({"ctrl+q", "ctrl+c"})
# Keys that finish a scene still typing out, and do nothing else then.
REVEAL_KEYS = frozenset({"space", "enter", "escape"})
CHOICE_KEYS = frozenset("123456789")


class QuestApp(App[int]):
    """NeurIPS Quest in the terminal. Build it with `make_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "NeurIPS Quest"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-medium"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (23, "-tall")]
    BINDINGS = [
        Binding("ctrl+q", "quit", N_("Quit now"), show=False, priority=True),
        # play --debug only (check_action); Shift+D as in Ren'Py. "shift+d" is how terminals
        # with the kitty keyboard protocol send it.
        Binding("D,shift+d", "debug", "Debug", show=False),
    ]

    def __init__(
        self,
        world: World,
        *,
        seed: int,
        saves_dir: Path,
        world_dir: Path | None = None,
        settings: Settings | None = None,
        watch: bool = False,
        watcher: Any = None,
        recorder: Any = None,
        echo_delay: float = 0.8,
        autosave_delay: float = 0.3,
        new: bool = False,
        start: State | None = None,
        debugging: bool = False,
    ) -> None:
        super().__init__()
        # How to open: the title screen (default), a new game at once (--new), or a state the
        # command line built (--from/--set). The CLI has already kept the previous run.
        self._opening: State | bool | None = start if start is not None else (new or None)
        # The autosave is written in a worker thread here (autosave_soon), not in each step.
        self.session = Session(
            world,
            Path(saves_dir),
            seed,
            recorder,
            watcher,
            autosave_each_step=False,
            debugging=debugging,
        )
        self.world_dir = world_dir
        self.settings = settings if settings is not None else settings_mod.load(self.saves_dir)
        self.watching = watch
        self.echo_delay = echo_delay
        self._busy = False  # an answer is being echoed; the next scene is not shown yet
        self._echo: tuple[Timer, Sequence[str], Sequence[str]] | None = None
        self._finished = False
        self._started = False  # set once the saved theme is applied
        self._polling = False  # a watcher poll is running in a thread
        self.farewell = ""  # a line for the terminal after the app closes (the recorder's)
        self._autosave_timer: Timer | None = None
        self.autosave_delay = autosave_delay
        self._ui_thread = threading.get_ident()  # notices from other threads hop over to it
        self.notice_log: list[str] = []  # every notice, newest last (bounded)
        self.first_frame_done = False  # the work after the title's first frame has started
        self.watch_timer: Timer | None = None  # polls the world files with --watch
        self._key_backlog: deque[events.Key] = deque()  # keys waiting for the last one's effects
        self._draining = False
        self._drain_rounds = 0
        self._apply_motion()
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme  # before the first frame: no flash of another

    # The session's game, as the screens, the tests and the benchmarks read it.

    @property
    def world(self) -> World:
        return self.session.world

    @property
    def state(self) -> State | None:
        return self.session.state

    @property
    def journal(self) -> list[str]:
        return self.session.journal

    @property
    def pending_world(self) -> World | None:
        return self.session.pending_world

    @property
    def world_problems(self) -> list[str]:
        return self.session.problems

    @property
    def saves_dir(self) -> Path:
        return self.session.saves_dir

    @property
    def watcher(self) -> Any:
        return self.session.watcher

    @property
    def recorder(self) -> Any:
        return self.session.recorder

    # ------------------------------------------------------------ start-up

    def get_default_screen(self) -> Screen:
        """The title screen is the first screen (no blank screen drawn before it)."""
        has_autosave = self.session.has_autosave()
        subtitle = _("San Diego · NeurIPS 2025 · 24,000 lanyards")
        if self.world.title != "NeurIPS Quest":
            subtitle += "\n" + _("world: {title}").format(title=self.world.shown_title)
        return TitleScreen(subtitle, "" if has_autosave else None)

    def on_mount(self) -> None:
        self._ui_thread = threading.get_ident()
        self._started = True
        opening, self._opening = self._opening, None
        if isinstance(opening, State):
            self.start(opening)
            self.autosave_soon()
        elif opening:
            self.new_game()
        self.call_after_refresh(self._after_first_frame)

    def base_screen(self) -> Screen:
        """The screen under any windows: the title, the game or the ending."""
        return next(s for s in reversed(self.screen_stack) if not isinstance(s, ModalScreen))

    def _after_first_frame(self) -> None:
        """Runs once the title screen is on the terminal: the slower work starts now."""
        gc.freeze()  # the title's widgets and styles stay too
        gc.enable()  # off while the CLI started the TUI (run_app)
        # Not at once: a key pressed as the title appears must not find the game screen's
        # first paint sharing the interpreter with these imports
        self.set_timer(PRELOAD_AFTER, self._preload)
        self._describe_autosave()
        if self.watching and self.watcher is not None:
            self.watch_timer = self.set_interval(WATCH_SECONDS, self._watch_tick)
        self.first_frame_done = True

    def _preload(self) -> None:
        self.run_worker(_preload, thread=True, exit_on_error=False)

    def _describe_autosave(self) -> None:
        screen = self.base_screen()
        if not isinstance(screen, TitleScreen):
            return
        st = self.session.saved_run()
        screen.set_continue(self.session.where(st) if st is not None else None)

    # ------------------------------------------------------------ notices

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """While a scene or an ending is up, notices go to its notice line (a place of their
        own in the layout, cleared at the next scene) rather than into toasts over the story.
        Elsewhere (the title screen) they are Textual's toasts."""
        if threading.get_ident() != self._ui_thread:
            self.call_from_thread(
                self.notify,
                message,
                title=title,
                severity=severity,
                timeout=timeout,
                markup=markup,
            )
            return
        text = f"{title}: {message}" if title else message
        self._log_notices([text])
        try:
            base = self.base_screen() if self._started else None
        except StopIteration:
            base = None
        say = getattr(base, "say", None)
        if say is not None and base is not None and base.is_mounted:
            say(text, str(severity))
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _log_notices(self, lines: Sequence[str]) -> None:
        if lines:
            self.notice_log = [*self.notice_log, *lines][-NOTICE_LOG:]

    # ------------------------------------------------------------ settings

    def _apply_motion(self) -> None:
        self.animation_level = "none" if self.settings.reduced_motion else "full"

    def on_settings_changed(self, message: SettingsChanged) -> None:
        self.settings = self.settings.with_(**{message.name: message.value})
        if message.name == "theme":
            self.theme = str(message.value)
        if message.name == "panel":
            set_panel = getattr(self.base_screen(), "set_panel", None)
            if set_panel is not None:
                set_panel(str(message.value))
        self._apply_motion()
        self._save_settings()

    def _save_settings(self) -> None:
        try:
            settings_mod.save(self.saves_dir, self.settings)
        except saves.SaveError as exc:
            self.notify(
                _("Settings not saved: {why}").format(why=exc), severity="error", markup=False
            )

    def watch_theme(self, theme: str) -> None:
        """Keep a theme picked anywhere (the palette's Theme command too) in the settings."""
        if theme != self.settings.theme and self._started:
            self.settings = self.settings.with_(theme=theme)
            self._save_settings()

    # ------------------------------------------------------------ keys, one at a time

    async def on_event(self, event: events.Event) -> None:
        """Keys are taken one at a time: a key waits until everything the one before it set
        off (a new scene, a window opening, a dialog's answer) has happened, so it always acts
        on what is on screen, never on a list that was just replaced (Textual by itself would
        hand a quick second key to the old widgets while the first is still on its way)."""
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and event.key not in IMMEDIATE_KEYS
        ):
            if self._key_backlog or not self._settled():
                self._key_backlog.append(event)
                self._drain_soon()
                return
            await self._take_key(event)
            return
        await super().on_event(event)

    def _answering(self, event: events.Key) -> bool:
        """Enter in an answer box with something typed in it: it submits the answer (and
        shows the rest of the scene), whether or not the scene has finished typing out."""
        from textual.widgets import Input

        focused = self.focused
        return event.key == "enter" and isinstance(focused, Input) and bool(focused.value)

    def _settled(self) -> bool:
        """Nothing is in flight: the App has no messages waiting, and the screen is mounted
        with no widget holding unhandled messages."""
        if not self._message_queue.empty():
            return False
        screen = self.screen
        if not screen.is_mounted:
            return False
        return all(node._message_queue.empty() for node in screen.walk_children(with_self=True))

    def _drain_soon(self) -> None:
        if not self._draining:
            self._draining = True
            self.call_later(self._drain)

    async def _drain(self) -> None:
        """Take the next waiting key once its turn has come. Widgets get a few loop turns to
        finish; what is for the App itself goes first by queuing the drain behind it. Both
        waits are bounded, so a busy screen slows keys down but never swallows them."""
        self._draining = False
        if not self._key_backlog:
            return
        for _round in range(100):
            if self._settled() or not self._message_queue.empty():
                break
            await asyncio.sleep(0)
        if not self._settled() and self._drain_rounds < 50:
            self._drain_rounds += 1
            self._drain_soon()
            return
        self._drain_rounds = 0
        await self._take_key(self._key_backlog.popleft())
        if self._key_backlog:
            self._drain_soon()

    async def _take_key(self, event: events.Key) -> None:
        if self._echo is not None:  # an answer is being said back: a key moves on
            self._end_echo()
            if event.key in REVEAL_KEYS:
                return
        screen = self.screen
        skip = getattr(screen, "skip_reveal", None)
        if event.key in REVEAL_KEYS and skip is not None and skip() and not self._answering(event):
            return  # the key showed the rest of a scene that was typing out
        # NoticeHost: the game or the ending screen, named without importing either (the
        # first key on the title must not wait for them)
        if isinstance(screen, NoticeHost) and self._stale(screen, event):
            self.bell()
            self.notify(_("That key came before this scene was on screen: nothing was done."))
            return
        await super().on_event(event)

    def _stale(self, screen: Screen, event: events.Key) -> bool:
        """A key pressed before this scene (or ending) was shown was meant for the one
        before: refused, never applied to the new list or typed into a new question. Keys
        for windows (save, journal...) are not tied to one scene, so they are only queued."""
        from neuripsquest.frontends.tui.screens.game import GameScreen

        if event.time >= getattr(screen, "shown_at", 0.0):
            return False
        if isinstance(screen, GameScreen):
            if screen.frame is not None and screen.frame.prompt is not None:
                return True  # it would land in the answer box
            return event.key in CHOICE_KEYS or event.key == "enter"
        return True  # the ending: no key from before it may start over or leave

    def _end_echo(self) -> None:
        if self._echo is not None:
            timer, narration, changes = self._echo
            self._echo = None
            timer.stop()
            self.show_state(narration, changes)

    # ------------------------------------------------------------ the game

    def start(
        self,
        state: State,
        journal_entries: Sequence[str] | None = None,
        notices: Sequence[str] = (),
    ) -> None:
        """Play from `state`: a new game, a continued autosave or a loaded slot."""
        self.session.start(state, journal_entries or ())
        self._busy = False
        self.show_state(notices=notices)

    def new_game(self) -> None:
        said = self._tell(self.session.new_game())
        self._busy = False
        self.show_state(notices=said)
        self.autosave_soon()

    def _tell(self, notices: Sequence[Notice]) -> list[str]:
        """The session's notices in the TUI's words: the lines for the notice line are
        returned (they go with the scene shown next); warnings and errors are notified."""
        lines: list[str] = []
        for n in notices:
            if n.kind == "kept":
                lines.append(_(KEPT_NOTICE).format(slot=saves.AUTOSAVE_PREVIOUS))
            elif n.kind == "keep-failed":
                said = _("{why}; the autosave will hold the new game").format(why=n.text)
                self.notify(said, severity="error")
            elif n.kind == "autosave-failed":
                said = _("Autosave failed: {why}").format(why=n.text)
                self.notify(said, severity="error", markup=False)
            elif n.kind == "recorder":
                self.notify(n.text, severity="warning", markup=False)
            elif n.kind == "ending-not-noted":
                msg = _("Could not note this ending: {why}").format(why=n.text)
                self.notify(msg, severity="error", markup=False)
        return lines

    def apply(self, action: engine.Action) -> None:
        """One step. A refused action changes nothing and says why where the player looks."""
        from neuripsquest.play import view

        old = self.state
        if old is None or self._busy:
            return
        result = self.session.apply(action)
        world, new = result.world, result.state
        if not result.accepted:
            reason = result.refusal
            line = view.describe(world, reason, old) if reason else _("That did not work.")
            if isinstance(action, engine.Choose) and (
                action.choice not in world.scenes[old.scene].choice_by_id
            ):  # the engine names the choice by id, which is for writers, not players
                line = _("That choice is not in this scene: nothing was done.")
            if isinstance(action, engine.Type):
                self._game_screen_call("amount_error", line)
            else:
                self.notify(line, severity="warning", markup=False)
            return
        narration = [
            view.describe(world, e, new)
            for e in result.events
            if isinstance(e, engine.Narration | engine.Accepted)
        ]
        changes = [
            view.describe(world, e, new)
            for e in result.events
            if isinstance(e, engine.StatChanged | engine.ItemChanged | engine.ClockMoved)
        ]
        if result.undone:
            title = world.scenes[new.scene].title
            changes = [_("Taken back: you are at {scene}.").format(scene=title), *changes]
        changes = [*changes, *self._tell(result.notices)]
        self.autosave_soon()
        if result.reload is not None:  # a waiting world was taken up: show the scene in it
            self._show_reload(result.reload, changes)
            return
        said = result.said
        if said is not None and self.echo_delay > 0:
            self._busy = True
            self._game_screen_call("amount_echo", view.said_back(said))
            self._echo = (self.set_timer(self.echo_delay, self._end_echo), narration, changes)
        else:
            # undo shows the scene it went back to at once: the next key is a choice there
            self.show_state(narration, changes, instant=result.undone or None)

    def show_state(
        self,
        narration: Sequence[str] = (),
        notices: Sequence[str] = (),
        instant: bool | None = None,
    ) -> None:
        """Put the current state on screen: the game screen, or the ending screen, with what
        the last step changed on the notice line."""
        from neuripsquest.frontends.tui import frame
        from neuripsquest.frontends.tui.screens.game import GameScreen

        self._busy = False
        st = self.state
        if st is None:
            return
        self._log_notices(notices)
        base = self.base_screen()
        on_top = self.screen is base
        if engine.is_over(self.world, st):
            from neuripsquest.frontends.tui.screens.ending import EndingScreen

            found, trouble = self.session.note_ending()
            self._tell([trouble] if trouble is not None else [])
            ev = frame.ending_view(self.world, st, found, narration)
            if isinstance(base, EndingScreen) and base.ending == ev:
                base.say_all(notices)
            elif on_top:
                self._replace_base(EndingScreen(ev, notices))
            return
        fr = frame.build(self.world, st, narration)
        instant = self.settings.instant_text if instant is None else instant
        blink = not self.settings.reduced_motion
        if isinstance(base, GameScreen):
            base.show(fr, instant=instant, blink=blink, notices=notices)
        elif on_top:
            screen = GameScreen(self.settings.panel)
            screen.show(fr, instant=instant, blink=blink, notices=notices)
            self._replace_base(screen)
            # The heap is now mostly long-lived (modules, styles, widgets): move it out of the
            # cyclic collector's sight, so a full collection no longer stalls a keypress for
            # 50-100 ms (benchmarks/tui_startup.py).
            self.call_after_refresh(_freeze)

    def _replace_base(self, screen: Screen) -> None:
        """The title stays at the bottom of the stack (Textual cannot switch away from the
        first screen); game and ending screens replace each other above it."""
        self._add_screen_css(screen)
        if isinstance(self.screen, TitleScreen):
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def _add_screen_css(self, screen: Screen) -> None:
        """Add a screen's CSS file to the stylesheet before the screen is pushed. Meeting a
        CSS_PATH it has not read, Textual parses every stylesheet of the app again from
        scratch, the widgets' own included, and restyles every node (~30 ms, at the first
        scene of a game); a source added beforehand is parsed alone, when next needed."""
        for path in screen.css_path:
            if not self.stylesheet.has_source(str(path)):
                css = path.read_text(encoding="utf-8")
                self.stylesheet.add_source(css, read_from=(str(path), ""))

    def _game_screen_call(self, method: str, *args: Any) -> None:
        fn = getattr(self.screen, method, None)
        if fn is not None:
            fn(*args)

    # ---- messages from the screens

    def on_choice_picked(self, message: ChoicePicked) -> None:
        if self.state is None or message.turn != self.state.turn:
            self.bell()  # picked from a list that has since been replaced
            return
        self.apply(engine.Choose(message.choice))

    def on_choice_refused(self, message: ChoiceRefused) -> None:
        reason = message.reason or _("That is not possible right now.")
        self.notify(_("Not now: {why}").format(why=reason), severity="warning", markup=False)

    def on_amount_submitted(self, message: AmountSubmitted) -> None:
        self.apply(engine.Type(message.text))

    def on_menu_picked(self, message: MenuPicked) -> None:
        handler = {
            "new": self.action_new_game,
            "continue": self.action_continue,
            "load": self.action_load,
            "settings": self.action_settings,
            "quit": self.action_request_quit,
        }.get(message.action)
        if handler is not None:
            handler()

    # ------------------------------------------------------------ saves

    def autosave_soon(self) -> None:
        """Autosave after a step, off the main thread and after a short pause, so a quick
        run of keypresses is neither slowed down nor written more than needed."""
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        if self.autosave_delay <= 0:  # (Textual's timers cannot take 0)
            self.call_after_refresh(self._autosave_in_thread)
            return
        self._autosave_timer = self.set_timer(self.autosave_delay, self._autosave_in_thread)

    def _autosave_in_thread(self) -> None:
        self._autosave_timer = None
        job = self.session.autosave_job()  # taken here, in step order; written in a thread
        if job is not None:
            self.run_worker(lambda: self._write_autosave(job), thread=True, group="autosave")

    def autosave(self) -> None:
        """Autosave now, on this thread (on the way out)."""
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        notice = self.session.autosave()
        self._tell([notice] if notice is not None else [])

    def _write_autosave(self, job: AutosaveJob) -> None:
        notice = self.session.write_autosave(job)  # safe in a worker thread
        if notice is not None and notice.kind != "autosaved":
            self.call_from_thread(self._tell, [notice])

    def save_to(self, name: str | None) -> None:
        if not name or self.state is None:
            return
        try:
            self.session.save(name)
        except saves.SaveError as exc:
            self.notify(_("Not saved: {why}").format(why=exc), severity="error", markup=False)
            return
        self.notify(_("Saved to '{name}'.").format(name=name), markup=False)

    def load_from(self, name: str | None) -> None:
        if not name:
            return
        try:
            notices = self.session.load(name)
        except saves.SaveError as exc:
            self.notify(_("Not loaded: {why}").format(why=exc), severity="error", markup=False)
            return
        note = next(
            (_(" Note: {note}.").format(note=n.text) for n in notices if n.kind == "story-changed"),
            "",
        )
        kept = self._tell([n for n in notices if n.kind != "recorder"])
        self._busy = False
        self.show_state(notices=[_("Loaded '{name}'.").format(name=name) + note, *kept])
        self._tell([n for n in notices if n.kind == "recorder"])  # after the scene: it stays
        self.autosave_soon()

    def delete_slot(self, name: str) -> str | None:
        try:
            self.session.delete(name)
        except saves.SaveError as exc:
            return str(exc)
        return None

    def slots(self) -> list[saves.SlotInfo]:
        return self.session.slots()

    def suggested_slot(self) -> str:
        return self.session.suggested_slot()

    # ------------------------------------------------------------ actions

    def action_new_game(self) -> None:
        """A new game never silently replaces a run in progress: it asks, and the replaced
        run stays loadable as 'autosave-previous'."""
        running = self._run_in_progress()
        if running is None:
            self.new_game()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.new_game()

        from neuripsquest.frontends.tui.screens.confirm import ConfirmScreen

        self.push_screen(
            ConfirmScreen(
                _(
                    "Start a new game? Your run in progress ({running}) stays loadable as '{slot}'."
                ).format(running=running, slot=saves.AUTOSAVE_PREVIOUS),
                N_("New game"),
                N_("Keep it"),
            ),
            answered,
        )

    def _run_in_progress(self) -> str | None:
        """Where the run a new game would replace stands, or None when there is none (no
        game yet and no autosave, or the story has ended)."""
        st = self.session.run_in_progress()
        return self.session.where(st) if st is not None else None

    def action_continue(self) -> None:
        self.load_from(saves.AUTOSAVE)

    def action_undo(self) -> None:
        if self.state is not None:
            self.apply(engine.Undo())

    def action_save(self) -> None:
        from neuripsquest.frontends.tui.screens.save import SaveScreen

        if self.state is None:
            self.notify(_("Start a game first."), severity="warning")
            return
        names = [s.name for s in self.slots()]
        self.push_screen(SaveScreen(self.suggested_slot(), names), self.save_to)

    def action_load(self) -> None:
        from neuripsquest.frontends.tui.screens.load import LoadScreen

        self.push_screen(LoadScreen(self.slots(), self.delete_slot, self.slots), self.load_from)

    def action_journal(self) -> None:
        from neuripsquest.frontends.tui.screens.journal import JournalScreen
        from neuripsquest.play import journal

        self.push_screen(JournalScreen(journal.to_markdown(self.journal)))

    def action_map(self) -> None:
        from neuripsquest.frontends.tui import mapart
        from neuripsquest.frontends.tui.screens.map import MapScreen
        from neuripsquest.play import journal

        st = self.state
        current = self.world.scenes[st.scene].place if st is not None else None
        seen = journal.visited_places(self.world, self.journal, st)
        places = self.world.places
        self.push_screen(
            MapScreen(mapart.draw(places, seen, current), mapart.legend(places, seen, current))
        )

    def action_help(self) -> None:
        from neuripsquest.frontends.tui.screens.help import HelpScreen

        where = _(
            "Saves, settings and the endings you found are kept in {folder}"
            " (--saves DIR or NEURIPSQUEST_SAVES chooses another folder)."
        ).format(folder=self.saves_dir.absolute())
        sections = [(N_("Playing"), GAME_KEYS), (N_("At an ending"), ENDING_KEYS)]
        if self.session.debugging:
            sections.append((N_("Debugging (play --debug)"), DEBUG_KEYS))
        self.push_screen(HelpScreen(sections, where))

    def action_settings(self) -> None:
        from neuripsquest.frontends.tui.screens.settings import SettingsScreen

        themes = sorted(self.available_themes)
        self.push_screen(SettingsScreen(self.settings, themes))

    def action_request_quit(self) -> None:
        if self.state is None:
            self.quit_now()
            return
        from neuripsquest.frontends.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.quit_now()

        self.push_screen(
            ConfirmScreen(
                _("Quit NeurIPS Quest? Your progress is autosaved."),
                N_("Quit"),
                N_("Keep playing"),
            ),
            answered,
        )

    async def action_quit(self) -> None:
        """Ctrl+Q and the palette's Quit: no question, but still the autosave."""
        self.quit_now()

    def quit_now(self) -> None:
        self.autosave()
        self.finish()
        self.exit(0)

    def finish(self) -> None:
        """Close the recorder once, whichever way the app ends (its message is kept for the
        CLI to print once the terminal is back)."""
        if self._finished:
            return
        self._finished = True
        self.farewell = self.session.close()

    def action_toggle_panel(self) -> None:
        if hasattr(self.screen, "action_toggle_panel"):
            self.screen.action_toggle_panel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for cmd in super().get_system_commands(screen):
            if cmd.title != "Quit":
                yield cmd
        playing = self.state is not None
        yield SystemCommand(_("New game"), _("Start the week over"), self.action_new_game)
        if playing:
            yield SystemCommand(_("Undo"), _("Take back the last step (u)"), self.action_undo)
            yield SystemCommand(_("Save"), _("Save to a named slot (s)"), self.action_save)
        yield SystemCommand(_("Load"), _("Load a saved game (l)"), self.action_load)
        if playing:
            yield SystemCommand(
                _("Journal"), _("Everything that happened so far (j)"), self.action_journal
            )
            yield SystemCommand(
                _("Map"), _("San Diego, and where you have been (m)"), self.action_map
            )
            yield SystemCommand(
                _("Side panel"), _("Show or hide stats and items (p)"), self.action_toggle_panel
            )
        yield SystemCommand(_("Help"), _("Every key (?)"), self.action_help)
        yield SystemCommand(
            _("Settings"),
            _("Theme, text speed, reduced motion, language (o)"),
            self.action_settings,
        )
        yield SystemCommand(
            _("Quit"), _("Leave the game; progress is autosaved (q)"), self.action_request_quit
        )

    # ------------------------------------------------------------ the debugger (play --debug)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "debug":  # without --debug, Shift+D is no key at all
            return self.session.debugging
        return True

    def action_debug(self) -> None:
        """Shift+D: the debug window over the game or the ending. Not over another window
        (Textual keeps the App's keys from windows), nor at a typed answer, where D is a
        letter (Esc first)."""
        from neuripsquest.frontends.tui.screens.debug import DebugScreen
        from neuripsquest.play import debug

        if not self.session.debugging:
            return
        if self.state is None:
            self.notify(_("Start a game first: the debugger changes a game."), severity="warning")
            return
        if self.screen is not self.base_screen():
            return
        self.push_screen(
            DebugScreen(
                self._debug_listing,
                debug.scenes(self.world),
                lambda line: self.debug_change(debug.SetValues.of(line)),
                lambda scene: debug.unknown_scene(self.world, scene),
            ),
            self._debug_closed,
        )

    def _debug_listing(self) -> Listing:
        from neuripsquest.play import debug

        assert self.state is not None  # the window opens only over a game
        return debug.inspect(self.world, self.state)

    def debug_change(self, change: Change) -> str:
        """Make a debug change (play/debug.py: SetValues or Jump) through the session, so it
        is an undoable step like any other; returns why it was refused, or ""."""
        from neuripsquest.play import view

        self._end_echo()
        if self.state is None:
            return _("No game is running.")
        result = self.session.apply(change)
        if not result.accepted:
            refused = result.refusal
            return view.describe(result.world, refused) if refused else _("That did not work.")
        said = [
            view.describe(result.world, e, result.state)
            for e in result.events
            if isinstance(
                e, engine.Narration | engine.StatChanged | engine.ItemChanged | engine.ClockMoved
            )
        ]
        changes = [*said, *self._tell(result.notices)]
        self.autosave_soon()
        if result.reload is not None:
            self._show_reload(result.reload, changes)
        else:
            self.show_state(notices=changes, instant=True)
        return ""

    def _debug_closed(self, scene: str | None) -> None:
        from neuripsquest.play import debug

        if scene:
            problem = self.debug_change(debug.Jump(scene))
            if problem:
                self.notify(problem, severity="warning", markup=False)
        elif self.state is not None and engine.is_over(self.world, self.state):
            self.show_state()  # an ending under the window is not redrawn while it is up

    # ------------------------------------------------------------ hot reload

    def poll_watcher(self) -> None:
        """Ask the watcher now and act on its news (the timer does this off the main thread)."""
        self.on_world_news(self.session.ask_watcher())

    def _watch_tick(self) -> None:
        if self._polling:
            return
        self._polling = True
        self.run_worker(self._poll_in_thread, thread=True, group="watch", exit_on_error=False)

    def _poll_in_thread(self) -> None:
        """A reload can take a moment (a cold world load): keep the game responsive."""
        news = self.session.ask_watcher()
        self.call_from_thread(self.on_world_news, news)

    def on_world_news(self, news: Any) -> None:
        """The watcher's answer (None, a new World, problems, or its failure), for the session
        to act on here, where the game is played."""
        self._polling = False
        self._show_reload(self.session.take_news(news))

    def reload_world(self, new_world: World, notices: Sequence[str] = ()) -> None:
        """Play on in the new world from the same scene (or wait for one it has)."""
        self._show_reload(self.session.reload(new_world), notices)

    def _show_reload(self, news: Reload | None, notices: Sequence[str] = ()) -> None:
        if news is None:
            return
        if news.kind == "failed":
            self.notify(
                _("World watcher failed: {error}").format(error=news.error),
                severity="error",
                markup=False,
            )
        elif news.kind == "problems":
            shown = news.problems[:5]
            more = len(news.problems) - len(shown)
            text = "\n".join(shown)
            if more > 0:
                text += "\n" + _("… and {count} more").format(count=more)
            self.notify(
                text,
                title=_("The world has problems; playing on with the last good one"),
                severity="error",
                timeout=10,
                markup=False,
            )
        elif news.kind == "waiting":
            why = (
                _("The scene '{scene}' is gone from the new world").format(scene=news.scene)
                if news.scene_gone
                else _("The game cannot be carried over to the new world here")
            )
            self.notify(
                _("{why}; keeping the old one until you reach a scene the new one has.").format(
                    why=why
                ),
                severity="warning",
                markup=False,
            )
        else:
            if self.state is not None:
                self.show_state(notices=notices)
            self.notify(_("World reloaded."))

    # ------------------------------------------------------------ read by the tests and tools

    @property
    def keys_waiting(self) -> int:
        """How many keys wait their turn behind the effects of the one before (`on_event`).
        Tests and tools that send keys in a burst wait for 0 and `is_settled()`: then every
        key has been dealt with."""
        return len(self._key_backlog)

    def is_settled(self) -> bool:
        """Nothing is in flight: no message waits in the App or on the screen, the screen is
        mounted (the rule `on_event` holds keys to). For the tests and tools; read only."""
        return self._settled()


def _freeze() -> None:
    """gc.freeze, as a Python function: Textual counts a callback's parameters, and for a
    builtin that means parsing its text signature, which compiles the `tokenize` module's
    pattern: ~1.4 ms of the main thread, just after the first scene is drawn."""
    gc.freeze()


def _preload() -> None:
    """Import the game's screens, then Rich's Markdown (prose.py), in the background while
    the title screen is up (or the first scene types out)."""
    from neuripsquest.frontends.tui import frame, prose  # noqa: F401
    from neuripsquest.frontends.tui.screens import ending, game  # noqa: F401

    prose.preload()


def make_app(
    world: World, seed: int = 0, saves_dir: Path | str = "saves", **options: Any
) -> QuestApp:
    """The app, ready to run; the CLI and the tests both build it here. `options` are
    QuestApp's keyword arguments (world_dir, settings, watch, watcher, recorder, delays,
    debugging for play --debug)."""
    return QuestApp(world, seed=seed, saves_dir=Path(saves_dir), **options)


def run_app(world: World, *, seed: int, saves_dir: Path, **options: Any) -> int:
    """Run the game in this terminal; returns the exit code for the CLI. `options` are
    make_app's (world_dir, watch and its watcher, recorder, new, start, debugging)."""
    app = make_app(world, seed, saves_dir, **options)
    # What is loaded by now (the modules, the world, Textual) lives as long as the process:
    # out of the cyclic collector's sight, a full collection while the title or the first
    # scene is drawn walks only what was made since (30-50 ms less at the first scene,
    # benchmarks/tui_startup.py). The CLI turns the collector off while it imports the
    # TUI; it comes back on once the title is drawn (_after_first_frame).
    gc.freeze()
    try:
        code = app.run()
    finally:
        gc.enable()
        # However the app ended (Ctrl+Q saves on its own; Textual's own exit, SIGTERM from a
        # server stopping the game, an error), the step taken in the last moment before the
        # autosave timer fired is kept.
        app.session.autosave()
        app.finish()  # the CLI prints what the recorder has to say (app.farewell holds it)
    if app.return_code not in (None, 0):
        return app.return_code
    return code if isinstance(code, int) else 0
