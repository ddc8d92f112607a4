"""The Textual app in Traditional Chinese (issue 14): the language chosen on the Settings
screen is remembered for the next start; the footer, the title menu and the notices speak
it; wide characters keep the title menu's box whole."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Select

from neuripsquest import i18n
from neuripsquest.frontends.tui.screens.game import GameScreen
from neuripsquest.frontends.tui.screens.settings import SettingsScreen
from neuripsquest.store import saves

from .helpers import SIZE, build, on_screen, screen_text, until


@pytest.fixture
def chinese():
    i18n.set_language("zh-Hant")
    yield
    i18n.set_language("en")


async def test_the_language_setting_is_kept_for_the_next_start(mini, tmp_path):
    app = build(mini, tmp_path, settings=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await on_screen(pilot, SettingsScreen)
        app.screen.query_one("#language", Select).value = "zh-Hant"
        await until(pilot, lambda: app.settings.language == "zh-Hant", "the language")
        await pilot.press("escape")
    assert json.loads((tmp_path / "_settings.json").read_text())["language"] == "zh-Hant"
    assert saves.remembered_language(tmp_path) == "zh-Hant"
    again = build(mini, tmp_path, settings=None)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await on_screen(pilot, SettingsScreen)
        assert again.screen.query_one("#language", Select).value == "zh-Hant"
        again.screen.query_one("#language", Select).value = "auto"  # back to the locale
        await until(pilot, lambda: again.settings.language is None, "automatic")
    assert "language" not in json.loads((tmp_path / "_settings.json").read_text())
    assert saves.remembered_language(tmp_path) is None


async def test_title_footer_and_notices_in_chinese(chinese, mini, tmp_path):
    app = build(mini, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        title = screen_text(app)
        assert "新遊戲" in title and "設定" in title and "New game" not in title
        # the menu's box stays closed on both sides with two-cell characters in it
        rows = [r for r in title.splitlines() if "新遊戲" in r]
        assert rows and rows[0].rstrip().endswith("│")
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        await pilot.press("3")  # a locked choice: refused, in Chinese
        await until(pilot, lambda: any("暫時不行" in n for n in app.notice_log), "the refusal")
        shown = screen_text(app)
        assert "上一步" in shown and "存檔" in shown  # the footer's bindings
        assert "Undo" not in shown and "Save" not in shown
