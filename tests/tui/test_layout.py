"""Layout: usable at 80x24, still usable at 60x20, resizes never crash, long scenes scroll,
wide (CJK) characters wrap by cell width."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.geometry import Region

from neuripsquest.frontends.tui.screens.ending import EndingScreen
from neuripsquest.frontends.tui.screens.game import GameScreen
from neuripsquest.frontends.tui.widgets.scene_text import SceneText

from .conftest import CJK_TEXT
from .helpers import SIZE, build, on_screen, screen_text, until

SIZES = [(60, 20), (20, 6), (200, 60), (80, 24)]
EXTREMES = [(60, 20), (40, 12), (20, 6), (1, 1), (200, 60), (80, 24)]


async def resize_through(pilot, sizes=SIZES) -> None:
    for w, h in sizes:
        await pilot.resize_terminal(w, h)
        await pilot.pause()
        screen_text(pilot.app)  # draw it


@pytest.mark.slow
async def test_resizes_never_crash_on_any_screen(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await resize_through(pilot, EXTREMES)  # title
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        await resize_through(pilot, EXTREMES)  # choices
        for key in ("j", "m", "s", "o"):
            await pilot.press(key)
            await resize_through(pilot)  # each window over the game
            await pilot.press("escape")
            await on_screen(pilot, GameScreen)
        await pilot.press("5")
        await resize_through(pilot)  # the typed question
        await pilot.press(*"3", "enter")
        await on_screen(pilot, EndingScreen)
        await resize_through(pilot)  # the ending
        assert "THE END" in screen_text(app)


async def test_at_60x20_the_panel_folds_and_everything_still_fits(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        assert "New game" in screen_text(app) and "Quit" in screen_text(app)
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        text = screen_text(app)
        # folded: not even made (it is mounted the first time it shows)
        assert not app.screen.query("#side")
        for line in ("Start", "Hall · Mon morning", "5. Ask the question", "q Quit"):
            assert line in text, line


async def test_long_scenes_scroll(long_world, tmp_path):
    app = build(long_world, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        scroll = app.screen.query_one("#scene-scroll")
        await until(pilot, lambda: scroll.max_scroll_y > 20, "a scrollable scene")
        assert scroll.scroll_y == 0
        await pilot.press("pagedown")
        await until(pilot, lambda: scroll.scroll_y > 0, "the page down")
        assert "1. Walk to the expo" in screen_text(app)  # choices stay in view
        await pilot.press("1")
        await until(pilot, lambda: scroll.scroll_y == 0, "the next scene from its top")


async def test_wide_characters_wrap_by_cell_width(cjk_world, tmp_path):
    app = build(cjk_world, tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        widget = app.screen.query_one(SceneText)
        width = widget.content_region.width
        assert 40 <= width <= 60
        strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
        lines = [s.text.rstrip() for s in strips if s.text.strip()]
        assert len(lines) > 5
        assert all(cell_len(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == CJK_TEXT  # nothing lost, nothing cut
        assert "会場" in screen_text(app)


async def test_side_panel_shows_the_hinton_thread_when_the_world_has_one(long_world, tmp_path):
    app = build(long_world, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        text = screen_text(app)
        assert "Hinton thread" in text and "● ○ ○ ○ ○ ○ 1/6" in text
        assert "Energy" in text and "5/10" in text
        await pilot.press("1")
        await until(pilot, lambda: "● ● ○ ○ ○ ○ 2/6" in screen_text(app), "the thread to grow")
        assert "Hinton thread +1 (now 2)" in app.notice_log


@pytest.mark.parametrize(
    ("size", "classes"),
    [
        ((60, 20), {"-narrow", "-short"}),
        ((80, 24), {"-medium", "-tall"}),
        ((120, 40), {"-wide", "-tall"}),
    ],
)
async def test_the_game_screen_is_made_with_the_breakpoint_classes_of_the_terminal(
    mini, tmp_path, size, classes
):
    """Made with them, not given them at its first resize, when a change of class would
    restyle the whole screen after its first frame (drawn without the narrow rules)."""
    app = build(mini, tmp_path)
    async with app.run_test(size=size):
        screen = GameScreen("auto")  # not yet mounted, never resized
        assert classes <= set(screen.classes)
        others = {"-narrow", "-medium", "-wide", "-short", "-tall"} - classes
        assert not others & set(screen.classes)


@pytest.mark.parametrize("label", ["Guess Who questions", "「猜猜是誰」提問次數"])
def test_a_stat_label_too_long_for_its_column_gets_a_line_of_its_own(label):
    """Cut to the column it would read "「猜猜是 …", which tells the reader nothing."""
    from neuripsquest.frontends.tui.frame import StatLine
    from neuripsquest.frontends.tui.widgets.side_panel import LABEL, stat_row

    assert cell_len(label) > LABEL
    first, second = stat_row(StatLine("gw", label, 3, 0, 8, False), 26).plain.split("\n")
    assert first == label and second.endswith("3/8") and "━" in second
    short = stat_row(StatLine("energy", "Energy", 7, 0, 10, False), 26).plain
    assert "\n" not in short and short.startswith("Energy ") and short.endswith("7/10")
    assert cell_len(short) == cell_len(second) == 26  # the bars line up
