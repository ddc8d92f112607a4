"""Time to the first scene in plain mode, against `python -c "import yaml, pydantic"`.

    python benchmarks/plain_startup.py [RUNS]

Each command runs RUNS times (default 15), alternating so machine noise hits both alike; the
median wall time of whole processes is reported. Plain play gets empty input, so it prints the
first scene and exits at end of input. The world cache is warmed first (the first start after
a world edit pays about 0.3 s more to validate; that run is reported too).
Target: plain start <= 2x the import baseline.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"{cmd} failed: {out.stderr}")
    return elapsed


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "NEURIPSQUEST_CACHE": str(Path(tmp) / "cache")}
        play = [
            sys.executable,
            "-m",
            "neuripsquest",
            "play",
            "--plain",
            "--seed",
            "1",
            "--world",
            str(ROOT / "world"),
            "--saves",
            str(Path(tmp) / "saves"),
        ]
        base = [sys.executable, "-c", "import yaml, pydantic"]
        cold = run(play, env)  # fills the cache
        out = subprocess.run(
            play, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True
        ).stdout
        assert "1. " in out, "plain mode did not show a scene with choices"
        a, b = [], []
        for _ in range(runs):
            a.append(run(base, env))
            b.append(run(play, env))
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"python -c 'import yaml, pydantic': median {ma * 1000:.0f} ms")
    print(f"neuripsquest play --plain (warm cache): median {mb * 1000:.0f} ms ({mb / ma:.2f}x)")
    print(f"first start after a world edit (cold cache): {cold * 1000:.0f} ms")
    print("target: <= 2.00x")


if __name__ == "__main__":
    main()
