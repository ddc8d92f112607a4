"""Plain mode, driven through a real pipe as a screen-reader or script user would."""

import re
import subprocess
import sys

from tests.conftest import MINI, plain_argv


def plain(lines, tmp_path, *extra):
    return subprocess.run(
        plain_argv(tmp_path / "saves", "--seed", "3", *extra),
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_whole_game_through_a_pipe(tmp_path):
    out = plain(["1", "4", "lots", "$100M"], tmp_path)
    assert out.returncode == 0 and out.stderr == ""
    text = out.stdout
    assert "== Hall - Mon morning ==" in text
    assert "1. Get a pretzel\n" in text
    assert "3. Run a marathon. Not now: You need 5 energy. Needs Energy 5.\n" in text
    assert "You now have: Pretzel" in text
    assert "'lots' doesn't read as an amount of money. Like $100M." in text
    assert "You said: $100 million" in text and "THE END: Rich" in text
    assert "\x1b" not in text  # no escape codes for screen readers and pipes


def test_nonsense_commands_and_end_of_input(tmp_path):
    out = plain(["", "99", "dance wildly", "3", "help", "stats", "inventory", "repeat"], tmp_path)
    assert out.returncode == 0 and "Traceback" not in out.stderr
    t = out.stdout
    assert "There is no choice 99. Choose 1 to 5." in t
    assert "I didn't understand 'dance wildly'" in t
    assert "Not now: You need 5 energy. Needs Energy 5." in t
    assert "save NAME" in t and "Energy: 3 of 5\n" in t and "You carry: nothing" in t
    assert "Number" not in t  # an amount is not shown before the player names one


def test_save_load_undo_and_bad_slots(tmp_path):
    out = plain(
        ["1", "save first", "2", "undo", "saves", "load first", "save ../x", "load nope", "quit"],
        tmp_path,
    )
    t = out.stdout
    assert out.returncode == 0
    assert "Saved to 'first'." in t and "Taken back." in t and "Loaded 'first'." in t
    assert re.search(r"\nfirst: Start, Mon morning\. Saved \w{3} \d+ \w{3}, \d\d:\d\d\.\n", t)
    assert "Not saved: '../x' is not a slot name" in t
    assert "Not loaded: no save named 'nope'" in t
    assert (tmp_path / "saves" / "autosave.json").is_file()


def test_broken_world_is_reported_not_raised(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "neuripsquest",
            "play",
            "--plain",
            "--world",
            str(MINI.parent.parent / "broken" / "dangling_goto"),
        ],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "goto: no scene 'bb'" in out.stderr


def test_options_before_the_play_command_count(tmp_path):
    import json

    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "neuripsquest",
            "--seed",
            "5",
            "--saves",
            str(tmp_path),
            "--world",
            str(MINI),
            "play",
            "--plain",
        ],
        input="1\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    blob = json.loads((tmp_path / "autosave.json").read_text())
    assert blob["state"]["seed"] == 5


def test_reader_closing_the_pipe_is_not_an_error(tmp_path):
    proc = subprocess.Popen(
        plain_argv(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    _, err = proc.communicate("repeat\n" * 2000, timeout=60)
    assert proc.returncode == 0 and "Traceback" not in err


def test_a_sentence_at_the_money_prompt_is_an_answer_not_a_command(tmp_path):
    import subprocess

    from tests.conftest import plain_argv

    out = subprocess.run(
        plain_argv(tmp_path, "--new", "--seed", "1"),
        input="5\nI don't have a number\n",
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "You carry" not in out  # not the inventory command `i`
    assert "You said: no number" in out
