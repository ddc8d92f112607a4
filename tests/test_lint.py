"""`neuripsquest lint`: exact warnings on purpose-built worlds, formats and exit codes."""

import json
import subprocess
import sys
from pathlib import Path

from neuripsquest.tools import facts, lint
from tests.conftest import MINI, WORLD

WORLDS = Path(__file__).parent / "worlds"
PROBLEMS = WORLDS / "lint_problems"


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "neuripsquest", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_every_kind_of_warning_exactly(monkeypatch):
    monkeypatch.chdir(PROBLEMS)
    found = lint.lint(facts.load("."))
    expected = (PROBLEMS / "expected.txt").read_text().splitlines()
    assert [str(f) for f in found] == expected
    codes = {f.code for f in found}
    assert codes >= {
        "never-true",
        "disabled-without-if",
        "no-exit",
        "unreachable-scene",
        "dead-end",
        "unwritten-stat",
        "unread-stat",
        "unused-stat",
        "unset-flag",
        "unread-flag",
        "unused-flag",
        "ungiven-item",
        "unread-item",
        "unreached-ending",
    }


def test_a_comment_silences_a_warning_on_its_line(monkeypatch):
    monkeypatch.chdir(PROBLEMS)
    found = lint.lint(facts.load("."))
    assert "hat" in (PROBLEMS / "world.yaml").read_text()
    assert not any("'hat'" in f.message for f in found)


def test_clock_flow_proves_time_gated_choices_impossible(monkeypatch):
    monkeypatch.chdir(PROBLEMS)
    found = [f for f in lint.lint(facts.load(".")) if "morning_bus" in f.message]
    assert [f.message for f in found] == [
        "choice 'morning_bus' can never be taken: scene 'porch' is only played on Mon evening"
    ]


def test_exit_codes_and_strict(monkeypatch):
    out = cli("lint", ".", cwd=PROBLEMS)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == (PROBLEMS / "expected.txt").read_text().splitlines()
    assert "0 errors, 25 warnings" in out.stderr
    strict = cli("lint", "--strict", ".", cwd=PROBLEMS)
    assert strict.returncode == 1
    ignored = cli("lint", "--strict", ".", *sum((["--ignore", c] for c in CODES), []), cwd=PROBLEMS)
    assert ignored.returncode == 0, ignored.stdout


CODES = [
    "never-true",
    "disabled-without-if",
    "no-exit",
    "unreachable-scene",
    "dead-end",
    "unwritten-stat",
    "unread-stat",
    "unused-stat",
    "unset-flag",
    "unread-flag",
    "unused-flag",
    "ungiven-item",
    "unread-item",
    "unreached-ending",
]


def test_errors_are_check_problems_located_and_exit_1():
    broken = Path(__file__).parent / "broken" / "many_at_once"
    out = cli("lint", ".", cwd=broken)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    lines = out.stdout.splitlines()
    assert lines and all(": error: " in line and line.endswith("[check]") for line in lines)
    expected = (broken / "expected.txt").read_text().splitlines()
    assert [line.replace(": error:", ":").removesuffix(" [check]") for line in lines] == expected


def test_json_format():
    out = cli("lint", "--format", "json", str(PROBLEMS))
    blob = json.loads(out.stdout)
    assert blob["errors"] == 0 and blob["warnings"] == 25
    first = blob["problems"][0]
    assert set(first) == {"path", "line", "column", "severity", "code", "message"}


def test_mini_world_has_one_known_warning():
    found = lint.lint(facts.load(MINI))
    assert [f.code for f in found] == ["unread-flag"]


def test_usage_error_is_exit_2():
    assert cli("lint", "--bogus").returncode == 2


def test_shipped_world_lints_without_errors():
    found = lint.lint(facts.load(WORLD))
    assert not [f for f in found if f.severity == "error"]


def test_possible_matches_the_warnings(monkeypatch):
    monkeypatch.chdir(PROBLEMS)
    p = lint.possible(facts.load("."))
    assert "cellar" not in p.scenes and "maze" in p.scenes
    assert ("hall", "nap") not in p.choices and ("hall", "home") in p.choices
    assert ("porch", "morning_bus") not in p.choices
    assert ("guess", "#0") not in p.choices and ("guess", "#1") in p.choices
    assert p.endings == {"home"}


def test_possible_never_rules_out_what_the_full_walk_plays(tmp_path):
    """The static reading (unreachable scenes, impossible choices and input outcomes, which
    lint warns of and explore takes as proven) against the full walk, on random worlds with
    every feature of the language: whatever the walk plays, it must call possible. It rules
    out a few scenes and ways in most of these worlds, so it has room to be wrong."""
    from neuripsquest.tools import explore
    from tests.test_explore import random_world, rich_world

    compared = ruled_out = 0
    for seed in range(40):
        for make in (random_world, rich_world):
            src = facts.load(make(tmp_path / f"{make.__name__}{seed}", seed, 10))
            full = explore.explore(src, max_states=50_000, probes=0)
            if not full.complete:
                continue
            compared += 1
            p = lint.possible(src)
            untaken = {(s, c) for s, c, _ in full.untaken}
            for sid in set(src.world.scenes) - {s for s, _ in full.unreached}:
                assert sid in p.scenes, (make.__name__, seed, sid)
                sc = src.world.scenes[sid]
                ways = [c.id for c in sc.choices]
                ways += [f"#{j}" for j in range(len(sc.input.outcomes))] if sc.input else []
                for way in ways:
                    if (sid, way) not in untaken:
                        assert (sid, way) in p.choices, (make.__name__, seed, sid, way)
            ruled_out += len(src.world.scenes) - len(p.scenes)
    assert compared >= 70 and ruled_out >= 100, (compared, ruled_out)
