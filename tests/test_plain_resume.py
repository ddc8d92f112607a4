"""Plain mode across sessions, through real pipes: a run is continued, never overwritten."""

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import MINI, ROOT, plain_argv

GOODBYE = "Goodbye. Your progress is in the autosave slot.\n"


def run(saves, lines, *extra, stderr=""):
    out = subprocess.run(
        plain_argv(saves, *extra),
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and out.stderr.startswith(stderr), out.stderr
    assert "Traceback" not in out.stderr and (stderr or out.stderr == "")
    return out.stdout


def test_the_next_session_continues_the_autosave(tmp_path):
    saves = tmp_path / "saves"
    first = run(saves, ["1"], "--seed", "3")
    assert "Continuing" not in first and "You now have: Pretzel" in first
    second = run(saves, ["inventory"])
    assert "Continuing: Mon morning, Start. Type new to start over.\n" in second
    assert "You carry: Pretzel" in second


def test_end_of_input_says_goodbye_like_quit_and_autosaves(tmp_path):
    at_eof = run(tmp_path / "a", ["1"], "--seed", "3")
    quit_ = run(tmp_path / "b", ["1", "quit"], "--seed", "3")
    assert at_eof.endswith("> \n" + GOODBYE) and quit_.endswith("> " + GOODBYE)
    assert (tmp_path / "a" / "autosave.json").read_bytes()
    assert run(tmp_path / "a", []).count(GOODBYE) == 1  # even with nothing typed at all


def test_new_keeps_the_previous_run_loadable(tmp_path):
    saves = tmp_path / "saves"
    run(saves, ["1"], "--seed", "3")  # took the pretzel
    fresh = run(saves, ["inventory", "load autosave-previous", "inventory"], "--new")
    assert "Continuing" not in fresh
    assert "Your last game is kept: load autosave-previous to go back." in fresh
    nothing, _, after = fresh.partition("Loaded 'autosave-previous'.")
    assert "You carry: nothing" in nothing and "You carry: Pretzel" in after


def test_typing_new_keeps_the_previous_run_too(tmp_path):
    saves = tmp_path / "saves"
    t = run(saves, ["1", "new", "inventory", "load autosave-previous", "inventory"], "--seed", "3")
    assert "A new game. Your last one is kept: load autosave-previous to go back." in t
    _, _, after_new = t.partition("A new game.")
    nothing, _, loaded = after_new.partition("Loaded 'autosave-previous'.")
    assert "You carry: nothing" in nothing and "You carry: Pretzel" in loaded


def test_record_starts_a_new_game_and_keeps_the_autosave(tmp_path):
    saves = tmp_path / "saves"
    run(saves, ["1"], "--seed", "3")
    t = run(saves, ["2"], "--record", str(tmp_path / "rec.yaml"), stderr="Recorded 1 step ")
    assert "Continuing" not in t and (saves / "autosave-previous.json").is_file()


def test_saves_lists_the_autosaves_first_with_a_readable_date(tmp_path):
    saves = tmp_path / "saves"
    run(saves, ["save zed", "save alpha", "1"], "--seed", "3")
    run(saves, ["2"], "--new")
    t = run(saves, ["saves"])
    listing = [line.removeprefix("> ") for line in t.splitlines() if ": " in line][-4:]
    assert [line.split(":")[0] for line in listing] == [
        "autosave",
        "autosave-previous",
        "alpha",
        "zed",
    ]
    for line in listing:
        assert re.search(r"\. Saved \w{3} \d{1,2} \w{3}( \d{4})?, \d\d:\d\d\.$", line), line


def test_a_damaged_autosave_is_set_aside_and_said_in_one_line(tmp_path):
    saves = tmp_path / "saves"
    saves.mkdir()
    (saves / "autosave.json").write_text("{not json")
    t = run(saves, ["1"])
    line = next(x for x in t.splitlines() if x.startswith("The autosave cannot be continued"))
    assert "damaged" in line and "'autosave-damaged'" in line
    assert (saves / "autosave-damaged.json").read_text() == "{not json"
    assert (saves / "autosave.json").is_file()  # the new game's own autosave


def test_an_autosave_from_another_world_is_set_aside(tmp_path):
    saves = tmp_path / "saves"
    run(saves, ["1"], "--seed", "3", "--world", str(ROOT / "world"))
    t = run(saves, [])
    assert "belongs to another world" in t and (saves / "autosave-damaged.json").is_file()


@pytest.mark.parametrize("typed", ["0", "-1", "+0", "6"])
def test_out_of_range_numbers_get_one_message(tmp_path, typed):
    t = run(tmp_path, [typed], "--seed", "3")
    assert f"There is no choice {int(typed)}. Choose 1 to 5." in t


def test_digits_that_are_not_ascii_are_not_numbers(tmp_path):
    t = run(tmp_path, ["²", "①", "⒊", "٣", "1"], "--seed", "3")
    for typed in ["²", "①", "⒊", "٣"]:
        assert f"I didn't understand '{typed}'. Type a choice number, or help." in t
    assert "You now have: Pretzel" in t


def test_stats_show_money_as_money_and_hide_it_until_named(tmp_path):
    t = run(tmp_path, ["stats", "5", "250k", "stats"], "--seed", "3")
    before, _, after = t.partition("You said:")
    assert "Energy: 3 of 5" in before and "Number:" not in before
    assert "Number: $250,000" in after and "of 1000000000000" not in t


def test_help_says_where_the_saves_go(tmp_path):
    t = run(tmp_path / "here", ["help"])
    assert f"Saves go to {tmp_path / 'here'} " in t


def test_starting_elsewhere_creates_nothing_in_the_current_folder(tmp_path):
    cwd, home = tmp_path / "cwd", tmp_path / "home"
    cwd.mkdir()
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("NEURIPSQUEST_SAVES", "XDG_DATA_HOME")}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        NEURIPSQUEST_CACHE="off",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]),
    )
    out = subprocess.run(
        [sys.executable, "-m", "neuripsquest", "play", "--plain", "--world", str(MINI)],
        input="1\nhelp\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env=env,
    )
    assert out.returncode == 0 and out.stderr == "", out.stderr
    assert list(cwd.iterdir()) == []
    autosaves = list(home.rglob("autosave.json"))
    assert len(autosaves) == 1 and "neuripsquest" in autosaves[0].parts
    assert f"Saves go to {autosaves[0].parent} " in out.stdout
