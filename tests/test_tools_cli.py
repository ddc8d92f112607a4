"""The writers' and CI's commands together: no tracebacks, no Textual, the TUI hand-off."""

import subprocess
import sys
from pathlib import Path

import pytest

from neuripsquest import cli
from neuripsquest.store.loader import read_sources
from tests.conftest import MINI

BROKEN = Path(__file__).parent / "broken" / "many_at_once"
TOOLS = [
    "tools.facts",
    "tools.lint",
    "tools.explore",
    "tools.randomtest",
    "tools.graph",
    "tools.report",
    "tools.replay_update",
    "format.schema",
    "play.watch",
    "play.record",
]


def test_tool_modules_do_not_import_textual():
    code = (
        "import sys\n"
        + "".join(f"import neuripsquest.{m}\n" for m in TOOLS)
        + "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "."],
        ["explore", "."],
        ["randomtest", ".", "--runs", "3"],
        ["graph", "."],
        ["report", "."],
    ],
    ids=lambda a: a[0],
)
def test_a_broken_world_gives_located_problems_not_a_traceback(args):
    out = subprocess.run(
        [sys.executable, "-m", "neuripsquest", *args], cwd=BROKEN, capture_output=True, text=True
    )
    assert out.returncode == 1
    assert "Traceback" not in out.stderr + out.stdout
    first = (BROKEN / "expected.txt").read_text().splitlines()[0]
    path, line, col = first.split(":")[:3]
    assert f"{path}:{line}:{col}:" in out.stderr + out.stdout


@pytest.mark.parametrize(
    "args",
    [["explore", "--max-states", "0"], ["randomtest", "--runs", "x"], ["report", "--runs", "0"]],
)
def test_bad_numbers_are_usage_errors(args):
    out = subprocess.run(
        [sys.executable, "-m", "neuripsquest", *args], capture_output=True, text=True
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_read_sources():
    world, problems, texts, contents = read_sources(MINI)
    assert world is not None and problems == []
    assert texts[0][0].endswith("world.yaml") and len(texts) == 2
    assert contents is not None and contents.files[0][1][0].id == "a"
    world, problems, texts, contents = read_sources(BROKEN)
    assert world is None and problems and contents is None


def test_the_tui_is_given_every_play_option(monkeypatch, tmp_path):
    from neuripsquest.frontends.tui import app as tui_app

    seen = {}

    def run_app(world, **options):
        seen.update(options)
        return 0

    monkeypatch.setattr(tui_app, "run_app", run_app)
    monkeypatch.setattr(cli, "_wants_plain", lambda args: False)
    argv = ["play", "--world", str(MINI), "--saves", str(tmp_path), "--seed", "3"]
    assert cli.main([*argv, "--watch", "--from", "ask"]) == 0
    assert seen["seed"] == 3 and seen["saves_dir"] == tmp_path
    assert seen["watch"] and seen["watcher"] is not None and seen["recorder"] is None
    assert seen["new"] and seen["start"].scene == "ask"
