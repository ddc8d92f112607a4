"""`neuripsquest serve` in a real browser: Debian's Chromium, headless, driven over the DevTools
protocol (tests/cdp.py, standard library only), typing into and reading the page's xterm.js
terminal (tests/webterm.py). Skipped where Chromium or textual-serve is missing (CI installs
both: .ci/run, the `test` extra)."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from neuripsquest.core import clock, engine
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.play import replay, view
from neuripsquest.store.loader import load_world
from tests.cdp import Browser, find_browser
from tests.webterm import Served, WebTerminal

pytest.importorskip("textual_serve")
from neuripsquest.frontends.web import visitors  # noqa: E402

BROWSER = find_browser()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(BROWSER is None, reason="no Chromium to drive"),
]
ROOT = Path(__file__).resolve().parents[1]
ROUTE = ROOT / "tests" / "playthroughs" / "route_to_number_prompt.yaml"
SIZE = (1000, 640)  # pixels: about 110x33 cells at the page's font


@pytest.fixture(scope="module")
def world() -> World:
    return load_world(ROOT / "world", use_cache=False)


def header(world: World, state: State) -> tuple[str, str]:
    """What the game screen's header shows for `state`: the title, and place · time."""
    where = f"{view.place(world, state)} · {clock.when(world, state)}"
    return world.scenes[state.scene].title, where


def continue_note(world: World, state: State) -> str:
    """The title screen's Continue entry for a run standing at `state`."""
    return f"Continue  {clock.when(world, state)}, {world.scenes[state.scene].title}"


def last_word(world: World, state: State) -> str:
    return view.text(world, state).split()[-1].strip("*_")


def number_of(world: World, state: State, choice: str) -> str:
    return str(next(v.number for v in view.choices(world, state) if v.id == choice))


def browser(tmp_path: Path, name: str) -> Browser:
    assert BROWSER is not None
    return Browser(BROWSER, str(tmp_path / name), *SIZE)


def autosaved_scene(folder: Path) -> str:
    blob = json.loads((folder / "autosave.json").read_text(encoding="utf-8"))
    return blob["state"]["scene"]


def test_play_reload_continue_and_type_an_amount(tmp_path, world):
    """New game; two choices by key and one by click; a reload lands on the title with
    Continue on this run, and Enter carries on; then the real route to the number prompt, by
    number keys, and an amount typed into it."""
    steps = [s.action for s in replay.load(str(ROUTE)).steps]
    state = engine.new_game(world, 0)
    with Served(str(tmp_path / "saves")) as server, browser(tmp_path, "a") as b:
        page = WebTerminal(b, server.url)
        page.open()
        page.wait_text("New game", "Continue")
        page.press("n")
        page.wait_top(*header(world, state))
        for how, action in zip(["key", "key", "click"], steps[:3], strict=True):
            assert isinstance(action, engine.Choose)
            if how == "key":
                page.press(number_of(world, state, action.choice))
            else:
                text = world.scenes[state.scene].choice_by_id[action.choice].text
                page.click_text(text[:20])
            state = engine.advance(world, state, action)
            page.wait_top(*header(world, state))

        page.reload()
        title, where = header(world, state)
        page.wait_text(continue_note(world, state))  # the title names the run it continues
        page.press("Enter")
        page.wait_top(title, where)

        for action in steps[3:]:
            if isinstance(action, engine.Type):
                # Enter shows the rest of a scene still typing out (docs/tui.md), so the
                # answer waits for the scene's last word
                page.wait_text("What's your number?", last_word(world, state))
                page.type(action.text)
                page.press("Enter")
            else:
                page.press(number_of(world, state, action.choice))
            state = engine.advance(world, state, action)
            page.wait_top(*header(world, state))
        assert state.scene == "number_exactly"
        shot = tmp_path / "serve_number_exactly.png"
        b.screenshot(str(shot))
        print(f"screenshot: {shot}")
        assert shot.stat().st_size > 10_000
        assert server.stop() == 0
    assert not server.kill_leftovers()


def test_two_visitors_keep_their_own_runs(tmp_path, world):
    """Two browsers at once (two cookie jars): each gets its own folder, named by a hash of
    the id its browser keeps, and each reload continues its own run, never the other's."""
    start = engine.new_game(world, 0)
    saves = tmp_path / "saves"
    with (
        Served(str(saves)) as server,
        browser(tmp_path, "a") as ba,
        browser(tmp_path, "b") as bb,
    ):
        a, b = WebTerminal(ba, server.url), WebTerminal(bb, server.url)
        a.open()
        b.open()
        states = {}
        routes = {a: ["phd_student", "sparkling_water"], b: ["postdoc"]}
        for page, route in routes.items():
            page.wait_text("New game")
            page.press("n")
            state = start
            page.wait_top(*header(world, state))
            for choice in route:
                page.press(number_of(world, state, choice))
                state = engine.advance(world, state, engine.Choose(choice))
                page.wait_top(*header(world, state))
            states[page] = state
        assert header(world, states[a]) != header(world, states[b])
        assert server.wait_children(2)

        ids = {}
        for page in (a, b):
            cookies = page.browser.page("Network.getCookies", urls=[server.url])["cookies"]
            ids[page] = next(c["value"] for c in cookies if c["name"] == visitors.COOKIE)
            assert visitors.valid(ids[page])
        assert ids[a] != ids[b]
        folders = sorted(p.name for p in (saves / visitors.FOLDER).iterdir())
        assert folders == sorted(visitors.folder(saves, i).name for i in ids.values())
        assert not any(i in f for i in ids.values() for f in folders)  # no id on disk

        for page in (b, a):  # B first: a reload is the other's moment to be overwritten
            page.reload()
            page.wait_text(continue_note(world, states[page]))
            page.press("Enter")
            page.wait_top(*header(world, states[page]))
        for page in (a, b):
            assert autosaved_scene(visitors.folder(saves, ids[page])) == states[page].scene
        assert server.stop() == 0
    assert not server.kill_leftovers()


def test_full_server_turns_visitors_away_until_a_game_ends(tmp_path, world):
    """One game at most: a second visitor gets the 'full' page; the first game, left idle,
    is ended (its page says so) and its child reaped; then the second visitor gets in; when
    they close the tab their game's process goes; even a server killed with SIGKILL leaves
    no game behind."""
    idle = 4.0
    with (
        Served(
            str(tmp_path / "saves"), "--max-games", "1", "--idle-minutes", str(idle / 60)
        ) as server,
        browser(tmp_path, "a") as ba,
        browser(tmp_path, "b") as bb,
    ):
        a, b = WebTerminal(ba, server.url), WebTerminal(bb, server.url)
        a.open()
        a.wait_text("New game")
        (first,) = server.wait_children(1)

        bb.open(server.url)
        body = bb.eval("document.body.innerText")
        assert "NeurIPS Quest is full" in body and "Try again" in body
        assert server.children() == {first}  # no process was started for B

        a.browser.wait_for("document.body.classList.contains('-closed')", timeout=idle + 10)
        assert "game has stopped" in ba.eval("document.body.innerText")
        server.wait_children(0)

        b.open()
        b.wait_text("New game")
        (second,) = server.wait_children(1)
        assert second != first
        bb.open("about:blank")  # the visitor closes the tab
        server.wait_children(0)

        a.open()  # back again: a game is running when the server is killed outright
        a.wait_text("New game")
        server.wait_children(1)
        assert server.stop(signal.SIGKILL) == -signal.SIGKILL
        deadline = time.monotonic() + 10  # the kernel tells the orphan (PR_SET_PDEATHSIG)
        while server.leftovers() and time.monotonic() < deadline:
            time.sleep(0.1)
    assert not server.kill_leftovers()
    assert "idle too long" in server.output()
