"""The shipped world, played through the app with keys only, to an ending. Skipped while the
world does not check clean (the writers are editing it); no scene ids are assumed."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from neuripsquest.frontends.tui.screens.ending import EndingScreen
from neuripsquest.frontends.tui.screens.game import GameScreen
from neuripsquest.store.loader import check_world

from ..conftest import WORLD
from .helpers import build, on_screen, screen_text, until


@pytest.fixture(scope="module")
def shipped():
    world, problems = check_world(WORLD)
    if world is None:
        pytest.skip(f"world/ does not check clean yet ({len(problems)} problems)")
    return world


@pytest.mark.slow
async def test_the_shipped_world_plays_to_an_ending_with_keys_only(shipped, tmp_path):
    app = build(shipped, tmp_path, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        assert "Hinton clues" not in screen_text(app)  # the panel is folded at 80 columns
        await pilot.press("p")
        assert "Hinton clues" in screen_text(app)  # the shipped world has the thread
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


NOTICES = [
    "Energy -2 (now 3)",
    "Clout +1 (now 7)",
    "You now have: Business cards",
    "Time passes: it is Thursday morning.",
    "Your last game is kept: load 'autosave-previous' to go back.",
]


@pytest.mark.slow
async def test_every_choice_of_every_scene_is_visible_at_80x24(shipped, tmp_path):
    """Each scene of the shipped world, entered with the starting stats: every enabled choice
    is inside the visible part of the list (no scrolling needed), and every row's words, a
    locked choice's reason to its last word included, are on screen."""
    from neuripsquest.core import engine
    from neuripsquest.frontends.tui.widgets.choice_list import ChoiceList
    from neuripsquest.play import view

    def words(text: str) -> str:
        return " ".join(text.replace("▊", " ").replace("▎", " ").split())

    app = build(shipped, tmp_path, seed=3)
    hidden: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        fresh = engine.new_game(shipped, 3)
        # a second start for each scene: carrying everything, every stat at its top (more
        # choices open, fewer locked)
        rich = fresh._replace(
            items=(1 << len(shipped.item_names)) - 1,
            stats=tuple(0 if hi >= 1_000_000 else hi for _lo, hi in shipped.stat_ranges),
        )
        locked = 0
        starts = [(sid, start) for start in (fresh, rich) for sid in shipped.scenes]
        for sid, start in starts:
            scene = shipped.scenes[sid]
            if scene.ending is not None or scene.input is not None:
                continue
            # the worst case: a step that changed many things fills the notice line too
            app.start(start._replace(scene=sid), notices=NOTICES)
            await pilot.pause()
            choices = app.screen.query_one(ChoiceList)
            await until(pilot, lambda c=choices: c.option_count == len(c.choices), sid)
            await pilot.pause()
            shown = view.choices(shipped, app.state)
            text = words(screen_text(app))
            inside = choices.region.bottom <= app.size.height - 1 and choices.hidden_rows == 0
            assert app.screen.query_one("#notices").size.height == 2, sid  # it was full
            rows = [
                f"{c.number}. {c.text}" if c.enabled else f"{c.text} Not now: {c.locked_line}"
                for c in shown
            ]
            missing = [row for row in rows if words(row) not in text]
            locked += sum(1 for c in shown if not c.enabled)
            if not inside or missing:
                hidden.append(f"{sid}: {choices.hidden_rows} rows hidden, {missing}")
    assert not hidden, "\n".join(hidden)
    assert locked > 20  # the locked choices' reasons were checked too


async def test_the_longest_menus_in_chinese_show_whole_at_80x24(tmp_path):
    """The Chinese layout of the scenes with the most to show in their choices (the test above
    is English: its word matching needs spaces): every choice inside the list, unscrolled,
    with a full notice line. Wide characters take two cells, so long menus are where it would
    first break."""
    from neuripsquest import i18n
    from neuripsquest.core import engine
    from neuripsquest.frontends.tui.widgets.choice_list import ChoiceList
    from neuripsquest.store.loader import load_world
    from neuripsquest.store.locales import localised

    zh = localised(load_world(WORLD, use_cache=False), WORLD, "zh-Hant", use_cache=False)
    menus = [
        sc
        for sc in zh.scenes.values()
        if sc.ending is None and sc.input is None and len(sc.choices) >= 2
    ]
    menus.sort(key=lambda sc: sum(len(c.text) for c in sc.choices), reverse=True)
    i18n.set_language("zh-Hant")
    try:
        app = build(zh, tmp_path, seed=3)
        hidden = []
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("n")
            await on_screen(pilot, GameScreen)
            fresh = engine.new_game(zh, 3)
            for sc in menus[:12]:
                app.start(fresh._replace(scene=sc.id), notices=NOTICES)
                await pilot.pause()
                choices = app.screen.query_one(ChoiceList)
                await until(pilot, lambda c=choices: c.option_count == len(c.choices), sc.id)
                await pilot.pause()
                if choices.region.bottom > app.size.height - 1 or choices.hidden_rows:
                    hidden.append(f"{sc.id}: {choices.hidden_rows} rows hidden")
            assert any("一" <= ch <= "鿿" for ch in screen_text(app))  # drawn in Chinese
    finally:
        i18n.set_language("en")
    assert not hidden, "\n".join(hidden)
