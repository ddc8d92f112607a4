"""Time to the first scene in plain mode, and the memory of a cold check against a warm start.

    python benchmarks/plain_startup.py [--rounds R] [--scenes N] [--quick]

Every figure is of whole processes (`python -m neuripsquest play --plain`, empty input: it
prints the first scene and its choices and exits at the end of input), run round by round and
alternating with the process it is compared to (benchmarks/paired.py), with a warm world
cache as after the first start:

- the shipped world against a bare Python start (`python -c pass`, the floor no program
  started by Python can go under): for information;
- the 10,000-scene synthetic world against the shipped world. Target: <= 1.5x;
- peak resident memory of a cold `neuripsquest check` (no cache: every file parsed and
  validated) against that of the warm start, both worlds, one run each (ru_maxrss of the
  child, which varies by well under a percent between runs). Target: <= 2x.
The first start after a world edit (cold cache) is printed for information.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from paired import Table, as_installed, paired, peak_rss, run_process, spread  # noqa: E402
from synth import make_world  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--scenes", type=int, default=10_000)
    ap.add_argument("--quick", action="store_true", help="a tiny run, to see the script works")
    args = ap.parse_args()
    if args.quick:
        args.rounds, args.scenes = 2, 300
    big = f"{args.scenes:,}-scene world"
    table = Table("plain_startup: whole processes, warm world cache")
    with tempfile.TemporaryDirectory() as tmp:
        env = as_installed({**os.environ, "NEURIPSQUEST_CACHE": str(Path(tmp) / "cache")}, tmp)
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")])
        )
        synth = make_world(args.scenes, Path(tmp) / "synth")

        def play(world: Path) -> list[str]:
            return [
                sys.executable,
                "-m",
                "neuripsquest",
                "play",
                "--plain",
                "--seed",
                "1",
                "--world",
                str(world),
                "--saves",
                str(Path(tmp) / "saves"),
            ]

        shipped, large = play(ROOT / "world"), play(synth)
        cold = run_process(shipped, env)  # fills the cache (and the bytecode)
        run_process(large, env)
        for cmd in (shipped, large):
            out = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True)
            if b"1. " not in out.stdout:
                raise SystemExit(f"plain mode showed no scene with choices: {out.stdout[-500:]!r}")

        bare = [sys.executable, "-c", "pass"]
        p1 = paired(
            lambda: run_process(bare, env),
            lambda: run_process(shipped, env),
            args.rounds,
            gc="process",
        )
        s1 = spread(p1.ratios)
        print(f"python -c pass                   median {p1.median_a() * 1000:6.0f} ms")
        print(f"shipped world, warm              median {p1.median_b() * 1000:6.0f} ms  {s1}")
        p2 = paired(
            lambda: run_process(shipped, env),
            lambda: run_process(large, env),
            args.rounds,
            gc="process",
        )
        s2 = spread(p2.ratios)
        print(f"shipped world, warm              median {p2.median_a() * 1000:6.0f} ms")
        print(f"{big}, warm  median {p2.median_b() * 1000:6.0f} ms  {s2}")
        print(f"first start after a world edit (cold cache), shipped: {cold * 1000:.0f} ms")

        memory = []
        for name, world, cmd in (("shipped", ROOT / "world", shipped), (big, synth, large)):
            check = [sys.executable, "-m", "neuripsquest", "check", str(world)]
            cold_rss = peak_rss(check, {**env, "NEURIPSQUEST_CACHE": "off"})
            warm_rss = peak_rss(cmd, env)
            print(
                f"peak memory, {name}: cold check {cold_rss / 2**20:.0f} MiB, "
                f"warm start {warm_rss / 2**20:.0f} MiB"
            )
            memory.append((name, cold_rss, warm_rss))

    table.add("shipped warm start", f"{p1.median_b() * 1000:.0f} ms")
    table.add("  / bare `python -c pass`", f"{s1.median:.2f}x")
    table.add_spread(s1)
    table.add(f"{big} warm start", f"{p2.median_b() * 1000:.0f} ms")
    table.add("  / shipped warm start", f"{s2.median:.2f}x", "<= 1.50x", s2.median <= 1.5)
    table.add_spread(s2)
    table.add("first start after an edit, shipped", f"{cold * 1000:.0f} ms")
    for name, cold_rss, warm_rss in memory:
        r = cold_rss / warm_rss
        table.add(
            f"cold check / warm start peak memory, {name}",
            f"{r:.2f}x ({cold_rss / 2**20:.0f}/{warm_rss / 2**20:.0f} MiB)",
            "<= 2.00x",
            r <= 2.0,
        )
    table.print()


if __name__ == "__main__":
    main()
