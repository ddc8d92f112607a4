"""A warm start neither reads every world file nor compiles every scene, and still never
plays a world other than the one on disk."""

from __future__ import annotations

import os
import random
import shutil
import sys
import time
from pathlib import Path

import pytest

from neuripsquest.core import engine
from neuripsquest.core.world import LazyScenes
from neuripsquest.store import loader
from tests.conftest import MINI, ROOT, WORLD
from tests.test_spec_cache import _plain


@pytest.fixture
def world_dir(tmp_path, monkeypatch):
    """A copy of the mini world, a cache folder, and counters of hashings and full loads."""
    monkeypatch.setenv("NEURIPSQUEST_CACHE", str(tmp_path / "cache"))
    root = tmp_path / "world"
    shutil.copytree(MINI, root)
    counts = {"hashed": 0, "full": 0}
    real_read, real_load = loader._read_all, loader._load_texts

    def reading(*args):
        counts["hashed"] += 1
        return real_read(*args)

    def loading(*args):
        counts["full"] += 1
        return real_load(*args)

    monkeypatch.setattr(loader, "_read_all", reading)
    monkeypatch.setattr(loader, "_load_texts", loading)
    return root, counts


def _scene_file(root):
    return root / "scenes" / "main.yaml"


def _same_size_edit(path):
    """Another text of the same length, with the old mtime put back: the classic trap."""
    before = path.stat()
    text = path.read_text()
    assert "one hundred" in text
    path.write_text(text.replace("one hundred", "two hundred", 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def _texts(world):
    return [sc.text for sc in world.scenes.values()]


def test_settled_files_are_not_read_again(world_dir, monkeypatch):
    root, counts = world_dir
    monkeypatch.setattr(loader, "_SETTLED_NS", 0)  # every file counts as settled
    loader.load_world(root)
    assert counts == {"hashed": 1, "full": 1}
    world = loader.load_world(root)
    assert counts == {"hashed": 1, "full": 1}, "unchanged files were read again"
    assert isinstance(world.scenes, LazyScenes)


def test_a_same_size_edit_with_its_mtime_set_back_is_seen(world_dir, monkeypatch):
    root, counts = world_dir
    monkeypatch.setattr(loader, "_SETTLED_NS", 0)  # only the stamps stand guard
    before = _texts(loader.load_world(root))
    _same_size_edit(_scene_file(root))
    after = _texts(loader.load_world(root))
    assert counts["full"] == 2 and after != before
    assert any("two hundred" in t for t in after)


def _coarse_clock(monkeypatch):
    """Stamps as a file system whose timestamps never move within the test (one tick):
    size and inode are all that is left to see an in-place edit by."""
    tick = time.time_ns()
    real = loader._stamps

    def coarse(root):
        stamps = real(root)
        return (
            None
            if stamps is None
            else [[p, size, tick, tick, ino] for p, size, _, _, ino in stamps]
        )

    monkeypatch.setattr(loader, "_stamps", coarse)


def test_a_file_written_within_the_window_is_hashed_so_an_edit_in_the_same_tick_is_seen(
    world_dir, monkeypatch
):
    root, counts = world_dir
    _coarse_clock(monkeypatch)
    before = _texts(loader.load_world(root))
    assert counts["hashed"] == 1
    _same_size_edit(_scene_file(root))
    after = _texts(loader.load_world(root))
    assert counts["hashed"] >= 2, "a file stamped within the window was trusted"
    assert counts["full"] == 2 and after != before


def test_without_the_window_that_edit_would_be_missed(world_dir, monkeypatch):
    """What the test above guards against: stamps alone are blind within one tick."""
    root, counts = world_dir
    _coarse_clock(monkeypatch)
    monkeypatch.setattr(loader, "_SETTLED_NS", -(10**12))  # "settled" even in the future
    before = _texts(loader.load_world(root))
    _same_size_edit(_scene_file(root))
    assert _texts(loader.load_world(root)) == before and counts["full"] == 1


def test_scenes_compiled_one_at_a_time_are_those_of_a_full_build(tmp_path, monkeypatch):
    """The forced path (`values`) is compared in test_spec_cache; here each scene is
    compiled on its own, in a shuffled order, as play would reach them."""
    monkeypatch.setenv("NEURIPSQUEST_CACHE", str(tmp_path / "cache"))
    cold = loader.load_world(WORLD)
    warm = loader.load_world(WORLD)
    assert isinstance(warm.scenes, LazyScenes) and warm.scenes.compiled == 0
    order = list(cold.scenes)
    random.Random(3).shuffle(order)
    for sid in order:
        scene = warm.scenes[sid]
        assert _plain(scene)[1] | {"origin": None} == _plain(cold.scenes[sid])[1] | {
            "origin": None
        }, sid
    assert warm.scenes.compiled == len(cold.scenes)
    assert (warm.once_keys, warm.visit_names) == (cold.once_keys, cold.visit_names)
    for seed in range(10):
        pick = random.Random(seed)
        a, b = engine.new_game(cold, seed), engine.new_game(warm, seed)
        for _ in range(60):
            assert a == b
            scene = cold.scenes[a.scene]
            if scene.ending is not None or scene.input is not None:
                break
            action = engine.Choose(pick.choice(scene.choices).id)
            a, events_a = engine.step(cold, a, action)
            b, events_b = engine.step(warm, b, action)
            assert events_a == events_b


def test_a_scene_the_entry_got_wrong_is_recovered_from_the_files(world_dir):
    """A forged scene found when it is first used (not at start): the world is loaded in
    full from its files, and the entry repaired."""
    from tests.hostile.test_cache_hostile import _first_scene, _forge

    root, counts = world_dir
    good = loader.load_world(root, use_cache=False).scenes["a"]
    loader.load_world(root)
    (entry,) = (root.parent / "cache").iterdir()
    _forge(entry, lambda b: _first_scene(b)["choices"][0].update(goto="vanished"))
    world = loader.load_world(root)
    full = counts["full"]
    assert world.scenes["a"].choices[0].goto == good.choices[0].goto
    assert counts["full"] == full + 1
    assert loader.load_world(root).scenes["a"].choices[0].goto == good.choices[0].goto
    assert counts["full"] == full + 1  # repaired


def test_an_escaped_surrogate_in_a_file_not_read_at_start_is_found_when_it_is(world_dir):
    """Escaped surrogates are looked for line by line as lines are decoded, not in a pass over
    the whole entry at start: one forged into another file's line (with a correct checksum)
    is found when a scene of that file is first used, and the world is read in full."""
    from neuripsquest.store import digest

    root, counts = world_dir
    main = _scene_file(root)
    text = main.read_text()
    at = text.index("- id: b")
    end = text.index("- id: ask")
    (root / "scenes" / "end.yaml").write_text(text[at:end])  # scene b alone, in file 0
    main.write_text(text[:at] + text[end:])
    good = loader.load_world(root, use_cache=False).scenes["b"].text
    loader.load_world(root)
    (entry,) = (root.parent / "cache").iterdir()
    head, _, payload = entry.read_bytes().partition(b"\n")
    forged = payload.replace(b'"The end', b'"\\ud800The end', 1)
    assert forged != payload
    magic, fmt, key, _ = head.split(b" ")
    whole = digest.checksum(forged).encode()
    entry.write_bytes(b" ".join([magic, fmt, key, whole]) + b"\n" + forged)
    full = counts["full"]
    world = loader.load_world(root)
    assert counts["full"] == full  # a hit: file 0 not decoded yet
    assert world.scenes["b"].text == good and "\ud800" not in world.scenes["b"].text
    assert counts["full"] == full + 1


@pytest.mark.slow
def test_a_warm_start_at_10000_scenes_compiles_only_what_it_shows(tmp_path, monkeypatch):
    from neuripsquest.play import view

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import make_world

    root = make_world(10_000, tmp_path / "w")
    monkeypatch.setenv("NEURIPSQUEST_CACHE", str(tmp_path / "cache"))
    loader.load_world(root)
    builds = []
    real = loader.build
    monkeypatch.setattr(loader, "build", lambda *a, **k: builds.append(1) or real(*a, **k))
    world = loader.load_world(root)
    state = engine.new_game(world, 1)
    assert view.text(world, state) and view.choices(world, state)
    assert not builds, "a warm start ran a full build"
    assert isinstance(world.scenes, LazyScenes) and world.scenes.compiled <= 3
    assert len(world.scenes) == 10_000


def test_the_world_files_are_the_yaml_below_the_folder_but_hidden_and_translations(tmp_path):
    """What `world_files` lists (and every start stats): world.yaml first, then the other
    .yaml/.yml files in order, not hidden ones, not those under hidden folders, not the
    top-level translations folder, not through a link to a folder (a loop)."""
    import os

    from neuripsquest.store.loader import world_files

    def put(rel: str) -> None:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x: 1\n")

    for rel in [
        "world.yaml",
        "b.yaml",
        "a/z.yml",
        "a/b/deep.yaml",
        "a/world.yaml",  # a second world.yaml is not a scene file
        "a/notes.txt",
        ".hidden.yaml",
        ".git/x.yaml",
        "a/.cache/y.yaml",
        "locales/zh-Hant/scenes.yaml",
        "a/locales/kept.yaml",  # only the top-level folder is the translations'
        "aa.yaml",
    ]:
        put(rel)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "linked.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "dir.yaml").mkdir()
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden_by_permissions.yaml").write_text("x: 1\n")
    locked.chmod(0)
    try:
        got = [p.relative_to(tmp_path).as_posix() for p in world_files(tmp_path)]
        expected = ["world.yaml", "a/b/deep.yaml", "a/locales/kept.yaml", "a/z.yml"]
        expected += ["aa.yaml", "b.yaml", "linked.yaml"]
        if os.access(locked, os.R_OK):  # root reads it anyway
            expected.append("locked/hidden_by_permissions.yaml")
        assert got == expected
    finally:
        locked.chmod(0o755)


def _rules_package(root):
    """A package tree with the modules `code_digest` reads."""
    for rel in ["store/loader.py", "format/spec.py", "lang/parse.py", "core/world.py"]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {rel}\n")
    return root


def test_the_code_digest_reads_settled_modules_stamps_not_their_bytes(tmp_path, monkeypatch):
    from neuripsquest.store import loader

    pkg = _rules_package(tmp_path)
    later = time.time_ns() + 10 * loader._SETTLED_NS  # every module long settled by then
    before = loader.code_digest(pkg, later)

    def no_reading(self):
        raise AssertionError(f"read {self}")

    with monkeypatch.context() as m:
        m.setattr(Path, "read_bytes", no_reading)
        assert loader.code_digest(pkg, later) == before
    # Any write changes the stamps: the same size, even the old mtime set back.
    spec = pkg / "format" / "spec.py"
    st = spec.stat()
    spec.write_text("# format/spec.pX\n")
    os.utime(spec, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert loader.code_digest(pkg, later) != before


def test_a_module_written_within_the_window_is_digested_by_its_bytes(tmp_path, monkeypatch):
    """An edit in the same clock tick as the last one keeps every stamp on a file system with
    coarse timestamps: within the window the bytes are read instead."""
    from neuripsquest.store import loader

    pkg = _rules_package(tmp_path)
    read = []
    real = Path.read_bytes

    def reading(self):
        read.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", reading)
    fresh = loader.code_digest(pkg, time.time_ns())
    assert sorted(read) == ["loader.py", "parse.py", "spec.py", "world.py"]
    read.clear()
    settled = loader.code_digest(pkg, time.time_ns() + 10 * loader._SETTLED_NS)
    assert read == [] and settled != fresh
