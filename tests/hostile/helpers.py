"""Hostile worlds built on the mini world, and a check that must answer quickly."""

from __future__ import annotations

import contextlib
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

from neuripsquest.problems import Problem
from neuripsquest.store.loader import check_world
from tests.conftest import MINI

LIMIT = 2.0  # seconds: every hostile world must be refused well within this


def mini_copy(tmp_path: Path) -> Path:
    root = tmp_path / "w"
    shutil.copytree(MINI, root)
    return root


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def scenes(root: Path) -> Path:
    return root / "scenes" / "main.yaml"


@contextlib.contextmanager
def deadline(seconds: float = LIMIT) -> Iterator[None]:
    """Fail if the block takes longer than `seconds`; a hang is cut off at five times that."""

    def hung(signum, frame):  # type: ignore[no-untyped-def]
        raise TimeoutError(f"still running after {5 * seconds} s")

    alarm = hasattr(signal, "setitimer")
    if alarm:
        old = signal.signal(signal.SIGALRM, hung)
        signal.setitimer(signal.ITIMER_REAL, 5 * seconds)
    t0 = time.perf_counter()
    try:
        yield
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    elapsed = time.perf_counter() - t0
    assert elapsed < seconds, f"took {elapsed:.2f} s"


def check_fast(root: Path, seconds: float = LIMIT) -> list[str]:
    """`check` on `root`, which must be refused in time; its problems as `file:line:col: msg`,
    with paths relative to the world folder."""
    with deadline(seconds):
        world, problems = check_world(root)
    assert world is None and problems
    return [_relative(p, root) for p in problems]


def _relative(p: Problem, root: Path) -> str:
    path = Path(p.path)
    with contextlib.suppress(ValueError):
        path = path.resolve().relative_to(root.resolve())
    assert p.line >= 1 and p.column >= 1 and "\n" not in p.message, p
    return f"{path.as_posix()}:{p.line}:{p.column}: {p.message}"


def json_paths(value, here=()):
    """Every path into a JSON value (keys and indexes), the value itself first."""
    yield here
    if isinstance(value, dict):
        for k, v in value.items():
            yield from json_paths(v, (*here, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from json_paths(v, (*here, i))
