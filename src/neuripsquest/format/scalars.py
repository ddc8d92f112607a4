"""Whole numbers and true/false as the files must write them, the same for the loader as for
the JSON Schema editors check against.

Pydantic's lax mode would take `weight: "1"`, `once: "yes"` or `initial: true`, which the
schema (and so the writer's editor) refuses: two judges of one file that disagree. Quoted
numbers, and numbers or words standing for true/false, are refused here too, each with what
to write instead. A whole number written as `2.0` stays accepted, as JSON Schema counts it
whole.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError


def _refuse(kind: str, message: str) -> PydanticCustomError:
    # No context: the message is shown as it is, braces in the writer's text included.
    return PydanticCustomError(kind, message)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def _whole(value: Any) -> Any:
    if isinstance(value, bool):
        # YAML 1.1 reads true, yes and on as booleans
        raise _refuse("whole_number", f"write a whole number, not {_shown(value)}")
    if isinstance(value, str):
        if _looks_whole(value):
            raise _refuse(
                "whole_number",
                f"write {value.strip()} without quotes: in quotes it is text, not a number",
            )
        raise _refuse("whole_number", f"write a whole number, like 3, not the text {value!r}")
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise _refuse("whole_number", f"write a whole number, not {value}")
    return value


def _looks_whole(text: str) -> bool:
    try:
        int(text.strip())
    except ValueError:
        return False
    return True


def _true_or_false(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    quoted = " without quotes" if isinstance(value, str) else ""
    raise _refuse("true_or_false", f"write true or false{quoted}, not {_shown(value)}")


# Put WHOLE after any bounds (`Annotated[int, Field(ge=1), WHOLE]`): the bounds then stay the
# int's own, which the JSON Schema shows as minimum and maximum.
WHOLE = BeforeValidator(_whole)
Whole = Annotated[int, WHOLE]
TrueOrFalse = Annotated[bool, BeforeValidator(_true_or_false)]
