"""SVG snapshots of the screens whose look matters, at 80x24, on the mini test world (so the
writers' edits to world/ never change them), fixed seed, no animation, no cursor blink.

Update only after reading the report: `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from .helpers import build

SIZE = (80, 24)


def test_title(snap_compare, mini, tmp_path):
    assert snap_compare(build(mini, tmp_path), terminal_size=SIZE)


def test_game_scene(snap_compare, mini, tmp_path):
    assert snap_compare(build(mini, tmp_path), press=["n"], terminal_size=SIZE)


def test_number_prompt_with_an_answer_it_cannot_read(snap_compare, mini, tmp_path):
    press = ["n", "5", *"lots", "enter"]
    assert snap_compare(build(mini, tmp_path), press=press, terminal_size=SIZE)


def test_ending(snap_compare, mini, tmp_path):
    # seed 2: meet someone, then the coin comes up heads -> the "done" ending
    app = build(mini, tmp_path, seed=2)
    assert snap_compare(app, press=["n", "2", "3"], terminal_size=SIZE)


def test_game_scene_narrow(snap_compare, mini, tmp_path):
    assert snap_compare(build(mini, tmp_path), press=["n"], terminal_size=(60, 20))
