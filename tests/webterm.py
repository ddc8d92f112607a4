"""The browser side of `neuripsquest serve` for the tests and the benchmark: a Chromium page
(tests/cdp.py) whose xterm.js terminal is read as text and typed into.

textual-serve's page keeps its xterm.js Terminal in a closure, out of reach of scripts;
DevTools' `Runtime.queryObjects` (what the console's `queryObjects()` uses) finds it among the
page's objects without changing the page. The screen is then read from the terminal's buffer,
row by row, exactly as xterm.js laid it out.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.cdp import Browser, CDPError

FIND_TERMINAL = """function () {
  for (const o of this) {
    try {
      if (o && o._core && typeof o.onWriteParsed === "function" && o.buffer.active.getLine) {
        window.__term = o;
        return true;
      }
    } catch (e) {}
  }
  return false;
}"""


class WebTerminal:
    """One page of the served game in one Chromium."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.browser = browser
        self.url = url

    def open(self, timeout: float = 20) -> None:
        """Load the page and find its terminal (new on every load)."""
        self.browser.open(self.url)
        self.browser.wait_for("document.querySelector('.xterm-screen')", timeout)
        self.find_terminal()
        self.browser.eval("window.__term.focus()")

    def reload(self, timeout: float = 20) -> None:
        self.browser.eval("window.__term = undefined")
        self.browser.page("Page.reload", ignoreCache=True)
        self.browser.wait_for("document.readyState === 'complete'", timeout)
        self.browser.wait_for("document.querySelector('.xterm-screen')", timeout)
        self.find_terminal()
        self.browser.eval("window.__term.focus()")

    def find_terminal(self) -> None:
        proto = self.browser.page("Runtime.evaluate", expression="Object.prototype")
        found = self.browser.page(
            "Runtime.queryObjects", prototypeObjectId=proto["result"]["objectId"]
        )
        out = self.browser.page(
            "Runtime.callFunctionOn",
            functionDeclaration=FIND_TERMINAL,
            objectId=found["objects"]["objectId"],
            returnByValue=True,
        )
        if not out["result"].get("value"):
            raise CDPError("no xterm.js terminal on the page")

    def lines(self) -> list[str]:
        return self.browser.eval(
            "(() => { const b = window.__term.buffer.active, out = [];"
            " for (let i = 0; i < window.__term.rows; i++) {"
            "   const l = b.getLine(b.viewportY + i); out.push(l ? l.translateToString(true) : '');"
            " } return out; })()"
        )

    def text(self) -> str:
        return "\n".join(self.lines())

    def wait_text(self, *wanted: str, timeout: float = 20) -> str:
        """Wait until every one of `wanted` is on screen; the screen then."""
        return self.wait_screen(
            lambda lines: all(w in "\n".join(lines) for w in wanted), repr(wanted), timeout
        )

    def wait_top(self, start: str, *wanted: str, timeout: float = 20) -> str:
        """Wait until the top row starts with `start` and holds each of `wanted` (a game
        screen's header: the scene's title, its place and time)."""
        return self.wait_screen(
            lambda lines: lines[0].startswith(start) and all(w in lines[0] for w in wanted),
            f"a top row {start!r}...{wanted!r}",
            timeout,
        )

    def wait_screen(self, ok: Callable[[list[str]], bool], what: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while True:
            lines = self.lines()
            if ok(lines):
                return "\n".join(lines)
            if time.monotonic() > deadline:
                screen = "\n".join(lines)
                raise CDPError(f"timed out waiting for {what}; the screen:\n{screen}")
            time.sleep(0.03)  # between looks at the screen, not a wait for it

    def press(self, key: str) -> None:
        self.browser.press(key)

    def type(self, text: str) -> None:
        for ch in text:
            self.press(ch)

    def cell_centre(self, col: int, row: int) -> tuple[float, float]:
        box = self.browser.eval(
            "(() => { const r = document.querySelector('.xterm-screen').getBoundingClientRect();"
            " return [r.left, r.top, r.width / window.__term.cols,"
            " r.height / window.__term.rows]; })()"
        )
        left, top, w, h = box
        return left + (col + 0.5) * w, top + (row + 0.5) * h

    def click_text(self, text: str) -> None:
        """A real mouse click on the first place `text` is shown."""
        for row, line in enumerate(self.lines()):
            col = line.find(text)
            if col >= 0:
                self.browser.click(*self.cell_centre(col + 1, row))
                return
        raise CDPError(f"{text!r} is not on screen:\n{self.text()}")


# ---- the server, as its operator starts and stops it


class Served:
    """`neuripsquest serve` on a free port of this machine, in its own process."""

    def __init__(self, saves: str, *options: str, env: dict[str, str] | None = None) -> None:
        src = str(Path(__file__).resolve().parents[1] / "src")
        environ = {**os.environ, **(env or {})}
        self.log = tempfile.TemporaryFile("w+")  # the server's log: a pipe could fill up
        environ["PYTHONPATH"] = src + os.pathsep + environ.get("PYTHONPATH", "")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "neuripsquest",
                "serve",
                "--port",
                "0",
                "--saves",
                saves,
                *options,
            ],
            stdout=subprocess.PIPE,
            stderr=self.log,
            stdin=subprocess.DEVNULL,
            env=environ,
            text=True,
        )
        self.seen_children: set[int] = set()
        line = self._first_line(timeout=60)
        start = line.find("http://")
        if start < 0:
            self.proc.kill()
            raise RuntimeError(f"serve did not say where it listens: {line!r}")
        self.url = line[start:].split()[0]

    def _first_line(self, timeout: float) -> str:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.proc.kill()
            raise RuntimeError("serve did not start in time")
        return self.proc.stdout.readline()

    def children(self) -> set[int]:
        """The server's child processes now (and remembered, for `leftovers`)."""

        found = set()
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid and fields[0] != "Z":
                found.add(int(name))
        self.seen_children |= found
        return found

    def wait_children(self, count: int, timeout: float = 20) -> set[int]:
        deadline = time.monotonic() + timeout
        while len(now := self.children()) != count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{len(now)} games running, not {count}")
            time.sleep(0.05)
        return now

    def leftovers(self) -> set[int]:
        """Children seen during the test that are still alive."""

        alive = set()
        for pid in self.seen_children:
            try:
                with open(f"/proc/{pid}/stat") as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state != "Z":
                alive.add(pid)
        return alive

    def kill_leftovers(self) -> set[int]:
        """`leftovers`, each killed, so a failing test leaves no process behind either."""
        alive = self.leftovers()
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        return alive

    def stop(self, sig: int | None = None, timeout: float = 30) -> int:
        """Stop the server as an operator would (SIGTERM unless told), and its exit code."""

        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM if sig is None else sig)
        try:
            return self.proc.wait(timeout=timeout)
        except Exception:
            self.proc.kill()
            self.proc.wait()
            raise

    def output(self) -> str:
        out = self.proc.stdout.read() if self.proc.stdout else ""
        self.log.seek(0)
        return out + self.log.read()

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.stop()
