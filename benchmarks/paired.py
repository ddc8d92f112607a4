"""Paired timing for the benchmarks: two variants, round by round, and the ratio per round.

A machine shared with other work drifts by tens of percent within a minute, so two figures
taken minutes apart cannot be compared. Here variant A and variant B run in the same round,
one right after the other, and the order flips every round (A first, then B first), so a
slow patch or a warm cache lands on both alike. Each round gives one ratio; the report is the
median of the rounds' ratios with their spread (min-max and the interquartile range), never
the best run.

The garbage collector: before every timed body `gc.collect()` runs, so both sides start from
the same collected heap. During the body it is then either left on (`gc="on"`, the default:
what a player's process does, so a side that allocates more pays for the collections it
causes) or turned off (`gc="off"`: for bodies where one side already turns it off itself,
as the loader does, so the other side is not charged for collections it would not have to
make). Each benchmark says which it uses. Process variants (start-up) run in their own
interpreters with the default collector; `gc` does not apply to them.

A variant is a callable taking no arguments. If it returns a number, that number is its time
in seconds (for bodies that time themselves, such as a process timed up to a frame on its
terminal); otherwise the wall time of the call is taken.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Variant = Callable[[], object]


@dataclass(frozen=True)
class Pair:
    """Per-round times of A and B and the ratio B/A of each round."""

    a: tuple[float, ...]
    b: tuple[float, ...]

    @property
    def rounds(self) -> int:
        return len(self.a)

    @property
    def ratios(self) -> tuple[float, ...]:
        """time(B) / time(A), round by round: above 1 when B is slower."""
        return tuple(b / a for a, b in zip(self.a, self.b, strict=True))

    @property
    def speedups(self) -> tuple[float, ...]:
        """time(A) / time(B), round by round: B's speed as a multiple of A's."""
        return tuple(a / b for a, b in zip(self.a, self.b, strict=True))

    def median_a(self) -> float:
        return statistics.median(self.a)

    def median_b(self) -> float:
        return statistics.median(self.b)


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float
    q1: float
    q3: float
    n: int

    def __str__(self) -> str:
        return (
            f"{self.median:.2f}x (IQR {self.q1:.2f}-{self.q3:.2f}, "
            f"range {self.low:.2f}-{self.high:.2f}, {self.n} rounds)"
        )


def spread(values: Sequence[float]) -> Spread:
    v = sorted(values)
    if len(v) >= 2:
        q1, _, q3 = statistics.quantiles(v, n=4, method="inclusive")
    else:
        q1 = q3 = v[0]
    return Spread(statistics.median(v), v[0], v[-1], q1, q3, len(v))


def _timed(fn: Variant, gc_mode: Literal["on", "off", "process"]) -> float:
    if gc_mode != "process":
        gc.collect()
        if gc_mode == "off":
            gc.disable()
    try:
        t0 = time.perf_counter()
        got = fn()
        wall = time.perf_counter() - t0
    finally:
        if gc_mode == "off":
            gc.enable()
    return float(got) if isinstance(got, int | float) and not isinstance(got, bool) else wall


def paired(
    a: Variant,
    b: Variant,
    rounds: int,
    gc: Literal["on", "off", "process"] = "on",
    warmup: int = 1,
) -> Pair:
    """Run A and B `rounds` times each, alternating which goes first; `warmup` untimed rounds
    first (imports, caches, the first-call costs neither side should carry)."""
    for _ in range(warmup):
        a()
        b()
    ta: list[float] = []
    tb: list[float] = []
    for r in range(rounds):
        if r % 2 == 0:
            ta.append(_timed(a, gc))
            tb.append(_timed(b, gc))
        else:
            tb.append(_timed(b, gc))
            ta.append(_timed(a, gc))
    return Pair(tuple(ta), tuple(tb))


def run_process(cmd: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of a whole process (stdin empty, output captured); its failure is fatal,
    so a figure is never taken from a run that did not do its work."""
    t0 = time.perf_counter()
    out = subprocess.run(
        list(cmd), env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:6])} failed ({out.returncode}): {out.stderr[-2000:]}")
    return elapsed


def peak_rss(cmd: Sequence[str], env: dict[str, str] | None = None) -> int:
    """Peak resident bytes of one process run to its end (its own, not this script's)."""
    proc = subprocess.Popen(
        list(cmd),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:6])} failed ({proc.returncode}): {err[-2000:]}")
    return usage.ru_maxrss * 1024  # kilobytes on Linux


def as_installed(env: dict[str, str], tmp: str | os.PathLike[str]) -> dict[str, str]:
    """`env` for a process started as an installed game is: pip compiles bytecode, so the
    modules are not compiled from source at each start even when this shell says
    PYTHONDONTWRITEBYTECODE. The bytecode goes to a private folder under `tmp`, so the source
    tree stays clean."""
    out = {**env, "PYTHONPYCACHEPREFIX": os.path.join(tmp, "pycache")}
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    return out


def load_note() -> str:
    """The load average, printed with the figures: on a busy machine they mean less."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    target: str
    met: bool | None  # None: shown for information, no target


class Table:
    """The closing table every benchmark prints: figure, value, target, met or missed (decided
    on the unrounded value, so a shown 1.20x can miss a target of 1.20x)."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: list[Row] = []

    def add(self, figure: str, value: str, target: str = "-", met: bool | None = None) -> None:
        self.rows.append(Row(figure, value, target, met))

    def add_spread(self, s: Spread, fmt: str = ".2f") -> None:
        """The row under a median: its interquartile range and its range."""
        q = f"{s.q1:{fmt}}-{s.q3:{fmt}}; {s.low:{fmt}}-{s.high:{fmt}}"
        self.add(f"  spread over {s.n} rounds (IQR; range)", q)

    def print(self) -> None:
        head = ("figure", "value", "target", "")
        cells = [head] + [
            (r.figure, r.value, r.target, {True: "met", False: "MISSED", None: "info"}[r.met])
            for r in self.rows
        ]
        widths = [max(len(c[i]) for c in cells) for i in range(3)]
        print()
        print(f"== {self.title} ({load_note()})")
        for k, c in enumerate(cells):
            print("  ".join(c[i].ljust(widths[i]) for i in range(3)) + "  " + c[3])
            if k == 0:
                print("  ".join("-" * w for w in widths) + "  ------")
