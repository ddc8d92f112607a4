"""Story text (Markdown) as a Rich renderable, without Rich's Markdown when it is not needed.

Importing `rich.markdown` costs ~0.1 s (markdown-it, pygments), and a new game's first scene
must not wait for it: with the typewriter the scene opens on its first words, and those, like
much of the prose, have no Markdown in them. Text with nothing Markdown could read as syntax
is drawn here as the paragraphs Rich's Markdown would draw (tests/tui/test_prose.py renders
both and compares); anything else goes to Rich's Markdown. The test for "nothing Markdown
could read" is deliberately coarse: a false "not plain" only costs the import.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text

# Characters that can start Markdown syntax anywhere in a line: emphasis, code, escapes,
# entities, HTML and autolinks, links and images, tables, strikethrough.
SYNTAX = frozenset("*_`\\&<[]|~")
# Line starts that open a block: headings, quotes, lists, rules, setext underlines (digits:
# ordered lists).
BLOCK_START = frozenset("#>-+=0123456789")


def is_plain(text: str) -> bool:
    """True when Rich's Markdown would show `text` as paragraphs of its own words: no syntax
    character, no line that could open a block, no indentation, no hard line break (trailing
    spaces are allowed only where a paragraph ends, where Markdown drops them)."""
    if not SYNTAX.isdisjoint(text):
        return False
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line:
            continue
        if line[0] in BLOCK_START or line[0].isspace():
            return False
        body = line.rstrip(" ")
        if body != line and i + 1 < len(lines) and lines[i + 1]:
            return False  # two spaces would be a hard break, one is dropped: not worth it
        if any(ch.isspace() and ch != " " for ch in body) or "\0" in body:
            return False  # tabs, non-breaking and other spaces Markdown treats its own way
    return True


class Paragraphs:
    """Plain paragraphs drawn as Rich's Markdown draws them: each wrapped on its own, left
    justified, one blank line between; the lines of a paragraph run together."""

    def __init__(self, text: str) -> None:
        self.paragraphs: list[str] = []
        lines: list[str] = []
        for line in [*text.split("\n"), ""]:
            if line:
                lines.append(line.rstrip(" "))
            elif lines:
                self.paragraphs.append(" ".join(lines))
                lines = []

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator:
        options = options.update(height=None)
        for i, para in enumerate(self.paragraphs):
            if i:
                yield Segment.line()
            yield from console.render(Text(para, justify="left"), options)


def render(text: str) -> RenderableType:
    """`text` (Markdown) for a Static: plain paragraphs, or Rich's Markdown when it has any."""
    if is_plain(text):
        return Paragraphs(text)
    from rich.markdown import Markdown

    return Markdown(text, justify="left", hyperlinks=False)


def preload() -> None:
    """Import Rich's Markdown now (from a worker thread, while nothing waits on it)."""
    import rich.markdown  # noqa: F401
