"""`neuripsquest check` against the bare parse of the same files.

    python benchmarks/check_speed.py [--rounds R] [--sizes N ...] [--quick]

For the shipped world and synthetic worlds of 1,000 and 10,000 scenes, round by round
(benchmarks/paired.py): (A) reading every file of the world and `yaml.load` with PyYAML's C
loader (`CSafeLoader`), the least any YAML game must do, and (B) a cold `check_world` (no
cache: read, parse with positions, validate, resolve every reference across files, compile
every expression). The figure is B/A per round: median and spread. Target: <= 2x.

The collector is off on both sides (collected first): the loader turns it off itself while it
builds its objects, and a bare `yaml.load` with the collector on spends much of its time in
collections on a large world (4.4 s against 2.0 s for check at 10,000 scenes, measured), so
leaving it on would flatter check. Rounds: R for the shipped and 1,000-scene worlds, R // 2
(at least 2) for the 10,000-scene one, which takes seconds a round.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
os.environ["NEURIPSQUEST_CACHE"] = "off"

from paired import Table, paired, spread  # noqa: E402
from synth import make_world  # noqa: E402

from neuripsquest.store.loader import check_world  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2.0


def bare_parse(files: list[Path]) -> None:
    for f in files:
        yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def check(root: Path) -> None:
    world, problems = check_world(root)
    if world is None or problems:
        raise SystemExit(f"{root}: check found problems: {[str(p) for p in problems[:3]]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000])
    ap.add_argument("--quick", action="store_true", help="a tiny run, to see the script works")
    args = ap.parse_args()
    if args.quick:
        args.rounds, args.sizes = 2, [100]
    table = Table("check_speed: cold check vs bare C-loader parse of the same files")
    print(f"{'world':>16} {'MB':>5} {'parse s':>8} {'check s':>8}  check/parse")
    with tempfile.TemporaryDirectory() as tmp:
        worlds = [("shipped", ROOT / "world", args.rounds)]
        for n in args.sizes:
            rounds = args.rounds if n <= 1_000 else max(args.rounds // 2, 2)
            worlds.append((f"{n:,} scenes", make_world(n, Path(tmp) / f"w{n}"), rounds))
        for name, root, rounds in worlds:
            files = sorted(root.rglob("*.yaml"))
            mb = sum(p.stat().st_size for p in files) / 1e6
            pair = paired(lambda f=files: bare_parse(f), lambda r=root: check(r), rounds, gc="off")
            s = spread(pair.ratios)
            print(f"{name:>16} {mb:>5.1f} {pair.median_a():>8.3f} {pair.median_b():>8.3f}  {s}")
            table.add(
                f"check / parse, {name}",
                f"{s.median:.2f}x",
                f"<= {TARGET:.2f}x",
                s.median <= TARGET,
            )
            table.add_spread(s)
    table.print()


if __name__ == "__main__":
    main()
