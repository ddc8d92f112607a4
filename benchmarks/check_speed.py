"""`neuripsquest check` against the bare C-loader parse of the same files.

    python benchmarks/check_speed.py [N_SCENES ...]

For each synthetic world (default 100, 1,000 and 10,000 scenes) it times, side by side and
best of three: `yaml.load` with PyYAML's C loader over every file (the reference), the pure
loader on the largest world once, and the full `check` (parse, pydantic validation, cross-file
resolution, expression compilation) in the same process. Target: check <= 2x the C parse.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
os.environ["NEURIPSQUEST_CACHE"] = "off"

from synth import make_world  # noqa: E402

from neuripsquest.store.loader import check_world  # noqa: E402


def bare_parse(root: Path, loader: type) -> float:
    files = sorted(root.rglob("*.yaml"))
    t0 = time.perf_counter()
    for f in files:
        yaml.load(f.read_text(encoding="utf-8"), Loader=loader)
    return time.perf_counter() - t0


def check(root: Path) -> float:
    t0 = time.perf_counter()
    world, problems = check_world(root)
    elapsed = time.perf_counter() - t0
    assert world is not None and not problems, problems[:3]
    return elapsed


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1_000, 10_000]
    with tempfile.TemporaryDirectory() as tmp:
        check(make_world(10, Path(tmp) / "warm"))  # imports and model building, once
        print(f"{'scenes':>7} {'MB':>6} {'C parse s':>10} {'check s':>8} {'ratio':>6}")
        for n in sizes:
            root = make_world(n, Path(tmp) / f"w{n}")
            mb = sum(p.stat().st_size for p in root.rglob("*.yaml")) / 1e6
            c = min(bare_parse(root, yaml.CSafeLoader) for _ in range(3))
            k = min(check(root) for _ in range(3))
            print(f"{n:>7} {mb:>6.1f} {c:>10.3f} {k:>8.3f} {k / c:>5.2f}x")
        if "--pure" in os.environ.get("BENCH_FLAGS", ""):
            p = bare_parse(root, yaml.SafeLoader)
            print(f"pure-Python loader on the largest world: {p:.1f} s")
    print("target: check <= 2.00x the C-loader parse")


if __name__ == "__main__":
    main()
