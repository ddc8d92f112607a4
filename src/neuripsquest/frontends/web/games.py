"""The visitors' games: each is `neuripsquest play` in a child process that speaks Textual's
web driver protocol on its standard streams, which textual-serve's `AppService` reads and
writes. `Games` keeps at most `cap` of them, one per visitor, ends the idle ones, and reaps
every child it started, however the game ends."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Sequence

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from neuripsquest.frontends.web.visitors import short

log = logging.getLogger("neuripsquest.serve")

QUIT_GRACE = 5.0  # seconds a game gets to autosave and leave after Ctrl+Q
KILL_GRACE = 2.0  # for each next step: Textual's quit message, SIGTERM, SIGKILL
STDERR_TAIL = 16 * 1024  # bytes of a child's stderr kept for the log: a chatty child is cut
CTRL_Q = b"\x11"
PRELUDE = b"__GANGLION__\n"  # what Textual's web driver writes before its first packet
PRELUDE_LINES = 10  # lines allowed before it (textual-serve allows as many)


PR_SET_PDEATHSIG = 1
# Resolved before any fork: the child, between fork and exec, only calls it.
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None


def _end_with_server(server: int) -> Callable[[], None] | None:
    """What the child runs before exec, on Linux: it is sent SIGTERM when the server dies,
    even by SIGKILL (when nothing could stop the games), so no game outlives its server."""
    if _PRCTL is None:
        return None

    def arm() -> None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != server:  # the server died before the line above
            os._exit(1)

    return arm


class Game(AppService):
    """One visitor's game. Unlike textual-serve's AppService, the child is started from an
    argument list (no shell, so no quoting of folder names), in a process group of its own (a
    Ctrl+C meant for the server does not reach it; the whole group can be signalled), its
    stderr is kept only in part, and stopping it is bounded in time and always reaps it."""

    def __init__(
        self,
        argv: Sequence[str],
        visitor: str,
        *,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[object]],
    ) -> None:
        super().__init__(
            argv[0],
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,  # type: ignore[arg-type]  # aiohttp's close returns a bool
            download_manager=DownloadManager(),
        )
        self.argv = list(argv)
        self.visitor = visitor
        self.last_input = time.monotonic()
        self.stderr_tail = b""
        self._stopping: asyncio.Future[None] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def exited(self) -> bool:
        return self._process is not None and self._process.returncode is not None

    def touch(self) -> None:
        """The visitor did something: the idle clock starts again."""
        self.last_input = time.monotonic()

    def idle_for(self) -> float:
        return time.monotonic() - self.last_input

    async def _open_app_process(
        self, width: int = 80, height: int = 24
    ) -> asyncio.subprocess.Process:
        env = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            start_new_session=True,
            preexec_fn=_end_with_server(os.getpid()),
        )
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Pass the child's packets to the browser until the child closes its output."""
        process = self._process
        assert process is not None and process.stdout is not None
        stdout = process.stdout
        tail = asyncio.create_task(self._keep_stderr_tail())
        try:
            for _ in range(PRELUDE_LINES):
                line = await stdout.readline()
                if not line or line == PRELUDE:
                    break
            while True:
                kind = await stdout.readexactly(1)
                size = int.from_bytes(await stdout.readexactly(4), "big")
                payload = await stdout.readexactly(size)
                if kind == b"D":
                    await self.on_data(payload)
                elif kind == b"M":
                    await self.on_meta(payload)
                # b"P" carries file downloads, which the game never offers: dropped
        except (asyncio.IncompleteReadError, ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            tail.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await tail
        if self.stderr_tail.strip():
            text = self.stderr_tail.decode("utf-8", "replace").strip()
            log.warning("game %s wrote to stderr:\n%s", short(self.visitor), text)

    async def _keep_stderr_tail(self) -> None:
        assert self._process is not None and self._process.stderr is not None
        stderr = self._process.stderr
        while chunk := await stderr.read(4096):
            self.stderr_tail = (self.stderr_tail + chunk)[-STDERR_TAIL:]

    async def on_meta(self, data: bytes) -> None:
        """Only `exit` matters: the game asks for no URLs to be opened and delivers no files."""
        try:
            meta = json.loads(data)
        except ValueError:
            return
        if isinstance(meta, dict) and meta.get("type") == "exit":
            await self.remote_close()

    async def stop(self) -> None:
        """Ask the game to quit (it autosaves), wait a little, then signal, then kill; in
        every case the child is reaped and the browser's connection closed. Safe to call from
        several places at once: they all wait for the same stop."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        process = self._process
        if process is not None:
            if process.returncode is None and self._stdin is not None:
                # Ctrl+Q, as a player would press it: the game's own quit, which writes the
                # autosave first. (Textual's "quit" meta, like SIGTERM, ends the app without
                # it, losing a step taken less than the autosave's delay ago.)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.send_bytes(CTRL_Q), 1.0)
            if not await _exits(process, QUIT_GRACE):
                with contextlib.suppress(TimeoutError, AssertionError):
                    await asyncio.wait_for(self.send_meta({"type": "quit"}), 1.0)
            if not await _exits(process, KILL_GRACE):
                _signal_group(process, signal.SIGTERM)
                if not await _exits(process, KILL_GRACE):
                    _signal_group(process, signal.SIGKILL)
                    await process.wait()
        if self._task is not None:
            task, self._task = self._task, None
            try:
                await asyncio.wait_for(task, KILL_GRACE)
            except (TimeoutError, asyncio.CancelledError):
                pass
        with contextlib.suppress(Exception):
            await self.remote_close()


async def _exits(process: asyncio.subprocess.Process, seconds: float) -> bool:
    try:
        await asyncio.wait_for(process.wait(), seconds)
    except TimeoutError:
        return False
    return True


def _signal_group(process: asyncio.subprocess.Process, sig: signal.Signals) -> None:
    """Signal the child's process group (its own: start_new_session), so anything it started
    goes too. Only while the child is not yet reaped: its id may be reused after."""
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


class Games:
    """At most `cap` games at once, one per visitor; a game idle for `idle` seconds is ended.
    A visitor who opens the game again (a reload, a second tab) gets their game restarted: the
    old one is stopped first, so its autosave is written before the new one reads it."""

    def __init__(self, cap: int, idle: float) -> None:
        self.cap = cap
        self.idle = idle
        self.closed = False
        self._games: dict[str, Game] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}
        self._reaper: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self._games)

    def pids(self) -> list[int]:
        return [g.pid for g in self._games.values() if g.pid is not None]

    def full_for(self, visitor: str | None) -> bool:
        """No room for this visitor: every place is taken, none by them (theirs would be
        handed back to them)."""
        return self.closed or (visitor not in self._games and len(self._games) >= self.cap)

    def start_reaper(self) -> None:
        if self._reaper is None:
            self._reaper = asyncio.create_task(self._reap_idle())

    async def open(
        self, visitor: str, make: Callable[[], Game], width: int, height: int
    ) -> Game | None:
        """Start the visitor's game (ending the one they had), or None when there is no room."""
        self._waiting[visitor] = self._waiting.get(visitor, 0) + 1
        lock = self._locks.setdefault(visitor, asyncio.Lock())
        try:
            async with lock:
                old = self._games.get(visitor)
                if old is not None:
                    log.info("game %s: opened again, the old one ends", short(visitor))
                    await self.end(visitor, old)
                if self.closed or len(self._games) >= self.cap:
                    return None
                game = make()
                self._games[visitor] = game
                try:
                    await game.start(width, height)
                except OSError:
                    del self._games[visitor]
                    raise
                log.info(
                    "game %s started (pid %s; %d of %d)",
                    short(visitor),
                    game.pid,
                    len(self._games),
                    self.cap,
                )
                return game
        finally:
            self._waiting[visitor] -= 1
            if not self._waiting[visitor]:
                del self._waiting[visitor]
                del self._locks[visitor]

    async def end(self, visitor: str, game: Game) -> None:
        """Stop `game` and forget it (if it is still the visitor's current one)."""
        await game.stop()
        if self._games.get(visitor) is game:
            del self._games[visitor]
            log.info("game %s ended (%d of %d)", short(visitor), len(self._games), self.cap)

    async def _reap_idle(self) -> None:
        every = max(0.2, min(30.0, self.idle / 4))
        while True:
            await asyncio.sleep(every)
            stale = [(v, g) for v, g in self._games.items() if g.idle_for() > self.idle]
            for v, _ in stale:
                log.info("game %s: idle too long, ended", short(v))
            await asyncio.gather(*(self.end(v, g) for v, g in stale))

    async def close(self) -> None:
        """The server is stopping: no new games, and every child stopped and reaped."""
        self.closed = True
        if self._reaper is not None:
            self._reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaper
        await asyncio.gather(*(self.end(v, g) for v, g in list(self._games.items())))
