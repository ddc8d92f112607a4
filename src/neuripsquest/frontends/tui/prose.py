"""Story text (Markdown) as a Rich renderable, without Rich's Markdown when it is not needed.

Importing `rich.markdown` costs ~0.1 s (markdown-it, pygments), and a new game's first scene
must not wait for it: with the typewriter the scene opens on its first words, and those, like
much of the prose, have no Markdown in them. Text with nothing Markdown could read as syntax
is drawn here as the paragraphs Rich's Markdown would draw (tests/tui/test_prose.py renders
both and compares); anything else goes to Rich's Markdown. The test for "nothing Markdown
could read" is deliberately coarse: a false "not plain" only costs the import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.segment import Segment
from rich.styled import Styled
from rich.text import Text

from neuripsquest.format.emphasis import emphasis_pairs, stray_stars
from neuripsquest.frontends.linebreak import breaks, joint, mostly_wide

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
    justified, one blank line between; the lines of a paragraph run together. With
    `emphasis`, bold and italic marks are drawn as Markdown draws them (`is_emphasis_prose`
    says when that is all the Markdown a text has)."""

    def __init__(self, text: str, emphasis: bool = False) -> None:
        self.paragraphs: list[str] = []
        self.emphasis = emphasis
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
            text = _inline(para) if self.emphasis else Text(para, justify="left")
            yield from console.render(text, options)


def is_emphasis_prose(text: str) -> bool:
    """Text whose only Markdown is bold and italic (`**`, `*`), every mark one CommonMark
    reads and none inside another: half the shipped scenes. `Paragraphs` draws them with the
    marks as styles, as Rich's Markdown would, without parsing Markdown at every tick of the
    typewriter (~0.6 ms a tick on a long scene, before Rich drew the result)."""
    if "*" not in text or "***" in text or stray_stars(text):
        return False
    # Nothing else Markdown would read. (A "* " list item is refused twice over: its star is
    # stray, and without it the line starts with a space.)
    if not is_plain(text.replace("*", "")):
        return False
    return all(_exact(para) for para in Paragraphs(text).paragraphs)


def _exact(para: str) -> bool:
    """The marks `_inline` draws are the emphasis CommonMark reads: the same pairs of runs,
    none inside another."""
    pairs = emphasis_pairs(para)
    if pairs is None:
        return False
    spans = sorted(pairs)
    apart = all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    return apart and spans == [(a, b) for a, b, _, _ in _marks(para)]


# The Markdown a translated story uses: bold, italic, and items of a list ("- " lines).
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
_OTHER_SYNTAX = frozenset("_`\\&<[]|~")


def is_cjk_prose(text: str) -> bool:
    """Text written in Chinese (English with a few wide characters keeps Rich's
    word wrapping) whose only Markdown is bold, italic and "- " list items, with every
    mark one CommonMark would read (so `CJKProse` draws what Rich's Markdown would mean)."""
    if not mostly_wide(text) or not _OTHER_SYNTAX.isdisjoint(text) or stray_stars(text):
        return False
    for line in text.split("\n"):
        if line and (line[0] in BLOCK_START and not line.startswith("- ") or line[0].isspace()):
            return False
    return True


class CJKProse:
    """Chinese paragraphs and list items, broken between characters by display width
    (`linebreak.breaks`): Rich breaks lines only at spaces, so a paragraph with one Latin
    word in it would break there and leave half a line empty."""

    def __init__(self, text: str) -> None:
        self.blocks: list[tuple[bool, Text]] = []  # (list item?, its text)
        lines: list[str] = []
        for line in [*text.split("\n"), ""]:
            if line.startswith("- ") or not line:
                if lines:
                    self.blocks.append((False, _inline(_join(lines))))
                    lines = []
                if line:
                    self.blocks.append((True, _inline(line[2:].strip())))
            else:
                lines.append(line.strip())

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator:
        options = options.update(height=None)
        width = options.max_width
        for i, (item, text) in enumerate(self.blocks):
            if i and not (item and self.blocks[i - 1][0]):
                yield Segment.line()  # a blank line between paragraphs, not list items
            indent = 3 if item else 0
            for j, line in enumerate(text.divide(breaks(text.plain, width - indent))):
                line.rstrip()
                if item:
                    line = Text(" • " if j == 0 else "   ") + line
                line.end = "\n"
                yield from console.render(line, options)


def _join(lines: list[str]) -> str:
    """A paragraph's lines run together (`linebreak.joint`, as plain mode joins them)."""
    out = lines[0]
    for line in lines[1:]:
        out += joint(out, line) + line
    return out


def _marks(text: str) -> list[tuple[int, int, str, str]]:
    """The bold and italic marks the patterns find, in order: (start, end, the text inside,
    its style). Italic is looked for with the bold marks blanked out."""
    bold = [(m.start(), m.end(), m.group(1), "markdown.strong") for m in _BOLD.finditer(text)]
    masked = _BOLD.sub(lambda b: "\0" * len(b.group()), text)
    italic = [(m.start(), m.end(), m.group(1), "markdown.em") for m in _ITALIC.finditer(masked)]
    return sorted(bold + italic)


def _inline(text: str) -> Text:
    """Bold and italic marks as styles. A mark that closes nothing can only be one the
    typewriter has not reached the end of yet (`is_cjk_prose` refuses any other): it is left
    out until its text is typed."""
    for at in reversed(stray_stars(text)):
        text = text[:at] + text[at:].lstrip("*")
    out = Text(justify="left")
    pos = 0
    for a, b, inner, style in _marks(text):
        if a < pos:
            continue
        out.append(text[pos:a])
        out.append(inner, style=style)
        pos = b
    out.append(text[pos:])
    return out


def render(text: str, whole: str | None = None) -> RenderableType:
    """`text` (Markdown) for a Static: plain paragraphs (with their bold and italic, when that
    is all their Markdown), Chinese prose, or Rich's Markdown.
    `whole` is the text `text` begins (the typewriter's part so far): Chinese prose is
    decided on it, so a bold mark the typing has opened but not yet closed keeps the layout
    the finished text will have."""
    if whole is None:
        whole = text
    # Each test reads every character, and the typewriter asks 40 times a second about the
    # same whole text: each is worked out once per text (with the emphasis path below, a
    # tick over the shipped scenes went from 421 to 227 us).
    if _is_cjk_prose(whole):
        return CJKProse(text)
    # Every beginning of a plain text is plain (the same characters and line starts, and in
    # the whole a line that ends in spaces is followed by an empty one or none), so only a
    # text that is not plain as a whole is tested as far as it is typed.
    if _is_plain(whole) or is_plain(text):
        return Paragraphs(text)
    if _is_emphasis_prose(whole):
        return Paragraphs(text, emphasis=True)
    from rich.markdown import Markdown

    return Markdown(text, justify="left", hyperlinks=False)


_is_cjk_prose = functools.lru_cache(maxsize=16)(is_cjk_prose)
_is_plain = functools.lru_cache(maxsize=16)(is_plain)
_is_emphasis_prose = functools.lru_cache(maxsize=16)(is_emphasis_prose)


def narration(said: Sequence[str]) -> RenderableType:
    """What the last step said (a choice's reply, a random outcome, an amount said back), in
    italics, each drawn as the scene's prose is: the lines of a paragraph run together, so a
    writer's line breaks in a reply's YAML are not the player's."""
    return Styled(Group(*(render(text.strip()) for text in said)), "italic")


def preload() -> None:
    """Import Rich's Markdown now (from a worker thread, while nothing waits on it)."""
    import rich.markdown  # noqa: F401
