"""Damaged, hostile and strange save slots: each is one clear line, never a traceback or a
hang, and never hides the other slots."""

import copy
import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neuripsquest.core import engine
from neuripsquest.core.engine import Choose
from neuripsquest.frontends.plain import PlainGame
from neuripsquest.play import view
from neuripsquest.store import saves
from tests.conftest import plain_argv
from tests.hostile.helpers import json_paths


@pytest.fixture
def saved(mini, tmp_path):
    s, _ = engine.step(mini, engine.new_game(mini, 4), Choose("eat"))
    s, _ = engine.step(mini, s, Choose("rest"))
    saves.write(tmp_path, "good", mini, s, ["line one"])
    blob = json.loads((tmp_path / "good.json").read_text())
    assert blob["state"]["trail"] and blob["state"]["history"]  # every field has something
    return s, tmp_path, blob


def _bad(folder, blob, mutate):
    blob = copy.deepcopy(blob)
    mutate(blob)
    (folder / "bad.json").write_text(json.dumps(blob))  # Infinity/NaN written as such


def _one_line_error(folder, world, name="bad"):
    with pytest.raises(saves.SaveError) as exc:
        saves.read(folder, name, world)
    message = str(exc.value)
    assert message and "\n" not in message and len(message) < 200, message
    return message


def _listing_is_whole(folder, world):
    listed = {i.name: i for i in saves.list_slots(folder, world)}
    assert not listed["good"].problem and listed["good"].scene
    return listed


INF, NAN = float("inf"), float("nan")


@pytest.mark.parametrize(
    "mutate, says",
    [
        (lambda b: b["state"].update(clock=INF), "state.clock is Infinity"),
        (lambda b: b["state"].update(clock=NAN), "state.clock is NaN"),
        (lambda b: b["state"].update(seed=-INF), "state.seed is -Infinity"),
        (lambda b: b["state"]["trail"][0].__setitem__(0, INF), "state.trail[0][0] is Infinity"),
        (lambda b: b["state"].update(turn=1.5), "state.turn is a fraction"),
        (lambda b: b["state"].update(rng=10**60), "more than 40 digits"),
        (lambda b: b["state"].update(rng=-1), "state.rng is out of range"),
        (lambda b: b["state"].update(clock=999), "does not fit this world: clock 999"),
        (lambda b: b["state"]["stats"].update(energy=True), "state.stats.energy is true/false"),
        (lambda b: b["state"]["history"][0].update(clock=INF), "state.history[0].clock"),
        (lambda b: b["state"]["history"].append([1]), "state.history[1] is a list"),
        (lambda b: b["state"].pop("scene"), "state.scene is missing"),
        (lambda b: b.update(summary=[1]), "summary is a list"),
        (lambda b: b["summary"].update(day="\ud800"), "summary.day holds an unpaired surrogate"),
        (lambda b: b["summary"].pop("slot"), "summary.slot is missing"),
        (lambda b: b.update(saved_at="yesterday"), "saved_at is not a date and time"),
        (lambda b: b.update(saved_at=None), "saved_at is null"),
        (lambda b: b.update(journal=[1, 2]), "journal[0] is a number"),
        (lambda b: b["world"].update(fingerprint=[]), "world.fingerprint is a list"),
        (lambda b: b.update(world="x"), "world is text"),
        (lambda b: b.update(version=0), "unknown format version"),
        (lambda b: b.update(version=INF), "no format version"),
    ],
)
def test_every_field_is_checked(mini, saved, mutate, says):
    _, folder, blob = saved
    _bad(folder, blob, mutate)
    assert says in _one_line_error(folder, mini)
    listed = _listing_is_whole(folder, mini)
    assert says in listed["bad"].problem


def test_a_100000_deep_save_is_refused_before_json_recursion(mini, saved):
    _, folder, _ = saved
    (folder / "bad.json").write_text("[" * 100_000 + "]" * 100_000)
    assert "nested more than" in _one_line_error(folder, mini)
    (folder / "bad.json").write_text('{"a":' * 100_000)  # and cut short
    assert "damaged" in _one_line_error(folder, mini)
    _listing_is_whole(folder, mini)


def test_a_5000_digit_number_is_refused(mini, saved):
    _, folder, blob = saved
    text = json.dumps(blob).replace('"turn": ', '"turn": ' + "9" * 5000, 1)
    (folder / "bad.json").write_text(text)
    assert "more than 40 digits" in _one_line_error(folder, mini)


def test_not_utf8_and_too_large(mini, saved):
    _, folder, _ = saved
    (folder / "bad.json").write_bytes(b'{"format": "\xff"}')
    assert "not UTF-8" in _one_line_error(folder, mini)
    with open(folder / "big.json", "wb") as f:
        f.truncate(saves.MAX_BYTES + 1)  # sparse: costs no disk
    assert "larger than" in _one_line_error(folder, mini, "big")
    listed = _listing_is_whole(folder, mini)
    assert "larger than" in listed["big"].problem and "not UTF-8" in listed["bad"].problem


def test_a_folder_named_like_a_slot(mini, saved):
    _, folder, _ = saved
    (folder / "dir.json").mkdir()
    assert "a folder" in _one_line_error(folder, mini, "dir")
    assert _listing_is_whole(folder, mini)["dir"].problem


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_and_dev_zero_slots_do_not_hang(mini, saved):
    """Through the real game in a subprocess, so a regression fails by timeout, not a hang."""
    _, folder, _ = saved
    os.mkfifo(folder / "fifo.json")
    if os.path.exists("/dev/zero"):
        (folder / "zero.json").symlink_to("/dev/zero")
    out = subprocess.run(
        plain_argv(folder, "--seed", "1"),
        input="load fifo\nload zero\nsaves\nload good\nquit\n",
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    t = out.stdout
    assert "Not loaded: save 'fifo' cannot be read: it is not a regular file" in t
    assert "fifo: cannot be loaded: save 'fifo' cannot be read: it is not a regular file." in t
    assert "good: Start" in t and "Loaded 'good'." in t
    if os.path.exists("/dev/zero"):
        assert "Not loaded: save 'zero' cannot be read: it is not a regular file" in t


def test_symlink_to_a_real_save_still_loads(mini, saved):
    s, folder, _ = saved
    (folder / "link.json").symlink_to(folder / "good.json")
    assert saves.read(folder, "link", mini).state == s


def test_plain_saves_command_lists_around_a_bad_slot(mini, saved, tmp_path):
    import io

    _, folder, blob = saved
    _bad(folder, blob, lambda b: b["summary"].update(day="\udfff"))
    out = io.StringIO()
    game = PlainGame(mini, engine.new_game(mini, 1), folder, out)
    game.handle("saves")
    game.handle("load bad")
    text = out.getvalue()
    text.encode("utf-8")  # printable: no lone surrogate reached the output
    assert "bad: cannot be loaded: save 'bad' is damaged (summary.day holds" in text
    assert "good: Start, Mon morning" in text


# ---- slot names and the saves folder


@pytest.mark.parametrize(
    "name, shown",
    [
        ("evil\x1b[2J\x07", "'evil\\x1b[2J\\x07'"),
        ("a\nb", "'a\\nb'"),
        ("x" * 5000, "'" + "x" * 40 + "...'"),
        ("\u202eevil", "'\\u202eevil'"),
        ("ok\n", "'ok\\n'"),  # a final newline is not part of a slot name
    ],
)
def test_slot_name_errors_show_a_safe_short_name(mini, tmp_path, name, shown):
    for act in (
        lambda: saves.write(tmp_path, name, mini, engine.new_game(mini, 1)),
        lambda: saves.read(tmp_path, name, mini),
        lambda: saves.delete(tmp_path, name),
    ):
        with pytest.raises(saves.SaveError) as exc:
            act()
        message = str(exc.value)
        assert message.startswith(shown + " is not a slot name"), message
        assert len(message) < 200 and message.isprintable()


def test_a_saves_folder_that_is_a_file(mini, tmp_path):
    (tmp_path / "file").write_text("not a folder")
    for folder in (tmp_path / "file", tmp_path / "file" / "deeper"):
        with pytest.raises(saves.SaveError) as exc:
            saves.write(folder, "x", mini, engine.new_game(mini, 1))
        assert "is a file" in str(exc.value) and "File exists" not in str(exc.value)
        with pytest.raises(saves.SaveError, match="is a file"):
            saves.read(folder, "x", mini)
        assert saves.list_slots(folder, mini) == []


def test_a_saves_folder_that_is_a_file_through_the_game(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    out = subprocess.run(
        plain_argv(tmp_path / "file", "--seed", "1"),
        input="1\nsave x\nquit\n",
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr
    assert "(autosave failed: the saves folder " in out.stdout
    assert "file is a file)" in out.stdout and "File exists" not in out.stdout
    assert "Not saved: the saves folder" in out.stdout


# ---- random damage


_JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(10**45), 10**45),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3),
    st.sampled_from(["a", "b", "start", "energy", "Mini Week", "2025-01-01T00:00:00"]),
)
_JSON = st.recursive(
    _JSON_LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def valid_blob(mini):
    s = engine.new_game(mini, 4)
    for c in ("eat", "rest"):
        s, _ = engine.step(mini, s, Choose(c))
    with tempfile.TemporaryDirectory() as tmp:
        saves.write(Path(tmp), "good", mini, s, ["line one"])
        return json.loads((Path(tmp) / "good.json").read_text())


def _check_usable(world, loaded):
    """A save that loads must also play: show it and try every choice."""
    s = loaded.state
    view.when(world, s), view.text(world, s), view.stats(world, s), view.recap(world, s)
    for c in view.choices(world, s):
        engine.step(world, s, Choose(c.id))
    engine.step(world, s, engine.Undo())


@settings(
    max_examples=300,
    deadline=None,  # file IO: a loaded machine must not fail the test on time
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_random_damage_is_a_save_error_or_a_playable_save(mini, valid_blob, data):
    blob = copy.deepcopy(valid_blob)
    paths = list(json_paths(blob))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        if not path:
            blob = data.draw(_JSON)
            break
        parent = blob
        try:
            for p in path[:-1]:
                parent = parent[p]
            if data.draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = data.draw(_JSON)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    raw = json.dumps(blob)
    try:
        loaded = saves.parse(raw, "x", mini)
    except saves.SaveError as exc:
        assert "\n" not in str(exc)
    else:
        _check_usable(mini, loaded)
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "x.json").write_text(raw, encoding="utf-8", errors="surrogatepass")
        (listed,) = saves.list_slots(Path(tmp), mini)
        listed.problem.encode("utf-8")
        listed.scene.encode("utf-8"), listed.day.encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_random_bytes_are_a_save_error(mini, raw):
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return
    with pytest.raises(saves.SaveError):
        saves.parse(text, "x", mini)


def test_a_key_with_a_line_break_is_echoed_on_one_line(mini, valid_blob):
    """Found by the property test above: a table key is the file's own text."""
    blob = copy.deepcopy(valid_blob)
    blob["state"]["visits"] = {"a\nb": None}
    with pytest.raises(saves.SaveError) as err:
        saves.parse(json.dumps(blob), "x", mini)
    assert "\n" not in str(err.value) and "a\\nb" in str(err.value)
