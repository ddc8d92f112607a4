"""A world's translations on disk: `locales/<LANG>/` inside the world folder mirrors the world's
files (`locales/zh-Hant/world.yaml`, `locales/zh-Hant/scenes/expo.yaml`), each a translation
file (`format/localefile.py`) holding the strings of the file it mirrors."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neuripsquest.core.localise import translate
from neuripsquest.core.world import World
from neuripsquest.guard import read_regular
from neuripsquest.problems import Problem, WorldError
from neuripsquest.store import digest, locale_cache
from neuripsquest.store.loader import LOCALES, shown_path, stamps_of

if TYPE_CHECKING:  # reading one needs PyYAML, which a game in English never imports
    from neuripsquest.format.localefile import Entry

ENGLISH = "en"
FILE_LIMIT = 64 << 20  # bytes a translation file may have (the largest shipped is 35 kB)
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class Catalog:
    """One language's entries by key, with the problems met reading them. (A plain class:
    this module is imported at every start, and making a dataclass takes ~0.7 ms.)"""

    __slots__ = ("lang", "entries", "problems", "files", "fingerprint")

    def __init__(self, lang: str):
        self.lang = lang
        self.entries: dict[str, Entry] = {}
        self.problems: list[Problem] = []
        self.files: list[str] = []  # shown paths, in order
        self.fingerprint = ""  # of the files' names and bytes

    def table(self) -> dict[str, str]:
        """key -> text of every string translated (a TODO still shows the English)."""
        return {k: e.text for k, e in self.entries.items() if not e.todo}


def is_language_name(lang: str) -> bool:
    """A language tag (zh-Hant, pt-BR): the only names a translation folder may have."""
    return bool(_LANG.match(lang))


def languages(root: str | os.PathLike[str]) -> list[str]:
    """The languages a world has translations for, besides English."""
    folder = Path(root) / LOCALES
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and is_language_name(p.name))


def mirror(root: Path, lang: str, source: Path) -> Path:
    """The translation file of world file `source` (a path under `root`)."""
    return root / LOCALES / lang / source.relative_to(root)


def catalog_files(root: Path, lang: str) -> list[Path] | None:
    """The translation files of `lang`, in the order they are read; None when the world has
    no such translation."""
    folder = root / LOCALES / lang
    if not is_language_name(lang) or not folder.is_dir():
        return None
    return sorted(folder.rglob("*.yaml"))


def read_catalog(root: str | os.PathLike[str], lang: str) -> Catalog:
    """Every translation file of `lang` under the world `root`."""
    from neuripsquest.format import localefile

    root = Path(root)
    catalog = Catalog(lang)
    files = catalog_files(root, lang)
    if files is None:
        have = ", ".join(["en", *languages(root)])
        folder = shown_path(root / LOCALES / lang)
        catalog.problems.append(
            Problem(folder, 1, 1, f"no translation '{lang}' (this world has: {have})")
        )
        return catalog
    files_digest = digest.running(f"translation {lang}".encode())
    for path in files:
        shown = shown_path(path)
        catalog.files.append(shown)
        try:
            raw = read_regular(path, FILE_LIMIT)  # a FIFO named *.yaml must not hang the start
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            catalog.problems.append(Problem(shown, 1, 1, "not UTF-8 text"))
            continue
        except OSError as exc:
            why = exc.strerror or str(exc)
            catalog.problems.append(Problem(shown, 1, 1, f"cannot read: {why}"))
            continue
        files_digest.update(path.relative_to(root).as_posix().encode() + b"\0" + raw + b"\0")
        entries, problems = localefile.read(shown, text)
        catalog.problems.extend(problems)
        for entry in entries:
            first = catalog.entries.get(entry.key)
            if first is not None:
                catalog.problems.append(
                    Problem(
                        entry.path,
                        entry.line,
                        entry.column,
                        f"'{entry.key}' is translated twice (first at {first.where()})",
                    )
                )
                continue
            catalog.entries[entry.key] = entry
    catalog.fingerprint = files_digest.hexdigest()
    return catalog


def localised(
    world: World, root: str | os.PathLike[str], lang: str, use_cache: bool = True
) -> World:
    """`world` in `lang`: as written for English, else with its translation's strings.

    A translation with problems is refused as a whole (WorldError, each problem located):
    half a language mixed into the other half would be worse than either. One read without
    problems is remembered (`locale_cache`) while its files are unchanged."""
    if lang == ENGLISH:
        return world
    root = Path(root)
    checked_at = time.time_ns()  # before the stamps: see loader._unchanged
    entry: Path | None = None
    now: list[list[Any]] | None = None
    table: dict[str, str] | None = None
    files = catalog_files(root, lang) if use_cache else None
    if files is not None:
        entry = locale_cache.entry_path(root, lang)
        if entry is not None:
            now = stamps_of(root, files)
            table = locale_cache.load(entry, lang, now)
    if table is None:
        catalog = read_catalog(root, lang)
        if catalog.problems:
            raise WorldError(catalog.problems)
        table = catalog.table()
        if entry is not None:
            locale_cache.save(entry, lang, catalog.fingerprint, table, now, checked_at)
    return translate(world, table, lang)
