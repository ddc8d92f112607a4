"""Saves: atomic, validated slot names, and damaged files that harm nothing else."""

import json

import pytest

from neuripsquest.core import engine
from neuripsquest.core.engine import Choose
from neuripsquest.store import saves


@pytest.fixture
def saved(mini, tmp_path):
    s, _ = engine.step(mini, engine.new_game(mini, 4), Choose("eat"))
    saves.write(tmp_path, "good", mini, s, ["line one"])
    return s, tmp_path


def test_round_trip(mini, saved):
    s, folder = saved
    loaded = saves.read(folder, "good", mini)
    assert loaded.state == s and loaded.journal == ["line one"] and loaded.note == ""
    blob = json.loads((folder / "good.json").read_text())
    assert blob["format"] == "neuripsquest-save" and blob["version"] == saves.VERSION
    assert blob["world"]["fingerprint"] == mini.fingerprint and blob["saved_at"]
    assert not list(folder.glob("*.tmp"))  # the temporary file was renamed away


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"format": "neuripsquest-save", "ver', "is damaged (not complete JSON)"),
        ("", "is damaged (not complete JSON)"),
        ("\x00\x01garbage", "is damaged"),
        ('{"hello": "world"}', "is not a NeurIPS Quest save"),
        ("[1, 2, 3]", "is not a NeurIPS Quest save"),
        ('{"format": "neuripsquest-save", "version": 99}', "was written by a newer version"),
        (
            '{"format": "neuripsquest-save", "version": 1, "world": {"title": "Other"}}',
            "belongs to another world ('Other')",
        ),
        ('{"format": "neuripsquest-save", "version": "x"}', "no format version"),
    ],
)
def test_damaged_saves_give_one_line_and_harm_nothing(mini, saved, content, message):
    s, folder = saved
    (folder / "bad.json").write_text(content)
    with pytest.raises(saves.SaveError) as exc:
        saves.read(folder, "bad", mini)
    assert message in str(exc.value) and "\n" not in str(exc.value)
    assert saves.read(folder, "good", mini).state == s  # the other slot is untouched
    listed = {i.name: i for i in saves.list_slots(folder, mini)}
    assert listed["bad"].problem and not listed["good"].problem


def test_truncated_real_save(mini, saved):
    s, folder = saved
    raw = (folder / "good.json").read_text()
    (folder / "cut.json").write_text(raw[: len(raw) // 2])
    with pytest.raises(saves.SaveError, match="damaged"):
        saves.read(folder, "cut", mini)


def test_save_that_no_longer_fits_the_world(mini, saved):
    _, folder = saved
    blob = json.loads((folder / "good.json").read_text())
    blob["state"]["scene"] = "vanished"
    for step in blob["state"]["history"]:  # no earlier scene to go back to either
        step["scene"] = "vanished_too"
    (folder / "old.json").write_text(json.dumps(blob))
    with pytest.raises(saves.SaveError, match="no scene 'vanished'"):
        saves.read(folder, "old", mini)
    blob["state"]["scene"] = "a"
    blob["state"]["stats"]["energy"] = "lots"
    (folder / "old.json").write_text(json.dumps(blob))
    with pytest.raises(saves.SaveError, match="not a whole number"):
        saves.read(folder, "old", mini)


def test_changed_world_loads_with_a_note(mini, saved):
    _, folder = saved
    blob = json.loads((folder / "good.json").read_text())
    blob["world"]["fingerprint"] = "something else"
    (folder / "older.json").write_text(json.dumps(blob))
    assert "changed" in saves.read(folder, "older", mini).note


@pytest.mark.parametrize("name", ["../evil", "a/b", "..", "", "x" * 41, "with space", ".hidden"])
def test_slot_names_are_validated(mini, tmp_path, name):
    with pytest.raises(saves.SaveError, match="not a slot name"):
        saves.write(tmp_path, name, mini, engine.new_game(mini, 1))
    assert not any(tmp_path.iterdir())


def test_missing_slot_and_delete(mini, saved):
    _, folder = saved
    with pytest.raises(saves.SaveError, match="no save named 'nope'"):
        saves.read(folder, "nope", mini)
    saves.delete(folder, "good")
    assert not (folder / "good.json").exists()
    with pytest.raises(saves.SaveError):
        saves.delete(folder, "good")


def test_every_random_state_saves_and_loads_back(mini, tmp_path):
    """The random state uses all 64 bits: a save's reader must not refuse the upper half
    (about half of all games), as it once did."""
    from neuripsquest.core import engine
    from neuripsquest.store import saves

    high = 0
    for seed in range(40):
        state = engine.new_game(mini, seed)
        state, _ = engine.step(mini, state, engine.Choose("coin"))
        high += state.rng >= 1 << 63
        saves.write(tmp_path, "slot", mini, state)
        assert saves.read(tmp_path, "slot", mini).state == state
    assert high  # the case that was refused was really tried
