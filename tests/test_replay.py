"""Replay: passing scripts, and the readable diff at the first step that departs."""

import subprocess
import sys
import textwrap

from neuripsquest.play import replay
from tests.conftest import MINI


def write(tmp_path, body, name="p.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(body))
    return str(p)


def test_a_passing_script(mini, tmp_path):
    path = write(
        tmp_path,
        """\
        name: Pretzel then the number
        seed: 5
        steps:
          - eat
          - choose: ask
            expect: {scene: ask, stats: {energy: 4}, items: {pretzel: true}}
          - type: "$100M"
        expect:
          ending: rich
          scene: rich
          stats: {number: {min: 99_000_000, max: 100_000_000}}
          flags: {met: false}
        """,
    )
    res = replay.run(mini, replay.load(path))
    assert res.ok, res.report
    assert res.steps == 3


def test_refused_step_names_file_line_and_offers(mini, tmp_path):
    path = write(
        tmp_path,
        """\
        seed: 5
        steps:
          - eat
          - tired
        """,
    )
    res = replay.run(mini, replay.load(path))
    assert not res.ok
    assert res.report[0] == (
        f"{path}:4:5: step 2 (choose: tired) was refused in scene 'a': You need 5 energy."
    )
    assert "    meet: Meet someone" in res.report
    assert "    tired: Run a marathon  [unavailable: You need 5 energy.]" in res.report


def test_expectation_diff(mini, tmp_path):
    path = write(
        tmp_path,
        """\
        seed: 5
        steps:
          - choose: eat
            expect: {scene: b, stats: {energy: 9}, flags: {met: true}, items: {pretzel: false}}
        """,
    )
    res = replay.run(mini, replay.load(path))
    assert res.report == [
        f"{path}:3:5: after step 1 (choose: eat):",
        "  - scene: expected 'b', got 'a'",
        "  - stats.energy: expected 9, got 4",
        "  - flags.met: expected True, got False",
        "  - items.pretzel: expected False, got True",
    ]


def test_bad_playthrough_file_is_located(mini, tmp_path):
    path = write(
        tmp_path,
        """\
        seed: 5
        stepz: [eat]
        """,
    )
    res = replay.run(mini, replay.load(path))
    assert not res.ok
    assert f"{path}:2:1: unknown key 'stepz'" in res.report[0]


def test_replay_command_exit_codes(tmp_path):
    script = f"world: {MINI}\nsteps: [ask, {{type: 250k}}]\n"
    good = write(tmp_path, script + "expect: {ending: done}\n")
    bad = write(
        tmp_path,
        f"world: {MINI}\nsteps: [ask, {{type: 250k}}]\nexpect: {{ending: rich}}\n",
        "bad.yaml",
    )
    ok = subprocess.run(
        [sys.executable, "-m", "neuripsquest", "replay", good], capture_output=True, text=True
    )
    assert ok.returncode == 0 and "1 passed, 0 failed" in ok.stdout
    fail = subprocess.run(
        [sys.executable, "-m", "neuripsquest", "replay", good, bad], capture_output=True, text=True
    )
    assert fail.returncode == 1
    assert "- ending: expected 'rich', got 'done'" in fail.stdout
    assert "1 passed, 1 failed" in fail.stdout


def test_same_script_same_result_every_time(mini, tmp_path):
    path = write(tmp_path, "seed: 11\nsteps: [coin]\n")
    results = {replay.run(mini, replay.load(path)).state for _ in range(5)}
    assert len(results) == 1
