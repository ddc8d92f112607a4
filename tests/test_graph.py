"""`neuripsquest graph`: Mermaid and DOT, grouped by place, endings styled, labels escaped."""

import shutil
import subprocess
import sys

import pytest

from neuripsquest.store.loader import load_world
from neuripsquest.tools import graph
from tests.conftest import MINI, WORLD

MINI_MERMAID = """flowchart LR
  subgraph p_hall["Hall"]
    s_a["Start<br/>(a)"]
  end
  s_b(["End<br/>(b)<br/>THE END: Done"])
  s_ask["Number<br/>(ask)"]
  s_rich(["Rich<br/>(rich)<br/>THE END: Rich"])
  s_a -.->|"? Get a pretzel"| s_a
  s_a -->|"Meet someone"| s_a
  s_a -.->|"? Run a marathon"| s_b
  s_a -->|"Flip a coin (1/2)"| s_b
  s_a -->|"Flip a coin (1/2)"| s_ask
  s_a -->|"Ask the question"| s_ask
  s_ask -.->|"? number == 100_000_000"| s_rich
  s_ask -->|"otherwise"| s_b
  classDef ending fill:#fde68a,stroke:#b45309,stroke-width:2px,color:#111
  classDef start stroke:#1d4ed8,stroke-width:4px
  class s_b,s_rich ending
  class s_a start
"""


def test_mermaid_of_the_mini_world(mini):
    assert graph.mermaid(mini) == MINI_MERMAID


def test_labels_are_shortened_and_escaped():
    assert graph.shorten("a" * 50) == "a" * 31 + "…"
    assert graph._mm('say "hi" <b> #1 | x') == "say #quot;hi#quot; #lt;b#gt; #35;1 #124; x"
    assert graph._dq('a "b" \\ c') == '"a \\"b\\" \\\\ c"'


def test_dot_structure(mini):
    text = graph.dot(mini)
    assert text.startswith('digraph "Mini" {')
    assert 'subgraph "cluster_hall" {' in text
    assert '"rich" [label="Rich\\n(rich)\\nTHE END: Rich", shape=doubleoctagon' in text
    assert '"a" -> "b" [label="? Run a marathon", style=dashed];' in text
    assert '"a" [label="Start\\n(a)", penwidth=3' in text


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
@pytest.mark.parametrize("root", [MINI, WORLD], ids=["mini", "shipped"])
def test_dot_renders_with_graphviz(root, tmp_path):
    world = load_world(root, use_cache=False)
    out = subprocess.run(
        ["dot", "-Tsvg", "-o", str(tmp_path / "g.svg")],
        input=graph.dot(world),
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "g.svg").read_text().count('<g id="node') == len(world.scenes)


def test_every_scene_and_way_is_drawn():
    world = load_world(WORLD, use_cache=False)
    text = graph.mermaid(world)
    for sid in world.scenes:
        assert f"s_{sid}[" in text or f"s_{sid}([" in text
    n_edges = sum((len(c.outcomes) or 1) for s in world.scenes.values() for c in s.choices) + sum(
        len(s.input.outcomes) for s in world.scenes.values() if s.input
    )
    assert text.count("-->|") + text.count("-.->|") == n_edges


def test_cli_writes_a_file(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "neuripsquest",
            "graph",
            str(MINI),
            "--format",
            "dot",
            "-o",
            str(tmp_path / "g.dot"),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "g.dot").read_text() == graph.dot(load_world(MINI, use_cache=False))
