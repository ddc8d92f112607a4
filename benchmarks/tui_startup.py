"""How fast the Textual game starts and answers, with figures printed.

    python benchmarks/tui_startup.py [RUNS] [PRESSES]

1. Start-up, side by side: process start -> first frame on the terminal, for (a) a bare
   Textual app showing one Static and (b) `python -m neuripsquest` (the real entry point, the
   shipped world, a warm world cache) up to its title screen. Each runs in a pseudo-terminal
   of 80x24; the time is taken by this script from just before the process is spawned to the
   moment the frame's text arrives on the terminal, so nothing inside the apps is
   instrumented. RUNS (default 15) alternating runs each; medians and their ratio are printed.
   Target: (b) <= 1.3 x (a). Both run from cached bytecode, as an installed game does; when
   the shell sets PYTHONDONTWRITEBYTECODE, the figures without bytecode follow (every one of
   the game's modules is then compiled from source at each start, textual's are not). The
   cold start (world cache empty) is printed for information.
2. Keypress -> next scene: the shipped world played through the app under `App.run_test`
   (80x24, instant text) by pressing choice numbers; for each press, the time from the key
   being sent to the end of the screen refresh that shows the next scene (a callback the
   screen runs after that refresh). PRESSES (default 200) presses; median, 95th percentile and
   max are printed. Target: 50 ms.
"""

from __future__ import annotations

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

BARE = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("Hello from a bare Textual app")

Bare().run()
"""


def first_frame(cmd: list[str], marker: bytes, env: dict[str, str], timeout: float = 20) -> float:
    """Seconds from spawn to `marker` appearing on an 80x24 pseudo-terminal."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    try:
        while marker not in seen:
            if time.perf_counter() - t0 > timeout:
                raise SystemExit(
                    f"no first frame from {cmd[:4]} within {timeout} s: {seen[-300:]!r}"
                )
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:  # the child went away
                    raise SystemExit(f"{cmd[:4]} ended early: {seen[-300:]!r}") from None
        return time.perf_counter() - t0
    finally:
        proc.kill()
        proc.wait()
        os.close(master)


def startup(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base_env = {
            **os.environ,
            "TERM": "xterm-256color",
            "NEURIPSQUEST_CACHE": str(Path(tmp) / "cache"),
        }
        base_env.pop("TEXTUAL", None)
        # As installed: pip compiles bytecode, so both apps run from cached bytecode (kept in
        # a private folder here so the source tree stays clean).
        installed = {**base_env, "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}
        installed.pop("PYTHONDONTWRITEBYTECODE", None)
        game = [
            sys.executable, "-m", "neuripsquest",
            "--world", str(ROOT / "world"), "--seed", "1", "--saves", str(Path(tmp) / "saves"),
        ]  # fmt: skip
        bare = [sys.executable, "-c", BARE]
        cold = first_frame(game, b"New game", installed)  # fills the world cache and bytecode
        first_frame(bare, b"Hello from", installed)
        settings = [("as installed (bytecode cached)", installed)]
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            settings.append(("this shell (PYTHONDONTWRITEBYTECODE set: no bytecode)", base_env))
        print(f"start-up to first frame, median of {runs} runs each (80x24 pseudo-terminal):")
        for label, env in settings:
            a: list[float] = []
            b: list[float] = []
            for _ in range(runs):
                a.append(first_frame(bare, b"Hello from", env))
                b.append(first_frame(game, b"New game", env))
            ma, mb = statistics.median(a), statistics.median(b)
            print(f"  {label}:")
            print(f"    bare Textual app, one Static     {ma * 1000:7.1f} ms")
            print(f"    neuripsquest title screen        {mb * 1000:7.1f} ms   (warm world cache)")
            print(f"    ratio                            {mb / ma:7.2f} x   (target <= 1.30)")
        print(f"  first start after a world edit (cold world cache): {cold * 1000:.1f} ms")


async def keypresses(presses: int) -> None:
    from textual.widgets import Input

    from neuripsquest.frontends.tui.app import make_app
    from neuripsquest.frontends.tui.screens.ending import EndingScreen
    from neuripsquest.frontends.tui.screens.game import GameScreen
    from neuripsquest.frontends.tui.settings import Settings
    from neuripsquest.store.loader import check_world

    world, problems = check_world(ROOT / "world")
    if world is None:
        print(f"keypress: skipped, world/ has {len(problems)} problems (neuripsquest check)")
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
        settings = Settings(text_speed="instant", reduced_motion=True)
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
    p95 = everything[int(len(everything) * 0.95) - 1]
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
        f"   (target 50 ms{finished})"
    )


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    presses = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    if runs:
        startup(runs)
    if presses:
        asyncio.run(keypresses(presses))


if __name__ == "__main__":
    main()
