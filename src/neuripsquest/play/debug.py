"""The debugger (`play --debug`), for writers testing a scene: every value of the run listed,
any of them set, any scene jumped to. Both front ends show it (plain mode's `debug` commands,
the TUI's Shift+D window); the rules are here.

A change is an action like a choice (`SetValues`, `Jump`), played through the Session, so it
is one undoable step, autosaved and written in the journal like any other. `change` answers
like `engine.step`: a refused change leaves the state as it was and says why in a Rejected.

- Setting values reuses `play --set`'s reading (`start.assign`): a stat takes a whole number
  within its range, a flag or an item true/false, `day=N` and `slot=NAME` move the clock. A
  line of several is applied all or none. It is not a turn (the turn count stays) and enters
  nothing: the scene is shown again with the new values.
- A jump enters the scene as a `goto` would (`engine.enter`): its `on_enter` effects run, its
  visit is counted, it takes a turn. That is what a writer testing a scene expects, and what
  Ren'Py's jump does (it runs the label). To arrive with given values, jump, then set them.
- A recording (`play --record`) cannot hold a change no playthrough can replay: the command
  line refuses `--record` with `--debug`, and the Session refuses changes while it records.
"""

from __future__ import annotations

from collections.abc import Iterable

from neuripsquest.core import engine
from neuripsquest.core.clock import when
from neuripsquest.core.state import State, bounded, history_len
from neuripsquest.core.world import World
from neuripsquest.errors import QuestError
from neuripsquest.play.start import StartError, assign
from neuripsquest.problems import did_you_mean, plural
from neuripsquest.records import Record


class DebugError(QuestError):
    """A debug change that cannot be made; the message is one line for the writer."""


# ---------------------------------------------------------------- the changes, as actions


class SetValues(Record):
    assignments: tuple[str, ...]  # "NAME=VALUE" each

    @classmethod
    def of(cls, text: str) -> SetValues:
        """From a typed line: assignments separated by spaces ("energy=2 met=true")."""
        return cls(tuple(text.split()))


class Jump(Record):
    scene: str


Change = SetValues | Jump


def change(world: World, state: State, action: Change) -> tuple[State, list[engine.Event]]:
    """Make a change; a refused one returns `state` itself and a Rejected saying why."""
    try:
        if isinstance(action, Jump):
            return jump(world, state, action.scene)
        return set_values(world, state, action.assignments)
    except DebugError as exc:
        return state, [engine.Rejected(str(exc))]


def set_values(
    world: World, state: State, assignments: str | Iterable[str]
) -> tuple[State, list[engine.Event]]:
    """`state` with the values set (a string holds one or more, space separated), as one step
    that can be undone; the events say what changed. DebugError when any is wrong."""
    given = tuple(assignments.split() if isinstance(assignments, str) else assignments)
    if not given:
        raise DebugError("set wants NAME=VALUE, like energy=3 or met=true")
    try:
        new = assign(world, state, given, said="set")
    except StartError as exc:
        raise DebugError(str(exc)) from None
    trail = state.trail
    if new.clock != state.clock:  # the trail notes the stats each time the clock moves
        trail = (*trail, (new.clock, new.stats))
    new = new._replace(trail=trail, history=bounded(state))
    note = engine.Narration(f"Debug: set {' '.join(given)}.")
    return new, [note, *differences(world, state, new)]


def jump(world: World, state: State, scene: str) -> tuple[State, list[engine.Event]]:
    """Enter `scene` from `state`, its entry effects run (see the module's note); DebugError
    for a scene the world does not have."""
    problem = unknown_scene(world, scene)
    if problem:
        raise DebugError(problem)
    new, events = engine.enter(world, state, scene)
    return new, [engine.Narration(f"Debug: jumped to {scene}."), *events]


def unknown_scene(world: World, scene: str) -> str:
    """Why `scene` cannot be jumped to, or "" when it can."""
    if scene in world.scenes:
        return ""
    return f"jump: no scene '{scene}'{did_you_mean(scene, world.scenes)}"


def differences(world: World, old: State, new: State) -> list[engine.Event]:
    """What changed between two states, as the engine's events say it."""
    out: list[engine.Event] = []
    for name, a, b in zip(world.stat_names, old.stats, new.stats, strict=True):
        if a != b:
            out.append(engine.StatChanged(name, a, b))
    for i, name in enumerate(world.flag_names):
        if (old.flags ^ new.flags) >> i & 1:
            out.append(engine.FlagChanged(name, bool(new.flags >> i & 1)))
    for i, name in enumerate(world.item_names):
        if (old.items ^ new.items) >> i & 1:
            out.append(engine.ItemChanged(name, bool(new.items >> i & 1)))
    if old.clock != new.clock:
        out.append(engine.ClockMoved(old.clock, new.clock))
    return out


# ---------------------------------------------------------------- the listing


class StatLine(Record):
    name: str
    label: str
    value: int
    min: int
    max: int


class FlagLine(Record):
    name: str
    on: bool
    note: str


class ItemLine(Record):
    name: str
    title: str
    carried: bool


class VisitLine(Record):
    scene: str  # a scene whose visits are counted (the story asks how often it was seen)
    title: str
    times: int


class SceneLine(Record):
    id: str
    title: str
    ending: bool


class Listing(Record):
    """Every value of a run, named as `set` takes them."""

    scene: SceneLine
    when: str  # "Wednesday evening"
    day: int  # from 1, as `day=N` takes it
    slot: str
    turn: int
    undo_steps: int
    stats: tuple[StatLine, ...]
    flags: tuple[FlagLine, ...]
    items: tuple[ItemLine, ...]
    visits: tuple[VisitLine, ...]

    def sections(self) -> list[tuple[str, list[Row]]]:
        """The listing as headed groups of rows, each value as NAME=VALUE (what `set` takes)
        and what it is: the one wording of both front ends."""
        s, none = self.scene, [Row("(none)")]
        return [
            (
                "Now",
                [
                    Row(f"scene {s.id}: {s.title}{' (an ending)' if s.ending else ''}"),
                    Row(
                        f"clock: {self.when} (day={self.day} slot={self.slot})",
                        f"day={self.day} slot={self.slot}",
                    ),
                    Row(f"turn {self.turn}, {_steps(self.undo_steps)} to undo"),
                ],
            ),
            ("Stats", [_stat_row(st) for st in self.stats] or none),
            ("Flags", [_bit_row(f.name, f.on, f.note) for f in self.flags] or none),
            ("Items", [_bit_row(i.name, i.carried, i.title) for i in self.items] or none),
            (
                "Visits",
                [Row(f"{v.scene}: {v.times}{_about(v.title)}") for v in self.visits] or none,
            ),
        ]


class Row(Record):
    text: str
    edit: str = ""  # what to type to change it: the value as it is, or a flag turned over


def inspect(world: World, state: State) -> Listing:
    day, slot = divmod(state.clock, len(world.slots))
    flags = world.flag_notes
    return Listing(
        scene=_scene_line(world, state.scene),
        when=when(world, state),
        day=day + 1,
        slot=world.slots[slot],
        turn=state.turn,
        undo_steps=history_len(state.history),
        stats=tuple(
            StatLine(n, label, v, lo, hi)
            for n, label, v, (lo, hi) in zip(
                world.stat_names, world.stat_labels, state.stats, world.stat_ranges, strict=True
            )
        ),
        flags=tuple(
            FlagLine(n, bool(state.flags >> i & 1), flags.get(n, ""))
            for i, n in enumerate(world.flag_names)
        ),
        items=tuple(
            ItemLine(n, world.item_titles.get(n, n), bool(state.items >> i & 1))
            for i, n in enumerate(world.item_names)
        ),
        visits=tuple(
            VisitLine(sid, world.scenes[sid].title if sid in world.scenes else sid, times)
            for sid, times in zip(world.visit_names, state.visits, strict=True)
        ),
    )


def scenes(world: World) -> list[SceneLine]:
    """Every scene to jump to, in the order the story's files give them."""
    return [_scene_line(world, sid) for sid in world.scenes]


def _scene_line(world: World, sid: str) -> SceneLine:
    sc = world.scenes[sid]
    return SceneLine(sid, sc.title, sc.ending is not None)


def _stat_row(st: StatLine) -> Row:
    label = f", {st.label}" if st.label.lower() != st.name.replace("_", " ").lower() else ""
    return Row(
        f"{st.name}={st.value:_}  ({st.min:_} to {st.max:_}{label})", f"{st.name}={st.value}"
    )


def _bit_row(name: str, on: bool, about: str) -> Row:
    word, other = ("true", "false") if on else ("false", "true")
    return Row(f"{name}={word}{_about(about)}", f"{name}={other}")


def _steps(n: int) -> str:
    return plural(n, "step")


def _about(text: str) -> str:
    return f"  ({text})" if text else ""
