"""The compiled, immutable world the engine runs on, and the pass that builds it.

`build` takes the validated contents of every file (the typed specs of `format.spec`) and
resolves everything that crosses files: scene ids, goto targets, places, endings, names in
expressions. It reports every problem it finds, each at its file, line and column, and only
returns a World when there are none.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from neuripsquest.format.spec import (
    ChoiceSpec,
    ClockSpec,
    ExtraSpec,
    SceneSpec,
    WorldSpec,
)
from neuripsquest.format.spec import InputSpec as InputFileSpec
from neuripsquest.lang.expr import (
    RESERVED,
    EffectInfo,
    ExprError,
    Getter,
    Symbols,
    compile_condition,
    compile_effect,
)
from neuripsquest.lang.names import PLACEHOLDER
from neuripsquest.problems import Problem, article, did_you_mean
from neuripsquest.records import Record

Effect = Callable[[Any], None]


class Outcome(Record):
    weight: int
    goto: str
    effects: tuple[Effect, ...]
    text: str


class Choice(Record):
    id: str
    text: str
    cond: Getter | None
    cond_src: str | None
    disabled: str | None
    once_bit: int
    effects: tuple[Effect, ...]
    goto: str | None
    outcomes: tuple[Outcome, ...]
    total_weight: int
    writes: tuple[EffectInfo, ...]
    reply: str = ""  # the reaction, shown above the next scene


class InputOutcome(Record):
    cond: Getter | None
    cond_src: str | None
    effects: tuple[Effect, ...]
    goto: str
    reply: str = ""


class InputSpec(Record):
    kind: str
    prompt: str
    hint: str
    store: int
    outcomes: tuple[InputOutcome, ...]


class Scene(Record):
    id: str
    title: str
    place: str | None
    text: str
    extras: tuple[tuple[Getter, str], ...]
    on_enter: tuple[Effect, ...]
    choices: tuple[Choice, ...]
    choice_by_id: dict[str, Choice]
    input: InputSpec | None
    ending: str | None
    origin: tuple[str, int]  # (file, line), for tools that point writers at a scene
    revisit: str | None = None  # the text on a return visit (its visits are counted)
    checkpoint: bool = False  # where a save whose scene was removed goes back to


# World's fields, in the order its __init__ takes them.
FIELDS = (
    "title",
    "start",
    "days",
    "slots",
    "start_clock",
    "places",
    "stat_names",
    "stat_labels",
    "stat_initial",
    "stat_ranges",
    "flag_names",
    "flag_notes",
    "item_names",
    "item_titles",
    "endings",
    "scenes",
    "visit_names",
    "visit_index",
    "once_keys",
    "scene_renames",
    "stat_renames",
    "flag_renames",
    "item_renames",
    "fingerprint",
    "symbols",
    "lang",
    "title_shown",
    "slot_names",
)


class World:
    """Everything the engine and the front ends read of a world, immutable: its names,
    numbers and texts, and its scenes (compiled as they are first asked for on a cache hit).

    `derived` holds the tables the layers above work out from the world on first use, by name
    (the engine's plan, the view's texts); `replace` makes a world with some fields changed,
    which works out its own. `lang` is the language of the player-visible strings ("en" as
    written; a translation sets its own), so that what is shown around them (amounts, the
    interface) can match; `title_shown` and `slot_names` are what players see of the title and
    the day's slots when a translation gives its own (`title` stays the world's name, which
    saves and the endings record are filed under, and `slots` stay the names conditions use).
    Earlier names (`renamed_from`), old -> current, are kept so that saves made before a
    rename still load.

    A plain class, not a frozen dataclass: making the dataclass compiled its `__init__`,
    `__eq__`, `__repr__` and `__setattr__` at every start (~3 ms before the title screen)."""

    __slots__ = (*FIELDS, "derived")

    title: str
    start: str
    days: tuple[str, ...]
    slots: tuple[str, ...]
    start_clock: int
    places: dict[str, str]
    stat_names: tuple[str, ...]
    stat_labels: tuple[str, ...]
    stat_initial: tuple[int, ...]
    stat_ranges: tuple[tuple[int, int], ...]
    flag_names: tuple[str, ...]
    flag_notes: dict[str, str]
    item_names: tuple[str, ...]
    item_titles: dict[str, str]
    endings: dict[str, str]
    scenes: Mapping[str, Scene]  # a dict, or `LazyScenes` on a cache hit
    visit_names: tuple[str, ...]
    visit_index: dict[str, int]  # scene id -> position in State.visits
    once_keys: tuple[str, ...]
    scene_renames: dict[str, str]
    stat_renames: dict[str, str]
    flag_renames: dict[str, str]
    item_renames: dict[str, str]
    fingerprint: str
    symbols: Symbols
    lang: str
    title_shown: str
    slot_names: tuple[str, ...]
    derived: dict[str, Any]

    def __init__(
        self,
        title: str,
        start: str,
        days: tuple[str, ...],
        slots: tuple[str, ...],
        start_clock: int,
        places: dict[str, str],
        stat_names: tuple[str, ...],
        stat_labels: tuple[str, ...],
        stat_initial: tuple[int, ...],
        stat_ranges: tuple[tuple[int, int], ...],
        flag_names: tuple[str, ...],
        flag_notes: dict[str, str],
        item_names: tuple[str, ...],
        item_titles: dict[str, str],
        endings: dict[str, str],
        scenes: Mapping[str, Scene],
        visit_names: tuple[str, ...],
        visit_index: dict[str, int],
        once_keys: tuple[str, ...],
        scene_renames: dict[str, str],
        stat_renames: dict[str, str],
        flag_renames: dict[str, str],
        item_renames: dict[str, str],
        fingerprint: str,
        symbols: Symbols,
        lang: str = "en",
        title_shown: str = "",
        slot_names: tuple[str, ...] = (),
    ):
        put = object.__setattr__
        put(self, "title", title)
        put(self, "start", start)
        put(self, "days", days)
        put(self, "slots", slots)
        put(self, "start_clock", start_clock)
        put(self, "places", places)
        put(self, "stat_names", stat_names)
        put(self, "stat_labels", stat_labels)
        put(self, "stat_initial", stat_initial)
        put(self, "stat_ranges", stat_ranges)
        put(self, "flag_names", flag_names)
        put(self, "flag_notes", flag_notes)
        put(self, "item_names", item_names)
        put(self, "item_titles", item_titles)
        put(self, "endings", endings)
        put(self, "scenes", scenes)
        put(self, "visit_names", visit_names)
        put(self, "visit_index", visit_index)
        put(self, "once_keys", once_keys)
        put(self, "scene_renames", scene_renames)
        put(self, "stat_renames", stat_renames)
        put(self, "flag_renames", flag_renames)
        put(self, "item_renames", item_renames)
        put(self, "fingerprint", fingerprint)
        put(self, "symbols", symbols)
        put(self, "lang", lang)
        put(self, "title_shown", title_shown)
        put(self, "slot_names", slot_names)
        put(self, "derived", {})

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a World is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a World is immutable: cannot delete {name!r}")

    def replace(self, **changes: Any) -> World:
        """This world with the fields in `changes` changed (its `derived` starts empty)."""
        unknown = set(changes) - set(FIELDS)
        if unknown:
            raise TypeError(f"World has no field {', '.join(sorted(unknown))}")
        return World(**{f: changes.get(f, getattr(self, f)) for f in FIELDS})

    def __repr__(self) -> str:
        return f"World(title={self.title!r}, start={self.start!r}, scenes={len(self.scenes)})"

    @property
    def shown_title(self) -> str:
        return self.title_shown or self.title

    @property
    def shown_slots(self) -> tuple[str, ...]:
        return self.slot_names or self.slots

    @property
    def last_clock(self) -> int:
        return len(self.days) * len(self.slots) - 1

    def has_scene(self, sid: str) -> bool:
        """Whether `sid` is a scene's id, today or before a rename (`renamed_from`)."""
        return sid in self.scenes or sid in self.scene_renames


class _Anything(set):
    """Scene ids while some file could not be read: any id might be in it."""

    def __contains__(self, item: object) -> bool:
        return True


Loc = list[Any]  # keys and indexes from a file's top to a value, as in yamlsrc


class _Report:
    """Problems found so far, each at its place in its document; without documents (a cache
    hit, which only ever builds a world that checked clean) everything is at 1:1."""

    def __init__(self, docs: dict[str, Any] | None):
        self.docs = docs or {}
        self.problems: list[Problem] = []

    def at(self, path: str, loc: Sequence[Any], key: bool = False) -> tuple[int, int]:
        doc = self.docs.get(path)
        return doc.where(loc, key) if doc else (1, 1)

    def error(self, path: str, loc: Sequence[Any], msg: str, key: bool = False) -> None:
        self.problems.append(Problem(path, *self.at(path, loc, key), msg))

    def error_in(self, path: str, loc: Sequence[Any], offset: int, msg: str) -> None:
        """A problem at character `offset` of the text at `loc` (an expression's)."""
        doc = self.docs.get(path)
        line, col = doc.where_in(loc, offset) if doc else (1, 1)
        self.problems.append(Problem(path, line, col, msg))


def _reserved(name: str) -> str:
    return f"'{name}' is a reserved word in conditions: choose another name"


def build(
    world_path: str,
    world_spec: WorldSpec,
    scene_entries: Sequence[tuple[str, Loc, SceneSpec]],
    fingerprint: str,
    docs: dict[str, Any] | None = None,
    half_known: set[str] = frozenset(),  # type: ignore[assignment]
    check_refs: bool = True,
) -> tuple[World | None, list[Problem]]:
    """Resolve and compile. `scene_entries` holds (file, location in that file, scene);
    `half_known` ids of scenes that failed validation but exist; `check_refs` is False when
    some file could not be read at all, so a reference might point into it.

    Longer than the sections it calls because it is their running order (which is the order
    problems are reported in) and the World's 27 fields, each taken from its section."""
    report = _Report(docs)
    slot_index = {s: i for i, s in enumerate(world_spec.clock.slots)}
    start_clock = _start_clock(report, world_path, world_spec.clock, slot_index)
    _stat_ranges(report, world_path, world_spec)
    kind_of_name = _names(report, world_path, world_spec, slot_index)
    renames = _renames(report, world_path, world_spec, kind_of_name)
    first = _scene_ids(report, scene_entries)
    scene_renames = _scene_renames(report, scene_entries, first)
    known = set(first) | set(half_known)
    if check_refs and world_spec.start not in known:
        report.error(
            world_path,
            ["start"],
            f"start scene '{world_spec.start}' does not exist"
            f"{did_you_mean(world_spec.start, known)}",
        )

    sym = _symbols(world_spec, slot_index, known if check_refs else _Anything(known))
    compiler = _SceneCompiler(report, world_spec, sym, known, scene_renames, check_refs)
    scenes: dict[str, Scene] = {}
    for path, loc, scene_spec in scene_entries:
        if first.get(scene_spec.id) == (path, loc):  # a duplicate was reported above
            scenes[scene_spec.id] = compiler.scene(path, loc, scene_spec)

    if report.problems:
        return None, report.problems
    once_keys = tuple(compiler.once_keys)
    world = _world(
        world_spec, start_clock, scenes, sym, once_keys, scene_renames, renames, fingerprint
    )
    return world, []


def _symbols(world_spec: WorldSpec, slot_index: dict[str, int], known: set[str]) -> Symbols:
    return Symbols(
        stats={n: i for i, n in enumerate(world_spec.stats)},
        stat_ranges=[(s.min, s.max) for s in world_spec.stats.values()],
        flags={n: 1 << i for i, n in enumerate(world_spec.flags)},
        items={n: 1 << i for i, n in enumerate(world_spec.items)},
        slots=slot_index,
        scenes=known,
        nslots=len(world_spec.clock.slots),
        ndays=len(world_spec.clock.days),
        places=frozenset(world_spec.places),
        endings=frozenset(world_spec.endings),
    )


def _world(
    world_spec: WorldSpec,
    start_clock: int,
    scenes: Mapping[str, Scene],
    sym: Symbols,
    once_keys: tuple[str, ...],
    scene_renames: dict[str, str],
    renames: dict[str, dict[str, str]],
    fingerprint: str,
) -> World:
    """The World's fields, each from the section of `build` that checked it."""
    stats = world_spec.stats
    days, slots = world_spec.clock.days, world_spec.clock.slots
    return World(
        title=world_spec.title,
        start=world_spec.start,
        days=days,
        slots=slots,
        start_clock=start_clock,
        places={k: v.name for k, v in world_spec.places.items()},
        stat_names=tuple(stats),
        stat_labels=tuple(s.label or n.replace("_", " ").capitalize() for n, s in stats.items()),
        stat_initial=tuple(s.initial for s in stats.values()),
        stat_ranges=tuple((s.min, s.max) for s in stats.values()),
        flag_names=tuple(world_spec.flags),
        flag_notes={k: v.note for k, v in world_spec.flags.items()},
        item_names=tuple(world_spec.items),
        item_titles={k: v.name for k, v in world_spec.items.items()},
        endings={k: v.title for k, v in world_spec.endings.items()},
        scenes=scenes,
        visit_names=tuple(sym.visits),
        visit_index=dict(sym.visits),
        once_keys=once_keys,
        scene_renames=scene_renames,
        stat_renames=renames["stat"],
        flag_renames=renames["flag"],
        item_renames=renames["item"],
        fingerprint=fingerprint,
        symbols=sym,
    )


# ---------------------------------------------------------------- one scene at a time


class LazyScenes(Mapping[str, Scene]):
    """A world's scenes, each compiled when first asked for: starting a game then costs the
    scenes it shows, not the world's size. Going through all of them (`values`, `items`)
    runs `everything` instead, a full `build`, so whatever walks the whole world gets what
    a full build makes and checks.

    `one(sid)` compiles one scene, or returns None when it cannot (an entry that breaks a
    rule `build` enforces); `everything()` returns every scene, or None likewise. On None,
    `recover()` returns every scene from a full load, or raises WorldError."""

    def __init__(
        self,
        ids: Sequence[str],
        one: Callable[[str], Scene | None],
        everything: Callable[[], dict[str, Scene] | None],
        recover: Callable[[], dict[str, Scene]],
    ):
        self._ids = {sid: None for sid in ids}  # ordered, and a set for `in`
        self._one, self._everything, self._recover = one, everything, recover
        self._done: dict[str, Scene] = {}
        self._complete = False

    def __getitem__(self, sid: str) -> Scene:
        scene = self._done.get(sid)
        if scene is not None:
            return scene
        if sid not in self._ids:
            raise KeyError(sid)
        scene = self._one(sid)
        if scene is None:
            self._adopt(self._recover())
            return self._done[sid]
        self._done[sid] = scene
        return scene

    def __contains__(self, sid: object) -> bool:
        return sid in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def force(self) -> dict[str, Scene]:
        """Every scene, from a full build."""
        if not self._complete:
            scenes = self._everything()
            self._adopt(scenes if scenes is not None else self._recover())
        return self._done

    def values(self) -> Any:
        return self.force().values()

    def items(self) -> Any:
        return self.force().items()

    @property
    def compiled(self) -> int:
        """How many scenes have been compiled so far (tests count them)."""
        return len(self._done)

    def _adopt(self, scenes: dict[str, Scene]) -> None:
        self._done = scenes
        self._complete = True


def build_lazy(
    world_path: str,
    world_spec: WorldSpec,
    scene_paths: Sequence[tuple[str, str]],
    once_keys: Sequence[str],
    visits: Sequence[str],
    scene_renames: dict[str, str],
    fingerprint: str,
    spec_of: Callable[[str], SceneSpec | None],
    everything: Callable[[World], dict[str, Scene] | None],
    recover: Callable[[World], dict[str, Scene]],
) -> tuple[World | None, list[Problem]]:
    """A World whose scenes are compiled when first used, from what a full `build` of the same
    files recorded: every scene's (id, file) in order, the once-only choices and counted
    visits in the order it numbered them, the earlier scene ids. The checks of world.yaml
    and of those records run now; each scene gets every check of `build` when compiled, and
    a record that does not fit the scenes makes that compile fail (`spec_of` returns None
    for a scene it cannot read). The callables get the World, to compare with a full one."""
    report = _Report(None)
    slot_index = {s: i for i, s in enumerate(world_spec.clock.slots)}
    start_clock = _start_clock(report, world_path, world_spec.clock, slot_index)
    _stat_ranges(report, world_path, world_spec)
    kind_of_name = _names(report, world_path, world_spec, slot_index)
    renames = _renames(report, world_path, world_spec, kind_of_name)
    where = dict(scene_paths)
    known = set(where)
    if (
        len(where) != len(scene_paths)
        or world_spec.start not in known
        or any(old in known or new not in known for old, new in scene_renames.items())
        or len(set(once_keys)) != len(once_keys)
        or any(key.partition(".")[0] not in known for key in once_keys)
        or len(set(visits)) != len(visits)
        or not known.issuperset(visits)
    ):
        report.error(world_path, [], "the records of the scenes do not fit them")
    if report.problems:
        return None, report.problems
    sym = _symbols(world_spec, slot_index, known)
    sym.visits.update((sid, i) for i, sid in enumerate(visits))
    once_index = {key: i for i, key in enumerate(once_keys)}
    compiler = _SceneCompiler(report, world_spec, sym, known, scene_renames, True, once_index)

    def one(sid: str) -> Scene | None:
        spec = spec_of(sid)
        if spec is None or spec.id != sid:
            return None
        counted = len(sym.visits)
        scene = compiler.scene(where[sid], [], spec)
        # A visit counted that the full build did not count would shift the numbering.
        return None if report.problems or len(sym.visits) != counted else scene

    scenes = LazyScenes(
        [sid for sid, _ in scene_paths],
        one,
        lambda: everything(world),
        lambda: recover(world),
    )
    world = _world(
        world_spec,
        start_clock,
        scenes,
        sym,
        tuple(once_keys),
        scene_renames,
        renames,
        fingerprint,
    )
    return world, []


# ---------------------------------------------------------------- world.yaml


def _start_clock(
    report: _Report, world_path: str, clock: ClockSpec, slot_index: dict[str, int]
) -> int:
    """The clock value the game starts at, after checking the clock's names."""
    days, slots = clock.days, clock.slots
    if len(slot_index) != len(slots):
        report.error(world_path, ["clock", "slots"], "time slot names must be unique")
    start = clock.start
    start_slot = 0
    if start.slot is not None:
        if start.slot in slot_index:
            start_slot = slot_index[start.slot]
        else:
            report.error(
                world_path,
                ["clock", "start", "slot"],
                f"unknown time slot '{start.slot}'{did_you_mean(start.slot, slots)}",
            )
    if start.day > len(days):
        report.error(world_path, ["clock", "start", "day"], f"day {start.day} is past the last day")
    return min(start.day - 1, len(days) - 1) * len(slots) + start_slot


def _stat_ranges(report: _Report, world_path: str, world_spec: WorldSpec) -> None:
    for name, stat in world_spec.stats.items():
        if stat.min > stat.max:
            report.error(
                world_path, ["stats", name, "min"], f"{name}: min {stat.min} > max {stat.max}"
            )
        elif not stat.min <= stat.initial <= stat.max:
            report.error(
                world_path,
                ["stats", name, "initial"],
                f"{name}: initial {stat.initial} is outside its range {stat.min}..{stat.max}",
            )


def _declared(world_spec: WorldSpec) -> tuple[tuple[str, dict[str, Any]], ...]:
    """Stats, flags and items: the names conditions and effects use, in one namespace."""
    return (("stat", world_spec.stats), ("flag", world_spec.flags), ("item", world_spec.items))


def _names(
    report: _Report, world_path: str, world_spec: WorldSpec, slot_index: dict[str, int]
) -> dict[str, str]:
    """Each stat, flag and item name -> its kind, after checking no name is taken twice."""
    kind_of_name: dict[str, str] = {}
    for kind, declared in _declared(world_spec):
        for name in declared:
            loc = [kind + "s", name]
            if name in kind_of_name or name in slot_index:
                other = kind_of_name.get(name, "time slot")
                both = f"'{name}' is both {article(other)} and {article(kind)}"
                report.error(world_path, loc, both, True)
            elif name in RESERVED:
                report.error(world_path, loc, _reserved(name), True)
            kind_of_name[name] = kind
    for k, name in enumerate(world_spec.clock.slots):
        if name in RESERVED:
            report.error(world_path, ["clock", "slots", k], _reserved(name))
    return kind_of_name


def _renames(
    report: _Report, world_path: str, world_spec: WorldSpec, kind_of_name: dict[str, str]
) -> dict[str, dict[str, str]]:
    """Earlier names of stats, flags and items, by kind: old -> current. They share one
    namespace, as the current names do: an old name belongs to one thing only, and is no
    longer a name in use."""
    renames: dict[str, dict[str, str]] = {"stat": {}, "flag": {}, "item": {}}
    old_owner: dict[str, str] = {}  # old name -> "stat 'x'"
    for kind, declared in _declared(world_spec):
        for name, decl in declared.items():
            for k, old in enumerate(decl.renamed_from):
                loc = [kind + "s", name, "renamed_from", k]
                if old in kind_of_name:
                    report.error(
                        world_path,
                        loc,
                        f"renamed_from: '{old}' is still the name of {article(kind_of_name[old])}; "
                        "an earlier name must be one no longer in use",
                    )
                elif old in old_owner:
                    report.error(
                        world_path,
                        loc,
                        f"renamed_from: '{old}' is already an earlier name of {old_owner[old]}",
                    )
                else:
                    old_owner[old] = f"{kind} '{name}'"
                    renames[kind][old] = name
    return renames


# ---------------------------------------------------------------- scene ids


def _scene_ids(
    report: _Report, scene_entries: Sequence[tuple[str, Loc, SceneSpec]]
) -> dict[str, tuple[str, Loc]]:
    """Every scene id -> where it is first defined, so references resolve whatever the file
    order; later definitions of an id are reported."""
    first: dict[str, tuple[str, Loc]] = {}
    for path, loc, scene_spec in scene_entries:
        sid = scene_spec.id
        if sid in first:
            first_path, first_loc = first[sid]
            first_line, _ = report.at(first_path, [*first_loc, "id"])
            report.error(
                path,
                [*loc, "id"],
                f"duplicate scene id '{sid}' (first defined at {first_path}:{first_line})",
            )
        else:
            first[sid] = (path, loc)
    return first


def _scene_renames(
    report: _Report,
    scene_entries: Sequence[tuple[str, Loc, SceneSpec]],
    first: dict[str, tuple[str, Loc]],
) -> dict[str, str]:
    """Earlier scene ids, old -> current: each names one scene, and none is the id of a scene
    today."""
    scene_renames: dict[str, str] = {}

    def defined_at(sid: str) -> str:
        path, loc = first[sid]
        return f"{path}:{report.at(path, [*loc, 'id'])[0]}"

    for path, loc, scene_spec in scene_entries:
        if first.get(scene_spec.id) != (path, loc):
            continue
        for k, old in enumerate(scene_spec.renamed_from):
            old_loc = [*loc, "renamed_from", k]
            if old in first:
                report.error(
                    path,
                    old_loc,
                    f"renamed_from: '{old}' is still the id of a scene (at {defined_at(old)}); "
                    "an earlier id must be one no longer in use",
                )
            elif old in scene_renames:
                report.error(
                    path,
                    old_loc,
                    f"renamed_from: '{old}' is already an earlier id of scene "
                    f"'{scene_renames[old]}' (at {defined_at(scene_renames[old])})",
                )
            else:
                scene_renames[old] = scene_spec.id
    return scene_renames


# ---------------------------------------------------------------- scenes


class _SceneCompiler:
    """Scenes to their compiled form, checking every name they use. Holds what all scenes
    share: the symbols, the compiled expressions, the once-only choices numbered so far."""

    def __init__(
        self,
        report: _Report,
        world_spec: WorldSpec,
        sym: Symbols,
        known: set[str],
        scene_renames: dict[str, str],
        check_refs: bool,
        once_index: dict[str, int] | None = None,
    ):
        self.report = report
        # Set when scenes are compiled one at a time (`build_lazy`): each once-only choice
        # then keeps the bit a full build gave it, whatever order scenes are compiled in.
        self.once_index = once_index
        self.world_spec = world_spec
        self.sym = sym
        self.known = known
        self.scene_renames = scene_renames
        self.check_refs = check_refs
        self.placeholders = {*world_spec.stats, "day", "slot"}
        self.once_keys: list[str] = []
        # Writers repeat conditions and effects ("has yacht_ticket", "energy -= 1"): compile
        # each distinct text once. Closures are pure, so sharing them is safe.
        self.cond_memo: dict[str, Getter] = {}
        self.effect_memo: dict[str, tuple[Effect, EffectInfo]] = {}

    # -- the pieces every part of a scene uses

    def cond(self, path: str, loc: Loc, src: str | None) -> Getter | None:
        if src is None:
            return None
        fn = self.cond_memo.get(src)
        if fn is not None:
            return fn
        try:
            fn = self.cond_memo[src] = compile_condition(src, self.sym)
            return fn
        except ExprError as exc:
            self.report.error_in(path, loc, exc.offset, exc.message)
            return None

    def effects(
        self, path: str, loc: Loc, srcs: Sequence[str], writes: list[EffectInfo]
    ) -> tuple[Effect, ...]:
        """The compiled effects; what each writes is added to `writes`."""
        out = []
        for k, src in enumerate(srcs):
            try:
                compiled = self.effect_memo.get(src)
                if compiled is None:
                    compiled = self.effect_memo[src] = compile_effect(src, self.sym)
                out.append(compiled[0])
                writes.append(compiled[1])
            except ExprError as exc:
                self.report.error_in(path, [*loc, k], exc.offset, exc.message)
        return tuple(out)

    def goto(self, path: str, loc: Loc, target: str) -> None:
        if self.check_refs and target not in self.known:
            if target in self.scene_renames:
                hint = f" (it was renamed to '{self.scene_renames[target]}')"
            else:
                hint = did_you_mean(target, self.known)
            self.report.error(path, loc, f"goto: no scene '{target}'{hint}")

    def text_names(self, path: str, loc: Loc, text: str) -> None:
        """Every {placeholder} in a text names a stat, the day or the slot."""
        for m in PLACEHOLDER.finditer(text):
            name = m.group(1)
            if name not in self.placeholders:
                hint = did_you_mean(name, self.placeholders)
                msg = f"unknown placeholder '{{{name}}}'{hint}"
                msg += " (placeholders show a stat, {day} or {slot})"
                self.report.error_in(path, loc, m.start(), msg)

    # -- a scene and its parts

    def scene(self, path: str, loc: Loc, scene_spec: SceneSpec) -> Scene:
        sid = scene_spec.id
        places, endings = self.world_spec.places, self.world_spec.endings
        if scene_spec.place is not None and scene_spec.place not in places:
            self.report.error(
                path,
                [*loc, "place"],
                f"unknown place '{scene_spec.place}'{did_you_mean(scene_spec.place, places)}",
            )
        self.text_names(path, [*loc, "text"], scene_spec.text)
        kinds = [k for k in ("choices", "input", "ending") if getattr(scene_spec, k)]
        if len(kinds) != 1:
            msg = (
                f"scene '{sid}' needs one of 'choices', 'input' or 'ending'"
                if not kinds
                else f"scene '{sid}' has {' and '.join(kinds)}: give it only one"
            )
            self.report.error(path, [*loc, "id"], msg)
        if scene_spec.ending is not None and scene_spec.ending not in endings:
            self.report.error(
                path,
                [*loc, "ending"],
                f"unknown ending '{scene_spec.ending}'{did_you_mean(scene_spec.ending, endings)}",
            )
        extras = self.extras(path, loc, scene_spec.extra)
        on_enter = self.effects(path, [*loc, "on_enter"], scene_spec.on_enter, [])
        choices = self.choices(path, loc, scene_spec)
        input_ = None
        if scene_spec.input is not None:
            input_ = self.typed_input(path, [*loc, "input"], scene_spec.input)
        scene = Scene(
            id=sid,
            title=scene_spec.title,
            place=scene_spec.place,
            text=scene_spec.text,
            extras=extras,
            on_enter=on_enter,
            choices=tuple(choices.values()),
            choice_by_id=choices,
            input=input_,
            ending=scene_spec.ending,
            origin=(path, self.report.at(path, loc)[0]),
            revisit=scene_spec.revisit,
            checkpoint=scene_spec.checkpoint,
        )
        if scene_spec.revisit is not None:
            self.text_names(path, [*loc, "revisit"], scene_spec.revisit)
            self.sym.visits.setdefault(sid, len(self.sym.visits))  # a return must be counted
        return scene

    def extras(
        self, path: str, loc: Loc, extra_specs: Sequence[ExtraSpec]
    ) -> tuple[tuple[Getter, str], ...]:
        extras = []
        for k, extra in enumerate(extra_specs):
            cond = self.cond(path, [*loc, "extra", k, "if"], extra.if_)
            self.text_names(path, [*loc, "extra", k, "text"], extra.text)
            if cond is not None:
                extras.append((cond, extra.text))
        return tuple(extras)

    def choices(self, path: str, loc: Loc, scene_spec: SceneSpec) -> dict[str, Choice]:
        """The scene's choices by id, in order; a choice with a problem is left out."""
        by_id: dict[str, Choice] = {}
        gotos = Counter(c.goto for c in scene_spec.choices)
        for k, choice_spec in enumerate(scene_spec.choices):
            choice_loc = [*loc, "choices", k]
            cid = self.choice_id(path, choice_loc, choice_spec, gotos)
            if cid is None:
                continue
            if cid in by_id:
                self.report.error(
                    path,
                    [*choice_loc, "id"],
                    f"duplicate choice id '{cid}' in scene '{scene_spec.id}'",
                )
                continue
            if (choice_spec.goto is None) == (choice_spec.random is None):
                self.report.error(
                    path, choice_loc, "a choice needs exactly one of 'goto' or 'random'"
                )
                continue
            by_id[cid] = self.choice(path, choice_loc, choice_spec, cid, scene_spec.id)
        return by_id

    def choice_id(
        self, path: str, loc: Loc, choice_spec: ChoiceSpec, gotos: Counter[str | None]
    ) -> str | None:
        """Its own id, else its goto when no other choice of the scene shares it."""
        if choice_spec.id is not None:
            return choice_spec.id
        if choice_spec.goto is None:
            self.report.error(path, loc, "a choice with 'random' outcomes needs an 'id'")
            return None
        if gotos[choice_spec.goto] > 1:
            self.report.error(
                path, [*loc, "goto"], f"two choices go to '{choice_spec.goto}': give each an 'id'"
            )
            return None
        return choice_spec.goto

    def choice(self, path: str, loc: Loc, choice_spec: ChoiceSpec, cid: str, sid: str) -> Choice:
        writes: list[EffectInfo] = []
        self.text_names(path, [*loc, "reply"], choice_spec.reply)
        cond = self.cond(path, [*loc, "if"], choice_spec.if_)
        effects = self.effects(path, [*loc, "do"], choice_spec.do, writes)
        if choice_spec.goto is not None:
            self.goto(path, [*loc, "goto"], choice_spec.goto)
        outcomes = []
        for j, outcome_spec in enumerate(choice_spec.random or ()):
            outcome_loc = [*loc, "random", j]
            self.goto(path, [*outcome_loc, "goto"], outcome_spec.goto)
            self.text_names(path, [*outcome_loc, "text"], outcome_spec.text)
            outcome_effects = self.effects(path, [*outcome_loc, "do"], outcome_spec.do, writes)
            outcomes.append(
                Outcome(outcome_spec.weight, outcome_spec.goto, outcome_effects, outcome_spec.text)
            )
        once_bit = 0
        if choice_spec.once and self.once_index is not None:
            position = self.once_index.get(f"{sid}.{cid}")
            if position is None:
                self.report.error(path, [*loc, "once"], f"'{sid}.{cid}' has no once-only bit")
            else:
                once_bit = 1 << position
        elif choice_spec.once:
            once_bit = 1 << len(self.once_keys)
            self.once_keys.append(f"{sid}.{cid}")
        return Choice(
            # One string for every choice with this id ("leave", "back"): a step finds its
            # choice by comparing ids, and each other scene's copy of the same word was a read
            # of cold memory on a large world.
            id=sys.intern(cid),
            text=choice_spec.text,
            cond=cond,
            cond_src=choice_spec.if_,
            disabled=choice_spec.disabled,
            once_bit=once_bit,
            effects=effects,
            goto=choice_spec.goto,
            outcomes=tuple(outcomes),
            total_weight=sum(o.weight for o in outcomes),
            writes=tuple(writes),
            reply=choice_spec.reply,
        )

    def typed_input(self, path: str, loc: Loc, input_spec: InputFileSpec) -> InputSpec:
        """A scene that asks for an amount: the stat it goes into, and where each leads."""
        stats = self.sym.stats
        store = input_spec.store
        if store not in stats:
            self.report.error(
                path, [*loc, "store"], f"store: unknown stat '{store}'{did_you_mean(store, stats)}"
            )
        else:
            self.sym.used_stats.add(store)
        outcomes = []
        for j, outcome_spec in enumerate(input_spec.outcomes):
            outcome_loc = [*loc, "outcomes", j]
            self.goto(path, [*outcome_loc, "goto"], outcome_spec.goto)
            self.text_names(path, [*outcome_loc, "reply"], outcome_spec.reply)
            outcomes.append(
                InputOutcome(
                    self.cond(path, [*outcome_loc, "if"], outcome_spec.if_),
                    outcome_spec.if_,
                    self.effects(path, [*outcome_loc, "do"], outcome_spec.do, []),
                    outcome_spec.goto,
                    outcome_spec.reply,
                )
            )
        last = len(input_spec.outcomes) - 1
        if input_spec.outcomes and input_spec.outcomes[last].if_ is not None:
            self.report.error(
                path,
                [*loc, "outcomes", last, "if"],
                "the last outcome must have no 'if', so every amount leads somewhere",
            )
        return InputSpec(
            input_spec.kind,
            input_spec.prompt,
            input_spec.hint,
            stats.get(store, 0),
            tuple(outcomes),
        )
