"""Story text drawn without Rich's Markdown (prose.py) must look exactly as Rich's Markdown
draws it, and must leave every bit of Markdown to Rich."""

from __future__ import annotations

import functools
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.segment import Segment
from rich.text import Text

from neuripsquest.frontends.tui import prose
from neuripsquest.store.loader import check_world

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (9, 33, 76)


def drawn(renderable: RenderableType, width: int) -> str:
    """The terminal output, styles included (as ANSI codes), of the scene text as SceneText
    puts it together: narration in italics above the prose."""
    console = Console(
        file=io.StringIO(), width=width, record=True, color_system="truecolor", force_terminal=True
    )
    console.print(Group(Text("You said: yes", style="italic"), Text(), renderable))
    out = console.export_text(styles=True)
    assert "You said" in out  # something was drawn: an empty comparison proves nothing
    return out


def same_as_markdown(text: str) -> None:
    for width in WIDTHS:
        want = drawn(Markdown(text, justify="left", hyperlinks=False), width)
        assert drawn(prose.render(text), width) == want, (text, width)


TRICKY_PLAIN = [
    "",
    "\n\n",
    "One line.",
    "A paragraph\nrunning over\nthree lines.",
    "First.\n\nSecond, after a blank line.\n\n\n\nThird, after three.",
    "\n\nLeading blank lines, trailing ones.\n\n",
    "Ends a paragraph with spaces   \n\nand another one ",
    "A very-long-hyphenated-word-that-will-not-fit-in-nine-columns wraps anyway.",
    "Wide 漢字 and emoji 🎉 take two cells each, wrapping by cell width.",
    "Punctuation that is not Markdown: (parens), 'quotes', \"double\", 50% off, a+b, x=1; ok!",
    "Nine 9s mid-line, a - dash mid-line, a # mid-line, a > mid-line.",
]


@pytest.mark.parametrize("text", TRICKY_PLAIN)
def test_plain_text_is_drawn_as_markdown_draws_it(text):
    assert prose.is_plain(text)
    assert isinstance(prose.render(text), prose.Paragraphs)
    same_as_markdown(text)


MARKDOWN = [
    "*emphasis **nested** inside*",
    "**it,**a**a**",  # CommonMark nests these; the patterns alone would pair them otherwise
    "* a list, not emphasis",
    "an *unclosed mark",
    "snake_case",
    "`code`",
    "back\\slash",
    "&amp; an entity",
    "<b>html</b>",
    "[a link](https://example.org)",
    "a | table",
    "~~struck~~",
    "# heading",
    "> a quote",
    "- a list",
    "+ a list",
    "1. a numbered list",
    "Setext\n===",
    "Setext\n---",
    "    indented code",
    "\tindented with a tab",
    "hard break  \nnext line",
    "a tab\tinside",
    "a no-break\u00a0space",
]


@pytest.mark.parametrize("text", MARKDOWN)
def test_anything_markdown_could_read_goes_to_rich(text):
    assert not prose.is_plain(text)
    assert isinstance(prose.render(text), Markdown)
    same_as_markdown(text)


@pytest.mark.parametrize(
    "text",
    ["*emphasis*", "**strong**", "Two *marks* in **one**\nparagraph.\n\nAnd *another*."],
)
def test_bold_and_italic_alone_are_drawn_without_markdown_as_it_draws_them(text):
    assert prose.is_emphasis_prose(text)
    drawn_by = prose.render(text)
    assert isinstance(drawn_by, prose.Paragraphs) and drawn_by.emphasis
    same_cells_as_markdown(text)


def test_every_typewriter_step_of_the_shipped_story_looks_the_same():
    """Each scene's text, cut where the typewriter cuts it, draws the same either way; and
    the typewriter's first words of most scenes need no Markdown (the point of it all)."""
    from neuripsquest.frontends.tui.widgets.scene_text import CHARS_PER_TICK

    world, problems = check_world(ROOT / "world")
    assert world is not None, problems[:3]
    plain = cuts = 0
    opens_plain = 0
    for scene in world.scenes.values():
        text = scene.text
        opens_plain += prose.is_plain(text[: 3 * CHARS_PER_TICK])
        for end in range(0, len(text) + 1, 37):
            cuts += 1
            if prose.is_plain(text[:end]):
                plain += 1
                same_as_markdown(text[:end])
    assert plain > cuts // 3  # the fast path is taken, not just allowed
    assert opens_plain > len(world.scenes) // 2


def test_a_plain_scene_does_not_import_rich_markdown():
    """A new game's first scene, typing out, is on screen with its choices before Rich's
    Markdown is imported (it loads in the background later)."""
    code = """
import asyncio, sys, tempfile
from pathlib import Path
import neuripsquest.frontends.tui.app as tui
from neuripsquest.frontends.tui.screens.game import GameScreen
from neuripsquest.frontends.tui.settings import Settings
from neuripsquest.frontends.tui.widgets.choice_list import ChoiceList
from neuripsquest.frontends.tui.widgets.scene_text import SceneText
from neuripsquest.store.loader import load_world

tui.PRELOAD_AFTER = 600  # the background import is not what this looks at
world = load_world(Path(sys.argv[1]))
seen = []

def first_frame(screen):  # what the game screen's first frame showed
    text = screen.query_one(SceneText)
    choices = screen.query_one(ChoiceList).choices
    seen.append((text.typing, len(choices), "rich.markdown" in sys.modules))

mounted = GameScreen.on_mount

def on_mount(self):
    mounted(self)
    self.call_after_refresh(first_frame, self)

GameScreen.on_mount = on_mount

async def main():
    with tempfile.TemporaryDirectory() as tmp:
        app = tui.make_app(world, 1, Path(tmp), settings=Settings(text_speed="typewriter"))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("n")
            for _ in range(500):
                if seen:
                    break
                await pilot.pause()
    print(*seen[0])

asyncio.run(main())
"""
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "world")],
        capture_output=True,
        text=True,
        env={**os.environ, "NEURIPSQUEST_CACHE": "off", "PYTHONPATH": str(ROOT / "src")},
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    typing, choices, imported = out.stdout.split()
    assert typing == "True" and int(choices) > 0, out.stdout  # the choices show while it types
    assert imported == "False", out.stdout


# ---------------------------------------------------------------- Chinese prose

ZH_LOCALE = ROOT / "world" / "locales" / "zh-Hant"


@functools.cache
def _zh_texts() -> list[str]:
    import yaml

    texts = []
    for path in sorted(ZH_LOCALE.rglob("*.yaml")):
        for key, entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            prose_key = key.split(".")[1] in ("text", "revisit", "extra")
            if prose_key:  # as the game shows it: placeholders filled
                texts.append(re.sub(r"\{[a-z_]+\}", "3", entry["text"]))
    return texts


def _lines(renderable: RenderableType, width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    with console.capture() as cap:
        console.print(renderable)
    return [line.rstrip() for line in cap.get().split("\n")]


def _words(renderable: RenderableType, width: int) -> str:
    return "".join("".join(_lines(renderable, width)).split()).replace("•", "")


def test_every_chinese_scene_text_gets_chinese_line_breaking():
    texts = _zh_texts()
    assert len(texts) > 500
    assert [t[:30] for t in texts if not prose.is_cjk_prose(t)] == []


@pytest.mark.parametrize("width", [76, 30])
def test_chinese_lines_fit_fill_and_keep_punctuation_and_latin_words_whole(width):
    from neuripsquest.frontends.linebreak import NO_START, may_break
    from neuripsquest.frontends.linebreak import width as cells

    latin = set()
    for text in _zh_texts():
        latin |= {w for w in text.replace("*", " ").split() if w.isascii() and w.isalpha()}
        lines = _lines(prose.render(text), width)
        for n, line in enumerate(lines):
            assert cells(line) <= width, line
            body = line.lstrip(" •")
            assert not body or body[0] not in NO_START, line
            nxt = lines[n + 1] if n + 1 < len(lines) else ""
            # the next line goes on this paragraph or list item (not a blank, not a new item)
            following = nxt.lstrip(" ") if line and not nxt.startswith(" • ") else ""
            # a line ends early only where the next unbreakable run (a Latin word, 「Burning」,
            # a character with its closing punctuation) would not fit
            if following:
                end = next(
                    (
                        k
                        for k in range(1, len(following))
                        if may_break(following[k - 1], following[k])
                    ),
                    len(following),
                )
                unit = following[:end].rstrip()
                assert cells(line) + 1 + cells(unit) > width, (line, following)
    # no Latin word of the story was cut in two
    for text in _zh_texts()[:200]:
        flat = " ".join(_lines(prose.render(text), 30))
        for w in latin:
            if w in text and len(w) > 1:
                assert w in flat


def test_chinese_prose_draws_the_words_rich_markdown_means():
    for text in _zh_texts():
        ours = _words(prose.render(text), 60)
        rich = _words(Markdown(text, justify="left", hyperlinks=False), 60)
        assert ours == rich, text[:40]


def test_typing_chinese_prose_keeps_its_layout_through_an_unclosed_bold_mark():
    text = next(t for t in _zh_texts() if "**" in t and len(t) > 200)
    opened = text.index("**") + 3  # inside the first bold span, before it closes
    part = text[:opened]
    shown = prose.render(part, text)
    assert isinstance(shown, prose.CJKProse)
    assert "*" not in "".join(_lines(shown, 60))  # the open mark waits for its text
    assert isinstance(prose.render(text[: text.index("**", opened) + 2], text), prose.CJKProse)


# Texts made of the characters that decide plainness: letters, spaces, line breaks, a tab,
# Markdown's marks and block starts, and a Chinese character.
_DECIDING = st.text(alphabet=" \n\tab#>-1*_`字", max_size=40)


@settings(max_examples=400, deadline=None)
@given(_DECIDING)
def test_every_beginning_of_a_plain_text_is_plain(text):
    """What `render` relies on to test a typed text's plainness once, on the whole: if the
    whole is plain, so is every beginning of it (the typewriter's cuts)."""
    if prose.is_plain(text):
        assert all(prose.is_plain(text[:end]) for end in range(len(text) + 1))


@settings(max_examples=400, deadline=None)
@given(_DECIDING, st.integers(min_value=0, max_value=40))
def test_render_chooses_for_a_typed_beginning_as_it_did_before_it_remembered(text, end):
    """The layout `render` picks for the part typed so far is the one the uncached rule picks:
    Chinese prose on the whole text, else plain paragraphs when the typed part is plain."""
    typed = text[:end]
    got = prose.render(typed, text)
    if prose.is_cjk_prose(text):
        assert type(got) is prose.CJKProse
    elif prose.is_plain(typed):
        assert type(got) is prose.Paragraphs and not got.emphasis
    elif prose.is_emphasis_prose(text):
        assert type(got) is prose.Paragraphs and got.emphasis
    else:
        assert type(got) is Markdown
    assert type(prose.render(text)) is type(prose.render(text, text))


def cells(renderable: RenderableType, width: int) -> list[list[Segment]]:
    """What a terminal shows, cell by cell: each line's runs of text with their styles,
    neighbours of one style joined (Textual draws a run of segments of one style as one)."""
    console = Console(width=width, color_system="truecolor", force_terminal=True)
    group = Group(Text("You said: yes", style="italic"), Text(), renderable)
    lines = console.render_lines(group, console.options.update(width=width), pad=False)
    out = [list(Segment.simplify(line)) for line in lines]
    assert out[0] and out[0][0].text.startswith("You said")  # something was drawn
    return out


def same_cells_as_markdown(text: str, whole: str | None = None) -> None:
    for width in WIDTHS:
        want = cells(Markdown(text, justify="left", hyperlinks=False), width)
        assert cells(prose.render(text, whole), width) == want, (text, width)


_WORD = st.sampled_from(["a", "bb", "what's", "it,", "(x)", "y.", '"q"', "z-z", "9", "—"])
_MARKED = st.lists(_WORD, min_size=1, max_size=3).flatmap(
    lambda ws: st.sampled_from(["", "*", "**"]).map(lambda m: m + " ".join(ws) + m)
)
_EMPHASISED = st.lists(
    st.tuples(_MARKED, st.sampled_from([" ", " ", "\n", "\n\n", "", ", "])),
    min_size=1,
    max_size=6,
).map(lambda parts: "".join(a + b for a, b in parts))


@settings(max_examples=600, deadline=None)
@given(_EMPHASISED)
def test_text_taken_for_emphasis_prose_is_drawn_as_markdown_draws_it(text):
    """Bold and italic drawn without Markdown look, cell by cell, as Rich's Markdown draws
    them, whenever `is_emphasis_prose` takes a text (nested or mispaired marks it refuses:
    `**it,**a**a**` pairs as CommonMark reads it, not as the patterns would)."""
    if prose.is_emphasis_prose(text):
        same_cells_as_markdown(text)


def test_the_shipped_scenes_with_emphasis_type_out_as_markdown_draws_them():
    """Half the shipped scenes have *emphasis*; they were parsed as Markdown at every tick of
    the typewriter. Each is now drawn without it, the same cells at every typewriter cut
    whose marks are all closed; where the typing has opened a mark it has not closed yet,
    the mark waits (no stray asterisk flickers in)."""
    from neuripsquest.format.emphasis import stray_stars

    world, problems = check_world(ROOT / "world")
    assert world is not None, problems[:3]
    emphasised = [sc.text for sc in world.scenes.values() if prose.is_emphasis_prose(sc.text)]
    assert len(emphasised) > len(world.scenes) // 3
    for text in emphasised:
        same_cells_as_markdown(text)
        for end in range(0, len(text) + 1, 97):
            typed = text[:end]
            if not stray_stars(typed):
                same_cells_as_markdown(typed, text)
            else:
                drawn_cells = cells(prose.render(typed, text), 76)
                assert "*" not in "".join(seg.text for line in drawn_cells for seg in line)
