"""Our engine against inkjs, the JavaScript runtime of Inkle's ink, on the same story.

    python benchmarks/ink_speed.py [--scenes N] [--rounds R] [--steps S] [--replay K] [--quick]

The synthetic world of `synth.py` is written twice from the same scenes: as our YAML and as
ink (`synth.make_ink`), which inkjs's own compiler compiles. First a replay: our engine walks
K steps (default 5,000), recording at each the scene's text, the choices a player can take,
the one taken, the random choice's draw and every value after the step; inkjs replays the
same choices, its draw answered with ours, and must show the same text and choices and reach
the same values at every step, or the script stops there. Then timed random walks, round by
round, alternating which goes first (benchmarks/paired.py): inkjs in its own Node.js process,
timed inside it from its first step to its last (no start-up, no compiling); ours in this
one, collector on as in play. A step of ink's walk reads the scene's text and choices and
takes one: ink cannot move on without producing its text. Ours is timed two ways: the walk
of `engine_speed.py` (`engine.open_choices` and `engine.step`, no text), and a front end's
turn (`view.shown`, the scene's text and choices, and `engine.step`), the same work ink's
step does. Figures: steps/s of each, and ours as a multiple of inkjs's speed (median of the
rounds' ratios, with their spread).

With `--bink BINARY`, the same again against bink, blade-ink-rs (ink's runtime in Rust,
v1.2.6): BINARY is `benchmarks/bink/build.sh`'s driver, which speaks ink_walk.js's protocol
and loads the story inkjs compiled. It must replay the same walk in lockstep first; then its
walk (the same generator, so the same walk as inkjs's) is timed inside its process, round by
round against ours. Target: our engine walk >= 10x bink's speed.

Needs Node.js and npm: inkjs (2.4.0) is installed with npm into a cache folder the first time
(`--inkjs DIR` to use another).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("NEURIPSQUEST_CACHE", "off")

from naive_engine import walk_ours  # noqa: E402
from paired import Table, paired, spread  # noqa: E402
from synth import make_ink, make_world  # noqa: E402

from neuripsquest.core import engine  # noqa: E402
from neuripsquest.play import view  # noqa: E402
from neuripsquest.store.loader import load_world  # noqa: E402

INKJS = "inkjs@2.4.0"
HERE = Path(__file__).parent


def install_inkjs(where: Path) -> Path:
    """node_modules holding inkjs, installed there with npm if it is not yet."""
    modules = where / "node_modules"
    if (modules / "inkjs" / "package.json").exists():
        return modules
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise SystemExit("ink_speed: needs Node.js and npm (for inkjs); neither is on PATH")
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--prefix", str(where), "--no-audit", "--no-fund", "--silent", INKJS],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0 or not (modules / "inkjs").exists():
        raise SystemExit(f"ink_speed: npm could not install {INKJS}: {done.stderr[-500:]}")
    return modules


class Ink:
    """A driver process speaking ink_walk.js's protocol, a JSON line each way: ink_walk.js in
    Node.js (inkjs), or bink's (`--bink`)."""

    def __init__(
        self,
        cmd: list[str],
        env: dict[str, str] | None = None,
        name: str = "inkjs",
        least: float | None = None,  # the speed-up over it our engine walk must reach
    ):
        self.name, self.least = name, least
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )

    def ask(self, **cmd: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"ink_speed: the {self.name} process ended")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise SystemExit(f"ink_speed: {self.name} failed: {answer['error']}")
        return answer

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


def record(world: Any, steps: int, seed: int = 1) -> list[dict[str, Any]]:
    """A random walk of our engine as ink_walk.js replays it (see there)."""
    pick = random.Random(seed)
    s = engine.new_game(world, seed)
    out: list[dict[str, Any]] = []
    for _ in range(steps):
        shown = [c for c in view.choices(world, s) if c.enabled]
        step: dict[str, Any] = {
            # each line without the spaces at its ends, which ink drops
            "text": "\n".join(line.strip() for line in view.text(world, s).split("\n")),
            "choices": [c.text for c in shown],
            "pick": -1,
            "draw": None,
        }
        out.append(step)
        if not shown:  # an ending: a new game, as ink starts its story again
            s = engine.new_game(world, pick.getrandbits(32))
            continue
        j = pick.randrange(len(shown))
        ch = world.scenes[s.scene].choice_by_id[shown[j].id]
        if ch.goto is None:  # the draw the step makes (engine.step: bits % total weight)
            step["draw"] = engine.rng_next(s.rng)[1] % ch.total_weight
        s, _ = engine.step(world, s, engine.Choose(ch.id))
        step["pick"] = j
        step["after"] = {
            **dict(zip(world.stat_names, s.stats, strict=True)),
            **{n: bool(s.flags >> i & 1) for i, n in enumerate(world.flag_names)},
            **{n: bool(s.items >> i & 1) for i, n in enumerate(world.item_names)},
            "clock": s.clock,
        }
    return out


def walk_turns(world: Any, steps: int, seed: int = 1) -> None:
    """The walk as a front end takes it: the scene's text and choices, then a step."""
    pick = random.Random(seed)
    rand = pick.random
    shown, step, new_game = view.shown, engine.step, engine.new_game
    s = new_game(world, seed)
    for _ in range(steps):
        options = [c for c in shown(world, s)[1] if c.enabled]
        if not options:
            s = new_game(world, pick.getrandbits(32))
            continue
        s = step(world, s, engine.Choose(options[int(rand() * len(options))].id))[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenes", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--steps", type=int, default=100_000, help="steps a round")
    ap.add_argument("--replay", type=int, default=5_000, help="steps replayed in lockstep")
    ap.add_argument("--inkjs", type=Path, help="a folder for npm to install inkjs into")
    ap.add_argument("--bink", type=Path, help="bink's driver, built by benchmarks/bink/build.sh")
    ap.add_argument("--quick", action="store_true", help="a tiny run, to see the script works")
    args = ap.parse_args()
    if args.quick:
        args.scenes, args.rounds, args.steps, args.replay = 200, 2, 3_000, 500
    where = args.inkjs or Path(tempfile.gettempdir()) / f"neuripsquest-{INKJS.replace('@', '-')}"
    env = {**os.environ, "NODE_PATH": str(install_inkjs(where))}
    inks = [Ink(["node", str(HERE / "ink_walk.js")], env)]
    if args.bink is not None:
        inks.append(Ink([str(args.bink)], name="bink", least=10))
    against = " and ".join(ink.name for ink in inks)
    table = Table(f"ink_speed: {args.scenes:,}-scene synthetic world, ours against {against}")
    results = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            world = load_world(make_world(args.scenes, Path(tmp) / "w"), use_cache=False)
            story = Path(tmp) / "story.ink"
            story.write_text(make_ink(args.scenes), encoding="utf-8")
            compiled_json = Path(tmp) / "story.json"
            compiled = inks[0].ask(load=str(story), json=str(compiled_json))["seconds"]
            for ink in inks[1:]:  # bink loads what inkjs compiled
                ink.ask(load=str(compiled_json))
            walk = Path(tmp) / "walk.json"
            walk.write_text(json.dumps(record(world, args.replay)), encoding="utf-8")
            for ink in inks:
                replayed = ink.ask(replay=str(walk))
                if "mismatch" in replayed:
                    raise SystemExit(
                        f"ink_speed: {ink.name} differs from our engine at step "
                        f"{replayed['step']}: {replayed['mismatch']}"
                    )
                print(
                    f"world: {args.scenes:,} scenes, the ink compiled by inkjs in "
                    f"{compiled:.1f} s; {ink.name} replayed our walk of {replayed['ok']:,} "
                    "steps with the same text, choices and values"
                )
                table.add(
                    f"lockstep replay by {ink.name}, steps that differ",
                    f"0 of {replayed['ok']:,}",
                    "0",
                    True,
                )

        def ours_bare() -> None:
            walk_ours(world, args.steps)

        def ours_turn() -> None:
            walk_turns(world, args.steps)

        for ink in inks:

            def theirs(ink: Ink = ink) -> float:
                return float(ink.ask(walk=args.steps, seed=7)["seconds"])

            bare = paired(theirs, ours_bare, args.rounds)
            turn = paired(theirs, ours_turn, args.rounds)
            results.append((ink, bare, turn))
    finally:
        for ink in inks:
            ink.close()
    for ink, bare, turn in results:
        name = ink.name
        bare_s, turn_s = spread(bare.speedups), spread(turn.speedups)
        rate = args.steps / bare.median_a()
        print(f"{name} {rate:,.0f} steps/s (its text read at each step)")
        print(f"ours, engine walk (no text): {args.steps / bare.median_b():,.0f} steps/s, {bare_s}")
        print(
            f"ours, front-end turn (text, choices, step): {args.steps / turn.median_b():,.0f} "
            f"steps/s, {turn_s}"
        )
        table.add(f"{name} random walk", f"{rate:,.0f} steps/s")
        figure, value = f"ours, engine walk / {name} speed", f"{bare_s.median:.1f}x"
        if ink.least is None:
            table.add(figure, value)
        else:
            table.add(figure, value, f">= {ink.least:g}x", bare_s.median >= ink.least)
        table.add_spread(bare_s)
        table.add(f"ours, front-end turn / {name} speed", f"{turn_s.median:.1f}x")
        table.add_spread(turn_s)
    table.print()


if __name__ == "__main__":
    main()
