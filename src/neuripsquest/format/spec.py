"""A validated world as typed values: what `model.py`'s pydantic models accept, held without
pydantic.

`validate` turns checked documents into these; the world cache stores them as JSON and
`specjson` reads them back; `core.world.build` compiles them. The annotations state the shape
(types, name patterns, ranges, non-empty lists) once for both sides: `specjson` enforces them
on a cache entry, and `model.py` takes its patterns and limits from the constants here (a test
holds the models' fields to these). Field names are the models' (`if_` for `if`), so a
problem found later can still be pointed at the key the writer wrote.
"""

# No `from __future__ import annotations`: the annotations stay real objects, which
# `specjson` reads as they are (no evaluating of annotation strings).
# Records (NamedTuples made without compiling, `records.Record`), not dataclasses: this module
# is imported on the way to every start, and a frozen dataclass costs about a millisecond to
# make, a NamedTuple ~0.15 ms, a record ~0.02 ms (benchmarks/tui_startup.py). Their fields, in
# order, are `_fields`.
from typing import Annotated, Literal

from neuripsquest.records import Record


class Pattern(Record):
    """The whole text matches `regex`."""

    regex: str


class Bounds(Record):
    """A whole number within [lo, hi]; None leaves that side open."""

    lo: int | None = None
    hi: int | None = None


class MinLen(Record):
    """A list or table with at least `n` entries."""

    n: int


IDENT_PATTERN = r"^[a-z][a-z0-9_]*$"
# Stats stay within this range so that arithmetic on them stays cheap and every value prints.
STAT_LIMIT = 10**15
MIN_WEIGHT = 1
FIRST_DAY = 1

Ident = Annotated[str, Pattern(IDENT_PATTERN)]
StatValue = Annotated[int, Bounds(-STAT_LIMIT, STAT_LIMIT)]
Names = tuple[Ident, ...]  # earlier names (`renamed_from`)


class ClockStartSpec(Record):
    day: Annotated[int, Bounds(lo=FIRST_DAY)]
    slot: Ident | None


class ClockSpec(Record):
    days: Annotated[tuple[str, ...], MinLen(1)]
    slots: Annotated[tuple[Ident, ...], MinLen(1)]
    start: ClockStartSpec


class PlaceSpec(Record):
    name: str
    description: str


class StatSpec(Record):
    initial: StatValue
    min: StatValue
    max: StatValue
    label: str | None
    renamed_from: Names


class ItemSpec(Record):
    name: str
    description: str
    renamed_from: Names


class FlagSpec(Record):
    """A flag; one written as bare text (`met_vc: what it records`) has that as its note."""

    note: str
    renamed_from: Names


class EndingSpec(Record):
    title: str
    description: str


class WorldSpec(Record):
    """`world.yaml`."""

    title: str
    start: Ident
    clock: ClockSpec
    places: dict[Ident, PlaceSpec]
    stats: dict[Ident, StatSpec]
    flags: dict[Ident, FlagSpec]
    items: dict[Ident, ItemSpec]
    endings: Annotated[dict[Ident, EndingSpec], MinLen(1)]


class ExtraSpec(Record):
    if_: str
    text: str


class OutcomeSpec(Record):
    weight: Annotated[int, Bounds(lo=MIN_WEIGHT)]
    goto: Ident
    do: tuple[str, ...]
    text: str


class ChoiceSpec(Record):
    id: Ident | None
    text: str
    if_: str | None
    disabled: str | None
    once: bool
    do: tuple[str, ...]
    reply: str
    goto: Ident | None
    random: Annotated[tuple[OutcomeSpec, ...], MinLen(1)] | None


class InputOutcomeSpec(Record):
    if_: str | None
    goto: Ident
    do: tuple[str, ...]
    reply: str


class InputSpec(Record):
    kind: Literal["money"]
    prompt: str
    hint: str
    store: Ident
    outcomes: Annotated[tuple[InputOutcomeSpec, ...], MinLen(1)]


class SceneSpec(Record):
    id: Ident
    title: str
    place: Ident | None
    text: str
    revisit: str | None
    extra: tuple[ExtraSpec, ...]
    on_enter: tuple[str, ...]
    choices: tuple[ChoiceSpec, ...]
    input: InputSpec | None
    ending: Ident | None
    renamed_from: Names
    checkpoint: bool


class Contents(Record):
    """Every file of a world that checked clean: world.yaml's path (as shown) and contents,
    then each scene file's path and scenes, in file order."""

    world_path: str
    world: WorldSpec
    files: tuple[tuple[str, tuple[SceneSpec, ...]], ...]


class CacheIndex(Record):
    """What a cache entry records beside the contents so that a world can start without
    reading every scene: each file's path and its scenes' ids in order, and what a full
    build numbered across all scenes (once-only choices, counted visits), and the earlier
    scene ids, old -> current."""

    files: tuple[tuple[str, tuple[Ident, ...]], ...]
    once_keys: tuple[str, ...]
    visits: tuple[Ident, ...]
    scene_renames: dict[Ident, Ident]
