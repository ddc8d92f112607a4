"""`neuripsquest serve`'s guards without a browser: the visitor id's shape and the folder it
names, what the server answers to a request it must refuse, the 'full' page, and how a game's
child is stopped and reaped (here a small stand-in child that speaks the same protocol)."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("textual_serve")

from aiohttp import DummyCookieJar  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from neuripsquest.frontends.web import games, server, visitors  # noqa: E402

# A stand-in for `neuripsquest play` under Textual's web driver: the prelude, one screen of
# output, then packets read from stdin; Ctrl+Q ends it, unless it was told to be stubborn (it
# then ignores every request and SIGTERM, so only SIGKILL ends it).
CHILD = r"""
import os, signal, sys, time
stubborn = "stubborn" in sys.argv
if stubborn:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
out = sys.stdout.buffer
out.write(b"__GANGLION__\n" + b"D" + (5).to_bytes(4, "big") + b"hello")
out.flush()
inp = sys.stdin.buffer
while True:
    head = inp.read(5)
    if len(head) < 5:
        break
    payload = inp.read(int.from_bytes(head[1:], "big"))
    if head[:1] == b"D" and b"\x11" in payload and not stubborn:
        break
if stubborn:
    time.sleep(60)
"""


def child(*extra: str) -> list[str]:
    return [sys.executable, "-c", CHILD, *extra]


def test_visitor_ids_have_one_shape_and_name_a_hashed_folder(tmp_path):
    vid = visitors.new_id()
    assert visitors.valid(vid) == vid and visitors.new_id() != vid
    for bad in [
        None,
        "",
        vid[:-1],
        vid + "A",
        vid[:-1] + "/",
        vid[:-1] + ".",
        vid + "\n",
        "../" + vid[3:],
        "%2e%2e" + vid[6:],
    ]:
        assert visitors.valid(bad) is None, bad
    folder = visitors.folder(tmp_path, vid)
    assert folder.parent == tmp_path / visitors.FOLDER
    assert vid not in str(folder) and len(folder.name) == 32
    assert visitors.folder(tmp_path, visitors.new_id()) != folder
    with pytest.raises(ValueError):
        visitors.folder(tmp_path, "../../etc")


def config(tmp_path: Path, **changes: object) -> server.Config:
    base = dict(
        host="127.0.0.1",
        port=0,
        saves_root=tmp_path,
        play=child(),
        max_games=1,
        idle_seconds=600.0,
    )
    return server.Config(**{**base, **changes})  # type: ignore[arg-type]


async def test_requests_the_server_refuses(tmp_path):
    quest = server.QuestServer(config(tmp_path))
    async with TestClient(TestServer(quest.app()), cookie_jar=DummyCookieJar()) as client:
        page = await client.get("/")
        assert page.status == 200
        cookie = page.cookies[visitors.COOKIE]
        assert visitors.valid(cookie.value)
        assert cookie["httponly"] and cookie["samesite"] == "Strict"
        assert "nonce-" in page.headers["Content-Security-Policy"]
        # a cookie of another shape is not used: the page hands out a new one
        again = await client.get("/", headers={"Cookie": f"{visitors.COOKIE}=../../x"})
        assert visitors.valid(again.cookies[visitors.COOKIE].value)

        origin = {"Origin": f"http://{client.host}:{client.port}"}
        good = {"Cookie": f"{visitors.COOKIE}={cookie.value}"}
        for headers in (
            origin,  # no cookie: the page was never opened
            {**origin, "Cookie": f"{visitors.COOKIE}=../../etc/passwd"},
            good,  # no Origin
            {**good, "Origin": "http://elsewhere.example"},  # another site's page
        ):
            with pytest.raises(Exception) as refused:
                await client.ws_connect("/ws", headers=headers)
            assert "403" in str(refused.value)
        for path in ("/static/../server.py", "/static/%2e%2e/server.py", "/download/x", "/saves"):
            assert (await client.get(path)).status == 404, path
        assert (await client.get("/static/")).status == 403  # no folder listing
        assert not (tmp_path / visitors.FOLDER).exists()  # no folder for a refused visitor


async def test_full_page_for_a_new_visitor_not_for_the_one_playing(tmp_path):
    quest = server.QuestServer(config(tmp_path))
    async with TestClient(TestServer(quest.app()), cookie_jar=DummyCookieJar()) as client:
        first = (await client.get("/")).cookies[visitors.COOKIE].value
        headers = {
            "Cookie": f"{visitors.COOKIE}={first}",
            "Origin": f"http://{client.host}:{client.port}",
        }
        ws = await client.ws_connect("/ws", headers=headers)
        assert (await ws.receive_bytes(timeout=10)) == b"hello"
        assert len(quest.games) == 1

        other = visitors.new_id()
        full = await client.get("/", headers={"Cookie": f"{visitors.COOKIE}={other}"})
        assert full.status == 503 and "full" in await full.text()
        assert full.headers["Retry-After"]
        late = await client.ws_connect(
            "/ws", headers={**headers, "Cookie": f"{visitors.COOKIE}={other}"}
        )
        assert b"full" in await late.receive_bytes(timeout=10)
        assert len(quest.games) == 1  # no child was started for it

        mine = await client.get("/", headers={"Cookie": headers["Cookie"]})
        assert mine.status == 200  # a reload by the player holding the place
        await ws.close()
        await quest.games.close()
        assert len(quest.games) == 0


async def start_game(argv: list[str]) -> games.Game:
    sent: list[bytes] = []

    async def keep(data: bytes) -> None:
        sent.append(data)

    async def nothing(*_: object) -> None:
        return None

    game = games.Game(argv, visitors.new_id(), write_bytes=keep, write_str=nothing, close=nothing)
    await game.start(80, 24)
    return game


async def test_a_game_that_will_not_quit_is_killed_and_reaped(monkeypatch):
    monkeypatch.setattr(games, "QUIT_GRACE", 0.3)
    monkeypatch.setattr(games, "KILL_GRACE", 0.3)
    polite = await start_game(child())
    stubborn = await start_game(child("stubborn"))
    began = time.monotonic()
    await asyncio.gather(polite.stop(), stubborn.stop())
    assert time.monotonic() - began < 5
    assert polite._process is not None and polite._process.returncode == 0  # left on Ctrl+Q
    assert stubborn._process is not None
    assert stubborn._process.returncode == -signal.SIGKILL


async def test_idle_games_end_and_a_visitor_has_one_game(tmp_path):
    keeper = games.Games(cap=2, idle=0.4)
    keeper.start_reaper()
    vid = visitors.new_id()
    made: list[games.Game] = []

    def make() -> games.Game:
        async def nothing(*_: object) -> None:
            return None

        made.append(games.Game(child(), vid, write_bytes=nothing, write_str=nothing, close=nothing))
        return made[-1]

    first = await keeper.open(vid, make, 80, 24)
    second = await keeper.open(vid, make, 80, 24)  # the same visitor again: a reload
    assert first is not None and second is not None and first is not second
    assert first.exited and len(keeper) == 1  # the old game ended before the new began
    second.touch()
    deadline = time.monotonic() + 5
    while len(keeper) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert len(keeper) == 0 and second.exited  # left idle, it was ended and reaped
    await keeper.close()
