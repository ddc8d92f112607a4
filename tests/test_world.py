"""A World is an immutable value: fields cannot be set, and `replace` makes a changed copy
that works out its own derived tables."""

import pytest

from neuripsquest.core import engine
from neuripsquest.core.world import FIELDS


def test_a_world_cannot_be_changed_in_place(mini):
    with pytest.raises(AttributeError, match="immutable"):
        mini.title = "Other"
    with pytest.raises(AttributeError, match="immutable"):
        del mini.start
    with pytest.raises(AttributeError):
        mini.colour = "red"  # no such field, and no __dict__ to put it in


def test_replace_changes_the_fields_named_and_keeps_the_rest(mini):
    engine.new_game(mini, 1)  # works something out into mini.derived
    assert mini.derived
    other = mini.replace(title="Other", fingerprint="changed")
    assert (other.title, other.fingerprint) == ("Other", "changed")
    for name in FIELDS:
        if name not in ("title", "fingerprint"):
            assert getattr(other, name) is getattr(mini, name), name
    assert other.derived == {} and mini.derived
    with pytest.raises(TypeError, match="no field colour"):
        mini.replace(colour="red")


@pytest.mark.parametrize("cached", [False, True])
def test_choices_with_the_same_id_share_one_string(cached, tmp_path, monkeypatch):
    # A step finds its choice by comparing ids: every scene's "back" is then the same string,
    # not a copy of it elsewhere in memory (see World's choice build), loaded either way.
    from neuripsquest.store.loader import load_world
    from tests.conftest import WORLD

    monkeypatch.setenv("NEURIPSQUEST_CACHE", str(tmp_path / "cache"))
    if cached:
        load_world(WORLD)  # writes the cache the next load reads
    world = load_world(WORLD, use_cache=cached)
    backs = [c.id for sc in world.scenes.values() for c in sc.choices if c.id == "back"]
    assert len(backs) > 10
    assert all(b is backs[0] for b in backs)
