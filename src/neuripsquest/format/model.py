"""Pydantic models of the world files: the schema writers write against.

Only the shape is checked here (unknown keys, types, required fields); what passes becomes
the typed values of `spec.py`, whose patterns and limits these models share. Names that point
elsewhere (goto targets, stats in expressions, ranges) are checked by `build`, which sees the
whole world. Importing this module builds the models, which costs about a quarter of a second:
the play path avoids it through the validated-world cache.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from neuripsquest.format.scalars import WHOLE, TrueOrFalse, Whole
from neuripsquest.format.spec import FIRST_DAY, IDENT_PATTERN, MIN_WEIGHT, STAT_LIMIT

Ident = Annotated[str, StringConstraints(pattern=IDENT_PATTERN)]


def _as_list(value: Any) -> Any:
    """`do: energy -= 1` is shorthand for a one-effect list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


def _as_text(value: Any) -> Any:
    """`if: true` arrives from YAML as a bool: conditions are source text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _as_names(value: Any) -> Any:
    """`renamed_from: old_id` is shorthand for a list of one old name."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


Effects = Annotated[list[str], BeforeValidator(_as_list)]
Condition = Annotated[str, BeforeValidator(_as_text)]
# Names something had in earlier versions of the story, so saves made then still load.
OldNames = Annotated[list[Ident], BeforeValidator(_as_names)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ClockStart(Strict):
    day: Annotated[int, Field(ge=FIRST_DAY, description="1 is the first day"), WHOLE] = FIRST_DAY
    slot: Ident | None = Field(None, description="slot name; default: the first slot")


class Clock(Strict):
    days: list[str] = Field(min_length=1, description="day names in order")
    slots: list[Ident] = Field(min_length=1, description="time slots of a day, in order")
    start: ClockStart = ClockStart(day=FIRST_DAY, slot=None)


class Place(Strict):
    name: str
    description: str = ""


StatValue = Annotated[int, Field(ge=-STAT_LIMIT, le=STAT_LIMIT), WHOLE]


class Stat(Strict):
    initial: StatValue
    min: StatValue
    max: StatValue
    label: str | None = None
    renamed_from: OldNames = []


class Item(Strict):
    name: str
    description: str = ""
    renamed_from: OldNames = []


class Flag(Strict):
    """A flag written as a mapping, to give it earlier names besides its note."""

    note: str = Field("", description="what the flag records")
    renamed_from: OldNames = []


class Ending(Strict):
    title: str
    description: str = ""


def _flags(value: Any) -> Any:
    """Flags may be a plain list of names or a mapping of name to what the flag records
    (text, or a mapping with `note` and `renamed_from`)."""
    if isinstance(value, list):
        return {str(v): "" for v in value}
    return value


class WorldFile(Strict):
    """`world.yaml`."""

    title: str
    start: Ident = Field(description="id of the first scene")
    clock: Clock
    places: dict[Ident, Place] = {}
    stats: dict[Ident, Stat] = {}
    flags: Annotated[dict[Ident, str | Flag], BeforeValidator(_flags)] = {}
    items: dict[Ident, Item] = {}
    endings: dict[Ident, Ending] = Field(min_length=1)


class Extra(Strict):
    if_: Condition = Field(alias="if")
    text: str


class Outcome(Strict):
    weight: Whole = Field(MIN_WEIGHT, ge=MIN_WEIGHT)
    goto: Ident
    do: Effects = []
    text: str = Field("", description="what happened, shown above the next scene's text")


class Choice(Strict):
    id: Ident | None = None
    text: str
    if_: Condition | None = Field(None, alias="if")
    disabled: str | None = Field(None, description="shown as the reason when `if` fails")
    once: TrueOrFalse = False
    do: Effects = []
    reply: str = Field(
        "",
        description="the immediate reaction to this choice, one to three sentences, shown "
        "above the next scene's text",
    )
    goto: Ident | None = None
    random: list[Outcome] | None = Field(None, min_length=1)


class InputOutcome(Strict):
    if_: Condition | None = Field(None, alias="if")
    goto: Ident
    do: Effects = []
    reply: str = Field("", description="the reaction to this answer, shown above the next scene")


class Input(Strict):
    kind: Literal["money"]
    prompt: str
    hint: str
    store: Ident = Field(description="stat that receives the amount")
    outcomes: list[InputOutcome] = Field(min_length=1)


class Scene(Strict):
    id: Ident
    title: str
    place: Ident | None = None
    text: str = Field(description="the first visit's text")
    revisit: str | None = Field(
        None, description="the shorter text shown when the player comes back to this scene"
    )
    extra: list[Extra] = []
    on_enter: Effects = []
    choices: list[Choice] = []
    input: Input | None = None
    ending: Ident | None = None
    renamed_from: OldNames = []
    checkpoint: TrueOrFalse = Field(
        False,
        description="a save whose scene was removed from the story goes back to the newest "
        "checkpoint in its undo history",
    )
