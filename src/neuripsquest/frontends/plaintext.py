"""Markdown prose as plain text for plain mode: paragraphs unwrapped, emphasis marks gone;
and `wrap`, which breaks lines by display width the way Chinese is set.

Screen readers say "star star" for `**`, and braille displays and terminals wrap lines
themselves, so a writer's line breaks inside a paragraph only get in the way. List items and
blank lines keep their own lines. Chinese has no spaces between words: a writer's line break
between two Chinese characters joins them without one.
"""

from __future__ import annotations

import re

from neuripsquest.frontends.linebreak import breaks, joint

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
            out[-1] = f"{out[-1]}{joint(out[-1], line)}{line}"
        else:
            out.append(line)
    text = "\n".join(out)
    text = _STRONG.sub(r"\2", text)
    text = _EMPH.sub(lambda m: m.group(2) if m.group(1) else m.group(4), text)
    return _CODE.sub(r"\1", text)


def wrap(text: str, width: int) -> str:
    """`text` with each line broken to at most `width` cells by `linebreak.breaks`: between
    any two Chinese characters or at spaces, never inside a Latin word (unless one word is
    wider than the line), never with closing punctuation (，。」) at the start of a line or
    opening punctuation (「) at the end of one."""
    width = max(width, 4)
    out = []
    for para in text.split("\n"):
        cuts = [0, *breaks(para, width), len(para)]
        lines = [para[a:b].rstrip() for a, b in zip(cuts, cuts[1:], strict=False)]
        out += lines[:1] + [line.lstrip() for line in lines[1:]]
    return "\n".join(out)
