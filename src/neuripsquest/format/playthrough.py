"""Pydantic models of playthrough files (see docs/playthroughs.md)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from neuripsquest.format.scalars import TrueOrFalse, Whole


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Range(_Strict):
    min: Whole | None = None
    max: Whole | None = None


class Expect(_Strict):
    scene: str | None = None
    ending: str | None = None
    stats: dict[str, Whole | Range] = {}
    flags: dict[str, TrueOrFalse] = {}
    items: dict[str, TrueOrFalse] = {}
    # The exact forms are None when not written, so that `[]` can say "none at all".
    stats_exactly: dict[str, Whole | Range] | SkipJsonSchema[None] = Field(
        None,
        description="these stats (exact, or a range), and every stat not listed at its "
        "initial value",
    )
    flags_exactly: list[str] | SkipJsonSchema[None] = Field(
        None, description="the flags that are set, and no other ([] for none)"
    )
    items_exactly: list[str] | SkipJsonSchema[None] = Field(
        None, description="the items carried, and no other ([] for none)"
    )
    says: str | None = Field(
        None,
        description="words the step's reaction must contain (a choice's reply, a random "
        "outcome's text), compared with runs of spaces and line breaks as one space",
    )

    @field_validator("stats_exactly", "flags_exactly", "items_exactly", mode="before")
    @classmethod
    def _written(cls, value: Any, info: Any) -> Any:
        # Said here rather than by the union, which would give one error per branch, and a
        # bare `flags_exactly:` would otherwise check nothing while looking like "none".
        stats = info.field_name == "stats_exactly"
        if value is None:
            empty = "{}" if stats else "[]"
            raise PydanticCustomError("exact_null", f"write {empty} for none")
        if stats and not isinstance(value, dict):
            raise PydanticCustomError("dict_type", "Input should be a valid dictionary")
        if not stats and not isinstance(value, list):
            raise PydanticCustomError("list_type", "Input should be a valid list")
        return value


class StepModel(_Strict):
    choose: str | None = None
    type: str | Whole | None = None
    undo: TrueOrFalse = False
    expect: Expect | None = None


class PlaythroughFile(_Strict):
    name: str = ""
    seed: Whole = 0
    world: str | None = Field(None, description="world folder, relative to this file")
    steps: list[str | StepModel] = Field(min_length=1)
    expect: Expect | None = None
