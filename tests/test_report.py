"""`neuripsquest report`: one self-contained HTML page with the scene graph, coverage, endings."""

import html
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from neuripsquest.tools import facts, randomtest, report
from tests.cdp import Browser, find_browser
from tests.conftest import MINI, ROOT, WORLD


def cli(*args, cwd=None):
    # From another folder, this checkout's sources must still be the ones imported.
    path = os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "neuripsquest", "report", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=os.environ | {"PYTHONPATH": path},
    )


def page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def node_ids(page: str) -> list[str]:
    return [html.unescape(s) for s in re.findall(r'<g class="node[^"]*" data-id="([^"]*)"', page)]


def make_report(root, runs=200, seed=5):
    src = facts.load(root)
    tally = randomtest.play_world(src, runs, seed)
    return src.world, tally, report.render(src.world, tally, seed)


@pytest.fixture(scope="module")
def shipped():
    return make_report(WORLD)


def test_cli_writes_the_page_for_the_mini_world(tmp_path):
    out = cli(str(MINI), "-o", str(tmp_path / "r.html"), "--runs", "50", "--seed", "2")
    assert out.returncode == 0, out.stderr
    assert "4 scenes, 50 runs" in out.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert sorted(node_ids(page)) == ["a", "ask", "b", "rich"]
    assert page_data(page)["runs"] == 50


def test_default_output_is_report_html_in_the_current_folder(tmp_path):
    out = cli(str(MINI), "--runs", "5", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "report.html").stat().st_size > 1000


def test_help_names_every_option():
    out = subprocess.run(
        [sys.executable, "-m", "neuripsquest", "report", "--help"], capture_output=True, text=True
    )
    for option in ("--output", "--runs", "--seed", "world_dir"):
        assert option in out.stdout


def test_a_broken_world_or_an_unwritable_file_is_one_clear_message(tmp_path):
    bad = cli(str(ROOT / "tests" / "broken" / "dangling_goto"), "-o", str(tmp_path / "x.html"))
    assert bad.returncode == 1
    assert (
        "1 problem found; the report was skipped: fix these first" in bad.stderr
        and "Traceback" not in bad.stderr
    )
    assert not (tmp_path / "x.html").exists()
    nowhere = cli(str(MINI), "--runs", "5", "-o", str(tmp_path / "no" / "such" / "r.html"))
    assert nowhere.returncode == 1
    assert "cannot write" in nowhere.stderr and "Traceback" not in nowhere.stderr


def test_the_shipped_world_has_every_scene_once_and_every_place(shipped):
    world, _, page = shipped
    assert sorted(node_ids(page)) == sorted(world.scenes)
    assert set(page_data(page)["scenes"]) == set(world.scenes)
    names = re.findall(r'<g class="place[^"]*"><rect[^>]*/><text[^>]*>([^<]*)</text>', page)
    assert sorted(html.unescape(n) for n in names) == sorted(world.places.values())


def test_the_page_needs_nothing_from_outside(shipped):
    page = shipped[2]
    # Every src= or href= is a fragment of the page itself; no stylesheet, import or font.
    assert re.findall(r'\b(?:src|href)\s*=\s*"(?!#)', page) == []
    assert "<link" not in page and "@import" not in page and "url(http" not in page
    assert "fetch(" not in page and "XMLHttpRequest" not in page


def test_coverage_matches_randomtest_for_the_same_seed(tmp_path):
    out = cli(str(WORLD), "-o", str(tmp_path / "r.html"), "--runs", "150", "--seed", "11")
    assert out.returncode == 0, out.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    data = page_data(page)["scenes"]
    rt = subprocess.run(
        [sys.executable, "-m", "neuripsquest", "randomtest", str(WORLD), "--runs", "150"]
        + ["--seed", "11", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    expected = json.loads(rt.stdout)
    assert {sid: s["entered"] for sid, s in data.items()} == expected["scenes"]
    taken = {}
    for sid, s in data.items():
        taken.update({f"{sid}.{c['id']}": c["taken"] for c in s["choices"]})
        for j, o in enumerate(s.get("input", {}).get("outcomes", [])):
            taken[f"{sid}.#{j}"] = o["taken"]
    assert taken == expected["choices"]
    assert any(n == 0 for n in taken.values())  # the comparison covers never-taken choices too
    # The ending table's counts are randomtest's too.
    for ending, n in expected["endings"].items():
        assert re.search(rf"<code>{ending}</code></td><td class=\"num\">{n:,}</td>", page)


def test_never_entered_scenes_are_outlined_and_listed(tmp_path):
    # One run of the mini world cannot enter every scene.
    world, tally, page = make_report(MINI, runs=1, seed=1)
    never = [sid for sid in world.scenes if tally.scenes[sid] == 0]
    assert never
    for sid in world.scenes:
        node = re.search(rf'<g class="node([^"]*)" data-id="{sid}"', page)
        assert node and ("never" in node.group(1).split()) == (sid in never)
    assert f"Scenes never entered ({len(never)})" in page
    for sid in never:
        assert f'data-go="{sid}">{sid}</a>' in page


def test_untaken_choices_are_listed_with_their_scene():
    world, tally, page = make_report(MINI, runs=100, seed=1)
    assert tally.choices[("a", "tired")] == 0  # needs energy 5: random play never has it
    assert 'data-go="a">a</a>: Run a marathon' in page
    tired = [c for c in page_data(page)["scenes"]["a"]["choices"] if c["id"] == "tired"][0]
    assert tired["taken"] == 0 and tired["if"] == "energy >= 5"


def test_ending_mix_and_stat_ranges():
    world, tally, page = make_report(MINI, runs=100, seed=1)
    table = re.search(r'<table id="endings">.*?</table>', page, re.S).group(0)
    for key in world.endings:
        n = tally.endings[key]
        assert f'<code>{key}</code></td><td class="num">{n}</td>' in table
        assert f"{100 * n / 100:.1f}%" in table
    stats = re.search(r'<table id="stats">.*?</table>', page, re.S).group(0)
    energy = [v[0] for v in tally.stats_at["done"]]
    cell = f"{min(energy)} / <b>{randomtest.spread(energy)['median']:g}</b> / {max(energy)}"
    assert cell in stats


def test_layout_keeps_nodes_apart_inside_their_place_and_in_depth_order(shipped):
    world = shipped[0]
    ways = report.links(world)
    lay = report.layout(world, ways)
    boxes = {b.place: b for b in lay.boxes}
    rects = {sid: (x, y, x + report.NODE_W, y + report.NODE_H) for sid, (x, y) in lay.pos.items()}
    items = sorted(rects.items(), key=lambda kv: kv[1])
    for i, (a, ra) in enumerate(items):
        for b, rb in items[i + 1 :]:
            if rb[0] >= ra[2]:
                break
            assert ra[3] <= rb[1] or rb[3] <= ra[1], f"{a} overlaps {b}"
    for sid, (x0, y0, x1, y1) in rects.items():
        box = boxes[world.scenes[sid].place or report.NO_PLACE]
        assert box.x <= x0 and x1 <= box.x + box.w and box.y <= y0 and y1 <= box.y + box.h, sid
    boxed = sorted(lay.boxes, key=lambda b: (b.x, b.y))
    for i, a in enumerate(boxed):
        for b in boxed[i + 1 :]:
            apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
            assert apart, f"places {a.name} and {b.name} overlap"
    # Within a place, a choice one step further from the start goes one column to the right.
    depth = report.depths(world, ways)
    same = [w for w in ways if world.scenes[w.source].place == world.scenes[w.target].place]
    steps = [w for w in same if depth[w.target] == depth[w.source] + 1]
    assert len(steps) > 50
    for link in steps:
        assert lay.pos[link.target][0] - lay.pos[link.source][0] == report.COL_W, link
    # The packing keeps the drawing near a screen's shape, not one tall strip.
    assert 1 <= lay.width / lay.height <= 2.5


def test_edges_are_drawn_by_kind(mini):
    kinds = {(w.source, w.target, w.kind): w for w in report.links(mini)}
    assert ("a", "b", "if") in kinds  # the marathon has an `if`
    assert ("a", "a", "go") in kinds
    assert kinds[("a", "ask", "random")].label == "1/2"
    assert ("ask", "rich", "input") in kinds
    page = make_report(MINI, runs=20)[2]
    assert 'class="edge random"' in page and 'class="edge if"' in page
    assert re.search(r'<text class="odds"[^>]*>1/2</text>', page)
    assert re.search(r'<g class="node[^"]*\bending\b[^"]*" data-id="rich"', page)
    assert re.search(r'<g class="node[^"]*\bstart\b[^"]*" data-id="a"', page)


HOSTILE_TEXT = (
    "Before </script><script>window.pwned = 1</script> after <!-- & @@data@@ -->\n"
    '<img src=x onerror="window.pwned = 2"> \u2028end'
)


@pytest.fixture
def hostile_world(tmp_path):
    root = tmp_path / "hostile"
    shutil.copytree(MINI, root)
    scenes = root / "scenes" / "main.yaml"
    text = scenes.read_text()
    text = text.replace("title: Start", "title: '<script>alert(1)</script> & <b>'")
    text = text.replace(
        "text: You have {energy} energy on {day} {slot}.", f"text: {json.dumps(HOSTILE_TEXT)}"
    )
    scenes.write_text(text)
    return root


def test_world_text_is_escaped_in_the_markup_and_the_data(hostile_world):
    world, _, page = make_report(hostile_world, runs=20)
    assert world.scenes["a"].text == HOSTILE_TEXT
    # Only the page's own two script elements: none came from the world.
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in page
    data = page_data(page)
    assert data["scenes"]["a"]["text"] == HOSTILE_TEXT
    assert data["scenes"]["a"]["title"] == "<script>alert(1)</script> & <b>"
    block = re.search(r'id="report-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block


def test_script_json_round_trips():
    value = {"t": '</script><!-- & \u2028 "q" \\', "n": [1, None]}
    text = report.script_json(value)
    assert json.loads(text) == value
    assert "</" not in text and "<!--" not in text


# ---------------------------------------------------------------- in a real browser

BROWSER = find_browser()
needs_browser = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium or Chrome binary found (apt-get install chromium)"
)

READY = "document.body && document.body.dataset.ready === '1'"


def _centre(b: Browser, sid: str) -> tuple[float, float]:
    return b.eval(
        f"(function () {{ var r = document.querySelector('g.node[data-id={json.dumps(sid)}]')"
        ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
    )


def _view_box(b: Browser) -> list[float]:
    return [
        float(v) for v in b.eval("document.getElementById('graph').getAttribute('viewBox')").split()
    ]


@pytest.mark.slow
@needs_browser
def test_the_page_works_in_a_browser(tmp_path, shipped, hostile_world):
    world, _, page = shipped
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    with Browser(BROWSER, str(tmp_path / "profile")) as b:
        b.open(path.as_uri(), READY)
        assert b.eval("document.querySelectorAll('#graph g.node').length") == len(world.scenes)
        assert b.eval("document.querySelectorAll('#graph .place').length") == len(world.places)
        b.screenshot(str(tmp_path / "whole.png"))

        # Zoom with the button and the wheel, pan by dragging the background.
        fit = _view_box(b)
        b.eval("document.getElementById('zoom-in').click()")
        zoomed = _view_box(b)
        assert zoomed[2] < fit[2]
        b.page("Input.dispatchMouseEvent", type="mouseWheel", x=300, y=500, deltaX=0, deltaY=-300)
        b.wait_for(
            f"+document.getElementById('graph').getAttribute('viewBox').split(' ')[2] < {zoomed[2]}"
        )
        before = _view_box(b)
        x, y = b.eval(
            "(function () { var r = document.getElementById('view').getBoundingClientRect();"
            " return [r.x + 8, r.y + 8]; })()"
        )
        b.page(
            "Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1
        )
        b.page(
            "Input.dispatchMouseEvent",
            type="mouseMoved",
            x=x + 120,
            y=y + 60,
            button="left",
            buttons=1,
        )
        b.page("Input.dispatchMouseEvent", type="mouseReleased", x=x + 120, y=y + 60, button="left")
        after = _view_box(b)
        assert after[0] < before[0] and after[1] < before[1] and after[2] == before[2]
        b.eval("document.getElementById('zoom-fit').click()")

        # A click on a scene shows its title, its text and its choices in the side panel.
        sid = "crossing_train"
        scene = world.scenes[sid]
        b.click(*_centre(b, sid))
        b.wait_for("document.querySelector('#panel h2')")
        shown = b.eval("document.getElementById('panel').innerText")
        assert scene.title in shown
        first = " ".join(scene.text.split("\n\n")[0].split())
        assert first in " ".join(shown.split())
        for ch in scene.choices:
            assert ch.text in shown
        assert b.eval("document.querySelector('g.node.sel').dataset.id") == sid
        # Its target links lead on: the panel then shows that scene.
        target = scene.choices[0].goto or scene.choices[0].outcomes[0].goto
        b.eval(f"document.querySelector('#panel a[data-go={json.dumps(target)}]').click()")
        title = json.dumps(world.scenes[target].title)
        b.wait_for(f"document.querySelector('#panel h2').textContent === {title}")
        b.click(*_centre(b, sid))
        shown_again = (
            f"document.querySelector('g.node.sel').dataset.id === {json.dumps(sid)}"
            f" && document.querySelector('#panel h2').textContent === {json.dumps(scene.title)}"
        )
        b.wait_for(shown_again)
        b.screenshot(str(tmp_path / "panel.png"))

        # World text stays text: markup in a scene shows as characters and runs nothing.
        hostile = tmp_path / "hostile.html"
        hostile.write_text(make_report(hostile_world, runs=20)[2], encoding="utf-8")
        b.open(hostile.as_uri(), READY)
        b.click(*_centre(b, "a"))
        b.wait_for("document.querySelector('#panel h2')")
        assert b.eval("document.querySelector('#panel h2').textContent") == (
            "<script>alert(1)</script> & <b>"
        )
        assert "</script><script>window.pwned = 1</script>" in b.eval(
            "document.querySelector('#panel .text').textContent"
        )
        assert b.eval("typeof window.pwned") == "undefined"
        assert b.eval("document.querySelectorAll('#panel img, #panel script').length") == 0
