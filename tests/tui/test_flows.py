"""Pilot tests for every flow of the Textual app, on the mini test world.

The mini world's start scene `a` offers: 1 Get a pretzel, 2 Meet someone (once), 3 Run a
marathon (dimmed: "You need 5 energy."), 4 Flip a coin (random), 5 Ask the question (-> `ask`,
a money prompt: $100M -> ending `rich`, anything else -> ending `done`).
"""

from __future__ import annotations

import json

from textual.widgets import Input, OptionList

from neuripsquest.core import engine
from neuripsquest.core.state import history_len
from neuripsquest.frontends.tui.screens.confirm import ConfirmScreen
from neuripsquest.frontends.tui.screens.ending import EndingScreen
from neuripsquest.frontends.tui.screens.game import GameScreen
from neuripsquest.frontends.tui.screens.help import HelpScreen
from neuripsquest.frontends.tui.screens.journal import JournalScreen
from neuripsquest.frontends.tui.screens.load import LoadScreen
from neuripsquest.frontends.tui.screens.map import MapScreen
from neuripsquest.frontends.tui.screens.save import SaveScreen
from neuripsquest.frontends.tui.screens.title import TitleScreen
from neuripsquest.frontends.tui.widgets.title_menu import TitleMenu
from neuripsquest.store import saves

from .helpers import SIZE, build, on_screen, screen_text, until


def autosaved(folder, world):
    """The autosave's state, or None while it is not on disk yet (the autosave is written
    off the event loop: a test that reads it too soon must wait, not fail)."""
    try:
        return saves.read(folder, "autosave", world).state
    except saves.SaveError:
        return None


def toasts(app) -> list[str]:
    """Every notice so far (they show on the notice line, not as toasts over the story). The
    test runs the app with `notifications=True` (run_test leaves toasts out by default), so a
    toast would be on the screen."""
    assert app.screen.query("ToastRack"), "run the app with notifications=True"
    assert not app.screen.query("Toast")  # no toast covers the game
    return app.notice_log


async def start(pilot) -> None:
    await pilot.press("n")
    await on_screen(pilot, GameScreen)


async def test_title_then_new_game(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, TitleScreen)
        text = screen_text(app)
        assert "New game" in text and "Continue" in text and "USS MIDWAY" in text
        menu = app.screen.query_one(TitleMenu)
        assert [e.action for e in menu.entries if e.disabled] == ["continue"]  # no autosave yet
        await start(pilot)
        assert app.state is not None and app.state.scene == "a"
        text = screen_text(app)
        assert "Start" in text and "Hall · Mon morning" in text
        assert "You have 3 energy on Mon morning." in text
        await until(pilot, lambda: (tmp_path / "autosave.json").exists(), "the autosave")


async def test_title_menu_by_arrows_enter_and_mouse(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        menu = app.screen.query_one(TitleMenu)
        assert app.focused is menu and menu.cursor == 0
        await pilot.press("down")
        assert menu.cursor == 2  # Continue is off (no autosave): skipped
        await pilot.press("up", "enter")  # back to "New game"
        await on_screen(pilot, GameScreen)
    again = build(mini, tmp_path / "other")
    async with again.run_test(size=SIZE) as pilot:
        menu = again.screen.query_one(TitleMenu)
        left = (menu.content_region.width - menu.BOX) // 2
        assert await pilot.click(TitleMenu, offset=(left + 4, 3))  # the "Load" line
        await until(pilot, lambda: type(again.screen).__name__ == "LoadScreen", "Load")


async def test_choose_by_number_key_toasts_the_change(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start(pilot)
        first = app.state
        await pilot.press("1")
        assert app.state is not first  # replaced, never changed in place
        assert app.state.items == 1 and app.state.stats[0] == 4
        assert toasts(app)[-2:] == ["Energy +1 (now 4)", "You now have: Pretzel"]
        shown = screen_text(app)
        assert "Energy +1 (now 4)" in shown and "You now have: Pretzel" in shown
        text = screen_text(app)
        assert "A pretzel is in your pocket." in text
        assert "Get a pretzel" not in text  # its `if` no longer holds
        assert "• Pretzel" not in text  # at 80 columns the side panel is folded away...
        await pilot.press("p")  # ...until the player asks for it
        text = screen_text(app)
        assert "Energy" in text and "4/5" in text and "• Pretzel" in text
        assert app.settings.panel == "shown"  # remembered
        assert json.loads((tmp_path / "_settings.json").read_text())["panel"] == "shown"


async def test_choose_by_arrows_and_enter(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        choices = app.screen.query_one("#choices", OptionList)
        assert app.focused is choices and choices.highlighted == 0
        await pilot.press("down")
        assert choices.highlighted == 1
        await pilot.press("enter")  # 2. Meet someone
        assert app.state.flags == 1
        assert "Meet someone" not in screen_text(app)  # once-only


async def test_choose_by_mouse(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        # the list has a one-line border: option 2 ("Meet someone") is on its third line
        assert await pilot.click("#choices", offset=(6, 2))
        await until(pilot, lambda: app.state.flags == 1, "the click to choose")


async def test_dimmed_choice_shows_its_reason_and_is_refused(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start(pilot)
        assert "3. Run a marathon  Not now: You need 5 energy. Needs Energy 5." in screen_text(app)
        before = app.state
        await pilot.press("3")
        assert app.state is before
        assert "Not now: You need 5 energy. Needs Energy 5." in toasts(app)
        app.notice_log.clear()
        await pilot.click("#choices", offset=(6, 3))
        await pilot.pause()
        assert app.state is before
        assert "Not now: You need 5 energy. Needs Energy 5." in toasts(app)


async def test_number_input_invalid_then_valid(mini, tmp_path):
    app = build(mini, tmp_path, echo_delay=60)  # the echo stays until a key moves on
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("5")
        assert app.state.scene == "ask"
        field = app.screen.query_one("#amount-input", Input)
        assert app.focused is field and field.placeholder == "Like $100M."
        assert "Your number?" in screen_text(app)
        await pilot.press(*"lots", "enter")
        assert app.state.scene == "ask"
        assert app.focused is field and field.value == "lots"
        note = str(app.screen.query_one("#amount-note").render())
        assert note.startswith("✗") and "Like $100M." in note
        field.value = ""
        await pilot.press(*"$100M", "enter")
        assert app.state.scene == "rich"  # the engine moved on ...
        note = str(app.screen.query_one("#amount-note").render())
        assert note == "✓ You said: $100 million"  # ... and the screen echoes it first
        await on_screen(pilot, GameScreen)
        await pilot.press("u")  # a key during the echo moves on, and does nothing else
        await on_screen(pilot, EndingScreen)
        assert app.state.scene == "rich"
        assert "You said: $100 million" in screen_text(app)


async def test_the_answer_box_joins_the_game_screen_at_the_first_question(mini, tmp_path):
    """A screen of choices is not kept waiting for an Input it does not show; the first
    question mounts one, focused, and the next screen of choices hides it again."""
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        assert not app.screen.query(Input)
        await pilot.press("5")
        assert app.state.scene == "ask"
        field = app.screen.query_one("#amount-input", Input)
        assert app.focused is field
        assert "Your number?" in screen_text(app)
        await pilot.press("ctrl+z")  # back to the choices: the box stays, hidden
        assert app.state.scene == "a"
        assert not app.screen.query_one("#amount").display
        assert "Your number?" not in screen_text(app)


async def test_escape_leaves_the_answer_box_for_the_game_keys(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("5", "escape")
        assert not isinstance(app.focused, Input)
        await pilot.press("j")
        await on_screen(pilot, JournalScreen)
        await pilot.press("escape", "tab")
        assert isinstance(app.focused, Input)
        await pilot.press("ctrl+z")  # undo works even while typing
        assert app.state.scene == "a" and not app.state.history


async def test_undo_as_far_as_the_history_goes(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start(pilot)
        initial = app.state
        # pretzel, meet, then 1 is the dimmed marathon (energy 4 of 5): refused, not a step
        await pilot.press("1", "1", "1")
        assert history_len(app.state.history) == 2
        for _ in range(3):
            await pilot.press("u")
        assert app.state == initial
        assert "Taken back: you are at Start." in toasts(app)
        await pilot.press("u")
        assert app.state == initial
        assert "There is nothing to undo." in toasts(app)


async def test_save_then_load(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start(pilot)
        await pilot.press("1")
        saved = app.state
        await pilot.press("s")
        await on_screen(pilot, SaveScreen)
        field = app.screen.query_one(Input)
        assert field.value == "mon-morning"  # suggested from the clock
        field.value = ""
        await pilot.press(*"bad name", "enter")
        await on_screen(pilot, SaveScreen)
        assert "not a slot name" in str(app.screen.query_one("#save-note").render())
        field.value = ""
        await pilot.press(*"friday", "enter")
        await on_screen(pilot, GameScreen)
        assert (tmp_path / "friday.json").exists()
        assert "Saved to 'friday'." in toasts(app)
        journal_then = list(app.journal)
        await pilot.press("1")  # meet someone: the state moves on
        assert app.state != saved
        await pilot.press("l")
        await on_screen(pilot, LoadScreen)
        text = screen_text(app)
        assert "friday" in text and "Start · Mon morning" in text and "autosave" in text
        slots = app.screen.query_one(OptionList)
        slots.highlighted = slots.get_option_index("friday")
        await pilot.press("enter")
        await on_screen(pilot, GameScreen)
        assert app.state == saved
        assert app.journal[: len(journal_then)] == journal_then
        assert "Loaded 'friday'." in toasts(app)


async def test_saving_over_a_slot_asks_first(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        saves.write(tmp_path, "mon-morning", mini, engine.new_game(mini, 99))
        await pilot.press("s", "enter")
        await on_screen(pilot, ConfirmScreen)
        await pilot.press("n")
        await on_screen(pilot, SaveScreen)
        await pilot.press("enter", "y")
        await on_screen(pilot, GameScreen)
        assert saves.read(tmp_path, "mon-morning", mini).state.seed == 1


async def test_load_deletes_after_confirmation_and_survives_a_damaged_slot(mini, tmp_path):
    saves.write(tmp_path, "keep", mini, engine.new_game(mini, 5))
    saves.write(tmp_path, "drop", mini, engine.new_game(mini, 6))
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await on_screen(pilot, LoadScreen)
        assert "unusable: save 'broken' is damaged" in screen_text(app)
        slots = app.screen.query_one(OptionList)
        slots.highlighted = slots.get_option_index("broken")
        await pilot.press("enter")  # a damaged save explains itself, nothing crashes
        await on_screen(pilot, LoadScreen)
        assert "damaged" in str(app.screen.query_one("#load-note").render())
        slots.highlighted = slots.get_option_index("drop")
        await pilot.press("d")
        await on_screen(pilot, ConfirmScreen)
        await pilot.press("n")
        assert (tmp_path / "drop.json").exists()
        await pilot.press("d", "y")
        await until(pilot, lambda: not (tmp_path / "drop.json").exists(), "the delete")
        await on_screen(pilot, LoadScreen)
        ids = [o.id for o in app.screen.query_one(OptionList).options]
        assert ids == ["broken", "keep"]
        slots = app.screen.query_one(OptionList)
        slots.highlighted = slots.get_option_index("keep")
        await pilot.press("enter")
        await on_screen(pilot, GameScreen)
        assert app.state.seed == 5


async def test_continue_from_the_autosave(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("1", "1")
        await until(pilot, lambda: autosaved(tmp_path, mini) == app.state, "the autosave")
        left = app.state
    again = build(mini, tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "Mon morning, Start" in screen_text(again), "the summary")
        await pilot.press("c")
        await on_screen(pilot, GameScreen)
        assert again.state == left
        assert any("Get a pretzel" in e for e in again.journal)


async def test_a_run_in_progress_is_continued_by_enter_and_never_replaced_silently(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("1", "2")  # pretzel, then meet someone
        left = app.state
        await until(pilot, lambda: autosaved(tmp_path, mini) == left, "the autosave")
    again = build(mini, tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        menu = again.screen.query_one(TitleMenu)
        await until(pilot, lambda: "Mon morning, Start" in screen_text(again), "where it is")
        assert menu.entries[menu.cursor].action == "continue"  # the highlight starts there
        await pilot.press("n")  # New game asks first...
        await on_screen(pilot, ConfirmScreen)
        assert "Mon morning, Start" in screen_text(again)  # ...saying what it would replace
        await pilot.press("n")  # no
        await on_screen(pilot, TitleScreen)
        assert saves.read(tmp_path, "autosave", mini).state == left
        await pilot.press("enter")  # Enter continues
        await on_screen(pilot, GameScreen)
        assert again.state == left
    third = build(mini, tmp_path)
    async with third.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await on_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await on_screen(pilot, GameScreen)
        assert third.state.turn == 0
        assert any("autosave-previous" in n for n in third.notice_log)
        kept = saves.read(tmp_path, saves.AUTOSAVE_PREVIOUS, mini).state
        assert kept == left  # the replaced run is still there to load
        await pilot.press("l")
        await on_screen(pilot, LoadScreen)
        ids = [o.id for o in third.screen.query_one(OptionList).options]
        assert ids[:2] == ["autosave", "autosave-previous"]


async def test_new_and_from_open_straight_into_a_game(mini, tmp_path):
    from neuripsquest.play import start as starting

    app = build(mini, tmp_path, new=True)
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, GameScreen)
        assert app.state.turn == 0 and app.state.scene == "a"
    state = starting.start_at(mini, 1, "ask", ["energy=1"])
    app = build(mini, tmp_path / "from", start=state)
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, GameScreen)
        assert app.state == state
        assert "Your number?" in screen_text(app)


async def test_journal_is_the_transcript(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("1", "j")
        await on_screen(pilot, JournalScreen)
        await pilot.press("home")
        text = screen_text(app)
        assert "Start" in text and "Get a pretzel" in text and "You now have: Pretzel" in text
        await pilot.press("escape")
        await on_screen(pilot, GameScreen)


async def test_journal_opens_at_the_newest_entry(long_world, tmp_path):
    app = build(long_world, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("1", "j")
        await on_screen(pilot, JournalScreen)
        scroll = app.screen.query_one("#journal-scroll")
        at_end = lambda: scroll.max_scroll_y > 0 and scroll.scroll_y == scroll.max_scroll_y  # noqa: E731
        await until(pilot, at_end, "the journal's end")
        assert "The expo hall." in screen_text(app)


async def test_map_fits_a_60_column_terminal(long_world, tmp_path):
    app = build(long_world, tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await start(pilot)
        await pilot.press("m")
        await on_screen(pilot, MapScreen)
        text = screen_text(app)
        assert "CONVENTION CENTER ──┘" in text and "EAST VILLAGE" in text


async def test_map_shows_the_current_place(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("m")
        await on_screen(pilot, MapScreen)
        text = screen_text(app)
        assert "SAN DIEGO BAY" in text and "CONVENTION CENTER" in text
        assert "Hall  ◀ you are here  (not on the map)" in text  # mini's place is off the map
        await pilot.press("m")
        await on_screen(pilot, GameScreen)


async def test_map_marks_visited_places(long_world, tmp_path):
    app = build(long_world, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot)
        await pilot.press("1", "1")  # rooftop -> expo -> crossing
        await pilot.press("m")
        text = screen_text(app)
        assert "[R] Hotel rooftop  ✓ visited" in text
        assert "[E] Expo hall  ✓ visited" in text
        assert "[X] Downtown crossing  ◀ you are here" in text
        assert " ·  A place off the map  (not on the map)" in text


async def test_help_lists_every_key(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot)
        shown = [b for b in GameScreen.BINDINGS if b.show]
        await pilot.press("question_mark")
        await on_screen(pilot, HelpScreen)
        text = screen_text(app)
        for b in shown:
            key = {"question_mark": "?", "escape": "Esc", "tab": "Tab"}.get(b.key, b.key)
            assert any(line.lstrip("█ ").startswith(key) for line in text.splitlines()), key
        assert "Ctrl+P" in text and "1 – 9" in text
        await pilot.press("escape")
        await on_screen(pilot, GameScreen)


async def test_quit_asks_then_autosaves(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("1")
        await until(pilot, lambda: autosaved(tmp_path, mini) == app.state, "the autosave")
        await pilot.press("q")
        await on_screen(pilot, ConfirmScreen)
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        (tmp_path / "autosave.json").unlink()  # so only quitting can write it again
        await pilot.press("q", "y")
        await until(pilot, lambda: app.return_code is not None, "the app to exit")
    assert app.return_value == 0 and app.return_code == 0
    assert saves.read(tmp_path, "autosave", mini).state == app.state


async def test_ctrl_q_quits_at_once_but_still_autosaves(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("2")
        await until(pilot, lambda: autosaved(tmp_path, mini) == app.state, "the autosave")
        (tmp_path / "autosave.json").unlink()  # so only quitting can write it again
        await pilot.press("ctrl+q")
        await until(pilot, lambda: app.return_code is not None, "the app to exit")
    assert saves.read(tmp_path, "autosave", mini).state == app.state


async def test_quit_from_the_title_needs_no_question(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await until(pilot, lambda: app.return_code is not None, "the app to exit")
    assert not (tmp_path / "autosave.json").exists()


async def test_ending_recap_chart_and_endings_found_across_runs(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("2", "4", *"250k", "enter")
        await on_screen(pilot, EndingScreen)
        text = screen_text(app)
        assert "THE END" in text and "Done" in text and "The end, with 3 energy." in text
        assert "• You met someone" in text  # the decision, in the writer's words
        assert "Endings discovered: 1 of 2" in text
        assert len(app.screen.query("Sparkline")) == 2
        assert "0 → $250,000" in text
        await pilot.press("u")  # undo leaves the ending
        await on_screen(pilot, GameScreen)
        assert app.state.scene == "ask"
        app.screen.query_one(Input).value = "$100M"
        await pilot.press("enter")
        await on_screen(pilot, EndingScreen)
        assert "Endings discovered: 2 of 2" in screen_text(app)
        await pilot.press("n")  # new game from the ending
        await on_screen(pilot, GameScreen)
        assert app.state.scene == "a" and app.state.turn == 0
    found = json.loads((tmp_path / "_endings.json").read_text())
    assert sorted(found["worlds"]["Mini"]) == ["done", "rich"]


async def test_a_damaged_endings_file_counts_as_empty(mini, tmp_path):
    (tmp_path / "_endings.json").write_text("[[[", encoding="utf-8")
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("5", *"1", "enter")
        await on_screen(pilot, EndingScreen)
        assert "Endings discovered: 1 of 2" in screen_text(app)


async def test_command_palette_has_the_game_commands(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for name in ("New game", "Undo", "Save", "Load", "Journal", "Map", "Help", "Settings"):
            assert name in titles
        assert titles.count("Quit") == 1
        await pilot.press("ctrl+p")
        await pilot.press(*"journal")
        await until(pilot, lambda: "Everything that happened" in screen_text(app), "a hit")
        await pilot.press("enter")
        await on_screen(pilot, JournalScreen)


async def test_side_panel_shows_from_100_columns_and_p_toggles_it_for_good(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        side = app.screen.query_one("#side")
        assert side.display  # wide: shown by default
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: not side.display, "the panel to fold at 80 columns")
        await pilot.press("p")
        assert side.display and app.settings.panel == "shown"
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert side.display  # the player asked for it: it stays at any width
        assert "1. Get a pretzel" in screen_text(app)
        await pilot.press("p")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not side.display and app.settings.panel == "hidden"
    again = build(mini, tmp_path, settings=None)  # the next start reads the saved settings
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")  # continue the run
        await on_screen(pilot, GameScreen)
        assert not any(side.display for side in again.screen.query("#side"))
        assert "Stats" not in screen_text(again)
        await pilot.press("p")  # made now, with the scene's stats in it
        await until(pilot, lambda: "Stats" in screen_text(again), "the panel")
        assert again.screen.query_one("#side").display and again.settings.panel == "shown"
