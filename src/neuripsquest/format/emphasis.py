"""Whether each `*` run of a text opens or closes emphasis as CommonMark reads it.

Beside CJK text the flanking rules bite: in `開啟**「猜猜是誰」**遊戲` neither run can act (a
run next to punctuation on its inner side must have space or punctuation on its outer side),
so a Markdown renderer shows the asterisks. Translators move the punctuation outside
(`「**猜猜是誰**」`); `l10n status` points at every run that would show.
"""

from __future__ import annotations

import re
import unicodedata

_RUN = re.compile(r"\*+")


def _punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P") or (
        ch.isascii() and not ch.isalnum() and not ch.isspace()
    )


def _space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def stray_stars(text: str) -> list[int]:
    """Offsets of the `*` runs that would show as asterisks, paragraph by paragraph."""
    out: list[int] = []
    offset = 0
    for para in re.split(r"(\n\s*\n)", text):
        if para.strip() and not para.startswith("\n"):
            out += [offset + i for i in _paragraph(para)]
        offset += len(para)
    return out


def _paragraph(text: str) -> list[int]:
    return _matched(text)[1]


def emphasis_pairs(text: str) -> list[tuple[int, int]] | None:
    """The (start, end) of each emphasis one paragraph's `*` runs make, as CommonMark pairs
    them (the end after the closing run), in order of their closing; None if a run is
    stray."""
    pairs, stray = _matched(text)
    return None if stray else pairs


def _matched(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """(the pairs of runs that make emphasis, the offsets of the runs that stay `*`)."""
    stack: list[tuple[int, int]] = []  # (run length, offset) of runs that may open
    pairs: list[tuple[int, int]] = []
    stray: list[int] = []
    for m in _RUN.finditer(text):
        a, b = m.span()
        before = text[a - 1] if a else ""
        after = text[b] if b < len(text) else ""
        left = not _space(after) and (not _punct(after) or _space(before) or _punct(before))
        right = not _space(before) and (not _punct(before) or _space(after) or _punct(after))
        n = b - a
        if right and stack and stack[-1][0] == n:
            pairs.append((stack.pop()[1], b))
        elif left:
            stack.append((n, a))
        else:
            stray.append(a)
    return pairs, sorted(stray + [a for _, a in stack])
