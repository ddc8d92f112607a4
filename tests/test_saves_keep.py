"""Nothing a player does is lost: new games keep the last run, unplayable autosaves are moved
aside, the list shows the autosave first, and saves go to one known folder."""

import os
import sys
from datetime import datetime
from pathlib import Path

import pytest

from neuripsquest.core import engine
from neuripsquest.core.engine import Choose
from neuripsquest.play import start
from neuripsquest.store import saves


def write_autosave(world, folder, seed=4):
    s, _ = engine.step(world, engine.new_game(world, seed), Choose("eat"))
    saves.write(folder, saves.AUTOSAVE, world, s)
    return s


def test_keep_previous_run_moves_the_autosave_and_it_stays_loadable(mini, tmp_path):
    s = write_autosave(mini, tmp_path)
    assert saves.keep_previous_run(tmp_path) is True
    assert not (tmp_path / "autosave.json").exists()
    assert saves.read(tmp_path, saves.AUTOSAVE_PREVIOUS, mini).state == s
    # nothing to move the second time: the kept run is not touched
    assert saves.keep_previous_run(tmp_path) is False
    assert saves.read(tmp_path, saves.AUTOSAVE_PREVIOUS, mini).state == s


def test_keep_previous_run_without_a_folder(tmp_path):
    assert saves.keep_previous_run(tmp_path / "nowhere") is False


def test_keep_previous_run_failure_is_a_save_error(mini, tmp_path, monkeypatch):
    write_autosave(mini, tmp_path)

    def refuse(a, b):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(saves.os, "replace", refuse)
    with pytest.raises(saves.SaveError, match="cannot keep the previous run: Permission denied"):
        saves.keep_previous_run(tmp_path)


def test_an_unplayable_autosave_is_moved_aside_never_overwritten(mini, tmp_path):
    (tmp_path / "autosave.json").write_text('{"format": "neuripsquest-save", "vers')
    loaded, said = start.continue_autosave(mini, tmp_path)
    assert loaded is None and "damaged" in said and "'autosave-damaged'" in said
    assert (tmp_path / "autosave-damaged.json").read_text().endswith('"vers')
    # a second one does not replace the first
    (tmp_path / "autosave.json").write_text("second")
    loaded, said = start.continue_autosave(mini, tmp_path)
    assert "'autosave-damaged-2'" in said
    assert (tmp_path / "autosave-damaged-2.json").read_text() == "second"
    assert (tmp_path / "autosave-damaged.json").read_text().endswith('"vers')


def test_a_good_autosave_is_continued(mini, tmp_path):
    s = write_autosave(mini, tmp_path)
    loaded, said = start.continue_autosave(mini, tmp_path)
    assert loaded is not None and loaded.state == s and said == ""
    assert start.continue_autosave(mini, tmp_path / "empty") == (None, "")


def test_slot_order_puts_the_autosaves_first(mini, tmp_path):
    for name in ("zed", "Alpha", saves.AUTOSAVE_PREVIOUS, "beta", saves.AUTOSAVE):
        saves.write(tmp_path, name, mini, engine.new_game(mini, 1))
    names = [s.name for s in saves.slot_order(saves.list_slots(tmp_path, mini))]
    assert names == ["autosave", "autosave-previous", "Alpha", "beta", "zed"]


@pytest.mark.parametrize("stamp", ["", "yesterday", "2025-13-40T00:00:00", None, "9" * 40])
def test_when_saved_tolerates_garbage(stamp):
    assert saves.when_saved(stamp) == "unknown"


def test_when_saved_is_local_and_readable():
    stamp = "2025-12-02T14:05:00+00:00"
    local = datetime.fromisoformat(stamp).astimezone()
    got = saves.when_saved(stamp, now=datetime(2025, 12, 5))
    assert got == f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"
    assert saves.when_saved(stamp, now=datetime(2027, 1, 1)).endswith(f" 2025, {local:%H:%M}")


def test_saves_dir_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("NEURIPSQUEST_SAVES", raising=False)
    assert saves.saves_dir("given") == Path("given")
    user = saves.saves_dir()
    assert user.parts[-2:] == ("neuripsquest", "saves") and not user.exists()
    if os.name == "posix" and "darwin" not in sys.platform:
        assert user == tmp_path / "data" / "neuripsquest" / "saves"
    (tmp_path / "saves").mkdir()  # a checkout's folder wins once it exists
    assert saves.saves_dir() == Path("saves")
    monkeypatch.setenv("NEURIPSQUEST_SAVES", str(tmp_path / "env"))
    assert saves.saves_dir() == tmp_path / "env"
    assert saves.saves_dir("given") == Path("given")
