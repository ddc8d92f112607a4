"""`check` and the JSON Schemas judge every value alike: what the loader takes the writer's
editor takes, and what it refuses the editor refuses (`weight: "1"` used to pass `check` while
the schema flagged it)."""

import json

import jsonschema
import pytest

from neuripsquest.format import schema, validate, yamlsrc
from neuripsquest.store.loader import check_world
from tests.conftest import ROOT

WORLD = """\
title: {title}
start: a
clock:
  days: [Mon, Tue, Wed]
  slots: [am, pm]
  start: {{day: {day}}}
stats:
  energy: {{initial: {initial}, min: 0, max: 10, label: {label}}}
flags:
  met: {note}
items:
  pretzel: {{name: Pretzel, renamed_from: {item_old}}}
endings:
  done: {{title: Done}}
"""

SCENES = """\
- id: a
  title: {scene_title}
  text: Hello.
  checkpoint: {checkpoint}
  renamed_from: {scene_old}
  choices:
    - id: roll
      text: Roll
      once: {once}
      random:
        - {{weight: {weight}, goto: b}}
    - text: Walk
      if: {cond}
      goto: b
- id: b
  title: B
  text: Bye.
  ending: done
"""

GOOD = {
    "title": "T",
    "day": "1",
    "initial": "1",
    "label": "Energy",
    "note": "You met someone",
    "item_old": "bag",
    "scene_title": "A",
    "checkpoint": "true",
    "scene_old": "start",
    "once": "false",
    "weight": "1",
    "cond": "met",
}

# YAML as a writer might type it; numbers stay within every range the tiny world sets, so
# only the value's type and shape decide.
SAMPLES = [
    "1", "2", "0", "1.0", "1.5", '"1"', "'2'", '" 1"', "true", "no", '"true"', "yes", '"yes"',
    "~", "abc", '""', "[1]", "[abc]", "{a: 1}",
]  # fmt: skip
# A condition's text is the language's to judge (`if: abc` names nothing), not the schema's:
# only its YAML shape is walked.
SAMPLES_FOR = {"cond": ["met", "true", "no", '"true"', "~", "1", "1.5", "[met]", "{a: 1}"]}
FIELDS = list(GOOD)


def schema_for(kind):
    blob = json.loads((ROOT / "schema" / schema.FILES[kind]).read_text())
    return jsonschema.Draft202012Validator(blob)


@pytest.fixture(scope="module")
def validators():
    return {kind: schema_for(kind) for kind in ("world", "scenes", "playthrough")}


def write(tmp_path, field, sample):
    values = {**GOOD, field: sample}
    world = {k: values[k] for k in ("title", "day", "initial", "label", "note", "item_old")}
    scenes = {k: v for k, v in values.items() if k not in world}
    (tmp_path / "scenes").mkdir(exist_ok=True)
    (tmp_path / "world.yaml").write_text(WORLD.format(**world))
    (tmp_path / "scenes" / "main.yaml").write_text(SCENES.format(**scenes))


def schema_accepts(validators, tmp_path):
    def data(path):
        return yamlsrc.read(str(path), path.read_text()).data

    world_ok = not list(validators["world"].iter_errors(data(tmp_path / "world.yaml")))
    scenes_path = tmp_path / "scenes" / "main.yaml"
    return world_ok and not list(validators["scenes"].iter_errors(data(scenes_path)))


def test_the_tiny_world_is_clean_as_written(tmp_path, validators):
    write(tmp_path, "title", GOOD["title"])
    world, problems = check_world(tmp_path)
    assert not problems and world is not None
    assert schema_accepts(validators, tmp_path)


@pytest.mark.parametrize("field", FIELDS)
def test_check_and_the_schema_agree_on_every_value(tmp_path, validators, field):
    verdicts = {}
    for sample in SAMPLES_FOR.get(field, SAMPLES):
        write(tmp_path, field, sample)
        _, problems = check_world(tmp_path)
        verdicts[sample] = (not problems, schema_accepts(validators, tmp_path))
    disagree = {s: v for s, v in verdicts.items() if v[0] != v[1]}
    assert not disagree, f"{field}: (check, schema) differ on {disagree}"
    # Each field meets values both take and values both refuse, or the walk proves nothing.
    assert {v[0] for v in verdicts.values()} == {True, False}, verdicts


@pytest.mark.parametrize(
    ("field", "sample", "message"),
    [
        ("weight", '"1"', "weight: write 1 without quotes: in quotes it is text, not a number"),
        ("initial", "'2'", "initial: write 2 without quotes: in quotes it is text, not a number"),
        ("initial", "true", "initial: write a whole number, not true"),
        ("day", "1.5", "day: write a whole number, not 1.5"),
        ("once", '"yes"', "once: write true or false without quotes, not 'yes'"),
        ("checkpoint", "1", "checkpoint: write true or false, not 1"),
    ],
)
def test_a_quoted_number_or_a_number_for_true_says_what_to_write(tmp_path, field, sample, message):
    write(tmp_path, field, sample)
    _, problems = check_world(tmp_path)
    assert [p.message for p in problems] == [message]
    text = tmp_path / ("world.yaml" if field in ("initial", "day") else "scenes/main.yaml")
    line = text.read_text().splitlines()[problems[0].line - 1]
    assert line[problems[0].column - 1 :].startswith(sample)


PLAYTHROUGH_SLOTS = {
    "seed": "seed: {v}\nsteps: [go]\n",
    "stat": "steps: [go]\nexpect:\n  stats: {{energy: {v}}}\n",
    "stat_min": "steps: [go]\nexpect:\n  stats: {{energy: {{min: {v}}}}}\n",
    "flag": "steps: [go]\nexpect:\n  flags: {{met: {v}}}\n",
    "undo": "steps:\n  - undo: {v}\n",
    "type": "steps:\n  - type: {v}\n",
}


@pytest.mark.parametrize("slot", list(PLAYTHROUGH_SLOTS))
def test_playthroughs_too(validators, slot):
    verdicts = {}
    for sample in SAMPLES:
        doc = yamlsrc.read("p.yaml", PLAYTHROUGH_SLOTS[slot].format(v=sample))
        _, problems = validate.playthrough_file(doc)
        verdicts[sample] = (not problems, not list(validators["playthrough"].iter_errors(doc.data)))
    disagree = {s: v for s, v in verdicts.items() if v[0] != v[1]}
    assert not disagree, f"{slot}: (loader, schema) differ on {disagree}"
    assert {v[0] for v in verdicts.values()} == {True, False}, verdicts


def test_a_union_names_the_key_not_its_branches():
    doc = yamlsrc.read("p.yaml", "steps: [go]\nexpect:\n  stats: {energy: '3'}\n")
    _, problems = validate.playthrough_file(doc)
    assert [str(p) for p in problems] == [
        "p.yaml:3:19: energy: write 3 without quotes: in quotes it is text, not a number"
    ]
