"""The shipped world, played through the app with keys only, to an ending. Skipped while the
world does not check clean (the writers are editing it); no scene ids are assumed."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from neuripsquest.loader import check_world
from neuripsquest.tui.screens.ending import EndingScreen
from neuripsquest.tui.screens.game import GameScreen

from ..conftest import WORLD
from .helpers import build, on_screen, screen_text


@pytest.fixture(scope="module")
def shipped():
    world, problems = check_world(WORLD)
    if world is None:
        pytest.skip(f"world/ does not check clean yet ({len(problems)} problems)")
    return world


async def test_the_shipped_world_plays_to_an_ending_with_keys_only(shipped, tmp_path):
    app = build(shipped, tmp_path, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        assert "Hinton thread" in screen_text(app)  # the shipped world has the thread
        for _ in range(400):
            screen = app.screen
            if isinstance(screen, EndingScreen):
                break
            f = screen.frame
            if f.prompt is not None:
                screen.query_one(Input).value = ""
                await pilot.press(*"$100M", "enter")
            else:
                # the last enabled choice tends to move the story on rather than linger
                pick = [c for c in f.choices if c.enabled and c.number <= 9][-1]
                await pilot.press(str(pick.number))
        await on_screen(pilot, EndingScreen)
        assert "THE END" in screen_text(app)
        assert app.screen.ending.found_count == 1
        assert len(app.screen.ending.found) == len(shipped.endings)
