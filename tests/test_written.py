"""A clean file is read into specs without pydantic (`specjson.read_written` with
`format/written.py`): whatever that reader takes, the pydantic models take too and make the
same spec of; what it leaves alone, the models judge."""

from __future__ import annotations

import copy
import subprocess
import sys
import types
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from neuripsquest.format import model, spec, specjson, validate, written, yamlsrc
from neuripsquest.store.loader import world_files
from tests.conftest import ROOT, WORLD

MODELS = {
    spec.ClockStartSpec: model.ClockStart,
    spec.ClockSpec: model.Clock,
    spec.PlaceSpec: model.Place,
    spec.StatSpec: model.Stat,
    spec.ItemSpec: model.Item,
    spec.FlagSpec: model.Flag,
    spec.EndingSpec: model.Ending,
    spec.WorldSpec: model.WorldFile,
    spec.ExtraSpec: model.Extra,
    spec.OutcomeSpec: model.Outcome,
    spec.ChoiceSpec: model.Choice,
    spec.InputOutcomeSpec: model.InputOutcome,
    spec.InputSpec: model.Input,
    spec.SceneSpec: model.Scene,
}


def _field_reader(cls: type, name: str) -> Any:
    (annotation,) = [a for n, a in specjson.spec_fields(cls) if n == name]
    return specjson._reader(annotation, written=True)


@pytest.mark.parametrize("cls", list(MODELS), ids=lambda c: c.__name__)
def test_keys_and_defaults_are_the_models(cls):
    fields = MODELS[cls].model_fields
    assert list(cls._fields) == list(fields)
    for name, info in fields.items():
        assert written.key(name) == (info.alias or name)
        assert ((cls, name) in written.DEFAULTS) == (not info.is_required()), name
        if info.is_required():
            continue
        theirs = info.get_default(call_default_factory=True)
        if isinstance(theirs, BaseModel):
            theirs = theirs.model_dump()
        read = _field_reader(cls, name)
        assert read(written.DEFAULTS[cls, name]) == read(theirs), name


# Values a writer might put anywhere: the right kind (with shorthands and keys left out) in a
# clean document, the usual mistakes as well in the rest.
GOOD = {
    "text": ["Hello.", "", "two words"],
    "ident": ["a", "b_2", "start"],
    "int": [1, 2, 3, 10**15],
    "bool": [True, False],
}
BAD = {
    "text": [None, True, 3, 2.0, ["x"], {"a": 1}],
    "ident": ["Bad", "1a", "a\n", "", None, 3, True],
    "int": [0, -1, 2.0, 2.5, True, "1", 10**15 + 1, -(10**15) - 1],
    "bool": ["true", "yes", 1, 0, None],
}


def pool(kind: str, clean: bool) -> st.SearchStrategy[Any]:
    return st.sampled_from(GOOD[kind] + ([] if clean else BAD[kind]))


def values(annotation: Any, clean: bool, depth: int = 0) -> st.SearchStrategy[Any]:
    """Data as a YAML file might hold it for `annotation`."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *rules = get_args(annotation)
        if base is str and any(isinstance(r, spec.Pattern) for r in rules):
            return pool("ident", clean)
        return values(base, clean, depth)
    if origin in (Union, types.UnionType):
        (inner,) = [a for a in get_args(annotation) if a is not type(None)]
        return st.one_of(st.none(), values(inner, clean, depth))
    if origin is Literal:
        return st.sampled_from([*get_args(annotation), *([] if clean else ["time", None])])
    if origin is tuple:
        item = values(get_args(annotation)[0], clean, depth + 1)
        many = st.lists(item, min_size=1 if clean else 0, max_size=3 if depth < 3 else 1)
        return st.one_of(many, item) if clean else st.one_of(many, item, st.none())
    if origin is dict:
        item = values(get_args(annotation)[1], clean, depth + 1)
        names = pool("ident", True)
        return st.one_of(
            st.dictionaries(names, item, min_size=1, max_size=2),
            st.lists(names if clean else pool("ident", False), max_size=2),
        )
    if annotation in (str, int, bool):
        return pool({str: "text", int: "int", bool: "bool"}[annotation], clean)
    assert specjson.is_spec(annotation), annotation
    return mappings(annotation, clean, depth + 1)


def mappings(cls: type, clean: bool, depth: int = 0) -> st.SearchStrategy[Any]:
    """A mapping for `cls`: the keys the model requires and any of the others (clean), or
    any keys at all, misspelt ones too, or a text instead."""
    fields = {n: values(a, clean, depth) for n, a in specjson.spec_fields(cls)}
    info = MODELS[cls].model_fields
    if clean:
        required = {written.key(n): v for n, v in fields.items() if info[n].is_required()}
        optional = {
            written.key(n): v
            for n, v in fields.items()
            if n not in info or not info[n].is_required()
        }
        mapping = st.fixed_dictionaries(required, optional=optional)
        return st.one_of(mapping, pool("text", True)) if cls is spec.FlagSpec else mapping
    keyed = {written.key(n): v for n, v in fields.items()}
    anything = st.fixed_dictionaries({}, optional={**keyed, "if_": pool("text", False)})
    return st.one_of(anything, st.fixed_dictionaries(keyed), pool("text", False))


ALL_KEYS = sorted({written.key(n) for c in MODELS for n in c._fields})
EVERY_VALUE = [v for kind in GOOD for v in GOOD[kind] + BAD[kind]] + [[1], [None], {}]


def _spots(value: Any) -> list[tuple[Any, Any]]:
    """(container, key or index) of every value inside `value`."""
    inner = (
        value.items() if type(value) is dict else enumerate(value) if type(value) is list else ()
    )
    out = []
    for k, v in inner:
        out += [(value, k), *_spots(v)]
    return out


@st.composite
def nearly_clean(draw: Any, cls: type) -> Any:
    """A clean document with one value replaced by any other, or one key added."""
    doc = copy.deepcopy(draw(mappings(cls, clean=True)))
    spots = _spots(doc)
    if not spots:
        return doc
    container, k = draw(st.sampled_from(spots))
    if type(container) is dict and draw(st.booleans()):
        k = draw(st.sampled_from(["bogus", "if_", "Text", *ALL_KEYS]))
    container[k] = copy.deepcopy(draw(st.sampled_from(EVERY_VALUE)))
    return doc


def by_models(cls: type, data: Any) -> Any:
    """What the pydantic path makes of `data`, or the error it raises."""
    try:
        if cls is spec.SceneSpec:
            return validate.scene_spec(data)
        return validate.world_spec(data)
    except (ValidationError, ValueError) as exc:
        return exc


def check_agreement(cls: type, data: Any) -> bool:
    try:
        mine = specjson.read_written(cls, data)
    except specjson.Invalid:
        return False  # left to the models
    theirs = by_models(cls, data)
    assert not isinstance(theirs, Exception), f"the models refuse what was read: {theirs}"
    assert mine == theirs
    return True


def agree_on_generated(cls: type, examples: int) -> None:
    plain = []

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(mappings(cls, True), nearly_clean(cls), mappings(cls, False)))
    def one(data: Any) -> None:
        plain.append(check_agreement(cls, data))

    one()
    # Some documents were read plainly, so the comparison compared something.
    assert sum(plain) >= 5, f"{sum(plain)} of {len(plain)} read without the models"


def test_a_scene_read_without_the_models_is_what_the_models_make():
    agree_on_generated(spec.SceneSpec, 600)


def test_a_world_file_read_without_the_models_is_what_the_models_make():
    agree_on_generated(spec.WorldSpec, 400)


SHORTHANDS = """\
- id: a
  title: A
  text: Hi.
  on_enter: energy -= 1
  renamed_from: old_a
  choices:
    - {text: Go, if: true, do: energy += 1, goto: a}
    - {text: Roll, random: [{goto: a, do: null}, {goto: a, weight: 3}]}
  input:
    kind: money
    prompt: How much?
    hint: a sum
    store: energy
    outcomes: [{if: false, goto: a, do: [x += 1]}]
"""


def test_shorthands_are_read_as_the_models_read_them():
    data = yamlsrc.read("s.yaml", SHORTHANDS).data
    (scene,) = specjson.read_written(tuple[spec.SceneSpec, ...], data)
    assert scene == validate.scene_spec(data[0])
    assert scene.on_enter == ("energy -= 1",) and scene.choices[0].if_ == "true"
    flags = {"title": "T", "start": "a", "clock": {"days": ["M"], "slots": ["am"]}}
    flags |= {"endings": {"e": {"title": "E"}}, "flags": ["met", "seen"]}
    assert specjson.read_written(spec.WorldSpec, flags) == validate.world_spec(flags)
    flags["flags"] = {"met": "a note", "seen": {"renamed_from": "was"}}
    assert specjson.read_written(spec.WorldSpec, flags) == validate.world_spec(flags)


@pytest.mark.parametrize("root", [WORLD, *sorted((ROOT / "tests" / "worlds").iterdir())])
def test_clean_worlds_are_read_without_the_models_alike(root):
    paths = world_files(Path(root))
    world = yamlsrc.read(str(paths[0]), paths[0].read_text()).data
    assert specjson.read_written(spec.WorldSpec, world) == validate.world_spec(world)
    for path in paths[1:]:
        data = yamlsrc.read(str(path), path.read_text()).data
        mine = specjson.read_written(tuple[spec.SceneSpec, ...], data)
        assert list(mine) == [validate.scene_spec(d) for d in data], path


def test_check_builds_the_models_only_for_a_world_with_mistakes():
    code = (
        "import sys\n"
        "from neuripsquest.store.loader import check_world\n"
        "world, problems = check_world(sys.argv[1])\n"
        "print(len(problems), 'pydantic' in sys.modules)"
    )
    clean, broken = WORLD, ROOT / "tests" / "broken" / "unknown_key"

    def run(root: Path) -> str:
        return subprocess.run(
            [sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True
        ).stdout.split()

    assert run(clean) == ["0", "False"]
    problems, imported = run(broken)
    assert int(problems) > 0 and imported == "True"


def test_no_spec_is_left_without_its_model():
    specs = {v for v in vars(spec).values() if specjson.is_spec(v) and v.__name__.endswith("Spec")}
    assert specs == set(MODELS)
