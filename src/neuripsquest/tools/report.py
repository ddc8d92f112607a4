"""`neuripsquest report`: the story's shape and how random players move through it, as one HTML
file that opens from disk (no network, no other files).

The page holds the scene graph as SVG, laid out here: a column per BFS depth from the start, so
the story reads left to right, and a box per place packed into those columns. Each node is
coloured by how many of the `randomtest` runs reached it. Clicking a node shows the scene's
text, its choices and their counts beside the graph; below it are the ending mix and the
stats at each ending. The page's script only pans, zooms and shows what is already there.

World text reaches the page two ways only: HTML-escaped in the markup, and as JSON in a
`<script type="application/json">` block with `<`, `>` and `&` written as `\\u` escapes, so no
text can close the block or become markup; the script puts it on the page as text, never HTML.
"""

from __future__ import annotations

import json
import math
import os
import re
import statistics
from collections import defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from typing import IO, Any

from neuripsquest.core.world import Scene, World
from neuripsquest.problems import number, plural
from neuripsquest.tools import randomtest

DEFAULT_OUTPUT = "report.html"

# Geometry of the drawing, in SVG units (pixels at zoom 1).
NODE_W, NODE_H = 184, 42
COL_W = 250  # one BFS depth: a node and the room its edges need
ROW_H = 54
PAD, HEAD = 12, 24  # a place box's padding and the height of its name
GAP = 26  # between place boxes stacked in one column
MARGIN = 30
TITLE_CHARS = 25
ASPECT = 1.6  # width / height the packing aims for: a screen's
SHIFT_COST = 0.3  # a place moved right one column must rise this many columns' width

NO_PLACE = ""  # the group of scenes without a place


# ---------------------------------------------------------------- edges


@dataclass
class Link:
    """One drawn edge: every way from `source` to `target` of one kind, merged."""

    source: str
    target: str
    kind: str  # "go", "if" (behind a condition), "random" (an outcome's odds), "input"
    label: str = ""  # the odds of a random outcome
    texts: list[str] = field(default_factory=list)  # the choices it stands for (a tooltip)


def links(world: World) -> list[Link]:
    out: dict[tuple[str, str, str, str], Link] = {}

    def add(source: str, target: str, kind: str, text: str, part: str = "", label: str = ""):
        key = (source, target, kind, part)
        link = out.get(key)
        if link is None:
            link = out[key] = Link(source, target, kind, label)
        link.texts.append(text)

    for sid, sc in world.scenes.items():
        for ch in sc.choices:
            guard = f" (if {ch.cond_src})" if ch.cond_src is not None else ""
            if ch.goto is not None:
                add(sid, ch.goto, "if" if guard else "go", ch.text + guard)
                continue
            for oc in ch.outcomes:
                # Outcomes of one choice that go to the same scene draw as one edge.
                weight = sum(o.weight for o in ch.outcomes if o.goto == oc.goto)
                odds = f"{weight}/{ch.total_weight}"
                add(sid, oc.goto, "random", f"{ch.text} ({odds}){guard}", ch.id, odds)
        if sc.input is not None:
            for ioc in sc.input.outcomes:
                cond = f"if {ioc.cond_src}" if ioc.cond_src is not None else "otherwise"
                add(sid, ioc.goto, "input", f"{sc.input.prompt} {cond}")
    return list(out.values())


# ---------------------------------------------------------------- layout


@dataclass
class Box:
    place: str  # NO_PLACE for scenes without one
    name: str
    x: float
    y: float
    w: float
    h: float


@dataclass
class Layout:
    pos: dict[str, tuple[float, float]]  # scene -> top-left corner of its node
    column: dict[str, int]
    boxes: list[Box]
    width: float
    height: float


def depths(world: World, ways: list[Link]) -> dict[str, int]:
    """BFS depth from the start; scenes it cannot reach get depths from their own BFS, in
    file order, so they still sit left of what they lead to."""
    after: dict[str, list[str]] = defaultdict(list)
    for link in ways:
        after[link.source].append(link.target)
    depth: dict[str, int] = {}
    for root in [world.start, *world.scenes]:
        if root in depth:
            continue
        depth[root] = 0
        todo = deque([root])
        while todo:
            s = todo.popleft()
            for t in after[s]:
                if t not in depth:
                    depth[t] = depth[s] + 1
                    todo.append(t)
    return depth


def _pack(
    order: list[str],
    spans: dict[str, tuple[int, int]],
    heights: Mapping[str, float],
    limit: int,
) -> dict[str, tuple[int, float]]:
    """Each place box, in turn, drops onto the lowest free height over the columns it spans
    (a skyline), shifted right by as many columns (within `limit`) as lowers it the most; a
    small cost per column keeps it near its own depth. Returns place -> (shift, y)."""
    floor: dict[int, float] = defaultdict(lambda: MARGIN)
    out: dict[str, tuple[int, float]] = {}
    for place in order:
        first, last = spans[place]
        options = []
        for shift in range(max(1, limit - last)):
            y = max(floor[c] for c in range(first + shift, last + shift + 1))
            options.append((y + shift * COL_W * SHIFT_COST, shift, y))
        _, shift, y = min(options)
        out[place] = (shift, y)
        for c in range(first + shift, last + shift + 1):
            floor[c] = y + heights[place] + GAP
    return out


def layout(world: World, ways: list[Link]) -> Layout:
    """Columns by depth, a box per place, boxes packed to the screen's shape. One long function
    on purpose: each step reads the positions the one before fixed, and split up they would
    pass a dozen half-built tables between them."""
    column = depths(world, ways)
    groups: dict[str, list[str]] = {p: [] for p in world.places}
    groups[NO_PLACE] = []
    for sid, sc in world.scenes.items():
        groups[sc.place if sc.place in world.places else NO_PLACE].append(sid)
    cells: dict[str, dict[int, list[str]]] = {}  # place -> column -> scenes, top to bottom
    for place, sids in groups.items():
        if sids:
            cells[place] = defaultdict(list)
            for sid in sids:
                cells[place][column[sid]].append(sid)

    rows = {p: max(len(c) for c in cols.values()) for p, cols in cells.items()}
    heights = {p: HEAD + rows[p] * ROW_H - (ROW_H - NODE_H) + PAD for p in cells}
    spans = {p: (min(cols), max(cols)) for p, cols in cells.items()}
    order = sorted(cells, key=lambda p: (spans[p][0], list(groups).index(p)))
    ncols = max(c for _, c in spans.values()) + 1
    # Places a player picks between sit in the same columns and would stack into one tall
    # strip; letting a box move right into free room gives the page's shape. Try a few widths
    # and keep the one nearest a screen's proportions.
    best: tuple[float, dict[str, tuple[int, float]]] | None = None
    for limit in range(ncols, 2 * ncols + 1):
        placed = _pack(order, spans, heights, limit)
        w = max(spans[p][1] + k for p, (k, _) in placed.items()) * COL_W + NODE_W
        h = max(y + heights[p] for p, (_, y) in placed.items())
        misfit = abs(math.log(w / h / ASPECT))
        if best is None or misfit < best[0] - 0.01:
            best = (misfit, placed)
    assert best is not None
    placed = best[1]
    boxes: list[Box] = []
    for place in order:
        shift, y = placed[place]
        first, last = spans[place]
        x = MARGIN + (first + shift) * COL_W
        w = (last - first) * COL_W + NODE_W + 2 * PAD
        boxes.append(Box(place, world.places.get(place, "(no place)"), x, y, w, heights[place]))
        for c, sids in list(cells[place].items()):
            for sid in sids:
                column[sid] = c + shift
    cells = {p: {c + placed[p][0]: sids for c, sids in cols.items()} for p, cols in cells.items()}
    top = {b.place: b.y + HEAD for b in boxes}

    # Within a box, each column's scenes go in the order of where their neighbours are (the
    # barycentre heuristic), each on the free row nearest that height: fewer crossings, and
    # straighter edges.
    before: dict[str, list[str]] = defaultdict(list)
    after: dict[str, list[str]] = defaultdict(list)
    for link in ways:
        if link.source != link.target:
            before[link.target].append(link.source)
            after[link.source].append(link.target)
    y_of: dict[str, float] = {}
    for place, cols in cells.items():
        for sids in cols.values():
            for i, sid in enumerate(sids):
                y_of[sid] = top[place] + i * ROW_H
    for sweep in range(4):
        near = before if sweep % 2 == 0 else after
        for place, cols in cells.items():
            for c in sorted(cols, reverse=sweep % 2 == 1):
                wanted = {
                    sid: statistics.fmean(y_of[n] for n in near[sid]) if near[sid] else y_of[sid]
                    for sid in cols[c]
                }
                cols[c].sort(key=lambda s: wanted[s])
                n, free = len(cols[c]), rows[place]
                row = -1
                for i, sid in enumerate(cols[c]):
                    nearest = round((wanted[sid] - top[place]) / ROW_H)
                    row = min(max(nearest, row + 1), free - (n - i))
                    y_of[sid] = top[place] + row * ROW_H
    pos = {sid: (float(MARGIN + PAD + column[sid] * COL_W), y_of[sid]) for sid in world.scenes}
    width = max((b.x + b.w for b in boxes), default=0) + MARGIN
    height = max((b.y + b.h for b in boxes), default=0) + MARGIN
    return Layout(pos, column, boxes, width, height)


# ---------------------------------------------------------------- drawing


def shade(share: float) -> tuple[str, bool]:
    """The fill for a scene reached by `share` of the runs (on a log scale: one run in a
    thousand is pale, every run is deep green), and whether its text must be light."""
    t = min(1.0, max(0.0, (math.log10(share) + 3) / 3)) if share > 0 else 0.0
    stops = [(254, 249, 195), (134, 239, 172), (21, 128, 61)]
    seg = min(1, int(t * 2))
    u = t * 2 - seg
    rgb = [round(a + (b - a) * u) for a, b in zip(stops[seg], stops[seg + 1], strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb), t > 0.75


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _path(lay: Layout, link: Link) -> tuple[str, tuple[float, float]]:
    """The edge's SVG path and where on it a label goes."""
    (sx, sy), (tx, ty) = lay.pos[link.source], lay.pos[link.target]
    sy, ty = sy + NODE_H / 2, ty + NODE_H / 2
    if link.source == link.target:
        x0, y0 = sx + NODE_W - 30, sy - NODE_H / 2
        pts = [(x0, y0), (x0, y0 - 30), (sx + NODE_W + 30, sy), (sx + NODE_W, sy)]
    elif lay.column[link.target] > lay.column[link.source]:
        x0, x1 = sx + NODE_W, tx
        bend = max(40.0, (x1 - x0) / 2)
        pts = [(x0, sy), (x0 + bend, sy), (x1 - bend, ty), (x1, ty)]
    elif lay.column[link.target] == lay.column[link.source]:
        x0, x1 = sx + NODE_W, tx + NODE_W
        bend = 40 + abs(ty - sy) / 6
        pts = [(x0, sy), (x0 + bend, sy), (x1 + bend, ty), (x1, ty)]
    else:  # back to an earlier column: out of the left side, into the right side
        x0, x1 = sx, tx + NODE_W
        pts = [(x0, sy), (x0 - 50, sy), (x1 + 50, ty), (x1, ty)]
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = pts
    d = f"M{ax:.0f},{ay:.0f} C{bx:.0f},{by:.0f} {cx:.0f},{cy:.0f} {dx:.0f},{dy:.0f}"
    # The label sits past the middle, nearer the scene the edge goes to: edges leaving one
    # scene fan out from the same point, and only further along do they tell apart.
    u = 0.7
    k = ((1 - u) ** 3, 3 * (1 - u) ** 2 * u, 3 * (1 - u) * u**2, u**3)
    at = (
        k[0] * ax + k[1] * bx + k[2] * cx + k[3] * dx,
        k[0] * ay + k[1] * by + k[2] * cy + k[3] * dy,
    )
    return d, at


def svg(world: World, lay: Layout, ways: list[Link], t: randomtest.Tally) -> str:
    # One pass that writes the drawing top to bottom (places, then edges, then nodes, the order
    # they paint in): long, but read in the order it draws.
    e = escape
    out = [
        f'<svg id="graph" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {lay.width:.0f} {lay.height:.0f}" '
        f'data-width="{lay.width:.0f}" data-height="{lay.height:.0f}">',
        "<defs>",
    ]
    for kind in ("go", "if", "random", "input", "in", "out"):
        out.append(
            f'<marker id="arrow-{kind}" class="arrow-{kind}" viewBox="0 0 10 10" refX="9" '
            'refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" '
            'orient="auto">'
            '<path d="M0,0 L10,5 L0,10 z"/></marker>'
        )
    out.append("</defs>")
    out.append('<g id="viewport">')
    out.append('<g class="places">')
    for b in lay.boxes:
        kind = "place loose" if b.place == NO_PLACE else "place"
        out.append(
            f'<g class="{kind}"><rect x="{b.x:.0f}" y="{b.y:.0f}" width="{b.w:.0f}" '
            f'height="{b.h:.0f}" rx="10"/><text x="{b.x + 10:.0f}" y="{b.y + 17:.0f}">'
            f"{e(b.name)}</text></g>"
        )
    out.append("</g>")
    out.append('<g class="edges">')
    labels = []
    for link in ways:
        d, (mx, my) = _path(lay, link)
        tip = e("\n".join(link.texts))
        out.append(
            f'<path class="edge {link.kind}" d="{d}" data-s="{e(link.source)}" '
            f'data-t="{e(link.target)}" marker-end="url(#arrow-{link.kind})">'
            f"<title>{tip}</title></path>"
        )
        if link.label:
            labels.append(
                f'<text class="odds" x="{mx:.0f}" y="{my + 4:.0f}" data-s="{e(link.source)}" '
                f'data-t="{e(link.target)}">{e(link.label)}</text>'
            )
    out.append("</g>")
    out.append('<g class="labels">' + "".join(labels) + "</g>")
    out.append('<g class="nodes">')
    for sid, sc in world.scenes.items():
        x, y = lay.pos[sid]
        share = t.reached.get(sid, 0) / t.runs if t.runs else 0.0
        fill, light = shade(share)
        cls = ["node"]
        if share == 0:
            cls.append("never")
            fill = "#ffffff"
        if sc.ending is not None:
            cls.append("ending")
        if sid == world.start:
            cls.append("start")
        if light:
            cls.append("dark")
        dot = ""
        if share > 0 and any(t.choices.get((sid, key), 0) == 0 for key in _keys(sc)):
            cls.append("untaken")
            dot = f'<circle class="dot" cx="{NODE_W - 2}" cy="2" r="6"/>'

        rx = NODE_H / 2 if sc.ending is not None else 6
        count = f" · {t.scenes.get(sid, 0):,}×"
        second = _short(sid, TITLE_CHARS + 4 - len(count)) + count
        if sc.ending is not None:
            second = _short("END: " + world.endings.get(sc.ending, sc.ending), TITLE_CHARS + 4)
        out.append(
            f'<g class="{" ".join(cls)}" data-id="{e(sid)}" transform="translate({x:.0f},{y:.0f})">'
            f"<title>{e(sc.title)} ({e(sid)})</title>"
            f'<rect width="{NODE_W}" height="{NODE_H}" rx="{rx:.0f}" style="fill:{fill}"/>'
            f'<text class="t1" x="{NODE_W / 2:.0f}" y="17">{e(_short(sc.title, TITLE_CHARS))}'
            f'</text><text class="t2" x="{NODE_W / 2:.0f}" y="33">'
            f"{e(second)}</text>{dot}</g>"
        )
    out.append("</g></g></svg>")
    return "\n".join(out)


def _keys(sc: Scene) -> list[str]:
    """The keys a Tally counts a scene's ways out under (see `randomtest.choice_keys`)."""
    keys = [ch.id for ch in sc.choices]
    if sc.input is not None:
        keys += [f"#{j}" for j in range(len(sc.input.outcomes))]
    return keys


# ---------------------------------------------------------------- data for the side panel


def scene_data(world: World, t: randomtest.Tally) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for sid, sc in world.scenes.items():
        choices = []
        for ch in sc.choices:
            to = (
                [{"scene": ch.goto}]
                if ch.goto is not None
                else [
                    {"scene": o.goto, "odds": f"{o.weight}/{ch.total_weight}"} for o in ch.outcomes
                ]
            )
            choices.append(
                {
                    "id": ch.id,
                    "text": ch.text,
                    "if": ch.cond_src,
                    "disabled": ch.disabled,
                    "once": bool(ch.once_bit),
                    "to": to,
                    "taken": t.choices.get((sid, ch.id), 0),
                }
            )
        entry: dict[str, Any] = {
            "title": sc.title,
            "place": world.places.get(sc.place, "") if sc.place else "",
            "text": sc.text,
            "revisit": sc.revisit,
            "file": sc.origin[0],
            "line": sc.origin[1],
            "ending": world.endings.get(sc.ending, sc.ending) if sc.ending else None,
            "start": sid == world.start,
            "entered": t.scenes.get(sid, 0),
            "reached": t.reached.get(sid, 0),
            "choices": choices,
        }
        if sc.input is not None:
            entry["input"] = {
                "prompt": sc.input.prompt,
                "outcomes": [
                    {"if": o.cond_src, "to": o.goto, "taken": t.choices.get((sid, f"#{j}"), 0)}
                    for j, o in enumerate(sc.input.outcomes)
                ],
            }
        out[sid] = entry
    return out


def page_data(world: World, t: randomtest.Tally, seed: int) -> dict[str, Any]:
    return {
        "title": world.title,
        "runs": t.runs,
        "seed": seed,
        "start": world.start,
        "scenes": scene_data(world, t),
    }


def script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element: no `<` (so no `</script>` or `<!--`), no
    `>` or `&`; JSON.parse reads the escapes back as the same characters."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ---------------------------------------------------------------- tables


def _fmt(x: float | int) -> str:
    return number(x)


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "–"


def ending_table(world: World, t: randomtest.Tally) -> str:
    e = escape
    rows = []
    for key, title in world.endings.items():
        n = t.endings.get(key, 0)
        cls = ' class="zero"' if n == 0 else ""
        rows.append(
            f"<tr{cls}><td>{e(title)}</td><td><code>{e(key)}</code></td>"
            f'<td class="num">{n:,}</td><td class="num">{_pct(n, t.runs)}</td></tr>'
        )
    for label, runs in (("(stuck: no choice can be taken)", t.stuck), ("(never ended)", t.limit)):
        if runs:
            rows.append(
                f'<tr class="bad"><td colspan="2">{label}</td><td class="num">{len(runs):,}</td>'
                f'<td class="num">{_pct(len(runs), t.runs)}</td></tr>'
            )
    return (
        '<table id="endings"><thead><tr><th>Ending</th><th>id</th><th>runs</th><th>share</th>'
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def stats_table(world: World, t: randomtest.Tally) -> str:
    e = escape
    head = "".join(f"<th>{e(label)}</th>" for label in world.stat_labels)
    rows = []
    for key, title in world.endings.items():
        vals = t.stats_at.get(key)
        if not vals:
            continue
        cells = []
        for i in range(len(world.stat_names)):
            s = randomtest.spread([v[i] for v in vals])
            cells.append(
                f'<td class="num">{_fmt(s["min"])} / <b>{_fmt(s["median"])}</b> / '
                f"{_fmt(s['max'])}</td>"
            )
        rows.append(f"<tr><td>{e(title)}</td>" + "".join(cells) + "</tr>")
    return (
        f'<table id="stats"><thead><tr><th>Ending</th>{head}</tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def gaps_html(world: World, t: randomtest.Tally) -> str:
    """Scenes never entered and ways out never taken, each a link to its node."""
    e = escape
    never = [sid for sid in world.scenes if t.scenes.get(sid, 0) == 0]
    untaken: list[str] = []
    for sid, sc in world.scenes.items():
        if t.scenes.get(sid, 0) == 0:
            continue  # its choices cannot have been taken: the scene says it all
        names = [ch.text for ch in sc.choices if t.choices.get((sid, ch.id), 0) == 0]
        if sc.input is not None:
            names += [
                f"input: {o.cond_src or 'otherwise'}"
                for j, o in enumerate(sc.input.outcomes)
                if t.choices.get((sid, f"#{j}"), 0) == 0
            ]
        for name in names:
            untaken.append(
                f'<li><a href="#" data-go="{e(sid)}">{e(sid)}</a>: {e(_short(name, 90))}</li>'
            )

    def scene_link(sid: str) -> str:
        return (
            f'<li><a href="#" data-go="{e(sid)}">{e(sid)}</a> ({e(world.scenes[sid].title)})</li>'
        )

    return (
        f"<h3>Scenes never entered ({len(never)})</h3>"
        + (f'<ul class="gaps">{"".join(scene_link(s) for s in never)}</ul>' if never else "")
        + f"<h3>Choices never taken, in scenes that were entered ({len(untaken)})</h3>"
        + (f'<ul class="gaps">{"".join(untaken)}</ul>' if untaken else "")
    )


# ---------------------------------------------------------------- the page


def render(world: World, t: randomtest.Tally, seed: int) -> str:
    ways = links(world)
    lay = layout(world, ways)
    never = sum(1 for sid in world.scenes if t.scenes.get(sid, 0) == 0)
    summary = (
        f"{plural(len(world.scenes), 'scene')} in {plural(len(lay.boxes), 'place')}, "
        f"{plural(len(ways), 'edge')}. {plural(t.runs, 'random run')} (seed {seed}), "
        f"{plural(t.steps, 'step')}; {plural(never, 'scene')} never entered."
    )
    parts = {
        "title": escape(world.title),
        "summary": escape(summary),
        "svg": svg(world, lay, ways, t),
        "endings": ending_table(world, t),
        "stats": stats_table(world, t),
        "gaps": gaps_html(world, t),
        "data": script_json(page_data(world, t, seed)),
    }
    template = resources.files("neuripsquest.tools").joinpath("report.html").read_text("utf-8")
    # One pass over the template alone: a world text that spells "@@data@@" stays text.
    return re.sub(r"@@(\w+)@@", lambda m: parts[m.group(1)], template)


def run(root: Any, output: str, runs: int, seed: int, err: IO[str]) -> int:
    from neuripsquest.tools.facts import load_or_report

    src = load_or_report(root, err, "the report")
    if src is None or src.world is None:
        return 1
    t = randomtest.play_world(src, runs, seed)
    page = render(src.world, t, seed)
    try:
        with open(output, "w", encoding="utf-8") as f:
            f.write(page)
    except OSError as exc:
        err.write(f"{output}: cannot write: {exc.strerror or exc}\n")
        return 1
    err.write(
        f"Wrote {os.path.relpath(output)} ({plural(len(src.world.scenes), 'scene')}, "
        f"{plural(t.runs, 'run')}).\n"
    )
    return 0
