"""Explorer speed (and, on request, memory): the 1,000-scene synthetic world and the shipped one.

    python benchmarks/explore_bench.py [--rounds R] [--memory] [--quick] [--deep N]

- The headline: the walk alone on the 1,000-scene synthetic world (benchmarks/synth.py),
  states per second with `--jobs 1` and `--jobs 2`, paired round by round (alternating which
  goes first; collected before each, then paused as the command pauses it), R rounds (default 7):
  medians, spread, and the median per-round speed-up of two jobs. Target: >= 150,000
  states/s. (`--jobs 2` with the walk's shortcut is one process: `tools/explore/walk.py`.)
  Then, paired the same way, the walk with its shortcut against the walk through the engine
  alone (`tools/explore/keysteps.py`), and the engine-alone walk with two worker processes
  against one. The same with `--full-keys` (up to 50,000 states, half the rounds) for
  information.
- The shipped world's walk to the default bound, `--jobs 1` against `--jobs 2` (3 paired
  rounds): wall time, and whether it was exhaustive. Target: exhaustive within 60 s. With
  `--deep N`, one more walk with `--jobs 2` up to N states, to show how far it gets.
- The proof that no softlock is possible on the shipped world (`tools/explore/escape.py`,
  which `explore` runs when its walk stops at the bound): wall time, and whether it holds.
  Target: proven within 60 s (the issue's "exhaustive ... within 60 s": the walk of every
  state is out of reach, tens of millions of them; the proof covers them all).
- The whole `explore` command on the shipped world (load, walk, probes, search, static
  proofs, the no-softlock proof, report) with the command's default `--jobs` (one per core,
  so the proof runs alongside the walk: `tools/explore/alongside.py`): with nothing
  learnt (a copy without the world's hints file, an empty cache folder); as CI runs it (the
  world's `.explore-hints.json`, an empty cache folder); and run again from that cache folder.
  Target: < 10 s. `--quick` leaves the proof out (and the last two). Also whether its
  report (from nothing learnt) says it is exact: every scene and choice played by the walk
  or a probe run or proven out of reach, and no softlock possible, which is what an
  exhaustive walk would find but for its counts of states. Target: exact.
- With `--memory`: bytes held per state at several bounds (tracemalloc, after the walk, the
  graph kept), and the process's peak resident size. Off by default to keep the run short.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("NEURIPSQUEST_CACHE", "off")

from paired import Table, paired, spread  # noqa: E402
from synth import make_world  # noqa: E402

from neuripsquest import collector  # noqa: E402
from neuripsquest.tools import explore, facts  # noqa: E402
from neuripsquest.tools.explore import hints  # noqa: E402
from neuripsquest.tools.explore.escape import prove  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RATE_TARGET = 150_000
PROOF_SECONDS = 60


def whole_command(root: Path, max_states: int, proof: bool = True) -> tuple[float, bool]:
    """Seconds the command takes, and whether its report says it is exact (what an
    exhaustive walk would find: every scene and choice played or proven out of reach, and
    no softlock possible)."""
    out = io.StringIO()
    t0 = time.perf_counter()
    explore.run(
        root,
        max_states,
        False,
        False,
        "text",
        out,
        io.StringIO(),
        jobs=None,  # the command's default (one per core), as CI runs it
        proof=proof,
    )
    took = time.perf_counter() - t0
    return took, "what an exhaustive walk would find" in out.getvalue()


def walk_rate(
    src: facts.Sources, bound: int, exact: bool = False, jobs: int = 1
) -> tuple[int, float, bool]:
    gc.collect()
    walker = explore.Walker(src, exact)
    with collector.paused():  # as the command walks
        t0 = time.perf_counter()
        g = walker.walk(bound, jobs=jobs)
        dt = time.perf_counter() - t0
    return g.states, dt, g.bound_hit


def jobs_paired(
    src: facts.Sources,
    bound: int,
    rounds: int,
    a: tuple[int, bool] = (1, True),
    b: tuple[int, bool] = (2, True),
) -> tuple[int, bool, list[float], list[float]]:
    """Seconds of the walk as `a` and as `b`, each (jobs, with the shortcut), paired round by
    round."""
    plain = explore.Walker(src)
    plain.steps = None  # through the engine alone
    walkers = {True: explore.Walker(src), False: plain}
    seen: list[tuple[int, bool, bytes]] = []

    def variant(jobs: int, shortcut: bool) -> object:
        walker = walkers[shortcut]

        def run() -> float:
            t0 = time.perf_counter()
            g = walker.walk(bound, jobs=jobs)
            dt = time.perf_counter() - t0
            seen.append((g.states, g.bound_hit, g.etgt.tobytes()))
            return dt

        return run

    # the collector paused, as the command walks (collector.py)
    pair = paired(variant(*a), variant(*b), rounds, gc="off", warmup=0)
    assert len(set(seen)) == 1  # both walks walked the same states, edge for edge
    return seen[0][0], seen[0][1], list(pair.a), list(pair.b)


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


def rates(
    src: facts.Sources, bound: int, rounds: int, exact: bool = False
) -> tuple[int, list[float], bool]:
    out = []
    states, hit = 0, False
    for _ in range(rounds):
        states, dt, hit = walk_rate(src, bound, exact)
        out.append(states / dt)
    return states, out, hit


def memory_table(src: facts.Sources, bounds: list[int]) -> None:
    print("memory by states walked: peak during the walk (memo index, queue, graph), and")
    print("what the graph still holds after it (the memo index and queue are freed):")
    for b in bounds:
        n, peak, held = memory(src, b)
        print(
            f"  {n:>9,} states  peak {peak / 2**20:7.1f} MiB = {peak / max(n, 1):5.0f} B/state"
            f"  held {held / 2**20:6.1f} MiB = {held / max(n, 1):4.0f} B/state"
        )
        if n < b:
            break
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident size of this process so far: {peak:.0f} MiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--memory", action="store_true", help="also bytes per state, by bound")
    ap.add_argument("--quick", action="store_true", help="a tiny run, to see the script works")
    ap.add_argument("--deep", type=int, default=0, help="also walk the shipped world this far")
    args = ap.parse_args()
    bound, scenes, command_bound = explore.DEFAULT_MAX_STATES, 1000, explore.DEFAULT_MAX_STATES
    shipped_bound, shipped_rounds = explore.DEFAULT_MAX_STATES, 3
    bounds = [25_000, 50_000, 100_000, 200_000]
    exact_bound = 50_000  # --full-keys meets no end on this world: a bound, not the whole
    if args.quick:
        args.rounds, scenes, command_bound, bounds = 2, 100, 2_000, [1_000, 2_000]
        bound = exact_bound = shipped_bound = 2_000
        shipped_rounds = 1
    table = Table("explore_bench")
    with tempfile.TemporaryDirectory() as tmp:
        root = make_world(scenes, Path(tmp) / "synth", seed=0)
        src = facts.load(root)
        assert src.world is not None, src.problems
        walk_rate(src, bound)  # warm up
        states, hit, one, two = jobs_paired(src, bound, args.rounds)
        done = "bound hit" if hit else "every reachable state"
        speedup = spread([a / b for a, b in zip(one, two, strict=True)])
        for jobs, secs in ((1, one), (2, two)):
            s = spread([states / t for t in secs])
            print(
                f"synthetic {scenes:,}-scene world --jobs {jobs}: {states:,} states ({done}); "
                f"{s.median:,.0f} states/s (IQR {s.q1:,.0f}-{s.q3:,.0f}, "
                f"range {s.low:,.0f}-{s.high:,.0f}, {s.n} rounds)"
            )
            table.add(
                f"walk --jobs {jobs}, synthetic {scenes:,} scenes",
                f"{s.median:,.0f} states/s",
                f">= {RATE_TARGET:,}",
                s.median >= RATE_TARGET,
            )
            table.add_spread(s, ",.0f")
        print(f"--jobs 2 against --jobs 1, per round: {speedup}")
        table.add("  speed-up of --jobs 2 (per round)", f"{speedup.median:.2f}x")
        for what, a, b in (
            ("the shortcut against the engine alone, --jobs 1", (1, False), (1, True)),
            ("the engine alone, --jobs 2 against --jobs 1", (1, False), (2, False)),
        ):
            _, _, slow, fast = jobs_paired(src, bound, args.rounds, a, b)
            ratio = spread([x / y for x, y in zip(slow, fast, strict=True)])
            rate = spread([states / t for t in slow])
            print(f"{what}: {ratio} (per round); the first {rate.median:,.0f} states/s")
            table.add(f"  speed-up, {what}", f"{ratio.median:.2f}x")
        rounds = max(args.rounds // 2, 2)
        states, got, hit = rates(src, exact_bound, rounds, True)
        s = spread(got)
        done = "bound hit" if hit else "every reachable state"
        print(
            f"synthetic {scenes:,}-scene world --full-keys: {states:,} states ({done}); "
            f"{s.median:,.0f} states/s (IQR {s.q1:,.0f}-{s.q3:,.0f}, "
            f"range {s.low:,.0f}-{s.high:,.0f}, {s.n} rounds)"
        )
        table.add(f"walk --full-keys, synthetic {scenes:,} scenes", f"{s.median:,.0f} states/s")
        if args.memory:
            memory_table(src, bounds)
    shipped = facts.load(ROOT / "world")
    states, hit, one, two = jobs_paired(shipped, shipped_bound, shipped_rounds)
    verdict = f"stopped at the bound of {states:,} states" if hit else "exhaustive"
    for jobs, secs in ((1, one), (2, two)):
        s = spread(secs)
        print(f"shipped world, walk --jobs {jobs}: {s.median:.2f} s, {verdict}")
        table.add(
            f"shipped world walk --jobs {jobs}",
            f"{s.median:.2f} s, {verdict}",
            f"exhaustive, < {PROOF_SECONDS} s",
            not hit and s.median < PROOF_SECONDS,
        )
    if args.deep:
        states, secs, hit = walk_rate(shipped, args.deep, jobs=2)
        verdict = f"stopped at the bound of {states:,} states" if hit else "exhaustive"
        print(f"shipped world, walk --jobs 2 to {args.deep:,}: {secs:.1f} s, {verdict}")
        table.add(
            f"shipped world walk --jobs 2, bound {args.deep:,}",
            f"{secs:.1f} s, {verdict}",
            f"exhaustive, < {PROOF_SECONDS} s",
            not hit and secs < PROOF_SECONDS,
        )
    if not args.quick:  # the proof takes most of a minute: not in the suite's quick run
        p = prove(shipped)
        said = "proven" if p.proven else f"not proven ({p.reason})"
        print(
            f"shipped world, proof that no softlock is possible: {p.seconds:.1f} s, {said}, "
            f"{p.states:,} abstract states, {p.rounds} rounds"
        )
        table.add(
            "shipped world, no-softlock proof (escape.prove)",
            f"{p.seconds:.1f} s, {said}",
            f"proven, < {PROOF_SECONDS} s",
            p.proven and p.seconds < PROOF_SECONDS,
        )
    # The command three ways (`tools/explore/hints.py`): on a copy of the world without its
    # hints file and with an empty cache folder (the proof learns from nothing); as CI runs
    # it (an empty cache folder, the world's own hints file); and run again from that cache
    # folder, as a writer does. --quick: the first only, without the proof.
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "world"
        shutil.copytree(ROOT / "world", bare, ignore=shutil.ignore_patterns(hints.FILE))
        before = os.environ.get("NEURIPSQUEST_CACHE")
        try:
            os.environ["NEURIPSQUEST_CACHE"] = str(Path(tmp) / "cold")
            secs, exact = whole_command(bare, command_bound, proof=not args.quick)
            os.environ["NEURIPSQUEST_CACHE"] = str(Path(tmp) / "ci")
            ci = None if args.quick else whole_command(ROOT / "world", command_bound)[0]
            again = None if args.quick else whole_command(ROOT / "world", command_bound)[0]
        finally:
            if before is None:
                del os.environ["NEURIPSQUEST_CACHE"]
            else:
                os.environ["NEURIPSQUEST_CACHE"] = before
    print(f"explore, the whole command on the shipped world, nothing learnt: {secs:.2f} s")
    table.add("explore command, nothing learnt", f"{secs:.2f} s", "< 10 s", secs < 10)
    if not args.quick:
        # The walk stops at its bound; the report is still exact when the proof holds and
        # every scene and choice was played or proven out of reach (docs/writing.md).
        table.add(
            "  its report: what an exhaustive walk would find",
            "exact" if exact else "not exact",
            "exact",
            exact,
        )
    if ci is not None and again is not None:
        print(f"explore as CI runs it (the world's hints file): {ci:.2f} s; again: {again:.2f} s")
        table.add("  as CI runs it (the world's hints file)", f"{ci:.2f} s", "< 10 s", ci < 10)
        table.add("  run again (the cache folder's hints)", f"{again:.2f} s", "< 10 s", again < 10)
    if args.memory:
        memory_table(shipped, bounds)
    table.print()


if __name__ == "__main__":
    main()
