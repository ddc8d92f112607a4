"""Shared helpers for the TUI tests: building the app, reading the screen as text, waiting."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
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


async def burst(pilot: Pilot, *keys: str) -> None:
    """Send keys as a fast typist or a pasted macro would: all at once, 0 ms apart, without
    waiting between them (Pilot.press waits for the app to settle after each key), then wait
    until every one of them has been dealt with."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    app = pilot.app
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            name = _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
            char: str | None = unicodedata.lookup(name)
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
    await until(pilot, lambda: not app._key_backlog and app._settled(), "the keys to settle")
    await pilot.pause()
