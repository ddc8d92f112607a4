"""The debug window (`play --debug`, Shift+D) on the mini world: open it, set values, jump;
and without --debug, no key or command reaches it."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static

from neuripsquest.frontends.tui.screens.debug import DebugScreen
from neuripsquest.frontends.tui.screens.ending import EndingScreen
from neuripsquest.frontends.tui.screens.game import GameScreen
from neuripsquest.frontends.tui.screens.help import HelpScreen
from neuripsquest.frontends.tui.widgets.side_panel import SidePanel

from .helpers import SIZE, build, on_screen, screen_text, until

WIDE = (110, 30)  # the side panel shows from 100 columns


async def start(pilot) -> None:
    await pilot.press("n")
    await on_screen(pilot, GameScreen)


async def type_into(pilot, selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)
    await pilot.press("enter")


def panel_row(app, label: str) -> str:
    """The side panel's row for a stat, as the terminal shows it."""
    region = app.screen.query_one(SidePanel).region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return next(r[region.x : region.right].strip() for r in rows if label in r[region.x :])


async def test_shift_d_opens_it_and_a_value_set_shows_in_the_game(mini, tmp_path):
    app = build(mini, tmp_path, debugging=True)
    async with app.run_test(size=WIDE) as pilot:
        await start(pilot)
        assert panel_row(app, "Energy").endswith(" 3/5")
        await pilot.press("D")
        await on_screen(pilot, DebugScreen)
        text = screen_text(app)
        assert "energy=3" in text and "met=false" in text and "Mon morning (day=1" in text
        await type_into(pilot, "#debug-set", "energy=2 met=true")
        await until(pilot, lambda: app.state.stats[0] == 2, "energy set")
        assert app.state.flags == mini.symbols.flags["met"]
        assert isinstance(app.screen, DebugScreen)  # it stays up for more changes
        await until(pilot, lambda: "energy=2" in screen_text(app), "the listing again")
        assert "met=true" in screen_text(app)
        await pilot.press("escape")
        await on_screen(pilot, GameScreen)
        assert "You have 2 energy on Mon morning." in screen_text(app)
        assert "Energy -1 (now 2)" in screen_text(app)
        assert panel_row(app, "Energy").endswith(" 2/5")
        # one undoable step, as a choice is
        await pilot.press("u")
        await until(pilot, lambda: app.state.stats[0] == 3, "undone")
        assert not app.state.flags


async def test_a_mistake_is_said_in_the_window_and_changes_nothing(mini, tmp_path):
    app = build(mini, tmp_path, debugging=True)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        before = app.state
        await pilot.press("D")
        await on_screen(pilot, DebugScreen)
        await type_into(pilot, "#debug-set", "energy=9")
        said = app.screen.query_one("#debug-said", Static)
        await until(pilot, lambda: "outside its range 0 to 5" in str(said.render()), "the error")
        assert app.state is before and isinstance(app.screen, DebugScreen)
        await type_into(pilot, "#debug-jump", "rch")
        await until(pilot, lambda: "did you mean 'rich'" in str(said.render()), "a hint")
        assert app.state is before


async def test_jump_by_picking_a_scene_shows_its_title(mini, tmp_path):
    app = build(mini, tmp_path, debugging=True)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("D")
        await on_screen(pilot, DebugScreen)
        await type_into(pilot, "#debug-jump", "number")  # words of a title find the scene
        await on_screen(pilot, GameScreen)
        assert app.state.scene == "ask" and app.state.turn == 1
        assert "Number" in screen_text(app) and "Your number?" in screen_text(app)
        # Esc leaves the answer box; then Shift+D opens the window again and the list jumps
        await pilot.press("escape", "D")
        await on_screen(pilot, DebugScreen)
        scenes = app.screen.query_one("#debug-scenes", OptionList)
        scenes.focus()
        scenes.highlighted = next(
            i for i in range(scenes.option_count) if scenes.get_option_at_index(i).id == "rich"
        )
        await pilot.press("enter")
        await on_screen(pilot, EndingScreen)
        assert app.state.scene == "rich" and "Rich" in screen_text(app)


async def test_picking_a_value_offers_it_to_change(mini, tmp_path):
    app = build(mini, tmp_path, debugging=True)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("D")
        await on_screen(pilot, DebugScreen)
        values = app.screen.query_one("#debug-values", OptionList)
        values.focus()
        row = next(
            i
            for i in range(values.option_count)
            if "met=false" in str(values.get_option_at_index(i).prompt)
        )
        values.highlighted = row
        await pilot.press("enter")
        line = app.screen.query_one("#debug-set", Input)
        assert line.value == "met=true" and line.has_focus
        await pilot.press("enter")
        await until(pilot, lambda: app.state.flags == mini.symbols.flags["met"], "the flag")


async def test_it_fits_and_scrolls_at_60x20(mini, tmp_path):
    app = build(mini, tmp_path, debugging=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await start(pilot)
        await pilot.press("D")
        await on_screen(pilot, DebugScreen)
        text = screen_text(app)
        assert "set" in text and "jump" in text and "Debug" in text
        assert app.screen.query_one("#debug-set").region.bottom <= 20
        assert app.screen.query_one("#debug-scenes").region.bottom <= 20
        await pilot.press("D")  # in a line, D is a letter
        assert app.screen.query_one("#debug-set", Input).value == "D"
        app.screen.query_one("#debug-values").focus()
        await pilot.press("D")  # elsewhere Shift+D closes the window, as Esc does
        await on_screen(pilot, GameScreen)


async def test_without_debug_shift_d_does_nothing(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        before = app.state
        await pilot.press("D", "shift+d")
        await pilot.pause()
        assert not any(isinstance(s, DebugScreen) for s in app.screen_stack)
        app.action_debug()  # not even the action itself
        await pilot.pause()
        assert not any(isinstance(s, DebugScreen) for s in app.screen_stack)
        assert app.state is before
        assert all("Debug" not in c.title for c in app.get_system_commands(app.screen))
        await pilot.press("question_mark")
        await on_screen(pilot, HelpScreen)
        app.screen.query_one("#help-scroll").scroll_end(animate=False)
        await until(pilot, lambda: "Saves, settings" in screen_text(app), "the end of the help")
        assert "Shift+D" not in screen_text(app) and "Debugging" not in screen_text(app)


async def test_help_names_shift_d_with_debug(mini, tmp_path):
    app = build(mini, tmp_path, debugging=True)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("question_mark")
        await on_screen(pilot, HelpScreen)
        help_scroll = app.screen.query_one("#help-scroll")
        help_scroll.scroll_end(animate=False)
        await until(pilot, lambda: "Shift+D" in screen_text(app), "Shift+D in the help")
