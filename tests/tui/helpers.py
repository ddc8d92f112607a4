"""Shared helpers for the TUI tests: building the app, reading the screen as text, waiting."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from rich.cells import cell_len
from textual import events
from textual.keys import key_to_character
from textual.pilot import Pilot

from neuripsquest.frontends.tui.app import QuestApp, make_app
from neuripsquest.frontends.tui.settings import Settings

SIZE = (80, 24)
CALM = Settings(theme="textual-dark", text_speed="instant", reduced_motion=True)


def build(world, saves: Path, **kw) -> QuestApp:
    """The app as the tests run it: fixed seed, instant text, no motion, no echo pause."""
    kw.setdefault("settings", CALM)
    kw.setdefault("echo_delay", 0)
    kw.setdefault("autosave_delay", 0)
    return make_app(world, kw.pop("seed", 1), saves, **kw)


# A run of text in the SVG that App.export_screenshot writes (Rich's Console.export_svg): its
# x is its first column times the width of a character, its clip path names its line.
_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([0-9.]+)" y="[^"]*" textLength="[^"]*" '
    r'clip-path="url\(#[^)"]*-line-(\d+)\)">([^<]*)</text>'
)
_SVG_CELL = 20 * 0.61  # export_svg's character: 20 px high, 0.61 as wide as high


def screen_text(app: QuestApp) -> str:
    """What the terminal shows right now, as plain text (windows over their screen included),
    read back from Textual's public screenshot: one line per row, a wide character once."""
    width, height = app.size
    rows = [[" "] * width for _ in range(height)]
    svg = app.export_screenshot(simplify=True)
    runs = _SVG_TEXT.findall(svg)
    if len(runs) != svg.count("<text ") - 1:  # every run but the window's title
        raise AssertionError("screen_text cannot read this export_screenshot: its SVG changed")
    for x, line, run in runs:
        row, col = rows[int(line)], round(float(x) / _SVG_CELL)
        for char in html.unescape(run).replace("\xa0", " "):  # spaces come as no-break ones
            cells = cell_len(char)
            if col + cells <= width:
                row[col : col + cells] = [char, *[""] * (cells - 1)]
            col += cells
    return "\n".join("".join(row).rstrip() for row in rows)


async def until(pilot: Pilot, cond: Callable[[], bool], what: str = "", tries: int = 200) -> None:
    """Wait on a condition (never a fixed sleep): up to `tries` idle cycles."""
    for _ in range(tries):
        if cond():
            return
        await pilot.pause()
    raise AssertionError(f"timed out waiting for {what or cond}")


async def on_screen(pilot: Pilot, cls: type) -> None:
    """Wait until a screen of this class is up, mounted and drawn."""
    app = pilot.app

    def ready() -> bool:
        return (
            isinstance(app.screen, cls) and app.screen.is_mounted and bool(screen_text(app).strip())
        )

    await until(pilot, ready, cls.__name__)


# The key names Textual's drivers give the punctuation the tests type (textual.keys keeps its
# own character-to-key table private).
PUNCTUATION = {"-": "minus", "$": "dollar_sign", ".": "full_stop", " ": "space"}


async def burst(pilot: Pilot, *keys: str) -> None:
    """Send keys as a fast typist or a pasted macro would: all at once, 0 ms apart, without
    waiting between them (Pilot.press waits for the app to settle after each key), then wait
    until every one of them has been dealt with."""
    app = pilot.app
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key, char = PUNCTUATION[key], key
        else:
            char = key_to_character(key)
        app.post_message(events.Key(key, char))  # where the terminal driver puts them too
    await until(pilot, lambda: app.keys_waiting == 0 and app.is_settled(), "the keys to settle")
    await pilot.pause()
