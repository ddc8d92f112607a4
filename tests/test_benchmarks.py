"""The benchmarks keep working: the paired-timing helper does what its figures claim, and each
script runs in a tiny configuration (`--quick`) to its closing table. The figures themselves
are not asserted: they depend on the machine."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import paired  # noqa: E402


def test_rounds_alternate_which_variant_goes_first():
    order: list[str] = []
    paired.paired(lambda: order.append("a"), lambda: order.append("b"), rounds=4, warmup=1)
    assert order == ["a", "b", "a", "b", "b", "a", "a", "b", "b", "a"]


def test_ratios_are_per_round_and_a_returned_number_is_the_time():
    times_a = iter([1.0, 2.0, 4.0])
    times_b = iter([3.0, 2.0, 2.0])
    pair = paired.paired(lambda: next(times_a), lambda: next(times_b), rounds=3, warmup=0)
    assert pair.a == (1.0, 2.0, 4.0) and pair.b == (3.0, 2.0, 2.0)
    assert pair.ratios == (3.0, 1.0, 0.5)
    assert pair.speedups == (1 / 3, 1.0, 2.0)
    s = paired.spread(pair.ratios)
    assert (s.median, s.low, s.high, s.n) == (1.0, 0.5, 3.0, 3)
    assert s.q1 == pytest.approx(0.75) and s.q3 == pytest.approx(2.0)


@pytest.mark.parametrize("mode, during", [("off", False), ("on", True)])
def test_the_collector_is_in_the_same_state_for_both_sides(mode, during):
    seen: list[bool] = []

    def body() -> None:
        seen.append(gc.isenabled())

    assert gc.isenabled()
    paired.paired(body, body, rounds=2, gc=mode, warmup=0)
    assert seen == [during] * 4
    assert gc.isenabled()  # given back as it was found


def test_the_table_says_met_missed_or_info(capsys):
    t = paired.Table("demo")
    t.add("fast enough", "2.00x", ">= 1.00x", True)
    t.add("too slow", "0.10x", ">= 1.00x", False)
    t.add("for information", "42 ms")
    t.add_spread(paired.spread([1.0, 2.0, 3.0]))
    t.print()
    out = capsys.readouterr().out
    lines = {line.split()[0] + line.split()[1]: line for line in out.splitlines() if line.strip()}
    assert lines["fastenough"].endswith("met")
    assert lines["tooslow"].endswith("MISSED")
    assert lines["forinformation"].endswith("info")
    assert "1.50-2.50; 1.00-3.00" in out


def test_a_failing_process_is_never_a_figure():
    with pytest.raises(SystemExit, match="failed"):
        paired.run_process([sys.executable, "-c", "raise SystemExit(3)"])


SCRIPTS = [
    "engine_speed.py",
    "check_speed.py",
    "plain_startup.py",
    "tui_startup.py",
    "explore_bench.py",
    "lsp_latency.py",
    "ink_speed.py",
]


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS)
def test_each_benchmark_runs_to_its_table(script, tmp_path):
    if script == "lsp_latency.py":
        pytest.importorskip("pygls", reason="the language server needs the `lsp` extra")
    if script == "ink_speed.py" and not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("the comparison with inkjs needs Node.js and npm")
    if script == "tui_startup.py" and not hasattr(os, "openpty"):
        pytest.skip("the start-up figures need a pseudo-terminal")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TMPDIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--quick"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    head = next(
        i for i, line in enumerate(lines) if line.split()[:3] == ["figure", "value", "target"]
    )
    rows = [line for line in lines[head + 2 :] if line.strip()]
    assert rows, out.stdout
    assert all(line.rstrip().endswith(("met", "MISSED", "info")) for line in rows), rows
    assert any(line.rstrip().endswith(("met", "MISSED")) for line in rows), "no target in the table"
