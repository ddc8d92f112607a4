"""Synthetic worlds of any size, shaped like the real one, for the speed benchmarks.

    python benchmarks/synth.py 10000 OUT_DIR

Each scene has about a paragraph of prose and three choices (one always open, one behind a
stat condition, one random or with effects), spread over files of 100 scenes each; every
50th scene is an ending. About 580 bytes of YAML a scene, as in the reference figures.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

WORDS = (
    "poster lanyard pretzel gradient transformer benchmark keynote cluster reviewer rebuttal "
    "workshop espresso carrier yacht train crossing badge recruiter offer compute"
).split()


def make_world(n_scenes: int, dest: str | Path, seed: int = 0) -> Path:
    rng = random.Random(seed)
    dest = Path(dest)
    (dest / "scenes").mkdir(parents=True, exist_ok=True)
    (dest / "world.yaml").write_text(
        "title: Synthetic\n"
        "start: s0\n"
        "clock: {days: [One, Two, Three, Four, Five],\n"
        "        slots: [morning, afternoon, evening, night]}\n"
        "places: {hall: {name: Hall}, deck: {name: Deck}}\n"
        "stats:\n"
        "  energy: {initial: 5, min: 0, max: 10}\n"
        "  clout: {initial: 0, min: 0, max: 20}\n"
        "  compute: {initial: 1, min: 0, max: 20}\n"
        "flags: {met: met someone, danced: danced, read: read a paper}\n"
        "items: {pretzel: {name: Pretzel}, ticket: {name: Ticket}}\n"
        "endings: {done: {title: Done}}\n"
    )
    per_file = 100
    for f in range(0, n_scenes, per_file):
        out = []
        for i in range(f, min(f + per_file, n_scenes)):
            text = " ".join(rng.choice(WORDS) for _ in range(25))
            out.append(f"- id: s{i}\n  title: Scene {i}\n  place: {'hall' if i % 2 else 'deck'}\n")
            out.append(f"  text: |\n    {text[:200]}\n    {text[200:]}\n")
            if i % 50 == 49 or i == n_scenes - 1:
                out.append("  ending: done\n")
                continue
            nxt = i + 1
            far = rng.randrange(n_scenes)
            out.append("  choices:\n")
            out.append(
                f"    - id: walk\n      text: Walk on to the next thing\n"
                f"      do: [energy -= 1, advance 1]\n      goto: s{nxt}\n"
            )
            out.append(
                f"    - id: bold\n      text: Try something bold\n"
                f"      if: energy >= {rng.randrange(2, 6)} and not danced\n"
                f"      disabled: Too tired\n      do: [clout += 1, set met]\n      goto: s{far}\n"
            )
            out.append(
                f"    - id: gamble\n      text: Leave it to chance\n      random:\n"
                f"        - {{weight: 2, goto: s{nxt}, do: [energy += 2]}}\n"
                f"        - {{weight: 1, goto: s{rng.randrange(n_scenes)}, do: [give pretzel]}}\n"
            )
        (dest / "scenes" / f"part{f // per_file:04d}.yaml").write_text("".join(out))
    return dest


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    default = Path(tempfile.gettempdir()) / f"synth{n}"
    where = make_world(n, sys.argv[2] if len(sys.argv) > 2 else default)
    size = sum(p.stat().st_size for p in where.rglob("*.yaml"))
    print(f"{n} scenes, {size / 1e6:.1f} MB of YAML in {where}")
