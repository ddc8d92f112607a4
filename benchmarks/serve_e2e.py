"""How fast `neuripsquest serve` answers in a real browser, with figures printed.

    python benchmarks/serve_e2e.py [--rounds R] [--presses P]

The server runs as an operator starts it, with a warm world cache (a private one, filled by
the server's own start-up check); Debian's Chromium, headless, plays through tests/cdp.py and
tests/webterm.py, as the browser tests do.

1. Page load to the first playable scene, round by round, two variants alternating which
   goes first (benchmarks/paired.py): A, a new visitor (no cookie): the page is opened, `n`
   is pressed as soon as the title is up, and the time is taken when the first scene's header
   is in the terminal; B, a returning visitor (their cookie, their autosave): the page is
   opened, Enter is pressed on the title's Continue, and the time is taken when their scene's
   header is in the terminal. Both are timed from just before the navigation to the moment
   this script reads the header in xterm.js's buffer (it looks every 30 ms, so a round may
   read up to about 30 ms late). Each round's visitor starts a new game process: that start
   is in the figure. Target: 3 s for each, at the median.
2. Keypress answered: P presses of `p` (show or hide the side panel: the game screen laid out
   again and repainted) on a scene. Each is timed in the page, from just before the key is
   dispatched to the first animation frame after the terminal's buffer shows the panel
   changed (xterm.js's onWriteParsed, then requestAnimationFrame): the way through the
   browser's input, the WebSocket, the server, the game and back. Target: median 100 ms; the
   95th percentile is printed. Paired with it, press by press and alternating which goes
   first: a ping through the same WebSocket and server, answered by the server without the
   game (textual-serve's ping/pong): the transport's share of a keypress.
The resident memory of one game process is printed for information (the README quotes it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from paired import Table, paired, spread  # noqa: E402
from tests.cdp import Browser, find_browser  # noqa: E402
from tests.webterm import Served, WebTerminal  # noqa: E402

from neuripsquest.core import clock, engine  # noqa: E402
from neuripsquest.play import view  # noqa: E402
from neuripsquest.store.loader import load_world  # noqa: E402

LOAD_TARGET = 3.0
PRESS_TARGET = 0.100

# Resolves with the milliseconds from its call to the first frame after `ok(lines)` holds.
WATCH = """
window.__watch = (panelShown) => new Promise((resolve) => {
  const t0 = performance.now();
  const ok = () => {
    const b = window.__term.buffer.active;
    const top = b.getLine(b.viewportY + 1);
    return top && top.translateToString(true).includes("Stats") === panelShown;
  };
  const d = window.__term.onWriteParsed(() => {
    if (ok()) { d.dispose(); requestAnimationFrame(() => resolve(performance.now() - t0)); }
  });
});
window.__ping = () => new Promise((resolve) => {
  const id = String(Math.random()).slice(0, 20), t0 = performance.now();
  const on = (e) => {
    if (typeof e.data === "string" && e.data.includes(id)) {
      window.__ws.removeEventListener("message", on);
      resolve(performance.now() - t0);
    }
  };
  window.__ws.addEventListener("message", on);
  window.__ws.send(JSON.stringify(["ping", id]));
});
"""
FIND_SOCKET = (
    "function () { window.__ws = this.find((w) => w.readyState === 1); return !!window.__ws; }"
)


def header(world, state) -> tuple[str, str]:
    where = f"{view.place(world, state)} · {clock.when(world, state)}"
    return world.scenes[state.scene].title, where


def child_rss(server: Served) -> int:
    total = 0
    for pid in server.children():
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    total = max(total, int(line.split()[1]) * 1024)
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--presses", type=int, default=100)
    args = ap.parse_args()
    binary = find_browser()
    if binary is None:
        raise SystemExit("no Chromium to drive: apt-get install chromium")
    world = load_world(ROOT / "world", use_cache=False)
    start = engine.new_game(world, 0)
    returning = engine.advance(world, start, engine.Choose("phd_student"))

    with tempfile.TemporaryDirectory() as tmp:
        env = {"NEURIPSQUEST_CACHE": os.path.join(tmp, "cache")}
        with (
            Served(os.path.join(tmp, "saves"), env=env) as server,
            Browser(binary, os.path.join(tmp, "profile"), 1000, 640) as b,
        ):
            page = WebTerminal(b, server.url)
            cookies: dict[str, object] = {}

            def new_visitor() -> float:
                b.page("Network.clearBrowserCookies")
                t0 = time.monotonic()
                page.open()
                page.wait_text("New game")
                page.press("n")
                page.wait_top(*header(world, start))
                took = time.monotonic() - t0
                page.press("1")  # the returning visitor's run: one step in
                page.wait_top(*header(world, returning))
                got = b.page("Network.getCookies", urls=[server.url])["cookies"]
                cookies["jar"] = got
                return took

            def returning_visitor() -> float:
                b.page("Network.clearBrowserCookies")
                b.page("Network.setCookies", cookies=cookies["jar"])
                t0 = time.monotonic()
                page.open()
                page.wait_text("Continue  ")
                page.press("Enter")
                page.wait_top(*header(world, returning))
                return time.monotonic() - t0

            b.page("Network.enable")
            pair = paired(new_visitor, returning_visitor, args.rounds, gc="process")

            rss = child_rss(server)
            b.eval(WATCH)
            proto = b.page("Runtime.evaluate", expression="WebSocket.prototype")["result"]
            found = b.page("Runtime.queryObjects", prototypeObjectId=proto["objectId"])
            b.page(
                "Runtime.callFunctionOn",
                functionDeclaration=FIND_SOCKET,
                objectId=found["objects"]["objectId"],
            )
            panel = {"shown": "Stats" in page.lines()[1]}

            def awaited(expression: str) -> float:
                out = b.page("Runtime.evaluate", expression=expression, awaitPromise=True)
                return out["result"]["value"] / 1000

            def ping() -> float:
                return awaited("window.__ping()")

            def key() -> float:
                panel["shown"] = not panel["shown"]
                b.eval(f"window.__p = window.__watch({str(panel['shown']).lower()})")
                page.press("p")
                return awaited("window.__p")

            keys = paired(ping, key, args.presses, gc="process")
            server.stop()

    a, bs = spread(pair.a), spread(pair.b)
    ratio = spread(pair.ratios)
    times = keys.b
    press_median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    floor = statistics.median(keys.a)
    table = Table("neuripsquest serve in Chromium")
    table.add(
        "page load -> first scene, new visitor (median)",
        f"{a.median:.2f} s",
        f"<= {LOAD_TARGET:.1f} s",
        a.median <= LOAD_TARGET,
    )
    table.add_spread(a)
    table.add(
        "page load -> their scene, returning visitor (median)",
        f"{bs.median:.2f} s",
        f"<= {LOAD_TARGET:.1f} s",
        bs.median <= LOAD_TARGET,
    )
    table.add_spread(bs)
    table.add("returning / new, per round", str(ratio))
    table.add(
        f"keypress answered, median of {len(times)}",
        f"{press_median * 1000:.0f} ms",
        f"<= {PRESS_TARGET * 1000:.0f} ms",
        press_median <= PRESS_TARGET,
    )
    table.add("keypress answered, 95th percentile", f"{p95 * 1000:.0f} ms")
    table.add("keypress answered, max", f"{max(times) * 1000:.0f} ms")
    table.add("WebSocket ping through the server, median (the floor)", f"{floor * 1000:.0f} ms")
    table.add("keypress / ping, per press", str(spread(keys.ratios)))
    table.add("one game process, resident memory", f"{rss / 2**20:.0f} MB")
    table.print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
