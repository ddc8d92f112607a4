"""Markdown prose as plain text for plain mode: paragraphs unwrapped, emphasis marks gone.

Screen readers say "star star" for `**`, and braille displays and terminals wrap lines
themselves, so a writer's line breaks inside a paragraph only get in the way. List items and
blank lines keep their own lines.
"""

from __future__ import annotations

import re

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPH = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
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
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    text = "\n".join(out)
    text = _STRONG.sub(r"\2", text)
    text = _EMPH.sub(r"\2", text)
    return _CODE.sub(r"\1", text)
