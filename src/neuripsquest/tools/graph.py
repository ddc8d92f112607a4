"""`neuripsquest graph`: the scene graph as Mermaid (renders on GitHub) or Graphviz DOT.

Scenes are grouped by place; the start scene has a thick border and endings a shape and colour
of their own. Each way on is an edge labelled with the choice's text, shortened; an edge behind
an `if:` is dashed and its label starts with `?`. Random outcomes are labelled with their odds,
input outcomes with their condition.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import IO, Any

from neuripsquest.core.world import World
from neuripsquest.problems import plural

LABEL_LENGTH = 32


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    conditional: bool


def edges(world: World) -> list[Edge]:
    out: list[Edge] = []
    for sid, sc in world.scenes.items():
        for ch in sc.choices:
            cond = ch.cond_src is not None
            text = shorten(ch.text)
            if ch.goto is not None:
                out.append(Edge(sid, ch.goto, text, cond))
                continue
            for oc in ch.outcomes:
                odds = f"{oc.weight}/{ch.total_weight}"
                out.append(Edge(sid, oc.goto, f"{shorten(ch.text, 24)} ({odds})", cond))
        if sc.input is not None:
            for answer in sc.input.outcomes:
                cond_src = answer.cond_src
                label = shorten(cond_src) if cond_src is not None else "otherwise"
                out.append(Edge(sid, answer.goto, label, cond_src is not None))
    return out


def shorten(text: str, n: int = LABEL_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _groups(world: World) -> tuple[dict[str, list[str]], list[str]]:
    by_place: dict[str, list[str]] = {p: [] for p in world.places}
    loose: list[str] = []
    for sid, sc in world.scenes.items():
        if sc.place is not None and sc.place in by_place:
            by_place[sc.place].append(sid)
        else:
            loose.append(sid)
    return {p: s for p, s in by_place.items() if s}, loose


# ---------------------------------------------------------------- Mermaid


def _mm(text: str) -> str:
    """Text for inside a quoted Mermaid label."""
    return (
        text.replace("#", "#35;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("|", "#124;")
    )


def mermaid(world: World) -> str:
    lines = ["flowchart LR"]
    places, loose = _groups(world)

    def node(sid: str, indent: str) -> str:
        sc = world.scenes[sid]
        label = f"{_mm(sc.title)}<br/>({sid})"
        if sc.ending is not None:
            ending = world.endings.get(sc.ending, sc.ending)
            return f'{indent}s_{sid}(["{label}<br/>THE END: {_mm(ending)}"])'
        return f'{indent}s_{sid}["{label}"]'

    for place, sids in places.items():
        lines.append(f'  subgraph p_{place}["{_mm(world.places[place])}"]')
        lines.extend(node(s, "    ") for s in sids)
        lines.append("  end")
    lines.extend(node(s, "  ") for s in loose)
    for e in edges(world):
        arrow = "-.->" if e.conditional else "-->"
        label = ("? " if e.conditional else "") + e.label
        lines.append(f'  s_{e.source} {arrow}|"{_mm(label)}"| s_{e.target}')
    lines.append("  classDef ending fill:#fde68a,stroke:#b45309,stroke-width:2px,color:#111")
    lines.append("  classDef start stroke:#1d4ed8,stroke-width:4px")
    ends = [f"s_{sid}" for sid, sc in world.scenes.items() if sc.ending is not None]
    if ends:
        lines.append(f"  class {','.join(ends)} ending")
    lines.append(f"  class s_{world.start} start")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- DOT


def _dq(text: str) -> str:
    """A double-quoted DOT string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(world: World) -> str:
    lines = [
        f"digraph {_dq(world.title)} {{",
        '  graph [rankdir=LR, fontname="Helvetica", compound=true];',
        '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    places, loose = _groups(world)

    def node(sid: str, indent: str) -> str:
        sc = world.scenes[sid]
        label = sc.title + "\n(" + sid + ")"
        attrs = [f"label={_dq(label)}"]
        if sc.ending is not None:
            ending = world.endings.get(sc.ending, sc.ending)
            attrs = [
                f"label={_dq(label + chr(10) + 'THE END: ' + ending)}",
                "shape=doubleoctagon",
                'style="filled"',
                'fillcolor="#fde68a"',
            ]
        if sid == world.start:
            attrs += ["penwidth=3", 'color="#1d4ed8"']
        return f"{indent}{_dq(sid)} [{', '.join(attrs)}];"

    for place, sids in places.items():
        lines.append(f"  subgraph {_dq('cluster_' + place)} {{")
        lines.append(f"    label={_dq(world.places[place])};")
        lines.append('    style="rounded,dashed"; color="#94a3b8";')
        lines.extend(node(s, "    ") for s in sids)
        lines.append("  }")
    lines.extend(node(s, "  ") for s in loose)
    for e in edges(world):
        attrs = [f"label={_dq(('? ' if e.conditional else '') + e.label)}"]
        if e.conditional:
            attrs.append("style=dashed")
        lines.append(f"  {_dq(e.source)} -> {_dq(e.target)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def run(root: Any, fmt: str, output: str | None, out: IO[str], err: IO[str]) -> int:
    from neuripsquest.store.loader import check_world
    from neuripsquest.tools.facts import skipped

    world, problems = check_world(root)
    if world is None:
        for p in problems:
            err.write(f"{p}\n")
        err.write(skipped(len(problems), "the graph") + "\n")
        return 1
    text = dot(world) if fmt == "dot" else mermaid(world)
    if output is None:
        out.write(text)
        return 0
    try:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        err.write(f"{output}: cannot write: {exc.strerror or exc}\n")
        return 1
    err.write(f"Wrote {os.path.relpath(output)} ({plural(len(world.scenes), 'scene')}).\n")
    return 0
