"""Where a front end's turn goes beyond the bare step: instructions and simulated cache misses
of `engine.step` alone and of a turn (`view.shown` + `engine.step`), counted by cachegrind on
the synthetic world. The figures `engine_speed.py`'s turn ratio is made of, without the noise
of a shared machine: on a large world the view's cost is mostly reads of cold memory.

    python benchmarks/engine_misses.py [--scenes N] [--pairs P] [--quick]

Each count is a child process under `valgrind --tool=cachegrind --cache-sim=yes` with a
512 KiB last-level cache (about a core's L2 on the machines these figures came from): it
loads the world, records P (state, action) pairs of a random walk (`engine_speed.record`),
runs the turn over them once so that every table is built, then runs its body over them
twice. The same process with no body is counted too, and the difference over 2P is the cost
a step or a turn. The three run side by side, one process each. Needs valgrind. Every child
runs with the same PYTHONHASHSEED, so the counts repeat exactly.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("NEURIPSQUEST_CACHE", "off")

from paired import Table  # noqa: E402

HERE = Path(__file__).parent
LL = "524288,8,64"  # size, ways, line: the last-level cache cachegrind simulates

# Run inside cachegrind: argv = benchmarks dir, world dir, body ("none", "step", "turn"), pairs.
CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from engine_speed import record
from neuripsquest.core import engine
from neuripsquest.play import view
from neuripsquest.store.loader import load_world
world = load_world(sys.argv[2], use_cache=False)
pairs = record(world, int(sys.argv[4]))
step, shown = engine.step, view.shown
for s, a in pairs:
    shown(world, s)
    step(world, s, a)
for _ in range(2 if sys.argv[3] != "none" else 0):
    if sys.argv[3] == "step":
        for s, a in pairs:
            step(world, s, a)
    else:
        for s, a in pairs:
            shown(world, s)
            step(world, s, a)
"""

COUNTS = (("I   refs", "instructions"), ("D1  misses", "first-level"), ("LLd misses", "last-level"))


def counted(world: Path, body: str, pairs: int) -> dict[str, int]:
    """Instructions and data misses cachegrind counted for the whole child process."""
    out = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=yes",
            f"--LL={LL}",
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            "-c",
            CHILD,
            str(HERE),
            str(world),
            body,
            str(pairs),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    got = {}
    for label, name in COUNTS:
        m = re.search(re.escape(label) + r":\s+([\d,]+)", out.stderr)
        if out.returncode != 0 or m is None:
            raise SystemExit(f"cachegrind run failed ({out.returncode}): {out.stderr[-2000:]}")
        got[name] = int(m.group(1).replace(",", ""))
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenes", type=int, default=10_000)
    ap.add_argument("--pairs", type=int, default=30_000, help="recorded (state, action) pairs")
    ap.add_argument("--quick", action="store_true", help="a tiny run, to see the script works")
    args = ap.parse_args()
    if args.quick:
        args.scenes, args.pairs = 100, 500
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    from synth import make_world

    table = Table(f"engine_misses: {args.scenes:,}-scene synthetic world, by cachegrind")
    with tempfile.TemporaryDirectory() as tmp:
        world = make_world(args.scenes, Path(tmp) / "w")
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # one process each
            base, step, turn = pool.map(
                lambda body: counted(world, body, args.pairs), ("none", "step", "turn")
            )
    n = 2 * args.pairs
    for _, name in COUNTS:
        alone = (step[name] - base[name]) / n
        view = (turn[name] - step[name]) / n
        print(f"{name}: a bare step {alone:,.1f}, a turn's view on top {view:,.1f}")
        table.add(f"{name} a bare step", f"{alone:,.1f}")
        table.add(f"{name} a turn's view (view.shown)", f"{view:,.1f}")
        table.add(f"  view / step, {name}", f"{view / alone:.2f}x" if alone else "-")
    table.print()


if __name__ == "__main__":
    main()
