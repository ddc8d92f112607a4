"""The validated-world cache never decides what is valid: a damaged, foreign, stale or
hand-made entry is a miss and the world is loaded in full; and the cache never leaks or
hangs."""

import copy
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neuripsquest.store import cacheshape, loader
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
    correct digest, so only the shape and build checks stand in the way."""
    (magic, fmt, key, _), blob = _split(entry)
    change(blob)
    try:
        payload = json.dumps(blob, ensure_ascii=False).encode()
    except UnicodeEncodeError:  # a lone surrogate can only be written escaped
        payload = json.dumps(blob).encode()
    digest = hashlib.sha256(payload).hexdigest().encode()
    entry.write_bytes(b" ".join([magic, fmt, key, digest]) + b"\n" + payload)


def _first_outcome(blob):
    for _, scenes in blob["files"]:
        for sc in scenes:
            for ch in sc["choices"]:
                if ch["random"]:
                    return ch["random"][0]
    raise AssertionError("the mini world has a random choice")


def test_a_faithful_forgery_is_a_hit_so_the_tests_below_mean_something(cache):
    """This is also the limit, stated in the README: the cache folder is trusted like the
    program itself, so an entry that keeps every rule is believed, even its story text."""
    root, entry, full, world = cache
    _forge(entry, lambda b: None)
    assert _essence(loader.load_world(root)) == world and len(full) == 1
    _forge(entry, lambda b: b["files"][0][1][0].update(text="Rewritten."))
    assert loader.load_world(root).scenes["a"].text == "Rewritten." and len(full) == 1


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda b: _first_outcome(b).update(weight=0), id="weight-0"),
        pytest.param(
            lambda b: next(iter(b["world"]["stats"].values())).update(max=float("inf")),
            id="infinite-stat",
        ),
        pytest.param(lambda b: b["world"].update(title=["not", "text"]), id="title-a-list"),
        pytest.param(lambda b: b["world"]["clock"].update(days=[]), id="no-days"),
        pytest.param(lambda b: b["files"][0][1][0].update(id="Not An Id"), id="bad-id"),
        pytest.param(lambda b: b["files"][0][1][0].update(extra_key=1), id="unknown-key"),
        pytest.param(lambda b: b["files"][0][1][0].pop("text"), id="missing-key"),
        pytest.param(lambda b: b["files"][0][1][0].update(text="\ud800"), id="lone-surrogate"),
        pytest.param(
            lambda b: b["files"][0][1][0]["choices"][0].update(goto="vanished"),
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


def test_a_100000_deep_entry_is_a_miss_not_a_recursion_error(cache):
    root, entry, full, world = cache
    (magic, fmt, key, _), _ = _split(entry)
    payload = b"[" * 100_000 + b"]" * 100_000
    digest = hashlib.sha256(payload).hexdigest().encode()
    entry.write_bytes(b" ".join([magic, fmt, key, digest]) + b"\n" + payload)
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


# ---- the plain-code shape rules against pydantic's


def test_every_model_field_has_a_rule():
    from neuripsquest.format import model

    for obj in cacheshape.MODELS:
        assert set(obj.fields) == set(getattr(model, obj.model).model_fields), obj.model


@pytest.fixture(scope="module")
def dumped():
    _, problems, _, contents = loader.read_sources(WORLD)
    assert not problems
    return contents


def test_the_shipped_world_passes(dumped):
    assert all(cacheshape.SCENE(d) for _, dumps in dumped["files"] for d in dumps)
    assert cacheshape.WORLD_FILE(dumped["world"])


_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False)
    | st.sampled_from(["", "a", "Bad Id", "money", "x\n", "day >= 2", "energy += 1"]),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from("ab"), inner),
    max_leaves=4,
)


@settings(
    max_examples=300,
    deadline=None,  # pydantic and file IO: a loaded machine must not fail this on time
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_the_rules_are_never_looser_than_pydantic(dumped, data):
    """Whatever a damaged entry holds, what the plain rules accept pydantic accepts too, and
    dumps back unchanged."""
    from pydantic import ValidationError

    from neuripsquest.format import model

    which = data.draw(st.sampled_from(["world", "scene"]))
    if which == "world":
        value, rule, cls = copy.deepcopy(dumped["world"]), cacheshape.WORLD_FILE, model.WorldFile
    else:
        scenes = [d for _, dumps in dumped["files"] for d in dumps]
        value, rule, cls = (
            copy.deepcopy(data.draw(st.sampled_from(scenes))),
            cacheshape.SCENE,
            (model.Scene),
        )
    path = data.draw(st.sampled_from([p for p in json_paths(value) if p]))
    parent = value
    for p in path[:-1]:
        parent = parent[p]
    if isinstance(parent, dict) and data.draw(st.booleans()):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(_VALUE)
    if rule(value):
        try:
            assert cls.model_validate(value).model_dump() == value
        except ValidationError as exc:  # pragma: no cover - the failure to report
            raise AssertionError(
                f"the plain rules let through what pydantic refuses: {exc}"
            ) from exc
