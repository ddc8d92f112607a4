"""Explorer speed and memory: the shipped world and the 1,000-scene synthetic one.

    python benchmarks/explore_bench.py [--quick]

Prints, for each world:
- the whole `explore` command as CI runs it (load, walk, probes, search, static proofs, report),
  against the target of 10 s for the shipped world;
- the walk alone: states per second (timed without tracemalloc, which slows Python down);
- memory as the walk grows: bytes held per state at several bounds (tracemalloc, after the
  walk, graph kept), and the process's peak resident size.
"""

from __future__ import annotations

import gc
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("NEURIPSQUEST_CACHE", "off")

from synth import make_world  # noqa: E402

from neuripsquest.tools import explore, facts  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def whole_command(root: Path) -> float:
    t0 = time.perf_counter()
    explore.run(
        root, explore.DEFAULT_MAX_STATES, False, False, "text", io.StringIO(), io.StringIO()
    )
    return time.perf_counter() - t0


def walk_rate(src: facts.Sources, bound: int, exact: bool = False) -> tuple[int, float, bool]:
    gc.collect()
    walker = explore.Walker(src, exact)
    t0 = time.perf_counter()
    g = walker.walk(bound)
    dt = time.perf_counter() - t0
    return g.states, dt, g.bound_hit


def memory(src: facts.Sources, bound: int, exact: bool = False) -> tuple[int, int, int]:
    """(states, peak bytes during the walk, bytes still held by the graph afterwards)."""
    gc.collect()
    walker = explore.Walker(src, exact)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    g = walker.walk(bound)
    now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return g.states, peak - base, now - base


def bench(
    name: str, root: Path, bounds: list[int], target: float | None, exact: bool = False
) -> None:
    print(f"== {name} ({root}){' with --full-keys' if exact else ''}")
    src = facts.load(root)
    assert src.world is not None, src.problems
    if not exact:
        secs = whole_command(root)
        verdict = (
            f" (target < {target:.0f} s: {'met' if secs < target else 'MISSED'})" if target else ""
        )
        print(f"explore, the whole command: {secs:.2f} s{verdict}")
    states, dt, hit = walk_rate(src, max(bounds), exact)
    done = "bound hit" if hit else "complete: every reachable state"
    print(f"walk: {states:,} states in {dt:.2f} s = {states / dt:,.0f} states/s ({done})")
    print("memory by states walked: peak during the walk (memo index, queue, graph), and")
    print("what the graph still holds after it (the memo index and queue are freed):")
    for b in bounds:
        n, peak, held = memory(src, b, exact)
        print(
            f"  {n:>9,} states  peak {peak / 2**20:7.1f} MiB = {peak / max(n, 1):5.0f} B/state"
            f"  held {held / 2**20:6.1f} MiB = {held / max(n, 1):4.0f} B/state"
        )
        if n < b:
            break
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident size of this process so far: {peak:.0f} MiB")
    print()


def main() -> None:
    quick = "--quick" in sys.argv
    bounds = [25_000, 50_000, 100_000, 200_000] if not quick else [10_000, 20_000]
    bench("shipped world", ROOT / "world", bounds, 10.0)
    with tempfile.TemporaryDirectory() as tmp:
        root = make_world(1000, Path(tmp) / "synth1000", seed=0)
        bench("synthetic world, 1,000 scenes", root, bounds, None)
        bench("synthetic world, 1,000 scenes", root, bounds, None, exact=True)


if __name__ == "__main__":
    main()
