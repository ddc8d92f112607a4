"""`neuripsquest randomtest`: deterministic, counts everything, finds stuck runs."""

import json
import subprocess
import sys
from pathlib import Path

from neuripsquest.tools import facts, randomtest
from tests.conftest import MINI

SOFT = Path(__file__).parent / "worlds" / "softlocks"


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "neuripsquest", "randomtest", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_same_seed_same_output_and_another_seed_differs():
    a = cli(str(MINI), "--runs", "50", "--seed", "7")
    b = cli(str(MINI), "--runs", "50", "--seed", "7")
    c = cli(str(MINI), "--runs", "50", "--seed", "8")
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    assert a.stdout != c.stdout


def test_counts_add_up():
    src = facts.load(MINI)
    t = randomtest.run_many(src.world, randomtest.input_amounts(src), 200, seed=1)
    assert t.runs == 200
    assert sum(t.endings.values()) + len(t.stuck) + len(t.limit) == 200
    assert set(t.endings) == {"done", "rich"}  # the typed amount is tried both ways
    assert t.choices[("a", "tired")] == 0
    assert t.scenes["a"] >= 200
    for ending, stats in t.stats_at.items():
        assert len(stats) == t.endings[ending]


def test_avoid_used_spreads_the_runs():
    src = facts.load(SOFT)
    amounts = randomtest.input_amounts(src)
    plain = randomtest.run_many(src.world, amounts, 40, seed=3)
    spread = randomtest.run_many(src.world, amounts, 40, seed=3, avoid_used=True)
    used = lambda t: sum(1 for n in t.choices.values() if n)  # noqa: E731
    assert used(spread) >= used(plain)


def test_stuck_runs_are_reported_with_a_replayable_path(tmp_path):
    out = cli(str(SOFT), "--runs", "100", "--seed", "2", "--format", "json")
    assert out.returncode == 1  # stuck and never-ending runs fail it
    blob = json.loads(out.stdout)
    assert blob["runs"] == 100
    assert blob["stuck"], blob
    stuck = blob["stuck"][0]
    assert stuck["scene"] == "summit"
    pt = tmp_path / "stuck.yaml"
    pt.write_text(
        json.dumps({"seed": stuck["seed"], "steps": stuck["steps"], "expect": {"scene": "summit"}})
    )
    replayed = subprocess.run(
        [sys.executable, "-m", "neuripsquest", "replay", str(pt), "--world", str(SOFT)],
        capture_output=True,
        text=True,
    )
    assert replayed.returncode == 0, replayed.stdout
    assert blob["step_limit"]  # the tunnel loops forever
    assert set(blob["stats_at_endings"]) <= {"out", "treasure"}


def test_text_report_has_every_section():
    out = cli(str(MINI), "--runs", "30", "--seed", "1", "--avoid-used")
    text = out.stdout
    for heading in ("Endings:", "Stats at each ending", "Scenes (times entered):", "Choices"):
        assert heading in text
    assert "a.tired  0  NEVER" in text


def test_runs_type_more_than_one_amount_for_the_same_outcome(tmp_path):
    # 0 and 6 both take `ask`'s second outcome; only 0 leaves the player stuck at the bar.
    from tests.test_explore_proof import KEPT, written

    src = facts.load(written(tmp_path, "kept", KEPT))
    t = randomtest.play_world(src, 40, seed=1)
    assert t.stuck and all(run.steps[-1] == {"type": "0"} for run in t.stuck)
    assert t.endings["lose"] > 0  # the other amounts reach the bar with something to pay
