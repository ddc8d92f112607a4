"""Pydantic models of playthrough files (see docs/playthroughs.md)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Range(_Strict):
    min: int | None = None
    max: int | None = None


class Expect(_Strict):
    scene: str | None = None
    ending: str | None = None
    stats: dict[str, int | Range] = {}
    flags: dict[str, bool] = {}
    items: dict[str, bool] = {}
    says: str | None = Field(
        None,
        description="words the step's reaction must contain (a choice's reply, a random "
        "outcome's text), compared with runs of spaces and line breaks as one space",
    )


class StepModel(_Strict):
    choose: str | None = None
    type: str | int | None = None
    undo: bool = False
    expect: Expect | None = None


class PlaythroughFile(_Strict):
    name: str = ""
    seed: int = 0
    world: str | None = Field(None, description="world folder, relative to this file")
    steps: list[str | StepModel] = Field(min_length=1)
    expect: Expect | None = None
