"""The validated-world cache never decides what is valid: a damaged, foreign, stale or
hand-made entry is a miss and the world is loaded in full; and the cache never leaks or
hangs."""

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neuripsquest.format import specjson
from neuripsquest.format.spec import Contents
from neuripsquest.store import digest, loader
from tests.conftest import MINI, WORLD
from tests.hostile.helpers import json_paths


def _essence(world):
    """What a player would see of a world (compiled conditions are closures: no equality)."""
    return (
        world.title,
        world.fingerprint,
        world.stat_ranges,
        [
            (
                sc.id,
                sc.title,
                sc.text,
                [(c.id, c.text, [o.weight for o in c.outcomes]) for c in sc.choices],
            )
            for sc in world.scenes.values()
        ],
    )


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A cache folder, a copy of the mini world, and a counter of full (uncached) loads."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("NEURIPSQUEST_CACHE", str(folder))
    root = tmp_path / "world"
    shutil.copytree(MINI, root)
    full = []
    real = loader._load_texts

    def counting(*args):
        full.append(1)
        return real(*args)

    monkeypatch.setattr(loader, "_load_texts", counting)
    world = _essence(loader.load_world(root))
    assert len(full) == 1 and _essence(loader.load_world(root)) == world and len(full) == 1
    (entry,) = folder.iterdir()
    return root, entry, full, world


def _split(entry: Path):
    header, _, payload = entry.read_bytes().partition(b"\n")
    return header.split(b" "), json.loads(payload)


def _forge(entry: Path, change):
    """Rewrite an entry the way someone who knows the format would: a matching key and a
    correct checksum, so only the shape and build checks stand in the way."""
    (magic, fmt, key, _), blob = _split(entry)
    change(blob)
    try:  # laid out as the program writes entries (a file a line), so scenes load lazily
        payload = loader._payload(blob, allow_nan=True)
    except UnicodeEncodeError:  # a lone surrogate can only be written escaped
        payload = json.dumps(blob).encode()
    whole = digest.checksum(payload).encode()
    entry.write_bytes(b" ".join([magic, fmt, key, whole]) + b"\n" + payload)


def _first_outcome(blob):
    for _, scenes in blob["contents"]["files"]:
        for sc in scenes:
            for ch in sc["choices"]:
                if ch["random"]:
                    return ch["random"][0]
    raise AssertionError("the mini world has a random choice")


def _world(blob):
    return blob["contents"]["world"]


def _first_scene(blob):
    return blob["contents"]["files"][0][1][0]


def test_a_faithful_forgery_is_a_hit_so_the_tests_below_mean_something(cache):
    """This is also the limit, stated in the README: the cache folder is trusted like the
    program itself, so an entry that keeps every rule is believed, even its story text."""
    root, entry, full, world = cache
    _forge(entry, lambda b: None)
    assert _essence(loader.load_world(root)) == world and len(full) == 1
    _forge(entry, lambda b: _first_scene(b).update(text="Rewritten."))
    assert loader.load_world(root).scenes["a"].text == "Rewritten." and len(full) == 1


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda b: _first_outcome(b).update(weight=0), id="weight-0"),
        pytest.param(
            lambda b: next(iter(_world(b)["stats"].values())).update(max=float("inf")),
            id="infinite-stat",
        ),
        pytest.param(
            lambda b: next(iter(_world(b)["stats"].values())).update(max=10**16),
            id="stat-out-of-range",
        ),
        pytest.param(lambda b: _world(b).update(title=["not", "text"]), id="title-a-list"),
        pytest.param(lambda b: _world(b)["clock"].update(days=[]), id="no-days"),
        pytest.param(lambda b: _world(b)["clock"]["start"].update(day=0), id="day-0"),
        pytest.param(lambda b: _world(b).update(endings={}), id="no-endings"),
        pytest.param(lambda b: _first_scene(b).update(id="Not An Id"), id="bad-id"),
        pytest.param(lambda b: _first_scene(b).update(id="a\n"), id="id-with-line-break"),
        pytest.param(lambda b: _first_scene(b).update(checkpoint=1), id="int-for-bool"),
        pytest.param(lambda b: _first_scene(b).update(extra_key=1), id="unknown-key"),
        pytest.param(lambda b: _first_scene(b).pop("text"), id="missing-key"),
        pytest.param(lambda b: _first_scene(b).update(text="\ud800"), id="lone-surrogate"),
        pytest.param(lambda b: b["contents"]["files"][0].append("x"), id="file-of-three"),
        pytest.param(lambda b: b.update(extra_key=1), id="unknown-top-key"),
        pytest.param(
            lambda b: _first_scene(b)["choices"][0].update(goto="vanished"),
            id="dangling-goto",  # shape is fine: world.build catches it
        ),
        pytest.param(lambda b: b.update(fingerprint="another world"), id="other-fingerprint"),
    ],
)
def test_a_forged_entry_is_a_miss(cache, change):
    root, entry, full, world = cache
    _forge(entry, change)
    assert _essence(loader.load_world(root)) == world
    assert len(full) == 2  # validated in full, not taken from the cache
    assert (
        _essence(loader.load_world(root)) == world and len(full) == 2
    )  # and the entry was repaired


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[:-1] + b"!", id="flipped-byte"),
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: raw.replace(b" ", b"  ", 1), id="bad-header"),
        pytest.param(lambda raw: raw.partition(b"\n")[2], id="no-header"),
        pytest.param(lambda raw: b"\xff" * 100, id="binary"),
    ],
)
def test_a_damaged_entry_is_a_miss(cache, damage):
    root, entry, full, world = cache
    entry.write_bytes(damage(entry.read_bytes()))
    assert _essence(loader.load_world(root)) == world and len(full) == 2


def test_an_entry_of_the_old_format_is_a_miss(cache):
    root, entry, full, world = cache
    _, blob = _split(entry)
    entry.write_text(json.dumps({"format": 1, **blob}))
    assert _essence(loader.load_world(root)) == world and len(full) == 2


def test_a_forged_entry_in_the_shape_of_format_2_is_a_miss(cache):
    """Format 2 stored the dumped models beside the fingerprint, flags as bare text."""
    root, entry, full, world = cache

    def as_format_2(blob):
        contents = blob.pop("contents")
        contents["world"]["flags"] = {k: v["note"] for k, v in contents["world"]["flags"].items()}
        blob.update(contents)

    _forge(entry, as_format_2)
    assert _essence(loader.load_world(root)) == world and len(full) == 2


def _wrong_types(value):
    """Values of another JSON type than `value` (a float fits no field of any spec; True is
    refused where a whole number is due, 1 where a flag is)."""
    out = [1.5]
    if type(value) is str:
        out.append(1)
    elif type(value) is int:
        out.append(True)
    elif type(value) is bool:
        out.append(1)
    elif isinstance(value, list):
        out.append({str(i): v for i, v in enumerate(value)})
    elif isinstance(value, dict):
        out.append(list(value.values()))
    return out


def test_a_wrong_type_in_any_one_field_is_a_miss(cache):
    root, entry, full, world = cache
    _, original = _split(entry)
    loads = len(full)
    for path in json_paths(original["contents"]):
        parent = original["contents"]
        for p in path[:-1]:
            parent = parent[p]
        for wrong in _wrong_types(parent[path[-1]] if path else original["contents"]):

            def change(blob, path=path, wrong=wrong):
                if not path:
                    blob["contents"] = wrong
                    return
                target = blob["contents"]
                for p in path[:-1]:
                    target = target[p]
                target[path[-1]] = wrong

            _forge(entry, change)
            assert _essence(loader.load_world(root)) == world, path
            loads += 1
            assert len(full) == loads, f"{path} = {wrong!r} was taken from the cache"


def test_a_100000_deep_entry_is_a_miss_not_a_recursion_error(cache):
    root, entry, full, world = cache
    (magic, fmt, key, _), _ = _split(entry)
    payload = b"[" * 100_000 + b"]" * 100_000
    whole = digest.checksum(payload).encode()
    entry.write_bytes(b" ".join([magic, fmt, key, whole]) + b"\n" + payload)
    assert _essence(loader.load_world(root)) == world and len(full) == 2


def test_the_key_covers_the_program_version(cache, monkeypatch):
    root, entry, full, world = cache
    monkeypatch.setattr(loader, "__version__", "99.0")  # another release
    assert loader.load_world(root).title == world[0] and len(full) == 2
    assert len(list(entry.parent.iterdir())) == 2  # an entry of its own beside the first


def test_changed_validation_code_is_a_miss(cache, monkeypatch):
    root, entry, full, world = cache
    monkeypatch.setattr(loader, "_code_stamp", "rules of another build")
    assert _essence(loader.load_world(root)) == world and len(full) == 2


def test_an_entry_that_is_a_folder_leaks_nothing(cache):
    root, entry, full, world = cache
    entry.unlink()
    entry.mkdir()
    for _ in range(3):
        assert _essence(loader.load_world(root)) == world
    assert len(full) == 4
    assert sorted(p.name for p in entry.parent.iterdir()) == [entry.name]  # no temp files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_an_entry_that_is_a_fifo_or_dev_zero_does_not_hang(cache):
    root, entry, full, world = cache
    entry.unlink()
    os.mkfifo(entry)
    assert _essence(loader.load_world(root)) == world and len(full) == 2
    if os.path.exists("/dev/zero"):
        entry.unlink()
        entry.symlink_to("/dev/zero")
        assert _essence(loader.load_world(root)) == world and len(full) == 3


def test_an_unwritable_cache_folder_still_plays(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("NEURIPSQUEST_CACHE", str(tmp_path / "file"))
    assert loader.load_world(MINI).title
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


# ---- the spec classes' rules against pydantic's


# Each model of a world file and the spec it becomes.
_SPEC_OF = {
    "ClockStart": "ClockStartSpec",
    "Clock": "ClockSpec",
    "Place": "PlaceSpec",
    "Stat": "StatSpec",
    "Item": "ItemSpec",
    "Flag": "FlagSpec",
    "Ending": "EndingSpec",
    "WorldFile": "WorldSpec",
    "Extra": "ExtraSpec",
    "Outcome": "OutcomeSpec",
    "Choice": "ChoiceSpec",
    "InputOutcome": "InputOutcomeSpec",
    "Input": "InputSpec",
    "Scene": "SceneSpec",
}


def test_every_model_has_a_spec_with_the_same_fields():
    from pydantic import BaseModel

    from neuripsquest.format import model, spec

    models = {
        name
        for name, cls in vars(model).items()
        if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == model.__name__
    }
    assert models - {"Strict"} == set(_SPEC_OF)
    for name, spec_name in _SPEC_OF.items():
        fields = list(getattr(spec, spec_name)._fields)
        assert fields == list(getattr(model, name).model_fields), name


@pytest.fixture(scope="module")
def contents():
    _, problems, _, contents = loader.read_sources(WORLD)
    assert not problems and contents is not None
    return contents


def test_the_shipped_world_round_trips(contents):
    encoded = json.loads(json.dumps(specjson.encode(contents)))
    assert specjson.decode(Contents, encoded) == contents


_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from([10**15, 10**15 + 1, -(10**15) - 1])
    | st.floats(allow_nan=False)
    | st.sampled_from(["", "a", "Bad Id", "a\n", "money", "x\n", "day >= 2", "energy += 1"]),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from("ab"), inner),
    max_leaves=4,
)


@settings(
    max_examples=300,
    deadline=None,  # pydantic and file IO: a loaded machine must not fail this on time
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_the_rules_are_never_looser_than_pydantic(contents, data):
    """Whatever a damaged entry holds, what the spec reader accepts pydantic accepts too, and
    validates into the same spec."""
    from pydantic import ValidationError

    from neuripsquest.format import validate
    from neuripsquest.format.spec import SceneSpec, WorldSpec

    which = data.draw(st.sampled_from(["world", "scene"]))
    if which == "world":
        value, cls, check = specjson.encode(contents.world), WorldSpec, validate.world_spec
    else:
        scenes = [sc for _, file_scenes in contents.files for sc in file_scenes]
        value = specjson.encode(data.draw(st.sampled_from(scenes)))
        cls, check = SceneSpec, validate.scene_spec
    path = data.draw(st.sampled_from([p for p in json_paths(value) if p]))
    parent = value
    for p in path[:-1]:
        parent = parent[p]
    if isinstance(parent, dict) and data.draw(st.booleans()):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(_VALUE)
    try:
        decoded = specjson.decode(cls, value)
    except specjson.Invalid:
        return
    try:
        assert check(value) == decoded
    except ValidationError as exc:  # pragma: no cover - the failure to report
        raise AssertionError(f"the spec reader lets through what pydantic refuses: {exc}") from exc


def test_an_entry_of_a_million_lines_is_a_miss_without_a_view_a_line(cache):
    """The entry is read as views, one a line: a forged one of only line breaks (with a
    correct checksum) must not make millions of them."""
    import tracemalloc

    root, entry, full, world = cache
    header, _, payload = entry.read_bytes().partition(b"\n")
    payload += b"\n" * (loader._MAX_LINES + 1)
    magic, fmt, key, _ = header.split(b" ")
    whole = digest.checksum(payload).encode()
    entry.write_bytes(b" ".join([magic, fmt, key, whole]) + b"\n" + payload)
    tracemalloc.start()
    try:
        got = _essence(loader.load_world(root))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got == world and len(full) == 2
    assert peak < 20 << 20, f"{peak / 2**20:.0f} MiB"
