"""An amount said in the largest unit that fits (English thousands, Chinese 萬 and 億)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def largest_unit(amount: int, units: Sequence[tuple[int, str]]) -> tuple[Decimal, str] | None:
    """(value to two decimals, unit) in the largest of `units` ((exponent, word), largest
    first) that `amount` reaches, or None below the smallest. A value that rounds up to one of
    the unit above is said in that unit ($999.995 billion is $1 trillion; 9,999.995萬 is 1億)."""
    for k, (exp, word) in enumerate(units):
        if amount >= 10**exp:
            value = round(Decimal(amount) / Decimal(10) ** exp, 2)
            if k and value >= Decimal(10) ** (units[k - 1][0] - exp):
                exp, word = units[k - 1]
                value = round(Decimal(amount) / Decimal(10) ** exp, 2)
            return value, word
    return None
