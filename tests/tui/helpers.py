"""Shared helpers for the TUI tests: building the app, reading the screen as text, waiting."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot

from neuripsquest.tui.app import QuestApp, make_app
from neuripsquest.tui.settings import Settings

SIZE = (80, 24)
CALM = Settings(theme="textual-dark", text_speed="instant", reduced_motion=True)


def build(world, saves: Path, **kw) -> QuestApp:
    """The app as the tests run it: fixed seed, instant text, no motion, no echo pause."""
    kw.setdefault("settings", CALM)
    kw.setdefault("echo_delay", 0)
    kw.setdefault("autosave_delay", 0)
    return make_app(world, kw.pop("seed", 1), saves, **kw)


def screen_text(app: QuestApp) -> str:
    """What the terminal shows right now, as plain text (windows over their screen included)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


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
