"""Located problems: what `check` prints and what every loader returns instead of raising."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Collection, Iterator
from contextvars import ContextVar
from difflib import SequenceMatcher
from typing import Any

from neuripsquest.errors import QuestError
from neuripsquest.records import Record


class Problem(Record):
    path: str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """A count and its noun, agreeing: '1 place', '3 places', '12,000 scenes'; `many` for a
    noun whose plural is not word + s."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def number(x: float) -> str:
    """A count or amount as digits with thousands separators, never in scientific notation
    (`100,000,000`, not `1e+08`); a fraction keeps at most two decimals (`7.25`)."""
    if isinstance(x, float) and math.isfinite(x):
        if not x.is_integer():
            return f"{x:,.2f}".rstrip("0").rstrip(".")
        x = int(x)
    return f"{x:,}" if isinstance(x, int) else str(x)


def article(word: str) -> str:
    """'a scene', 'an item', 'an ending': the noun with its indefinite article."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


# Names compared while suggesting, per check. Each comparison costs a few microseconds, and a
# world with thousands of broken references to thousands of scenes would otherwise spend
# minutes on suggestions (6,000 by 6,000 took 32 s); past the budget, problems come without one.
SUGGESTION_BUDGET = 100_000
_budget: ContextVar[list[Any] | None] = ContextVar("neuripsquest_suggestions", default=None)


@contextlib.contextmanager
def suggestion_budget(comparisons: int = SUGGESTION_BUDGET) -> Iterator[None]:
    """Bound the names `did_you_mean` compares inside this block; the same question asked
    twice (one misspelling used in many places) is answered from memory."""
    token = _budget.set([comparisons, {}])
    try:
        yield
    finally:
        _budget.reset(token)


def did_you_mean(name: str, candidates: Collection[str]) -> str:
    """' (did you mean 'x'?)' for the closest candidate, or '' when nothing is close."""
    best = closest(name, candidates)
    return f" (did you mean '{best}'?)" if best is not None else ""


def closest(name: str, candidates: Collection[str], cutoff: float = 0.6) -> str | None:
    """The answer of `difflib.get_close_matches(name, candidates, 1, cutoff)`, found faster:
    the exact ratio is computed only for candidates whose upper bound could still win."""
    state = _budget.get()
    if state is not None:
        # The memo holds the candidates too, so that their id is not reused while it lives.
        key = (name, id(candidates), len(candidates))
        hit = state[1].get(key)
        if hit is not None:
            return hit[1]
        if state[0] < len(candidates):
            state[0] = 0
            return None
        state[0] -= len(candidates)
    best = _closest(name, candidates, cutoff)
    if state is not None:
        state[1][key] = (candidates, best)
    return best


def _closest(name: str, candidates: Collection[str], cutoff: float) -> str | None:
    s = SequenceMatcher()
    s.set_seq2(name)
    la = len(name)
    bounded: list[tuple[float, str]] = []
    for x in candidates:
        total = la + len(x)
        # real_quick_ratio and quick_ratio, as difflib checks them: cheap upper bounds
        if total and 2.0 * min(la, len(x)) / total < cutoff:
            continue
        s.set_seq1(x)
        q = s.quick_ratio()
        if q >= cutoff:
            bounded.append((q, x))
    bounded.sort(reverse=True)
    best: tuple[float, str] | None = None
    for q, x in bounded:
        if best is not None and q < best[0]:
            break  # no one left can reach the best ratio found
        s.set_seq1(x)
        r = s.ratio()
        if r >= cutoff and (best is None or (r, x) > best):
            best = (r, x)
    return best[1] if best is not None else None


class WorldError(QuestError):
    """The world could not be loaded; `problems` says every reason, each at its place."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
