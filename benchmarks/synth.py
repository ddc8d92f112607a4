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
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

WORDS = (
    "poster lanyard pretzel gradient transformer benchmark keynote cluster reviewer rebuttal "
    "workshop espresso carrier yacht train crossing badge recruiter offer compute"
).split()


class SynthScene(NamedTuple):
    """One scene as both writers put it: an ending has no choices; the others have "walk"
    (to `nxt`), "bold" (to `far`, if energy >= `least` and not danced) and "gamble" (2 in 3 to
    `nxt` with energy, 1 in 3 to `lucky` with a pretzel)."""

    i: int
    text: str  # 25 words, written as two lines (its first 200 characters, then the rest)
    ending: bool
    nxt: int = 0
    far: int = 0
    least: int = 0
    lucky: int = 0


def scenes(n_scenes: int, seed: int = 0) -> Iterator[SynthScene]:
    """The world's scenes, the same for the same size and seed, in the order the random
    numbers are drawn (the YAML and the ink story are the same world)."""
    rng = random.Random(seed)
    for i in range(n_scenes):
        text = " ".join(rng.choice(WORDS) for _ in range(25))
        if i % 50 == 49 or i == n_scenes - 1:
            yield SynthScene(i, text, True)
            continue
        far = rng.randrange(n_scenes)
        least = rng.randrange(2, 6)
        yield SynthScene(i, text, False, i + 1, far, least, rng.randrange(n_scenes))


def make_world(n_scenes: int, dest: str | Path, seed: int = 0) -> Path:
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
    out: list[str] = []
    for sc in scenes(n_scenes, seed):
        i, text = sc.i, sc.text
        out.append(f"- id: s{i}\n  title: Scene {i}\n  place: {'hall' if i % 2 else 'deck'}\n")
        out.append(f"  text: |\n    {text[:200]}\n    {text[200:]}\n")
        if sc.ending:
            out.append("  ending: done\n")
        else:
            out.append("  choices:\n")
            out.append(
                f"    - id: walk\n      text: Walk on to the next thing\n"
                f"      do: [energy -= 1, advance 1]\n      goto: s{sc.nxt}\n"
            )
            out.append(
                f"    - id: bold\n      text: Try something bold\n"
                f"      if: energy >= {sc.least} and not danced\n"
                f"      disabled: Too tired\n      do: [clout += 1, set met]\n"
                f"      goto: s{sc.far}\n"
            )
            out.append(
                f"    - id: gamble\n      text: Leave it to chance\n      random:\n"
                f"        - {{weight: 2, goto: s{sc.nxt}, do: [energy += 2]}}\n"
                f"        - {{weight: 1, goto: s{sc.lucky}, do: [give pretzel]}}\n"
            )
        if i % per_file == per_file - 1 or i == n_scenes - 1:
            (dest / "scenes" / f"part{i // per_file:04d}.yaml").write_text("".join(out))
            out = []
    return dest


def make_ink(n_scenes: int, seed: int = 0) -> str:
    """The same world as ink source, for `ink_speed.py`: a knot a scene, stats clamped to
    their ranges as ours are (MIN/MAX), the clock a count of slots that stops at the last one,
    flags and items as booleans; the random choice asks the host for a draw (`draw(3)`, an
    external function) so that a replay can give it the draw our engine made. Choices are
    sticky (`+`), as ours are unless once-only."""
    out = [
        "VAR energy = 5\nVAR clout = 0\nVAR compute = 1\n"
        "VAR met = false\nVAR danced = false\nVAR read = false\n"
        "VAR pretzel = false\nVAR ticket = false\nVAR clock = 0\n"
        "EXTERNAL draw(n)\n-> s0\n"
    ]
    for sc in scenes(n_scenes, seed):
        out.append(f"=== s{sc.i} ===\n{sc.text[:200]}\n{sc.text[200:]}\n")
        if sc.ending:
            out.append("-> END\n")
            continue
        out.append(
            "+ [Walk on to the next thing]\n"
            "    ~ energy = MAX(energy - 1, 0)\n"
            f"    ~ clock = MIN(clock + 1, {LAST_SLOT})\n"
            f"    -> s{sc.nxt}\n"
            f"+ {{energy >= {sc.least} and not danced}} [Try something bold]\n"
            "    ~ clout = MIN(clout + 1, 20)\n"
            "    ~ met = true\n"
            f"    -> s{sc.far}\n"
            "+ [Leave it to chance]\n"
            "    {draw(3) < 2:\n"
            "        ~ energy = MIN(energy + 2, 10)\n"
            f"        -> s{sc.nxt}\n"
            "    - else:\n"
            "        ~ pretzel = true\n"
            f"        -> s{sc.lucky}\n"
            "    }\n"
        )
    return "".join(out)


LAST_SLOT = 5 * 4 - 1  # the clock stops at the last slot of the last day (five days of four)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    default = Path(tempfile.gettempdir()) / f"synth{n}"
    where = make_world(n, sys.argv[2] if len(sys.argv) > 2 else default)
    size = sum(p.stat().st_size for p in where.rglob("*.yaml"))
    print(f"{n} scenes, {size / 1e6:.1f} MB of YAML in {where}")
