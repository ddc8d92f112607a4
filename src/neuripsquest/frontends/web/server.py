"""The web service: one page with textual-serve's browser terminal (xterm.js), and a WebSocket
on which each visitor's game runs (`games.Game`, one child process each).

What comes from a browser, and what is done with it: the visitor cookie (checked for its exact
shape, then hashed into a folder name: `visitors`), the page's Origin (must be this server), a
terminal size (clamped), keys (passed to the visitor's own game as bytes), pings (echoed when
short). Nothing else is read: there is no file route but textual-serve's own static folder, and
no download route (the game offers none).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import secrets
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

import textual_serve
from aiohttp import WSMsgType, web

from neuripsquest.errors import ExitCode
from neuripsquest.frontends.web import visitors
from neuripsquest.frontends.web.games import Game, Games

log = logging.getLogger("neuripsquest.serve")

HERE = Path(__file__).parent
STATIC = Path(textual_serve.__file__).parent / "static"  # textual.js (xterm.js), css, fonts
PAGE = Template((HERE / "page.html").read_text(encoding="utf-8"))
FULL = Template((HERE / "full.html").read_text(encoding="utf-8"))
COOKIE_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie
MAX_MESSAGE = 64 * 1024  # keys, a resize, a ping: all tiny; a larger message closes the socket
HEARTBEAT = 15.0  # seconds: a browser that vanished without closing is noticed within two
COLS, ROWS = (10, 500), (5, 200)  # terminal sizes a browser may ask for
FONT_SIZES = (8, 40)
RETRY_SECONDS = 30
FULL_TEXT = (
    "\r\n  NeurIPS Quest is full: every game on this server is being played.\r\n"
    "  Try again in a minute.\r\n"
)
EXPOSED = """
  *** neuripsquest serve: listening on {host}, not on this machine alone. ***
  Anyone who can reach this address can open games here (up to {cap} at once), each a
  process on this machine. There are no accounts, no passwords and no encryption (plain
  HTTP): fine on a trusted network (a lab, a meetup's Wi-Fi); on the open internet, put it
  behind a reverse proxy that adds HTTPS and limits who gets in.
"""
CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class Config:
    host: str
    port: int
    saves_root: Path  # visitors' folders go in saves_root/visitors/
    play: Sequence[str]  # the child's command line, without --saves
    max_games: int
    idle_seconds: float


def play_command(world_dir: Path, lang: str | None) -> list[str]:
    """How a visitor's game is started: the TUI (Textual's web driver, set by AppService in
    the child's environment, makes the CLI choose it over plain mode)."""
    argv = [sys.executable, "-m", "neuripsquest", "play", "--world", str(world_dir.absolute())]
    if lang:  # `play --lang` (issue 14): passed on only when given
        argv += ["--lang", lang]
    return argv


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve anywhere


def _clamp(value: object, bounds: tuple[int, int], default: int) -> int:
    try:
        n = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return default
    return max(bounds[0], min(bounds[1], n))


def _same_origin(request: web.Request) -> bool:
    """The socket was opened by this server's own page: a page elsewhere cannot drive a
    visitor's game from their browser. (Only the host and port are compared: behind a proxy
    that ends HTTPS, the scheme the server sees differs from the page's.)"""
    origin = request.headers.get("Origin")
    if not origin:
        return False
    return urlsplit(origin).netloc.lower() == request.host.lower()


@web.middleware
async def _headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    response = await handler(request)
    if not response.prepared:  # a WebSocket has sent its headers already
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response


class QuestServer:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.games = Games(config.max_games, config.idle_seconds)

    def app(self) -> web.Application:
        app = web.Application(middlewares=[_headers], client_max_size=MAX_MESSAGE)
        app.add_routes(
            [
                web.get("/", self.index),
                web.get("/ws", self.websocket),
                web.static("/static", STATIC),  # no index pages, no symlinks followed
            ]
        )
        return app

    def folder(self, visitor: str) -> Path:
        return visitors.folder(self.config.saves_root, visitor)

    async def index(self, request: web.Request) -> web.Response:
        visitor = visitors.valid(request.cookies.get(visitors.COOKIE))
        fresh = visitor is None
        if visitor is None:
            visitor = visitors.new_id()
        if self.games.full_for(visitor):
            response = web.Response(
                status=503,
                text=FULL.substitute(cap=self.config.max_games, retry=RETRY_SECONDS),
                content_type="text/html",
                headers={"Retry-After": str(RETRY_SECONDS)},
            )
        else:
            nonce = secrets.token_urlsafe(16)
            size = _clamp(request.query.get("fontsize"), FONT_SIZES, 16)
            response = web.Response(
                text=PAGE.substitute(nonce=nonce, font_size=size), content_type="text/html"
            )
            response.headers["Content-Security-Policy"] = CSP.format(nonce=nonce)
        response.headers["Cache-Control"] = "no-store"
        if fresh:
            response.set_cookie(
                visitors.COOKIE,
                visitor,
                max_age=COOKIE_AGE,
                path="/",
                httponly=True,  # no script on the page can read it
                samesite="Strict",  # and no other site's page can send it
            )
        return response

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        visitor = visitors.valid(request.cookies.get(visitors.COOKIE))
        if visitor is None:
            raise web.HTTPForbidden(text="Open the game's page first: it gives you a place.")
        if not _same_origin(request):
            raise web.HTTPForbidden(text="The game can only be played from this server's page.")
        width = _clamp(request.query.get("width"), COLS, 80)
        height = _clamp(request.query.get("height"), ROWS, 24)
        ws = web.WebSocketResponse(heartbeat=HEARTBEAT, max_msg_size=MAX_MESSAGE)
        await ws.prepare(request)
        folder = self.folder(visitor)

        def make() -> Game:
            argv = [*self.config.play, "--saves", str(folder)]
            return Game(
                argv, visitor, write_bytes=ws.send_bytes, write_str=ws.send_str, close=ws.close
            )

        game = None
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            game = await self.games.open(visitor, make, width, height)
            if game is None:
                await ws.send_bytes(FULL_TEXT.encode())
            else:
                await self._relay(ws, game)
        except OSError as exc:
            log.error("game %s could not start: %s", visitors.short(visitor), exc)
        finally:
            if game is not None:
                await self.games.end(visitor, game)
            await ws.close()
        return ws

    async def _relay(self, ws: web.WebSocketResponse, game: Game) -> None:
        """The browser's messages (textual.js's envelopes) to the game, until either ends."""
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not (isinstance(envelope, list) and envelope and isinstance(envelope[0], str)):
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                game.touch()
                if not await game.send_bytes(data.encode("utf-8", "replace")):
                    break
            elif kind == "resize" and isinstance(data, dict):
                width = _clamp(data.get("width"), COLS, 80)
                height = _clamp(data.get("height"), ROWS, 24)
                await game.set_terminal_size(width, height)
            elif kind == "ping" and isinstance(data, str) and len(data) <= 32:
                await ws.send_json(["pong", data])
            elif kind == "focus":
                await game.focus()
            elif kind == "blur":
                await game.blur()


def serve(config: Config) -> int:
    """Serve until SIGINT or SIGTERM; then every game is asked to quit (each autosaves), and
    every child is reaped before this returns."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    return asyncio.run(_serve(config))


async def _serve(config: Config) -> int:
    server = QuestServer(config)
    runner = web.AppRunner(server.app(), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, config.host, config.port)
    try:
        await site.start()
    except OSError as exc:
        print(
            f"neuripsquest serve: cannot listen on {config.host}:{config.port}: "
            f"{exc.strerror or exc}",
            file=sys.stderr,
        )
        await runner.cleanup()
        return ExitCode.PROBLEMS
    host, port = runner.addresses[0][:2]
    shown = f"[{host}]" if ":" in host else host
    minutes = config.idle_seconds / 60
    print(
        f"Serving NeurIPS Quest on http://{shown}:{port}/ (up to {config.max_games} games at "
        f"once; a game idle for {minutes:g} minutes ends; saves under "
        f"{config.saves_root / visitors.FOLDER}). Ctrl+C stops it.",
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server.games.start_reaper()
    try:
        await stop.wait()
    finally:
        print(f"Stopping: ending {len(server.games)} game(s)...", flush=True)
        await server.games.close()
        await runner.cleanup()
        print("Stopped; every game has ended.", flush=True)
    return ExitCode.OK
