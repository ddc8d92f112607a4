"""Markdown prose as plain text for plain mode: paragraphs unwrapped, emphasis marks gone;
and `wrap`, which breaks lines by display width the way Chinese is set.

Screen readers say "star star" for `**`, and braille displays and terminals wrap lines
themselves, so a writer's line breaks inside a paragraph only get in the way. List items and
blank lines keep their own lines. Chinese has no spaces between words: a writer's line break
between two Chinese characters joins them without one.
"""

from __future__ import annotations

import re
import unicodedata

from neuripsquest.i18n import is_wide

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# `*` may sit against a Chinese character (there are no spaces to put around it) but not
# inside a Latin word; `_` only ever between spaces or punctuation, as CommonMark has it.
_EMPH = re.compile(
    r"(?<![A-Za-z0-9*])(\*)(?=[^\s*])(.+?)(?<=[^\s*])\*(?![A-Za-z0-9*])"
    r"|(?<![\w*])(_)(?=\S)(.+?)(?<=\S)_(?![\w*])"
)
_CODE = re.compile(r"`([^`]+)`")


def to_plain(markdown: str) -> str:
    out: list[str] = []
    for raw in markdown.strip().splitlines():
        line = raw.strip()
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        starts_item = bool(_LIST_ITEM.match(line))
        if out and out[-1] != "" and not starts_item and not raw.endswith("  "):
            joint = "" if is_wide(out[-1][-1]) and is_wide(line[0]) else " "
            out[-1] = f"{out[-1]}{joint}{line}"
        else:
            out.append(line)
    text = "\n".join(out)
    text = _STRONG.sub(r"\2", text)
    text = _EMPH.sub(lambda m: m.group(2) if m.group(1) else m.group(4), text)
    return _CODE.sub(r"\1", text)


def cells(text: str) -> int:
    """Display width: wide characters take two cells, combining marks none."""
    return sum(2 if is_wide(c) else 0 if unicodedata.combining(c) else 1 for c in text)


# Punctuation that may not begin a line (it closes what came before), and that may not end
# one (it opens what comes after): the core of the Chinese and Japanese line-breaking rules.
_NO_START = set("，。、；：？！」』）》〉】〕…‥—～・﹐﹑,.;:!?)]}%")
_NO_END = set("「『（《〈【〔([{")


def wrap(text: str, width: int) -> str:
    """`text` with each line broken to at most `width` cells: between any two Chinese
    characters or at spaces, never inside a Latin word (unless one word is wider than the
    line), and never with closing punctuation (，。」) at the start of a line or opening
    punctuation (「) at the end of one."""
    width = max(width, 4)
    return "\n".join(line for para in text.split("\n") for line in _wrap_line(para, width))


def _wrap_line(para: str, width: int) -> list[str]:
    tokens = _tokens(para)
    for k, t in enumerate(tokens):  # a Latin word wider than the whole line is cut
        if not t.isspace() and cells(t) > width:
            tokens[k : k + 1] = [t[i : i + width] for i in range(0, len(t), width)]
    lines: list[list[str]] = [[]]
    used = 0
    for tok in tokens:
        line = lines[-1]
        if tok.isspace():
            if line:
                line.append(tok)
                used += cells(tok)
            continue
        if used + cells(tok) <= width or not line:
            line.append(tok)
            used += cells(tok)
            continue
        carried: list[str] = []
        # a closing mark must not start the next line: take the word before it along (and
        # the one before that, when it is a closing mark too: ?」)
        if tok[0] in _NO_START:
            while len(line) > 1 and (not carried or carried[0][0] in _NO_START):
                carried.insert(0, line.pop())
        while line and line[-1].isspace():
            line.pop()
        # an opening mark must not end this line
        while len(line) > 1 and line[-1][-1] in _NO_END:
            carried.insert(0, line.pop())
        lines.append([*carried, tok])
        used = sum(cells(t) for t in lines[-1])
    out = ["".join(line).rstrip() for line in lines]
    return out[:1] + [line.lstrip() for line in out[1:]]


def _tokens(para: str) -> list[str]:
    """A run of spaces, a run of narrow characters (a Latin word with its punctuation), or
    one wide character: the places a line may break are between tokens."""
    out: list[str] = []
    kind = ""
    for ch in para:
        now = "s" if ch.isspace() else "w" if is_wide(ch) else "n"
        if out and now == kind and now != "w":
            out[-1] += ch
        else:
            out.append(ch)
        kind = now
    return out
