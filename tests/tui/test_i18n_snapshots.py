"""SVG snapshots of the interface in Traditional Chinese (issue 14), on the mini world (still
English: the translated world's scenes and endings get their own snapshots with it): the
title at 80x24 and 60x20, the settings and help windows, and a scene's frame around the
story (footer, notice line, prompt).

Update only after reading the report: `pytest tests/tui/test_i18n_snapshots.py
--snapshot-update`.
"""

from __future__ import annotations

import pytest

from neuripsquest import i18n

from .helpers import build

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def chinese():
    assert i18n.set_language("zh-Hant") == "zh-Hant"
    yield
    i18n.set_language("en")


def test_title_in_chinese(snap_compare, mini, tmp_path):
    assert snap_compare(build(mini, tmp_path), terminal_size=SIZE)


def test_title_in_chinese_narrow(snap_compare, mini, tmp_path):
    assert snap_compare(build(mini, tmp_path), terminal_size=(60, 20))


def test_settings_in_chinese(snap_compare, mini, tmp_path):
    assert snap_compare(build(mini, tmp_path), press=["o"], terminal_size=SIZE)


def test_help_in_chinese_narrow(snap_compare, mini, tmp_path):
    assert snap_compare(build(mini, tmp_path), press=["question_mark"], terminal_size=(60, 20))


def test_number_prompt_in_chinese(snap_compare, mini, tmp_path):
    press = ["n", "5", *"lots", "enter"]
    assert snap_compare(build(mini, tmp_path), press=press, terminal_size=SIZE)
