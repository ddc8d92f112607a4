"""The game screen's line of keys (widgets/key_bar.py), which took the place of Textual's
Footer: the keys it shows come and go with the screen's bindings, a click presses a key, and
the keys are on the first frame of a scene. Its cells are the Footer's: the snapshots hold
that at 80x24 and 60x20, in English and Chinese."""

from __future__ import annotations

from neuripsquest.frontends.tui.screens.game import GameScreen
from neuripsquest.frontends.tui.screens.help import HelpScreen
from neuripsquest.frontends.tui.widgets.key_bar import KeyBar

from .helpers import SIZE, build, on_screen, screen_text, until

GAME_KEYS = ["Undo", "Save", "Load", "Journal", "Map", "Panel", "Help", "Quit"]


def bottom_row(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_the_keys_follow_the_bindings_and_a_click_presses_one(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        bar = app.screen.query_one(KeyBar)
        shown, palette = bar.keys()
        assert [k.description for k in shown] == GAME_KEYS
        assert palette is not None and palette.shown == "^p"
        row = bottom_row(app)
        assert row.startswith("u Undo s Save l Load j Journal")
        assert row.endswith("▏^p palette")
        # the column of "Help" on the bar: a click there opens the help window
        await pilot.click(KeyBar, offset=(row.index("Help"), 0))
        await on_screen(pilot, HelpScreen)


async def test_at_a_typed_question_the_bar_shows_the_keys_for_it(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "5")  # the mini world's question
        await until(pilot, lambda: "Game keys" in bottom_row(app), "Esc for the game keys")
        assert "Undo" not in bottom_row(app)  # the answer box has the keys: letters type
        await pilot.press("escape")  # out of the box: the game's keys again, Tab back in
        await until(pilot, lambda: "Undo" in bottom_row(app), "the game keys")
        assert "Answer" in bottom_row(app) and "Game keys" not in bottom_row(app)


async def test_narrow_the_bar_drops_the_palette_key(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        _shown, palette = app.screen.query_one(KeyBar).keys()
        assert palette is None and "palette" not in bottom_row(app)
        assert bottom_row(app).endswith("q Quit")
