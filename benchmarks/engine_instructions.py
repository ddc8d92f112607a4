"""Instructions a step, ours and the naive engine's, counted by callgrind: the figure that a
busy machine does not move, to read beside engine_speed.py's timings.

    python benchmarks/engine_instructions.py [--scenes N] [--steps S] [--quick]

For each engine, callgrind counts a process that loads the synthetic world, walks a warm-up
walk (so the per-scene plan ours builds on first reaching a scene, and the caches both warm,
are mostly made) and then walks S steps of the benchmark's walk (naive_engine.walk_ours /
walk_naive, choosing included); the same process with S = 0 is counted too, and the
difference over S is the cost of a step. Needs valgrind; the figure is the instruction count
(Ir), not time. Every child runs with the same PYTHONHASHSEED: with each its own random seed,
loading the world alone differed by tens of millions of instructions between the two runs
whose difference is taken, a thousand instructions a step of noise.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("NEURIPSQUEST_CACHE", "off")

from paired import Table  # noqa: E402

HERE = Path(__file__).parent

# Run inside callgrind: argv = world dir, engine ("ours" / "naive"), warm-up steps, steps.
CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from naive_engine import naive_world, walk_naive, walk_ours
from neuripsquest.store.loader import load_world
world = load_world(sys.argv[2], use_cache=False)
warm, steps = int(sys.argv[4]), int(sys.argv[5])
if sys.argv[3] == "ours":
    walk_ours(world, warm, seed=2)
    if steps:
        walk_ours(world, steps, seed=1)
else:
    nw = naive_world(world)
    walk_naive(nw, warm, seed=2)
    if steps:
        walk_naive(nw, steps, seed=1)
"""


def collected(world: Path, which: str, warm: int, steps: int) -> int:
    """Instructions callgrind counted for the whole child process."""
    out = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            CHILD,
            str(HERE),
            str(world),
            which,
            str(warm),
            str(steps),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    m = re.search(r"Collected\s*:\s*(\d+)", out.stderr)
    if out.returncode != 0 or m is None:
        raise SystemExit(f"callgrind run failed ({out.returncode}): {out.stderr[-2000:]}")
    return int(m.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenes", type=int, default=1_000)
    ap.add_argument("--warm", type=int, default=20_000, help="warm-up steps before the count")
    ap.add_argument("--steps", type=int, default=50_000)
    ap.add_argument("--target", type=float, default=29_000, help="ours, instructions a step")
    ap.add_argument("--naive", type=float, help="the naive engine's count, from an earlier run")
    ap.add_argument("--quick", action="store_true", help="a tiny run, to see the script works")
    args = ap.parse_args()
    if args.quick:
        args.scenes, args.warm, args.steps = 100, 500, 1_000
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    from synth import make_world

    table = Table(f"engine_instructions: {args.scenes:,}-scene synthetic world, by callgrind")
    per: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        world = make_world(args.scenes, Path(tmp) / "w")
        if args.naive:
            per["naive"] = args.naive
        for which in ("ours",) if args.naive else ("ours", "naive"):
            base = collected(world, which, args.warm, 0)
            full = collected(world, which, args.warm, args.steps)
            per[which] = (full - base) / args.steps
            print(f"{which}: {base:,} instructions without the walk, {full:,} with it")
    ratio = per["naive"] / per["ours"]
    table.add(
        "instructions a step, ours",
        f"{per['ours']:,.0f}",
        f"<= {args.target:,.0f}",
        per["ours"] <= args.target,
    )
    table.add("instructions a step, naive engine", f"{per['naive']:,.0f}")
    table.add("naive / ours (an instruction-count speed ratio)", f"{ratio:.2f}x")
    table.print()


if __name__ == "__main__":
    main()
