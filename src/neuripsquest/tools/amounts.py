"""The typed amounts worth trying in an input scene, for the tools that play every way through
a story (explore, randomtest): one module both import, so neither imports the other."""

from __future__ import annotations

from neuripsquest.core.money import LIMIT
from neuripsquest.tools.facts import Sources


def amounts(src: Sources, sid: str) -> list[int]:
    """Typed amounts worth trying in an input scene, the most telling first: each constant its
    conditions compare with, and one either side of it; then 0 and a very large amount."""
    sf = src.scenes[sid]
    assert sf.input is not None
    consts: list[int] = []
    for c in sf.input.conds:
        if c is not None:
            for k in sorted(c.constants):
                consts += [k, k - 1, k + 1]
    out = []
    for a in [*consts, 0, LIMIT - 1]:
        if 0 <= a < LIMIT and a not in out:
            out.append(a)
    return out
