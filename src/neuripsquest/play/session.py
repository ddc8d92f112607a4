"""One game session, shared by both front ends: the world, the current state, the journal, the
saves folder, and the optional recorder (`play --record`) and watcher (`play --watch`).

The front ends only render and route input: every rule about a run lives here. Starting a new
game keeps the run it replaces loadable; loading a slot keeps the run left; a reload carries
the game over by names (`watch.carry_over`) or, when it cannot, keeps playing the old world
until the player reaches a scene the new one has (or starts a new game).

Seeds: the n-th new game of a session (counting from 0) uses `seed + n`. So a session is still
reproducible from its seed, and a restart gets fresh luck: reusing the seed would replay the
same random outcomes after every `new`, which takes the point out of a random choice for a
player trying again (a recording keeps the seed its game really used).

Debug changes (`play --debug`: values set, scenes jumped to; play/debug.py) are steps like
any other here: undoable, autosaved and in the journal. The session takes them only when it was
made `debugging`, and never while it records (a playthrough cannot replay them).

What a step or a save did comes back as values (`TurnResult`, `Notice`, `Reload`); how to say
it is the front end's business. Start-up cost matters to the TUI, which imports this before
its first frame: the turn helpers (`view`, `journal`) are imported where they are used, and
the answers are records (`records.Record`: immutable, and a fiftieth of a frozen dataclass's
set-up time).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from neuripsquest.core import engine
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.i18n import _
from neuripsquest.problems import Problem
from neuripsquest.records import Record
from neuripsquest.store import saves

# ---------------------------------------------------------------- what the session talks to


@runtime_checkable
class StepRecorder(Protocol):
    """Hears of every accepted step and of what steps alone do not show (play/record.Recorder)."""

    def record(self, action: engine.Action, state: State) -> None: ...

    def restart(self, state: State, seed: int) -> None: ...

    def loaded(self, what: str) -> str: ...  # returns a line for the player, or ""

    def world_changed(self, world: World) -> None: ...

    def close(self, world: World, state: State) -> str: ...


@runtime_checkable
class WorldWatcher(Protocol):
    """Says whether the world files changed (play/watch.Watcher): None for no change, the new
    World, or the problems of files that no longer load."""

    def poll(self, force: bool = False) -> World | list[Problem] | None: ...


if TYPE_CHECKING:  # the checker holds the real recorder and watcher to the protocols
    from neuripsquest.play.debug import Change
    from neuripsquest.play.record import Recorder
    from neuripsquest.play.watch import Watcher

    def _fits(r: Recorder, w: Watcher) -> tuple[StepRecorder, WorldWatcher]:
        return r, w


# ---------------------------------------------------------------- what it answers

NoticeKind = Literal[
    "autosaved",  # the autosave holds the run now
    "autosave-failed",  # text: why (said once until an autosave works again)
    "kept",  # the run replaced is kept as autosave-previous
    "keep-failed",  # text: why; the autosave will hold the new run
    "recorder",  # text: what the recorder said (a load stops the recording)
    "story-changed",  # text: what loading a save from another version of the story did
    "ending-not-noted",  # text: why the endings found could not be written
]


class Notice(Record):
    kind: NoticeKind
    text: str = ""


class Reload(Record):
    """What a reload did. `reloaded`: the game now plays in `world`. `problems`: the files have
    problems, the last good world plays on. `waiting`: the new world cannot take the game here
    (`scene_gone`: its scene is gone), so the old world plays on until a scene the new one has.
    `failed`: the watcher itself failed (`error` says how)."""

    kind: Literal["reloaded", "problems", "waiting", "failed"]
    world: World  # the world played now
    problems: tuple[str, ...] = ()
    scene: str = ""
    scene_gone: bool = False
    error: str = ""


class TurnResult(Record):
    """One action and what came of it. `events` belong to `world` and `state` (the world the
    step was taken in); when `reload` says a waiting world was taken up, the session plays on
    in that one."""

    action: engine.Action | Change
    accepted: bool
    events: tuple[engine.Event, ...]
    world: World
    before: State
    state: State
    scene_changed: bool
    ended: bool
    ending: str | None
    reload: Reload | None = None
    notices: tuple[Notice, ...] = ()

    @property
    def undone(self) -> bool:
        return self.accepted and isinstance(self.action, engine.Undo)

    @property
    def said(self) -> engine.Accepted | None:
        """The amount an answer was read as, when it was one."""
        return next((e for e in self.events if isinstance(e, engine.Accepted)), None)

    @property
    def refusal(self) -> engine.Rejected | None:
        return next((e for e in self.events if isinstance(e, engine.Rejected)), None)


class AutosaveJob(Record):
    """The run as it stands, numbered, to be written on any thread (`Session.write_autosave`)."""

    world: World
    state: State
    journal: tuple[str, ...]
    number: int


class Continued(Record):
    """What trying to continue the autosave gave: `loaded` when the run plays on (`note` about a
    changed story, or ""); else `problem`, a line saying why it could not ("" when there was
    simply no autosave)."""

    loaded: bool
    note: str = ""
    problem: str = ""


# ---------------------------------------------------------------- the session


class Session:
    """The run being played, and every rule about it. Not thread-safe, except where a method
    says so: call it from where the game is played (the TUI's event loop, plain mode's loop)."""

    def __init__(
        self,
        world: World,
        saves_dir: Path,
        seed: int = 0,
        recorder: StepRecorder | None = None,
        watcher: WorldWatcher | None = None,
        autosave_each_step: bool = True,
        debugging: bool = False,
    ):
        self.world = world
        self.saves_dir = Path(saves_dir)
        self.seed = seed
        self.recorder = recorder
        self.watcher = watcher
        # Plain mode writes the autosave in each step; the TUI writes it in a thread of its own.
        self.autosave_each_step = autosave_each_step
        # `play --debug`: debug changes (play/debug.py) are taken only then.
        self.debugging = debugging
        self.state: State | None = None  # None until a game starts
        self.journal: list[str] = []
        self.pending_world: World | None = None  # reloaded, waiting for a scene it has
        self.problems: list[str] = []  # of the last reload, if it had any
        self.games = 0  # new games started: the next one uses seed + games
        self._lock = threading.Lock()
        self._jobs = 0  # autosave jobs handed out, in step order
        self._written = 0  # the newest job written
        self._autosave_failed = False

    # ---- starting

    @property
    def next_seed(self) -> int:
        return self.seed + self.games

    def start(self, state: State, journal: Sequence[str] = ()) -> None:
        """Play from `state` (a continued or loaded run, or the writer's --from state)."""
        from neuripsquest.play import journal as entries

        self.state = state
        self.journal = list(journal) or [entries.scene_entry(self.world, state)]

    def new_game(self, keep_previous: bool = True) -> tuple[Notice, ...]:
        """A new game in the newest world; the run it replaces stays loadable (unless the caller
        has kept it already: the CLI does for --new)."""
        # The run replaced is written out in its own world, before the newest is taken up.
        notices = self._keep_previous_run() if keep_previous else []
        if self.pending_world is not None:
            self.world, self.pending_world = self.pending_world, None
            if self.recorder is not None:
                self.recorder.world_changed(self.world)
        seed = self.next_seed
        self.games += 1
        self.start(engine.new_game(self.world, seed))
        assert self.state is not None
        if self.recorder is not None:
            self.recorder.restart(self.state, seed)
        return tuple(notices)  # (a run at its first scene has nothing to lose: no autosave yet)

    def continue_autosave(self) -> Continued:
        """Play on from the autosave; one that cannot be played is moved aside (never written
        over) and the answer says so."""
        from neuripsquest.play import start as starting

        loaded, problem = starting.continue_autosave(self.world, self.saves_dir)
        if loaded is None:
            return Continued(False, problem=problem)
        self.start(loaded.state, loaded.journal)
        return Continued(True, note=loaded.note)

    # ---- playing

    def apply(self, action: engine.Action | Change) -> TurnResult:
        """One step, or a debug change (`play --debug`: see play/debug.py). A refused action
        changes nothing; its events say why."""
        world, before = self.world, self.state
        if before is None:
            raise RuntimeError("no game has started")
        # (play/debug is imported only when a debug change comes: the TUI imports this module
        # before its first frame)
        if isinstance(action, engine.Choose | engine.Type | engine.Undo):
            new, events = engine.step(world, before, action)
        else:
            new, events = self._debug_change(world, before, action)
        accepted = new is not before
        notices: list[Notice] = []
        reload = None
        if accepted:
            from neuripsquest.play import journal as entries

            self.state = new
            if self.recorder is not None and isinstance(
                action, engine.Choose | engine.Type | engine.Undo
            ):
                self.recorder.record(action, new)
            self.journal.extend(entries.step_entries(world, before, action, events, new))
            if self.pending_world is not None and self.pending_world.has_scene(new.scene):
                taken = self._take_world(self.pending_world)
                reload = taken if taken.kind == "reloaded" else None  # else: still waiting
            notices.extend(self._autosave_now())
        ending = world.scenes[new.scene].ending
        return TurnResult(
            action=action,
            accepted=accepted,
            events=tuple(events),
            world=world,
            before=before,
            state=new,
            scene_changed=new.scene != before.scene,
            ended=ending is not None,
            ending=ending,
            reload=reload,
            notices=tuple(notices),
        )

    def undo(self) -> TurnResult:
        return self.apply(engine.Undo())

    def _debug_change(
        self, world: World, state: State, action: Change
    ) -> tuple[State, list[engine.Event]]:
        from neuripsquest.play import debug

        if not self.debugging:
            return state, [engine.Rejected("Debug changes are only taken with play --debug.")]
        if self.recorder is not None:  # a playthrough cannot replay a change by hand
            return state, [engine.Rejected("A recording cannot hold debug changes.")]
        return debug.change(world, state, action)

    @property
    def over(self) -> bool:
        return self.state is not None and engine.is_over(self.world, self.state)

    # ---- saves

    def save(self, name: str) -> None:
        """Write the run to a slot; SaveError (one line for the player) when it cannot be."""
        if self.state is None:
            raise saves.SaveError("no game to save yet")
        saves.write(self.saves_dir, name, self.world, self.state, self.journal)

    def load(self, name: str) -> tuple[Notice, ...]:
        """Play on from a slot; SaveError when it cannot be read (nothing changes then). The run
        left stays loadable as autosave-previous (loading the autosave itself leaves nothing)."""
        from neuripsquest.play import journal as entries

        loaded = saves.read(self.saves_dir, name, self.world)
        notices = self._keep_previous_run() if name != saves.AUTOSAVE else []
        if loaded.note:
            notices.append(Notice("story-changed", loaded.note))
        self.start(loaded.state, [*loaded.journal, entries.note_entry(f"Loaded '{name}'.")])
        if self.recorder is not None:
            said = self.recorder.loaded(f"the save '{name}'")
            if said:
                notices.append(Notice("recorder", said))
        return (*notices, *self._autosave_now())

    def slots(self) -> list[saves.SlotInfo]:
        """The slots as every front end lists them: the autosave, the previous run, the rest."""
        return saves.slot_order(saves.list_slots(self.saves_dir, self.world))

    def delete(self, name: str) -> None:
        saves.delete(self.saves_dir, name)

    def has_autosave(self) -> bool:
        return (self.saves_dir / f"{saves.AUTOSAVE}.json").is_file()

    def saved_run(self) -> State | None:
        """The run the autosave holds, when it can be played."""
        try:
            return saves.read(self.saves_dir, saves.AUTOSAVE, self.world).state
        except saves.SaveError:
            return None

    def run_in_progress(self) -> State | None:
        """The run a new game would replace: the one playing, else the autosave's; None when
        there is none or it has ended."""
        st = self.state if self.state is not None else self.saved_run()
        if st is None or engine.is_over(self.world, st):
            return None
        return st

    # ---- the autosave (the TUI writes it in a worker thread: see write_autosave)

    def autosave(self) -> Notice | None:
        """Write the autosave now, on this thread."""
        job = self.autosave_job()
        return self.write_autosave(job) if job is not None else None

    def autosave_job(self) -> AutosaveJob | None:
        """The run as it stands, to write later or elsewhere. Call it where the game is played
        (the jobs are numbered in the order of the steps)."""
        if self.state is None:
            return None
        self._jobs += 1
        return AutosaveJob(self.world, self.state, tuple(self.journal), self._jobs)

    def write_autosave(self, job: AutosaveJob) -> Notice | None:
        """Safe on any thread: one write at a time, and never an older run after a newer one.
        A failure is said once (a Notice) until an autosave works again."""
        with self._lock:
            if job.number < self._written:
                return None
            self._written = job.number
            try:
                saves.write(self.saves_dir, saves.AUTOSAVE, job.world, job.state, list(job.journal))
            except saves.SaveError as exc:
                said = self._autosave_failed
                self._autosave_failed = True
                return None if said else Notice("autosave-failed", str(exc))
            self._autosave_failed = False
            return Notice("autosaved")

    def _autosave_now(self) -> list[Notice]:
        if not self.autosave_each_step:
            return []
        notice = self.autosave()
        return [notice] if notice is not None else []

    def _keep_previous_run(self) -> list[Notice]:
        """Before the autosave comes to hold another run: write the current one out whole
        (a thread may not have yet), then keep it loadable as autosave-previous."""
        written = self.autosave() if self.state is not None else None
        out = [written] if written is not None and written.kind != "autosaved" else []
        try:
            kept = saves.keep_previous_run(self.saves_dir)
        except saves.SaveError as exc:
            return [*out, Notice("keep-failed", str(exc))]
        return [*out, Notice("kept")] if kept else out

    # ---- endings found across runs

    def note_ending(self) -> tuple[set[str], Notice | None]:
        """Count the ending reached among those found in this world; returns them all."""
        from neuripsquest.store import endings_log

        ending = self.world.scenes[self.state.scene].ending if self.state is not None else None
        if ending is None:
            return endings_log.discovered(self.saves_dir, self.world.title), None
        try:
            return endings_log.record(self.saves_dir, self.world.title, ending), None
        except saves.SaveError as exc:
            found = endings_log.discovered(self.saves_dir, self.world.title) | {ending}
            return found, Notice("ending-not-noted", str(exc))

    # ---- hot reload

    def poll_reload(self, force: bool = False) -> Reload | None:
        """Ask the watcher and act on its news; None when nothing changed."""
        return self.take_news(self.ask_watcher(force))

    def ask_watcher(self, force: bool = False) -> World | list[Problem] | Exception | None:
        """The watcher's news, not yet acted on. Safe on any thread (a reload can take a
        moment); a watcher that fails answers with its exception, never raises."""
        if self.watcher is None:
            return None
        try:
            return self.watcher.poll(force=True) if force else self.watcher.poll()
        except Exception as exc:  # a watcher bug must not take the game down
            return exc

    def take_news(self, news: World | Sequence[object] | Exception | None) -> Reload | None:
        """Act on what `ask_watcher` said, where the game is played."""
        if news is None:
            return None
        if isinstance(news, Exception):
            return Reload("failed", self.world, error=str(news) or type(news).__name__)
        if isinstance(news, World):
            return self.reload(news)
        self.problems = [str(p) for p in news]
        return Reload("problems", self.world, problems=tuple(self.problems))

    def reload(self, new: World) -> Reload:
        """Play on in `new` from the same place."""
        self.problems = []
        return self._take_world(new)

    def _take_world(self, new: World) -> Reload:
        st = self.state
        moved = None
        if st is not None:
            from neuripsquest.play.watch import carry_over

            moved = carry_over(self.world, new, st)
            if moved is None:  # progress is never lost to a reload: wait for a scene it has
                self.pending_world = new
                gone = not new.has_scene(st.scene)
                return Reload("waiting", self.world, scene=st.scene, scene_gone=gone)
        self.pending_world = None
        self.world = new
        if moved is not None:
            self.state = moved
        if self.recorder is not None:
            self.recorder.world_changed(new)
        return Reload("reloaded", new, scene=moved.scene if moved is not None else "")

    # ---- describing the run

    def where(self, state: State | None = None) -> str:
        """Where a run stands, as a line: "Tuesday evening, The poster hall"."""
        from neuripsquest.play import view

        st = state if state is not None else self.state
        if st is None:
            return ""
        title = self.world.scenes[st.scene].title
        return _("{time}, {scene}").format(time=view.when(self.world, st), scene=title)

    def suggested_slot(self) -> str:
        """A slot name for the run as it stands, from the game's clock ("tue-evening")."""
        import re

        from neuripsquest.play import view

        if self.state is None:
            return "my-save"
        when = view.when(self.world, self.state)
        return re.sub(r"[^A-Za-z0-9_-]+", "-", when).strip("-").lower()[:40] or "my-save"

    def close(self) -> str:
        """Close the recorder (once; closing again is harmless) and return what it said."""
        if self.recorder is None:
            return ""
        if self.state is None:
            return ""
        said = self.recorder.close(self.world, self.state)
        return said if isinstance(said, str) else ""
