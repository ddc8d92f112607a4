"""Without libyaml the pure (still safe) parser runs: same data, same located problems."""

from pathlib import Path

import pytest

from neuripsquest.format import yamlsrc
from neuripsquest.store.loader import check_world

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if (p / "expected.txt").is_file())


@pytest.fixture
def pure(monkeypatch):
    monkeypatch.setattr(yamlsrc, "_Loader", yamlsrc.PURE_LOADER)


@pytest.mark.parametrize("case", CASES)
def test_same_problems_without_libyaml(pure, case, monkeypatch):
    monkeypatch.chdir(BROKEN / case)
    _, problems = check_world(".")
    got = [str(p) for p in problems]
    expected = (BROKEN / case / "expected.txt").read_text().splitlines()
    if case == "yaml_syntax":  # the two parsers word syntax errors differently
        got = [g.split(": YAML syntax:")[0] for g in got]
        expected = [e.split(": YAML syntax:")[0] for e in expected]
    assert got == expected


def test_shipped_world_reads_the_same(pure):
    root = Path(__file__).resolve().parents[1] / "world"
    world, problems = check_world(root)
    assert problems == [] and len(world.scenes) >= 70


def test_pure_loader_builds_no_python_objects():
    doc = yamlsrc.read("x.yaml", "a: !!python/object/apply:os.system [echo]\n", yamlsrc.PURE_LOADER)
    assert doc.problems and "not allowed" in doc.problems[0].message
