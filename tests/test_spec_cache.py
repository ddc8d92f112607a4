"""A world taken from the cache is the world a cold load builds: the specs survive JSON."""

from __future__ import annotations

import dataclasses
import random

import pytest

from neuripsquest.core import engine
from neuripsquest.store import loader
from tests.conftest import WORLD


def _plain(value):
    """A compiled world's values, comparable: closures (conditions, effects) are compared by
    what they were compiled from and what they do in play, below."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)},
        )
    if hasattr(type(value), "__slots__") and not isinstance(value, tuple):  # World, Symbols
        names = type(value).__slots__
        return (type(value).__name__, {f: _plain(getattr(value, f)) for f in names})
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple: Scene, Choice
        return (type(value).__name__, {f: _plain(getattr(value, f)) for f in value._fields})
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if callable(value):
        return "<compiled>"
    return value


@pytest.fixture(scope="module")
def cold_and_cached(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("NEURIPSQUEST_CACHE", str(tmp_path_factory.mktemp("cache")))
    full = []
    real = loader._load_texts

    def counting(*args):
        full.append(1)
        return real(*args)

    mp.setattr(loader, "_load_texts", counting)
    try:
        cold = loader.load_world(WORLD)  # validates in full and writes the entry
        cached = loader.load_world(WORLD)
    finally:
        mp.undo()
    assert len(full) == 1, "the second load was not a cache hit"
    return cold, cached


def test_every_field_of_every_scene_and_choice_is_the_same(cold_and_cached):
    cold, cached = cold_and_cached
    assert cached is not cold
    assert list(cached.scenes) == list(cold.scenes)
    for sid, scene in cold.scenes.items():
        # A cache hit has no documents to find lines in: `origin` keeps the file, line 1.
        hit = cached.scenes[sid]._replace(origin=scene.origin)
        assert cached.scenes[sid].origin[0] == scene.origin[0]
        assert _plain(hit) == _plain(scene), sid
        for mine, theirs in zip(cached.scenes[sid].choices, scene.choices, strict=True):
            assert mine.cond_src == theirs.cond_src and mine.writes == theirs.writes
            assert len(mine.effects) == len(theirs.effects)


def test_the_rest_of_the_world_is_the_same(cold_and_cached):
    cold, cached = cold_and_cached
    same_origins = {
        sid: sc._replace(origin=cold.scenes[sid].origin) for sid, sc in cached.scenes.items()
    }
    assert _plain(cached.replace(scenes=same_origins)) == _plain(cold)
    assert _plain(cached.symbols) == _plain(cold.symbols)


def test_both_play_alike(cold_and_cached):
    """The compiled conditions and effects agree: the same random walks end in the same
    states."""
    cold, cached = cold_and_cached
    for seed in range(20):
        pick = random.Random(seed)
        a, b = engine.new_game(cold, seed), engine.new_game(cached, seed)
        for _ in range(60):
            assert a == b
            scene = cold.scenes[a.scene]
            if scene.ending is not None:
                break
            if scene.input is not None:
                action: engine.Action = engine.Type(str(pick.choice([0, 5, 50, 500, 5000])))
            else:
                action = engine.Choose(pick.choice(scene.choices).id)
            a, events_a = engine.step(cold, a, action)
            b, events_b = engine.step(cached, b, action)
            assert events_a == events_b


def test_both_ways_of_converting_validated_scenes_agree(monkeypatch):
    """Few scenes are converted by specjson, many by pydantic: the specs are the same."""
    from pathlib import Path

    from pydantic import TypeAdapter

    from neuripsquest.format import model, validate, yamlsrc

    adapter = TypeAdapter(list[model.Scene])
    from neuripsquest.store.loader import world_files

    for path in world_files(Path(WORLD))[1:]:  # the scene files, as the game reads them
        scenes = adapter.validate_python(yamlsrc.read(str(path), path.read_text()).data)
        monkeypatch.setattr(validate, "_converted", 0)
        by_specjson = validate.scene_specs(scenes)
        monkeypatch.setattr(validate, "_converted", validate._CONVERTER_PAYS_AFTER)
        by_pydantic = validate.scene_specs(scenes)
        assert by_pydantic == by_specjson and len(by_specjson) == len(scenes), path
        assert all(type(s).__name__ == "SceneSpec" for s in by_pydantic)
        assert all(type(s.choices) is tuple for s in by_pydantic)
