"""A choice's `reply:` answers it before the next scene; a scene's `revisit:` replaces its
introduction on a return; playthroughs can expect what a step `says:`; lint's `silent-choice`
finds choices into hubs that answer nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from neuripsquest.core import engine
from neuripsquest.play import view
from neuripsquest.play.replay import load, run
from neuripsquest.store.loader import load_world
from neuripsquest.tools import facts, lint

WORLD = """\
title: Replies
start: hub
clock: {days: [Mon], slots: [morning]}
stats:
  energy: {initial: 3, min: 0, max: 5}
endings:
  done: {title: Done}
"""

SCENES = """\
- id: hub
  title: The concourse
  text: A long introduction to the concourse, its carpet, its light, its crowds.
  revisit: Back on the concourse.
  choices:
    - id: coffee
      text: Get a coffee
      do: [energy += 1]
      reply: The barista spells your name as a {energy}-letter word.
      goto: hub
    - id: wander
      text: Wander off
      goto: side
    - id: leave
      text: Leave
      goto: end
- id: side
  title: A side room
  text: Quiet.
  choices:
    - id: back
      text: Go back
      goto: hub
    - id: coin
      text: Flip a coin
      random:
        - {weight: 1, goto: hub, text: Heads. You go back.}
        - {weight: 1, goto: hub}
- id: end
  title: The end
  text: Done.
  ending: done
"""


@pytest.fixture()
def world_dir(tmp_path) -> Path:
    root = tmp_path / "w"
    (root / "scenes").mkdir(parents=True)
    (root / "world.yaml").write_text(WORLD, encoding="utf-8")
    (root / "scenes" / "main.yaml").write_text(SCENES, encoding="utf-8")
    return root


def test_a_reply_comes_first_and_a_return_shows_the_revisit(world_dir):
    world = load_world(world_dir, use_cache=False)
    state = engine.new_game(world, 1)
    assert view.text(world, state).startswith("A long introduction")
    state, events = engine.step(world, state, engine.Choose("coffee"))
    said = [e for e in events if isinstance(e, engine.Narration)]
    assert events[0] == said[0]  # the reaction before anything else the step reports
    assert (
        view.describe(world, said[0], state) == "The barista spells your name as a 4-letter word."
    )
    assert view.text(world, state) == "Back on the concourse."  # not the introduction again
    back, _ = engine.step(world, state, engine.Undo())
    assert view.text(world, back).startswith("A long introduction")  # undo takes the visit back


def test_plain_mode_prints_the_reply_above_the_scene(world_dir, tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "neuripsquest",
            "play",
            "--plain",
            "--new",
            "--world",
            str(world_dir),
            "--saves",
            str(tmp_path / "s"),
            "--seed",
            "1",
        ],
        input="1\n",
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    reply = out.index("The barista spells your name")
    assert out.index("Energy +1") > reply
    assert out.index("Back on the concourse.") > reply


def test_a_playthrough_can_expect_what_a_step_says(world_dir, tmp_path):
    world = load_world(world_dir, use_cache=False)
    path = tmp_path / "p.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            seed: 1
            steps:
              - choose: coffee
                expect: {says: spells your name as a 4-letter word}
              - choose: wander
                expect: {says: anything at all}
            """
        ),
        encoding="utf-8",
    )
    result = run(world, load(str(path)))
    assert not result.ok and result.steps == 2
    assert result.report[1] == "  - says: expected 'anything at all', got no reaction"


def test_silent_choice_names_choices_into_a_hub_with_no_reaction(world_dir, monkeypatch):
    monkeypatch.chdir(world_dir)
    found = [f for f in lint.lint(facts.load(".")) if f.code == "silent-choice"]
    # hub is reached from hub, side (twice) ... and only two scenes: not yet a hub
    assert found == []
    scenes = world_dir / "scenes" / "main.yaml"
    scenes.write_text(
        SCENES
        + textwrap.dedent(
            """\
            - id: third
              title: A third way in
              text: A corridor.
              choices:
                - {id: in, text: Go in, goto: hub}
            """
        ).replace(
            "    - id: leave\n",
            "    - {id: corridor, text: Corridor, goto: third}\n    - id: leave\n",
        ),
        encoding="utf-8",
    )
    found = [str(f) for f in lint.lint(facts.load(".")) if f.code == "silent-choice"]
    assert any("choice 'back' leads to 'hub' (reached from 3 scenes)" in f for f in found)
    assert any("choice 'coin' leads to 'hub'" in f for f in found)  # one outcome is silent
    assert any("choice 'in' leads to 'hub'" in f for f in found)
    assert not any("'coffee'" in f for f in found)  # it has a reply
