"""Keys act on what is on screen when they are pressed: a burst is queued or refused, never
misrouted to a list that replaced the one the player saw, and never dropped."""

from __future__ import annotations

import random

import pytest

from neuripsquest.core import engine
from neuripsquest.frontends.tui.screens.ending import EndingScreen
from neuripsquest.frontends.tui.screens.game import GameScreen
from neuripsquest.frontends.tui.screens.title import TitleScreen
from neuripsquest.frontends.tui.settings import Settings
from neuripsquest.frontends.tui.widgets import choice_list
from neuripsquest.frontends.tui.widgets.choice_list import ChoiceList
from neuripsquest.frontends.tui.widgets.scene_text import SceneText
from neuripsquest.play import view
from neuripsquest.store import saves

from .helpers import SIZE, build, burst, on_screen, screen_text, until


async def new_game(pilot) -> None:
    await pilot.press("n")
    await on_screen(pilot, GameScreen)


async def test_a_second_number_in_a_burst_is_refused_not_applied_to_the_next_list(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_game(pilot)
        start = app.state
        await burst(pilot, "1", "2")  # "2" was pressed while the first list was up
        assert app.state.turn == start.turn + 1  # one step: "Get a pretzel"
        assert app.state.items == 1 and app.state.flags == 0  # "2" (Meet someone) not taken
        said = "\n".join(app.notice_log)
        assert "nothing was done" in said
        assert "There is no choice" not in said and "'" not in said  # no internal ids
        await pilot.press("1")  # pressed with the new list on screen: it acts
        assert app.state.flags == 1  # "Meet someone", first now that the pretzel is taken


async def test_a_slot_name_typed_straight_after_s_is_kept_whole(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_game(pilot)
        await pilot.press("1")
        # the dialog opens with a suggested name, selected, so typing replaces it
        await burst(pilot, "s", *"thu-night", "enter")
        assert (tmp_path / "thu-night.json").is_file(), app.notice_log
        assert "Saved to 'thu-night'." in app.notice_log
        assert isinstance(app.screen, GameScreen)


async def test_keys_after_a_window_opens_go_to_that_window_in_order(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_game(pilot)
        await burst(pilot, "j", "escape", "m", "escape", "2")
        assert isinstance(app.screen, GameScreen)
        assert app.state.flags == 1  # the "2" after the windows closed chose "Meet someone"


async def test_undo_shows_its_scene_at_once_so_the_next_number_chooses(long_world, tmp_path):
    app = build(long_world, tmp_path, settings=Settings(text_speed="typewriter"))
    async with app.run_test(size=SIZE) as pilot:
        await new_game(pilot)
        await pilot.press("1")
        assert app.state.scene == "second"
        await pilot.press("u")
        assert app.state.scene == "first"
        assert not app.screen.query_one(SceneText).typing  # no typewriter after undo
        await pilot.press("1")  # not eaten to finish a typewriter
        assert app.state.scene == "second"


async def test_a_key_pressed_before_the_ending_showed_does_not_start_over(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_game(pilot)
        await pilot.press("3")  # "Run a marathon" is off at 3 energy: refused
        await pilot.press("1")  # pretzel: 4 energy
        await burst(pilot, "3", "n", "u")  # the coin flip, then n and u made before its result
        assert app.state.turn == 2  # neither n nor u acted on the ending or the question
        if isinstance(app.screen, EndingScreen):
            assert engine.is_over(mini, app.state)
        else:
            assert app.screen.query_one("#amount-input").value == ""  # nothing typed into it


async def test_a_click_on_a_replaced_list_is_refused(mini, tmp_path, monkeypatch):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_game(pilot)
        # The list goes up again stamped later than any click to come, as if it had replaced
        # the one the player clicked on (the list reads the clock Textual stamps events with).
        monkeypatch.setattr(choice_list, "get_time", lambda: float("inf"))
        app.screen.show(app.screen.frame)
        await pilot.pause()
        assert await pilot.click(ChoiceList, offset=(4, 1))  # on "1. Get a pretzel"
        await pilot.pause()
        assert app.state.turn == 0


async def test_a_long_list_says_more_choices_when_it_cannot_fit(many_choices, tmp_path):
    app = build(many_choices, tmp_path)
    async with app.run_test(size=(60, 14)) as pilot:
        await new_game(pilot)
        choices = app.screen.query_one(ChoiceList)
        await until(pilot, lambda: choices.hidden_rows > 0, "an overflowing list")
        await until(pilot, lambda: "more choices" in screen_text(app), "the marker")
        await pilot.resize_terminal(80, 40)
        await until(pilot, lambda: "more choices" not in screen_text(app), "no marker")


@pytest.mark.slow
async def test_hundreds_of_random_keys_in_bursts_leave_the_screen_true_to_the_state(mini, tmp_path):
    """After each burst settles, the scene text and the choice rows on screen are exactly
    what the engine's state says, and nothing is drawn twice."""
    rng = random.Random(20251202)
    keys = [*"123456", "u", "u", "enter", "up", "down", "space", "j", "m", "escape", "s", "n"]
    app = build(mini, tmp_path, settings=Settings(text_speed="typewriter"))
    checked = 0
    async with app.run_test(size=SIZE) as pilot:
        await new_game(pilot)
        for _ in range(60):
            await burst(pilot, *(rng.choice(keys) for _ in range(rng.randint(1, 8))))
            screen = app.screen
            if isinstance(screen, TitleScreen):
                await new_game(pilot)
                continue
            if not isinstance(screen, GameScreen | EndingScreen):
                await pilot.press("escape")  # a window or a question: close it
                await pilot.pause()
                if not isinstance(app.screen, GameScreen | EndingScreen):
                    await pilot.press("n")  # a confirm says no
                    await pilot.pause()
                continue
            if isinstance(screen, EndingScreen):
                assert engine.is_over(mini, app.state)
                await pilot.press("u")
                continue
            scene_text = screen.query_one(SceneText)
            scene_text.finish()
            assert scene_text.full_text == view.text(mini, app.state)
            if mini.scenes[app.state.scene].input is not None:
                await pilot.press("ctrl+z")
                continue
            rows = screen.query_one(ChoiceList)
            expected = view.choices(mini, app.state)
            assert rows.choices == tuple(expected)
            assert rows.option_count == len(expected)
            shown = screen_text(app)
            for c in expected:
                assert shown.count(f"{c.number}. {c.text}") == 1, (c, shown)
            checked += 1
    assert checked > 20  # the walk really looked at the game screen many times
    assert saves.AUTOSAVE in {s.name for s in saves.list_slots(tmp_path, mini)}


async def test_two_digits_reach_a_choice_past_nine_and_one_then_enter_takes_the_first(
    many_choices, tmp_path
):
    """Fourteen choices: "1" could start 10-14, so it waits (highlighted, said on the border)
    for a second digit or Enter; "3" cannot start a longer number, so it chooses at once."""
    for keys, want in (("1", "2"), "poster11"), (("1", "enter"), "poster0"), (("3",), "poster2"):
        # A saves folder each: the app before may leave its autosave of the first scene (the
        # ending's is written by a worker that may not run before the test closes the app;
        # run_app's own last autosave is not part of run_test), and `n` would then ask first.
        await _take(many_choices, tmp_path / "-".join(keys), keys, want)


async def _take(world, tmp_path, keys: tuple[str, ...], want: str) -> None:
    app = build(world, tmp_path)
    taken: list[object] = []
    async with app.run_test(size=(100, 40)) as pilot:
        await new_game(pilot)
        apply = app.apply
        app.apply = lambda action: (taken.append(action), apply(action))[1]  # type: ignore[method-assign]
        choices = app.screen.query_one(ChoiceList)
        await pilot.press(keys[0])
        if len(keys) > 1:
            await pilot.pause()
            assert not taken and choices.highlighted == 0
            assert "1: Enter, or a second digit" in screen_text(app)
            await pilot.press(keys[1])
        await until(pilot, lambda: bool(taken), f"{keys} to choose")
        assert taken == [engine.Choose(want)]
