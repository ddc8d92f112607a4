"""Exact expectations (`flags_exactly:` and the like): recordings use them, so a story change
that sets one more flag, gives one more item or moves one more stat on a recorded path fails
the replay, and `replay --update` rewrites them to the new truth."""

import io
import json
import shutil
import textwrap

import jsonschema
import pytest

from neuripsquest.core import engine
from neuripsquest.format import schema, yamlsrc
from neuripsquest.play import replay
from neuripsquest.play.record import Recorder
from neuripsquest.store.loader import load_world
from neuripsquest.tools.replay_update import update_files
from tests.conftest import MINI, ROOT


def copy_world(tmp_path):
    root = tmp_path / "w"
    shutil.copytree(MINI, root)
    return root


def change_world(root, do="[set met, set danced, give lanyard, mood += 2]"):
    """`meet` now also sets a new flag, gives a new item and moves a new stat."""
    wy = root / "world.yaml"
    wy.write_text(
        wy.read_text()
        .replace("stats:\n", "stats:\n  mood: {initial: 0, min: 0, max: 9}\n")
        .replace("flags:\n  met: You met someone\n", "flags:\n  met: You met\n  danced: Danced\n")
        .replace("items:\n", "items:\n  lanyard: {name: Lanyard}\n")
    )
    scenes = root / "scenes" / "main.yaml"
    text = scenes.read_text()
    assert "do: set met" in text
    scenes.write_text(text.replace("do: set met", f"do: {do}"))
    return load_world(root, use_cache=False)


def record(root, path, choices=("eat", "meet")):
    world = load_world(root, use_cache=False)
    rec = Recorder(path, world, 3, world_dir=root)
    state = engine.new_game(world, 3)
    for c in choices:
        state, _ = engine.step(world, state, engine.Choose(c))
        rec.record(engine.Choose(c), state)
    assert rec.close(world, state) == f"Recorded {len(choices)} steps to {path}."
    return path.read_text()


def run(world, path):
    return replay.run(world, replay.load(str(path)))


def write(tmp_path, body, name="p.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return path


def test_a_recording_catches_new_state_on_its_path_and_update_rewrites_it(tmp_path):
    root = copy_world(tmp_path)
    path = tmp_path / "rec.yaml"
    text = record(root, path)
    assert text.endswith(
        "expect:\n  scene: a\n  stats_exactly: {energy: 4, number: 0}\n"
        "  flags_exactly: [met]\n  items_exactly: [pretzel]\n"
    )
    changed = change_world(root)
    res = run(changed, path)
    assert not res.ok
    assert res.report[1:] == [
        "  - stat 'mood' is 2, not its initial 0, but the recording does not expect it",
        "  - flag 'danced' is set but the recording does not expect it",
        "  - item 'lanyard' is carried but the recording does not expect it",
    ]
    out = io.StringIO()
    assert update_files([str(path)], root, out) == 0
    report = out.getvalue()
    assert "-  flags_exactly: [met]\n" in report and "+  flags_exactly: [met, danced]\n" in report
    assert "+  items_exactly: [lanyard, pretzel]\n" in report  # in the world's order
    assert "+  stats_exactly: {energy: 4, number: 0, mood: 2}\n" in report
    assert path.read_text() == text.replace("[met]", "[met, danced]").replace(
        "[pretzel]", "[lanyard, pretzel]"
    ).replace("number: 0}", "number: 0, mood: 2}")
    assert run(changed, path).ok


def test_a_listed_flag_or_item_no_longer_there_is_named(tmp_path):
    root = copy_world(tmp_path)
    path = tmp_path / "rec.yaml"
    record(root, path)
    change_world(root, do="energy += 0")
    scenes = root / "scenes" / "main.yaml"
    scenes.write_text(scenes.read_text().replace("do: [give pretzel, energy += 1]", "do: []"))
    changed = load_world(root, use_cache=False)
    assert run(changed, path).report[1:] == [
        "  - stats_exactly.energy: expected 4, got 3",
        "  - flag 'met' is not set but the recording expects it",
        "  - item 'pretzel' is not carried but the recording expects it",
    ]
    assert update_files([str(path)], root, io.StringIO()) == 0
    assert path.read_text().endswith(
        "  stats_exactly: {energy: 3, number: 0}\n  flags_exactly: []\n  items_exactly: []\n"
    )


def test_old_forms_still_see_only_what_they_name(tmp_path):
    root = copy_world(tmp_path)
    body = """\
        seed: 3
        steps: [eat, meet]
        expect: {stats: {energy: 4}, flags: {met: true}, items: {pretzel: true}}
        """
    path = write(tmp_path, body)
    changed = change_world(root)
    assert run(changed, path).ok  # the blind spot the exact forms close
    out = io.StringIO()
    assert update_files([str(path)], root, out) == 0
    assert out.getvalue().startswith(f"ok   {path}\n")
    assert path.read_text() == textwrap.dedent(body)


def test_update_keeps_block_style_a_holding_range_and_says(tmp_path):
    root = copy_world(tmp_path)
    change_world(root)
    body = """\
        seed: 3
        steps:
          - eat
          - choose: meet
            expect:
              says: nothing is said here
              flags_exactly:
                - met
        expect:
          stats_exactly:
            energy:
              min: 1
            number: 5
          items_exactly:
            - pretzel
          flags_exactly: [met, danced, ghost]
        """
    path = write(tmp_path, body)
    assert update_files([str(path)], root, io.StringIO()) == 1  # `says:` cannot be fixed
    assert path.read_text() == textwrap.dedent("""\
        seed: 3
        steps:
          - eat
          - choose: meet
            expect:
              says: nothing is said here
              flags_exactly:
                - met
                - danced
        expect:
          stats_exactly:
            energy: {min: 1}
            number: 0
            mood: 2
          items_exactly:
            - lanyard
            - pretzel
          flags_exactly: [met, danced]
        """)


def test_an_empty_block_list_becomes_flow(tmp_path):
    root = copy_world(tmp_path)
    path = write(
        tmp_path,
        """\
        seed: 3
        steps: [eat]
        expect:
          flags_exactly:
          - met
          items_exactly: [pretzel]
        """,
    )
    assert update_files([str(path)], root, io.StringIO()) == 0
    assert "expect:\n  flags_exactly: []\n  items_exactly: [pretzel]\n" in path.read_text()


def test_unknown_names_in_an_exact_list(mini, tmp_path):
    path = write(tmp_path, "seed: 3\nsteps: [eat]\nexpect: {items_exactly: [pretzel, ghost]}\n")
    assert run(mini, path).report[1:] == ["  - items_exactly: the world has no item 'ghost'"]


@pytest.mark.parametrize(
    ("expect", "message"),
    [
        (
            "{flags_exactli: [met]}",
            "3:10: unknown key 'flags_exactli' (did you mean 'flags_exactly'?)",
        ),
        ("{flags_exactly: met}", "3:25: `flags_exactly` is a list: start each flag with `- `"),
        ("{items_exactly: {pretzel: true}}", "3:25: `items_exactly` is a list: start each item"),
        ("{stats_exactly: [energy]}", "3:25: stats_exactly: Input should be a valid dictionary"),
        ("{flags_exactly: }", "3:25: flags_exactly: write [] for none"),
        ("{stats_exactly: }", "3:25: stats_exactly: write {} for none"),
    ],
)
def test_bad_exact_forms_are_located(mini, tmp_path, expect, message):
    path = write(tmp_path, f"seed: 3\nsteps: [eat]\nexpect: {expect}\n")
    report = run(mini, path).report
    assert len(report) == 1 and report[0].startswith(f"{path}:{message}"), report


def test_the_schema_knows_the_exact_forms():
    blob = json.loads((ROOT / "schema" / schema.FILES["playthrough"]).read_text())
    v = jsonschema.Draft202012Validator(blob)

    def errors(expect):
        data = yamlsrc.read("x", f"steps: [eat]\nexpect: {expect}\n").data
        return list(v.iter_errors(data))

    good = "{stats_exactly: {energy: 4, number: {min: 1}}, flags_exactly: [], items_exactly: [a]}"
    assert not errors(good)
    for bad in ("{flags_exactly: met}", "{items_exactly: {a: true}}", "{flags_exactli: []}"):
        assert errors(bad), bad
