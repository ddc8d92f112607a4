"""SVG snapshots of the interface in Traditional Chinese (issue 14), on the mini world (still
English: the translated world's scenes and endings get their own snapshots with it): the
title at 80x24 and 60x20, the settings and help windows, and a scene's frame around the
story (footer, notice line, prompt).

Update only after reading the report: `pytest tests/tui/test_i18n_snapshots.py
--snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

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


# ---------------------------------------------------------------- the translated world

SHIPPED = Path(__file__).resolve().parents[2] / "world"


@pytest.fixture(scope="module")
def zh_world():
    from neuripsquest.store.loader import load_world
    from neuripsquest.store.locales import localised

    return localised(load_world(SHIPPED, use_cache=False), SHIPPED, "zh-Hant")


def test_first_scene_of_the_week_in_chinese(snap_compare, zh_world, tmp_path):
    # Chinese prose broken between characters (prose.CJKProse), full-width choices
    assert snap_compare(build(zh_world, tmp_path), press=["n"], terminal_size=SIZE)


def test_first_scene_in_chinese_narrow(snap_compare, zh_world, tmp_path):
    assert snap_compare(build(zh_world, tmp_path), press=["n"], terminal_size=(60, 20))


def test_an_ending_in_chinese(snap_compare, zh_world, tmp_path):
    from neuripsquest.play.start import start_at

    sets = ["their_number=100000000", "background_postdoc=true", "conscience=8"]
    start = start_at(zh_world, 1, "ending_named_number", sets)
    assert snap_compare(build(zh_world, tmp_path, start=start), terminal_size=SIZE)
