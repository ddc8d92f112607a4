"""Every deliberately broken world reports exactly the located problems in its expected.txt."""

import subprocess
import sys
from pathlib import Path

import pytest

from neuripsquest.store.loader import check_world

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if (p / "expected.txt").is_file())


def test_there_are_many_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_broken_world_reports_exact_problems(case, monkeypatch):
    monkeypatch.chdir(BROKEN / case)
    world, problems = check_world(".")
    expected = (BROKEN / case / "expected.txt").read_text().splitlines()
    assert world is None
    assert [str(p) for p in problems] == expected


def test_check_command_exit_codes_and_no_traceback(monkeypatch):
    env_case = BROKEN / "many_at_once"
    out = subprocess.run(
        [sys.executable, "-m", "neuripsquest", "check", "."],
        cwd=env_case,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert "4 problems found" in out.stderr
    clean = subprocess.run(
        [sys.executable, "-m", "neuripsquest", "check", str(Path(__file__).parent / "worlds/mini")],
        capture_output=True,
        text=True,
    )
    assert clean.returncode == 0, clean.stderr
    usage = subprocess.run(
        [sys.executable, "-m", "neuripsquest", "check", "--bogus"], capture_output=True, text=True
    )
    assert usage.returncode == 2


def test_missing_world_folder_is_a_problem_not_a_crash(tmp_path):
    world, problems = check_world(tmp_path / "nope")
    assert world is None and "no such world folder" in problems[0].message
    world, problems = check_world(tmp_path)
    assert "missing world.yaml" in problems[0].message
