"""What a writer may leave out of a world file or write shorter, in terms of the spec classes.

`specjson.read_written` reads a clean file's data straight into specs with these, so that
`check` on a world without mistakes never builds the pydantic models (their import is most of
a cold check's memory). `model.py` states the same defaults and shorthands for pydantic, which
words every mistake and writes the JSON Schema; `tests/test_written.py` holds the two to each
other, field by field and on generated documents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from neuripsquest.format import spec

# (spec class, field) -> the value a key left out takes, as YAML would give it (the field's
# reader turns it into the spec's value, a fresh one each time). A field not named here is
# required.
DEFAULTS: dict[tuple[type, str], Any] = {
    (spec.ClockStartSpec, "day"): spec.FIRST_DAY,
    (spec.ClockStartSpec, "slot"): None,
    (spec.ClockSpec, "start"): {},
    (spec.PlaceSpec, "description"): "",
    (spec.StatSpec, "label"): None,
    (spec.StatSpec, "renamed_from"): [],
    (spec.ItemSpec, "description"): "",
    (spec.ItemSpec, "renamed_from"): [],
    (spec.FlagSpec, "note"): "",
    (spec.FlagSpec, "renamed_from"): [],
    (spec.EndingSpec, "description"): "",
    (spec.WorldSpec, "places"): {},
    (spec.WorldSpec, "stats"): {},
    (spec.WorldSpec, "flags"): {},
    (spec.WorldSpec, "items"): {},
    (spec.OutcomeSpec, "weight"): spec.MIN_WEIGHT,
    (spec.OutcomeSpec, "do"): [],
    (spec.OutcomeSpec, "text"): "",
    (spec.ChoiceSpec, "id"): None,
    (spec.ChoiceSpec, "if_"): None,
    (spec.ChoiceSpec, "disabled"): None,
    (spec.ChoiceSpec, "once"): False,
    (spec.ChoiceSpec, "do"): [],
    (spec.ChoiceSpec, "reply"): "",
    (spec.ChoiceSpec, "goto"): None,
    (spec.ChoiceSpec, "random"): None,
    (spec.InputOutcomeSpec, "if_"): None,
    (spec.InputOutcomeSpec, "do"): [],
    (spec.InputOutcomeSpec, "reply"): "",
    (spec.SceneSpec, "place"): None,
    (spec.SceneSpec, "revisit"): None,
    (spec.SceneSpec, "extra"): [],
    (spec.SceneSpec, "on_enter"): [],
    (spec.SceneSpec, "choices"): [],
    (spec.SceneSpec, "input"): None,
    (spec.SceneSpec, "ending"): None,
    (spec.SceneSpec, "renamed_from"): [],
    (spec.SceneSpec, "checkpoint"): False,
}


def key(field: str) -> str:
    """The key a field is written as: `if` for `if_` (a Python word cannot be a name)."""
    return field.removesuffix("_")


def _one_or_list(value: Any) -> Any:
    """`do: energy -= 1` is a list of one; nothing written is an empty list."""
    if value is None:
        return []
    return [value] if type(value) is str else value


def _condition(value: Any) -> Any:
    """`if: true` arrives from YAML as a bool: conditions are source text."""
    if type(value) is bool:
        return "true" if value else "false"
    return value


def _flag_names(value: Any) -> Any:
    """Flags written as a plain list of names are flags without notes."""
    if type(value) is list and all(type(v) is str for v in value):
        return dict.fromkeys(value, "")
    return value


_EFFECTS = (spec.OutcomeSpec, spec.ChoiceSpec, spec.InputOutcomeSpec)
_RENAMED = (spec.StatSpec, spec.ItemSpec, spec.FlagSpec, spec.SceneSpec)

# (spec class, field) -> what turns the value as written into the field's plain form.
SHORTHANDS: dict[tuple[type, str], Callable[[Any], Any]] = {
    **{(cls, "do"): _one_or_list for cls in _EFFECTS},
    (spec.SceneSpec, "on_enter"): _one_or_list,
    **{(cls, "renamed_from"): _one_or_list for cls in _RENAMED},
    **{(cls, "if_"): _condition for cls in (spec.ExtraSpec, *_EFFECTS[1:])},
    (spec.WorldSpec, "flags"): _flag_names,
}


def flag_note(value: Any) -> Any:
    """A flag written as bare text is a flag whose note that text is."""
    return {"note": value} if type(value) is str else value


# Spec classes that may be written as something other than a mapping: -> its mapping.
WHOLE_SHORTHANDS: dict[type, Callable[[Any], Any]] = {spec.FlagSpec: flag_note}
