"""Where to break lines of text that mixes Chinese (or Japanese) with Latin words, by display
width.

Terminals give a full-width character two cells. Chinese has no spaces between words: a line
may break between any two CJK characters, but not inside a Latin word or number, not before
closing punctuation (，。」 at the start of a line) and not after opening punctuation (「 at
the end of one): the common core of the line-breaking rules (UAX #14, JIS X 4051's kinsoku)
that Taiwanese typesetting follows. Word-based wrappers (Rich's, Textual's) only break at
spaces, so a paragraph with one `Google` in it breaks there and leaves half a line empty.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from neuripsquest.i18n import is_wide as _wide

# May not start a line.
NO_START = frozenset("，。、；：！？」』）》〉】〕…‥—～％・·,.;:!?)]}%'\"’”")
# May not end a line.
NO_END = frozenset("「『（《〈【〔([{‘“")


@lru_cache(maxsize=4096)
def cells(ch: str) -> int:
    """Cells a character takes: 2 for wide and full-width, 0 for combining, else 1."""
    if unicodedata.combining(ch):
        return 0
    return 2 if _wide(ch) else 1


def width(text: str) -> int:
    return sum(cells(ch) for ch in text)


def joint(before: str, after: str) -> str:
    """What goes between two lines of one paragraph when they run together: nothing between
    two Chinese characters (a space would show there), else a space, as Markdown puts."""
    return "" if _wide(before[-1:]) and _wide(after[:1]) else " "


def mostly_wide(text: str) -> bool:
    """True for text written in Chinese or Japanese: at least a quarter of its visible
    characters full-width (a few CJK words or emoji in English prose do not count)."""
    visible = [ch for ch in text if not ch.isspace()]
    return bool(visible) and 4 * sum(cells(ch) == 2 for ch in visible) >= len(visible)


def may_break(before: str, after: str) -> bool:
    """May a line end after `before` and the next begin with `after`?"""
    if after.isspace() or after in NO_START or before in NO_END:
        return False
    if before.isspace():
        return True
    return cells(before) == 2 or cells(after) == 2  # beside a CJK character


def breaks(text: str, limit: int) -> list[int]:
    """Offsets in `text` (one paragraph, no newlines) where each line after the first begins,
    so that no line is wider than `limit` cells (unless a single unbreakable run is)."""
    limit = max(limit, 2)
    out: list[int] = []
    start, used, last = 0, 0, -1  # line start, its width so far, latest break opportunity
    i = 0
    while i < len(text):
        ch = text[i]
        if i > start and may_break(text[i - 1], ch):
            last = i
        w = cells(ch)
        # The carried-over part may itself be too wide (「Gemini，，): cut again, at last here.
        while used + w > limit and not ch.isspace() and i > start:
            cut = last if last > start else i
            out.append(cut)
            start = cut
            last = max(
                (k for k in range(start + 1, i + 1) if may_break(text[k - 1], text[k])),
                default=-1,
            )
            used = width(text[start:i])
        used += w
        i += 1
    return out
