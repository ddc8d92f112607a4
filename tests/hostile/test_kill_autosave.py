"""kill -9 at random moments of autosaving: every slot is still a whole save, old or new,
and the temporary files the killed writers left are gone after the next start."""

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from neuripsquest.core import engine
from neuripsquest.core.engine import Choose
from neuripsquest.store import saves
from tests.conftest import MINI, plain_argv

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")

KILLS = 100
JOURNAL_LINES = 3000  # about 300 kB a save, so a kill often lands inside a write

# A long-lived parent forks one writer per round, so a round costs a fork instead of a
# Python start-up. Round N's writer saves slot N % 2 over and over, alternating between two
# known states, until it is killed.
ZYGOTE = f"""
import os, sys
from pathlib import Path
from neuripsquest.core import engine
from neuripsquest.store import saves
from neuripsquest.core.engine import Choose
from neuripsquest.store.loader import load_world

world = load_world({str(MINI)!r}, use_cache=False)
folder = Path(sys.argv[1])
old = engine.new_game(world, 4)
new, _ = engine.step(world, old, Choose("eat"))
lines = {JOURNAL_LINES}
versions = [(old, ["old " + "x" * 100] * lines), (new, ["new " + "y" * 100] * lines)]
print("ready", flush=True)
for line in sys.stdin:
    word, n = line.split()
    if word == "go":
        pid = os.fork()
        if pid == 0:
            try:
                i = int(n) // 2
                while True:
                    state, journal = versions[i % 2]
                    saves.write(folder, ("autosave", "second")[int(n) % 2], world, state, journal)
                    i += 1
            finally:
                os._exit(0)
        print(pid, flush=True)
    else:
        os.waitpid(int(n), 0)
        print("reaped", flush=True)
"""


def test_kill_9_during_autosave_never_damages_a_slot(mini, tmp_path):
    folder = tmp_path / "saves"
    old = engine.new_game(mini, 4)
    new, _ = engine.step(mini, old, Choose("eat"))
    for name in ("autosave", "second"):  # the saves from before: every round replaces one
        saves.write(folder, name, mini, old, ["old " + "x" * 100] * JOURNAL_LINES)
    rng = random.Random(2025)
    start = time.monotonic()
    zygote = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert zygote.stdout.readline().strip() == "ready"
        for n in range(KILLS):
            zygote.stdin.write(f"go {n}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            time.sleep(rng.uniform(0.001, 0.015))  # not a wait: a random moment to kill at
            os.kill(pid, signal.SIGKILL)
            zygote.stdin.write(f"reap {pid}\n")
            zygote.stdin.flush()
            assert zygote.stdout.readline().strip() == "reaped"
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=30)

    for name in ("autosave", "second"):
        loaded = saves.read(folder, name, mini)  # a damaged slot raises SaveError here
        assert loaded.state in (old, new)
        assert loaded.journal[0].startswith("old" if loaded.state == old else "new")
        assert len(loaded.journal) == JOURNAL_LINES
    assert all(not s.problem for s in saves.list_slots(folder, mini))

    leftovers = list(folder.glob(".*.tmp"))
    # Their writers are dead; age the files past STALE_AFTER rather than wait for it to pass.
    past = time.time() - saves.STALE_AFTER - 1
    for leftover in leftovers:
        os.utime(leftover, (past, past))
    out = subprocess.run(
        plain_argv(folder, "--seed", "1"), input="", capture_output=True, text=True, timeout=30
    )
    assert out.returncode == 0, out.stderr
    assert not list(folder.glob(".*.tmp")), f"{len(leftovers)} left by the kills, not all gone"
    assert sorted(p.name for p in folder.iterdir()) == ["autosave.json", "second.json"]
    print(f"{KILLS} kills left {len(leftovers)} temporary files; {time.monotonic() - start:.1f} s")
