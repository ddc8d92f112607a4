"""A translation's table is remembered between starts while its files are unchanged, and
anything else (an edit, a damaged or foreign entry, a translation with problems) reads the
files again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from neuripsquest.problems import WorldError
from neuripsquest.store import loader, locale_cache, locales
from neuripsquest.store.loader import load_world
from neuripsquest.store.locales import localised

SHIPPED = Path(__file__).resolve().parents[1] / "world"
LANG = "zh-Hant"


@pytest.fixture(scope="module")
def world():
    """The shipped world in English (the copies below have the same story files)."""
    return load_world(SHIPPED, use_cache=False)


@pytest.fixture
def world_dir(tmp_path, monkeypatch):
    """A copy of the shipped world and its Chinese, a cache of its own, a count of reads."""
    root = tmp_path / "world"
    shutil.copytree(SHIPPED, root)
    monkeypatch.setenv("NEURIPSQUEST_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(loader, "_SETTLED_NS", 0)  # files just copied count as settled
    reads: list[str] = []
    real = locales.read_catalog
    monkeypatch.setattr(
        locales, "read_catalog", lambda r, lang: reads.append(lang) or real(r, lang)
    )
    return root, reads


def shown(world) -> list[tuple[str, str, str | None]]:
    return [(s.title, s.text, s.revisit) for s in world.scenes.values()]


def entry(root: Path) -> Path:
    path = locale_cache.entry_path(root, LANG)
    assert path is not None
    return path


def test_a_settled_translation_is_read_once_then_kept(world_dir, world):
    root, reads = world_dir
    want = shown(localised(world, root, LANG, use_cache=False))
    assert reads == [LANG]
    assert shown(localised(world, root, LANG)) == want and reads == [LANG, LANG]
    assert entry(root).is_file()
    assert shown(localised(world, root, LANG)) == want and reads == [LANG, LANG]  # kept
    assert any("電梯" in text for _, text, _ in want)  # it is the Chinese


def test_an_edit_is_seen_even_of_the_same_size_with_its_mtime_set_back(world_dir, world):
    root, reads = world_dir
    localised(world, root, LANG)
    path = root / "locales" / LANG / "scenes" / "yacht.yaml"
    old = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("  text: 頂層甲板\n", "  text: 上層甲板\n")  # the same size
    assert edited != text and len(edited.encode()) == len(text.encode())
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    titles = [t for t, _, _ in shown(localised(world, root, LANG))]
    assert "上層甲板" in titles and len(reads) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-5] + b"XXXXX",  # the digest no longer matches
        lambda raw: raw.replace(b'"lang": "zh-Hant"', b'"lang": "zh-Hans"'),
        lambda raw: (
            raw.split(b"\n", 1)[0].replace(b"locale-", b"locale-old-")
            + b"\n"
            + raw.split(b"\n", 1)[1]
        ),
        lambda raw: b"",
        lambda raw: b"\xff" * 100,
    ],
)
def test_a_damaged_or_foreign_entry_is_a_miss_and_still_right(world_dir, world, damage):
    root, reads = world_dir
    want = shown(localised(world, root, LANG))
    path = entry(root)
    path.write_bytes(damage(path.read_bytes()))
    assert shown(localised(world, root, LANG)) == want and len(reads) == 2


def test_an_entry_that_is_a_fifo_or_a_folder_is_a_miss_not_a_hang(world_dir, world):
    root, reads = world_dir
    path = entry(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    want = shown(localised(world, root, LANG))
    path.unlink()
    path.mkdir()
    assert shown(localised(world, root, LANG)) == want and len(reads) == 2


def test_a_translation_with_problems_is_never_kept(world_dir, world):
    root, reads = world_dir
    path = root / "locales" / LANG / "scenes" / "yacht.yaml"
    good = path.read_bytes()
    path.write_bytes(good + b"\nnot an entry\n")
    with pytest.raises(WorldError):
        localised(world, root, LANG)
    assert not entry(root).exists()
    path.write_bytes(good)
    localised(world, root, LANG)
    assert entry(root).is_file()


def test_a_fifo_among_the_translation_files_is_a_located_problem_not_a_hang(world_dir):
    root, _ = world_dir
    os.mkfifo(root / "locales" / LANG / "scenes" / "zz.yaml")
    catalog = locales.read_catalog(root, LANG)
    assert [str(p) for p in catalog.problems] == [
        f"{locales.shown_path(root / 'locales' / LANG / 'scenes' / 'zz.yaml')}:1:1: "
        "cannot read: it is not a regular file"
    ]
