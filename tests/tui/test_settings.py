"""Settings: theme, text speed, reduced motion; applied at once and kept across runs."""

from __future__ import annotations

import json

from textual.widgets import RadioSet, Select, Switch

from neuripsquest.frontends.tui import settings as settings_mod
from neuripsquest.frontends.tui.screens.game import GameScreen
from neuripsquest.frontends.tui.screens.settings import SettingsScreen
from neuripsquest.frontends.tui.settings import Settings
from neuripsquest.frontends.tui.widgets.scene_text import SceneText

from .helpers import SIZE, build, on_screen, screen_text, until


def test_settings_round_trip_and_damage(tmp_path):
    assert settings_mod.load(tmp_path) == Settings()  # no file: defaults
    wanted = Settings(theme="textual-light", text_speed="instant", reduced_motion=True)
    settings_mod.save(tmp_path, wanted)
    assert settings_mod.load(tmp_path) == wanted
    (tmp_path / "_settings.json").write_text("{oops", encoding="utf-8")
    assert settings_mod.load(tmp_path) == Settings()
    (tmp_path / "_settings.json").write_text(
        json.dumps({"theme": 3, "text_speed": "warp", "reduced_motion": True}), encoding="utf-8"
    )
    assert settings_mod.load(tmp_path) == Settings(reduced_motion=True)  # keeps what is sound


async def test_settings_screen_changes_persist(mini, tmp_path):
    app = build(mini, tmp_path, settings=Settings(theme="textual-dark", text_speed="instant"))
    async with app.run_test(size=SIZE) as pilot:
        assert app.animation_level == "full"
        await pilot.press("o")
        await on_screen(pilot, SettingsScreen)
        assert "textual-light" in app.available_themes  # at least one light, one dark
        app.screen.query_one(Select).value = "textual-light"
        await until(pilot, lambda: app.theme == "textual-light", "the theme")
        await pilot.press("tab")  # to the text-speed choice
        assert isinstance(app.focused, RadioSet)
        await pilot.press("enter")  # the first button: typewriter
        await until(pilot, lambda: app.settings.text_speed == "typewriter", "the speed")
        await pilot.press("tab")  # to the side-panel choice
        assert app.focused.id == "panel"
        assert "Textual light" in screen_text(app) or "Textual dark" in screen_text(app)
        await pilot.press("down", "down", "enter")  # "No side panel"
        await until(pilot, lambda: app.settings.panel == "hidden", "the panel")
        await pilot.press("tab", "space")  # the reduced-motion switch
        assert isinstance(app.focused, Switch)
        await until(pilot, lambda: app.settings.reduced_motion, "reduced motion")
        assert app.animation_level == "none"
        await pilot.press("escape")
    saved = json.loads((tmp_path / "_settings.json").read_text())
    assert saved == {
        "theme": "textual-light",
        "text_speed": "typewriter",
        "reduced_motion": True,
        "panel": "hidden",
    }
    again = build(mini, tmp_path, settings=None)  # None: read from the saves folder
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "textual-light" and again.animation_level == "none"


async def test_a_theme_picked_from_the_palette_is_kept_too(mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert settings_mod.load(tmp_path).theme == "nord"


async def test_typewriter_space_shows_all_and_a_number_still_chooses(long_world, tmp_path):
    app = build(long_world, tmp_path, settings=Settings(text_speed="typewriter"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        text = app.screen.query_one(SceneText)
        assert text.typing  # ~4,000 characters at ~400 a second
        before = app.state
        for key in ("space", "enter"):  # each finishes the text and does nothing else
            await pilot.press(key)
            assert not text.typing
            assert app.state is before
            await pilot.press("u")  # undo has nothing to undo, the scene...
            app.screen.show(app.screen.frame, instant=False)  # ...types out again
            assert text.typing
        await pilot.press("1")  # the choices are on screen: a number takes one at once
        assert app.state.scene == "second"


async def test_reduced_motion_shows_text_at_once(long_world, tmp_path):
    app = build(long_world, tmp_path, settings=Settings(reduced_motion=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        assert not app.screen.query_one(SceneText).typing
        await pilot.press("1")
        assert app.state.scene == "second"


async def test_enter_submits_a_typed_amount_while_the_scene_still_types(tmp_path):
    import yaml

    from neuripsquest.store.loader import load_world

    from .conftest import LONG_TEXT, WORLD_HEAD, write_world

    ask = {
        "id": "first",
        "title": "The question",
        "text": LONG_TEXT,
        "input": {
            "kind": "money",
            "prompt": "Your number?",
            "hint": "Like $100M.",
            "store": "energy",
            "outcomes": [{"goto": "end"}],
        },
    }
    end = {"id": "end", "title": "The end", "text": "Done.", "ending": "over"}
    root = tmp_path / "world"
    write_world(root, WORLD_HEAD.format(title="Ask"), yaml.safe_dump([ask, end]))
    world = load_world(root, use_cache=False)
    app = build(world, tmp_path / "saves", settings=Settings(text_speed="typewriter"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        text = app.screen.query_one(SceneText)
        assert text.typing
        await pilot.press("enter")  # an empty box: Enter only shows the rest
        assert not text.typing and app.state.scene == "first"
        app.screen.show(app.screen.frame, instant=False)  # types out again
        assert text.typing
        await pilot.press(*"5", "enter")  # a typed answer: Enter submits it at once
        await pilot.pause()
        assert app.state.scene == "end"
