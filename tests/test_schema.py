"""The JSON Schemas: generated from the models, committed, and every shipped file fits."""

import json
from pathlib import Path

import jsonschema
import pytest

from neuripsquest.format import schema, yamlsrc
from tests.conftest import ROOT, WORLD

SCHEMA = ROOT / "schema"
SCENE_FILES = sorted((WORLD / "scenes").glob("*.yaml"))
TEST_WORLDS = sorted(p for p in (ROOT / "tests" / "worlds").iterdir() if p.is_dir())


def validator(kind):
    blob = json.loads((SCHEMA / schema.FILES[kind]).read_text())
    jsonschema.Draft202012Validator.check_schema(blob)
    return jsonschema.Draft202012Validator(blob)


def data(path):
    return yamlsrc.read(str(path), Path(path).read_text()).data


@pytest.mark.parametrize("kind", list(schema.FILES))
def test_committed_schema_is_the_generated_one(kind):
    assert (SCHEMA / schema.FILES[kind]).read_text() == schema.text(kind), (
        "run: neuripsquest schema --write schema"
    )


@pytest.mark.parametrize(
    "path", [WORLD / "world.yaml", *(w / "world.yaml" for w in TEST_WORLDS)], ids=str
)
def test_world_files_validate(path):
    errors = list(validator("world").iter_errors(data(path)))
    assert not errors, [e.message for e in errors]


@pytest.mark.parametrize(
    "path",
    [
        *SCENE_FILES,
        *(p for w in TEST_WORLDS for p in sorted(w.rglob("*.yaml")) if p.name != "world.yaml"),
    ],
    ids=str,
)
def test_scene_files_validate(path):
    errors = list(validator("scenes").iter_errors(data(path)))
    assert not errors, [e.message for e in errors]


def test_playthroughs_validate():
    v = validator("playthrough")
    for path in sorted((ROOT / "tests" / "playthroughs").glob("*.yaml")):
        assert not list(v.iter_errors(data(path))), path


def test_shipped_files_name_their_schema():
    assert (
        (WORLD / "world.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=../schema/world.schema.json\n")
    )
    for path in SCENE_FILES:
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/scenes.schema.json", path


def test_the_schema_catches_what_the_loader_catches():
    v = validator("scenes")
    bad = [
        {"id": "a", "title": "A", "text": "t", "choices": [{"text": "x", "goto": "b", "iff": "x"}]}
    ]
    assert list(v.iter_errors(bad))
    good = [
        {
            "id": "a",
            "title": "A",
            "text": "t",
            "choices": [{"text": "x", "goto": "b", "if": True, "do": "energy -= 1"}],
        }
    ]
    assert not list(v.iter_errors(good))
    w = validator("world")
    base = {
        "title": "T",
        "start": "a",
        "clock": {"days": ["Mon"], "slots": ["am"]},
        "endings": {"e": {"title": "E"}},
    }
    assert not list(w.iter_errors({**base, "flags": ["met", "danced"]}))
    assert list(w.iter_errors({**base, "flags": ["Bad Name"]}))
    assert list(w.iter_errors({**base, "stats": {"x": {"initial": 1}}}))


def test_check_option(tmp_path, capsys):
    assert schema.run("world", str(tmp_path), None, None, None) if False else True
    import io

    err = io.StringIO()
    assert schema.run("world", None, str(tmp_path), io.StringIO(), err) == 1
    assert "out of date" in err.getvalue()
    assert schema.run("world", str(tmp_path), None, io.StringIO(), io.StringIO()) == 0
    assert schema.run("world", None, str(tmp_path), io.StringIO(), io.StringIO()) == 0
