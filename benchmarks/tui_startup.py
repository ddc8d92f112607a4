"""How fast the Textual game starts and answers, with figures printed.

    python benchmarks/tui_startup.py [--rounds R] [--presses P] [--quick]

1. Start-up, round by round against a bare Textual app showing one Static (process start ->
   its text on the terminal), alternating which goes first (benchmarks/paired.py): the game,
   `python -m neuripsquest` on the shipped world with a warm world cache and the default
   settings (typewriter text), timed (a) to its title screen and (b) to its first playable
   scene: the key that starts a new game is pressed as soon as the title is up, and the time
   is taken when the first choice of the start scene is on the terminal. Each process runs in
   a pseudo-terminal of 80x24; the times are taken by this script from just before the
   process is spawned to the moment the text arrives, so nothing inside the apps is
   instrumented. Both run from compiled bytecode, as an installed game does. Targets: title
   <= 1.2x the bare app, first playable scene <= 1.3x. The cold start (world cache empty) is
   printed for information.
2. Keypress -> next scene: the shipped world played through the app under `App.run_test`
   (80x24, default settings: typewriter text) by pressing choice numbers; for each press, the
   time from the key being sent to the end of the screen refresh that shows the next scene (a
   callback the screen runs after that refresh). P presses (default 40: Textual's pilot waits
   for the app to be idle after each key, which with typewriter text takes most of a second
   of wall time a press, not counted in the figure); median, 95th percentile and max.
   Target: 95th percentile <= 50 ms. (The deliberate pause after a typed amount is echoed,
   `echo_delay`, is set to 0: it is not latency, and no press is timed across it.)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))

from paired import Pair, Table, as_installed, paired, spread  # noqa: E402

BARE = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("Hello from a bare Textual app")

Bare().run()
"""


def on_terminal(
    cmd: list[str],
    markers: list[bytes],
    env: dict[str, str],
    keys: dict[int, bytes] | None = None,
    timeout: float = 30,
) -> list[float]:
    """Seconds from spawn until each of `markers`, in turn, is on an 80x24 pseudo-terminal;
    `keys[i]` is typed as soon as marker i has been seen."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    times: list[float] = []
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    try:
        for i, marker in enumerate(markers):
            while marker not in seen:
                if time.perf_counter() - t0 > timeout:
                    raise SystemExit(
                        f"no {marker!r} from {cmd[:4]} in {timeout} s: {seen[-300:]!r}"
                    )
                ready, _, _ = select.select([master], [], [], 0.5)
                if ready:
                    try:
                        seen += os.read(master, 65536)
                    except OSError:  # the child went away
                        raise SystemExit(f"{cmd[:4]} ended early: {seen[-300:]!r}") from None
            times.append(time.perf_counter() - t0)
            seen = b""  # the next marker must come after this one
            if keys and i in keys:
                os.write(master, keys[i])
        return times
    finally:
        proc.kill()
        proc.wait()
        os.close(master)


def first_choice_marker() -> bytes:
    """The start of the start scene's first choice, as it is drawn: the sign that the first
    scene can be played."""
    from neuripsquest.store.loader import check_world

    world, problems = check_world(ROOT / "world")
    if world is None:
        raise SystemExit(f"world/ has {len(problems)} problems (neuripsquest check)")
    first = world.scenes[world.start].choices[0].text
    return " ".join(first.split()[:3]).encode()


def startup(rounds: int, table: Table) -> None:
    scene_marker = first_choice_marker()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TERM": "xterm-256color", "NEURIPSQUEST_CACHE": str(Path(tmp) / "c")}
        env.pop("TEXTUAL", None)
        env = as_installed(env, tmp)
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")])
        )
        saves = Path(tmp) / "saves"
        game = [
            sys.executable,
            "-m",
            "neuripsquest",
            "--world",
            str(ROOT / "world"),
            "--seed",
            "1",
            "--saves",
            str(saves),
        ]
        bare = [sys.executable, "-c", BARE]
        scene_times: list[float] = []

        def run_game() -> float:
            # A fresh saves folder each time: no autosave (so `n` starts at once, as for a
            # new player) and default settings.
            for f in saves.glob("*"):
                f.unlink()
            title, scene = on_terminal(game, [b"New game", scene_marker], env, {0: b"n"})
            scene_times.append(scene)
            return title

        cold = run_game()  # fills the world cache and the bytecode
        on_terminal(bare, [b"Hello from"], env)
        scene_times.clear()
        pair = paired(
            lambda: on_terminal(bare, [b"Hello from"], env)[0],
            run_game,
            rounds,
            gc="process",
            warmup=0,
        )
        scene = Pair(pair.a, tuple(scene_times))
        title_s, scene_s = spread(pair.ratios), spread(scene.ratios)
        print(f"start-up, {rounds} rounds, 80x24 pseudo-terminal, warm world cache:")
        print(f"  bare Textual app, one Static   median {pair.median_a() * 1000:7.1f} ms")
        print(
            f"  neuripsquest title screen      median {pair.median_b() * 1000:7.1f} ms  {title_s}"
        )
        print(
            f"  first playable scene           median {scene.median_b() * 1000:7.1f} ms  {scene_s}"
        )
        print(f"  first start after a world edit (cold cache), to the title: {cold * 1000:.0f} ms")
    table.add("bare Textual app, first frame", f"{pair.median_a() * 1000:.0f} ms")
    table.add("title screen", f"{pair.median_b() * 1000:.0f} ms")
    table.add("  / bare app", f"{title_s.median:.2f}x", "<= 1.20x", title_s.median <= 1.2)
    table.add_spread(title_s)
    table.add("first playable scene (typewriter)", f"{scene.median_b() * 1000:.0f} ms")
    table.add("  / bare app", f"{scene_s.median:.2f}x", "<= 1.30x", scene_s.median <= 1.3)
    table.add_spread(scene_s)


async def keypresses(presses: int, table: Table) -> None:
    from textual.widgets import Input

    from neuripsquest.frontends.tui.app import make_app
    from neuripsquest.frontends.tui.screens.ending import EndingScreen
    from neuripsquest.frontends.tui.screens.game import GameScreen
    from neuripsquest.frontends.tui.settings import Settings
    from neuripsquest.store.loader import check_world

    world, problems = check_world(ROOT / "world")
    if world is None:
        print(f"keypress: skipped, world/ has {len(problems)} problems (neuripsquest check)")
        table.add("keypress -> next scene", "not measured: world/ has problems", "<= 50 ms", False)
        return
    marks: list[float] = []
    show, mount = GameScreen.show, EndingScreen.on_mount

    def timed_show(self, *args, **kwargs):  # the mark: after the refresh showing the scene
        show(self, *args, **kwargs)
        self.call_after_refresh(lambda: marks.append(time.perf_counter()))

    def timed_mount(self):
        mount(self)
        self.call_after_refresh(lambda: marks.append(time.perf_counter()))

    GameScreen.show, EndingScreen.on_mount = timed_show, timed_mount
    scene_ms: list[float] = []
    ending_ms: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings()  # the defaults a player gets: typewriter text
        app = make_app(world, 11, Path(tmp), settings=settings, echo_delay=0)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("n")
            while not isinstance(app.screen, GameScreen) or not app.screen.is_mounted:
                await pilot.pause()
            games = 0
            while len(scene_ms) + len(ending_ms) < presses:
                screen = app.screen
                if isinstance(screen, EndingScreen):
                    games += 1
                    await pilot.press("n")
                    while not isinstance(app.screen, GameScreen) or not app.screen.is_mounted:
                        await pilot.pause()
                    continue
                f = screen.frame
                if f.prompt is not None:
                    screen.query_one(Input).value = "$250k"
                    await pilot.press("enter")
                    await pilot.pause()
                    continue
                enabled = [c for c in f.choices if c.enabled and c.number <= 9]
                # vary the path: cycle through the enabled choices by the press count
                pick = enabled[(len(scene_ms) + len(ending_ms)) % len(enabled)]
                n = len(marks)
                t0 = time.perf_counter()
                await pilot.press(str(pick.number))
                while len(marks) == n:
                    await asyncio.sleep(0.0005)
                took = (marks[-1] - t0) * 1000
                (ending_ms if isinstance(app.screen, EndingScreen) else scene_ms).append(took)
    everything = sorted(scene_ms + ending_ms)
    p95 = everything[max(int(len(everything) * 0.95) - 1, 0)]
    print(f"keypress on a choice -> next scene drawn, shipped world, {len(everything)} presses:")
    print(
        f"  to a scene  ({len(scene_ms):3d}): median {statistics.median(scene_ms):5.1f} ms, "
        f"max {max(scene_ms):5.1f} ms"
    )
    if ending_ms:
        print(
            f"  to an ending ({len(ending_ms):2d}): median {statistics.median(ending_ms):5.1f} ms, "
            f"max {max(ending_ms):5.1f} ms"
        )
    finished = f"; {games} games played to an ending" if games else ""
    print(
        f"  all: median {statistics.median(everything):5.1f} ms, 95th percentile {p95:5.1f} ms"
        f"{finished}"
    )
    table.add(
        f"keypress -> next scene, median of {len(everything)}",
        f"{statistics.median(everything):.1f} ms",
    )
    table.add("keypress -> next scene, 95th percentile", f"{p95:.1f} ms", "<= 50 ms", p95 <= 50)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--presses", type=int, default=40)
    ap.add_argument("--quick", action="store_true", help="a tiny run, to see the script works")
    args = ap.parse_args()
    if args.quick:
        args.rounds, args.presses = 2, 10
    table = Table("tui_startup: the Textual game, shipped world, default settings")
    if args.rounds:
        startup(args.rounds, table)
    if args.presses:
        asyncio.run(keypresses(args.presses, table))
    table.print()


if __name__ == "__main__":
    main()
