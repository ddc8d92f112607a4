"""The language server's plain-Python parts: the checks it runs on buffers agree with `lint`
on the same files, also after edits that let it reuse what it read before; the names index
finds declarations and uses exactly. (test_lsp.py drives the server itself over stdio.)"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from neuripsquest.tools import facts, lint
from neuripsquest.tools.lsp import complete
from neuripsquest.tools.lsp.index import SCENE, VAR
from neuripsquest.tools.lsp.workspace import World
from tests.conftest import MINI, ROOT

LINT_PROBLEMS = ROOT / "tests" / "worlds" / "lint_problems"


def as_lint_says(root: Path) -> list[tuple[str, int, int, str, str]]:
    return [
        (os.path.abspath(f.path), f.line, f.column, f.code, f.message)
        for f in lint.lint(facts.load(root))
    ]


def as_server_says(world: World) -> list[tuple[str, int, int, str, str]]:
    texts, unreadable = world.texts()
    assert unreadable == []
    return sorted((f.path, f.line, f.column, f.code, f.message) for f in world.check(texts))


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(LINT_PROBLEMS, tmp_path / "w")).resolve()


def test_buffers_are_checked_like_the_files_also_when_reused(copy: Path):
    world = World(copy)
    before = as_server_says(world)
    assert before == sorted(as_lint_says(copy))
    assert len(before) > 5  # the world has one of every warning
    # An edit to world.yaml (energy now starts at 6, so the nap's `energy > 5` can hold)
    # changes the findings; the scene file, unchanged, is not parsed again.
    wpath = copy / "world.yaml"
    old = "energy: {initial: 3, min: 0, max: 5}"
    text = wpath.read_text().replace(old, old.replace("3", "6"))
    world.buffers[wpath] = text
    wpath.write_text(text)
    after = as_server_says(world)
    assert after == sorted(as_lint_says(copy))
    assert after != before
    # An edit to the scene file in the buffer only: the file on disk stays as it was.
    spath = copy / "scenes" / "main.yaml"
    edited = spath.read_text().replace("if: energy > 5", "if: energy > 50", 1)
    world.buffers[spath] = edited
    spath.write_text(edited)
    assert as_server_says(world) == sorted(as_lint_says(copy))


def test_a_check_problem_is_an_error_at_its_place(tmp_path: Path):
    root = Path(shutil.copytree(MINI, tmp_path / "mini")).resolve()
    world = World(root)
    spath = root / "scenes" / "main.yaml"
    world.buffers[spath] = spath.read_text().replace("goto: ask\n", "goto: asc\n", 1)
    texts, _ = world.texts()
    (found,) = world.check(texts)
    assert (found.path, found.severity) == (str(spath), "error")
    assert "no scene 'asc'" in found.message and "did you mean 'ask'" in found.message


def test_the_index_finds_every_use_and_only_uses(tmp_path: Path):
    world = World(MINI.resolve())
    index = world.index()
    scenes = str(MINI.resolve() / "scenes" / "main.yaml")
    text = Path(scenes).read_text().split("\n")
    refs = index.refs(VAR, "pretzel")
    assert [r.decl for _, r in refs].count(True) == 1
    uses = [(p, r) for p, r in refs if not r.decl]
    assert all(p == scenes for p, _ in uses)
    # `has pretzel` twice and `give pretzel`; never the prose "A pretzel is in your pocket."
    assert sorted(r.span.line for _, r in uses) == [
        i for i, ln in enumerate(text) if "has pretzel" in ln or "give pretzel" in ln
    ]
    for _, r in uses:
        assert text[r.span.line][r.span.start : r.span.end] == "pretzel"
    assert index.names(SCENE) == ["a", "ask", "b", "rich"]
    assert index.names(VAR, "stat") == ["energy", "number"]
    assert index.names(VAR, "time slot") == ["evening", "morning"]


@pytest.mark.parametrize(
    "line, want",
    [
        ("      goto: ", {"a", "b", "ask", "rich"}),
        ("  start: r", {"a", "b", "ask", "rich"}),
        ("      if: energy > 2 and visits(", {"a", "b", "ask", "rich"}),
        ("      if: slot >= ", {"morning", "evening"}),
        ("      do: [give pretzel, set ", {"met"}),
        ("      do: advance to ", {"morning", "evening"}),
        ("  place: ", {"hall"}),
        ("  ending: ", {"done", "rich"}),
        ("  text: You have {", {"energy", "number", "day", "slot"}),
        ("        - {weight: 1, goto: ", {"a", "b", "ask", "rich"}),
        ("        - {weight: 1, goto: b, do: [take ", {"pretzel"}),
    ],
)
def test_completion_by_context(line: str, want: set[str]):
    index = World(MINI.resolve()).index()
    assert {i.label for i in complete.complete(index, [line], 0, len(line))} == want


def test_completion_in_a_block_list_of_effects():
    index = World(MINI.resolve()).index()
    lines = ["      do:", "        - energy += 1", "        - giv"]
    labels = {i.label for i in complete.complete(index, lines, 2, len(lines[2]))}
    assert {"give", "set", "energy"} <= labels and "pretzel" not in labels
    lines = ["      extra:", "        - te"]  # a list under another key: no effects
    assert complete.complete(index, lines, 1, len(lines[1])) == []


@pytest.mark.parametrize(
    "root",
    sorted(p.parent for p in (ROOT / "tests" / "broken").rglob("world.yaml")),
    ids=lambda p: p.name,
)
def test_errors_are_checks_problems(root: Path):
    from neuripsquest.store.loader import check_world

    world = World(root.resolve())
    texts, _ = world.texts()
    mine = sorted(
        (f.path, f.line, f.column, f.message) for f in world.check(texts) if f.severity == "error"
    )
    _, problems = check_world(root)
    assert problems  # a broken world
    assert mine == sorted((os.path.abspath(p.path), p.line, p.column, p.message) for p in problems)
