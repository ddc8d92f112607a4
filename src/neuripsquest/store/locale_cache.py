"""A translation's table (key -> text) remembered beside the world's cache entry, so that a
game in Chinese does not parse its 1,700 translated strings' YAML at every start (about 45 ms,
a third of a warm start).

An entry is written only for a translation that read without a problem, and it is believed
only while the translation files keep the stamps they had when they were read (the rule and
its reasons are the world cache's: `loader._unchanged`); anything else about an entry that
is not exactly what this module writes makes it a miss, and a miss reads the files again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from neuripsquest import __version__
from neuripsquest.store import digest, loader

_FORMAT = 2
_LIMIT = 64 << 20  # bytes (the shipped Chinese table is about 0.4 MB)
_FIELDS = ["lang", "fingerprint", "stamps", "checked_at", "table"]


def entry_path(root: Path, lang: str) -> Path | None:
    """Where `lang`'s table of the world at `root` is kept, or None with the cache off."""
    d = loader._cache_dir()
    if d is None:
        return None
    where = f"{_code()} {__version__} {os.path.realpath(root)} {lang}"
    return d / f"locale-{digest.name(where)}.json"


def load(path: Path, lang: str, now: list[list[Any]] | None) -> dict[str, str] | None:
    """The table kept at `path`, if it is one this module wrote for `lang` and the files'
    stamps `now` prove them unchanged since; else None (a miss)."""
    entry = loader.read_entry(path, f"locale-{_FORMAT}", _LIMIT)
    if entry is None:
        return None
    key, payload = entry
    try:
        blob = json.loads(payload, parse_constant=loader._no_constant)
        if type(blob) is not dict or list(blob) != _FIELDS or blob["lang"] != lang:
            return None
        fingerprint, table = blob["fingerprint"], blob["table"]
        if type(fingerprint) is not str or key.decode() != loader._cache_key(fingerprint):
            return None
        if not loader._unchanged(blob["stamps"], blob["checked_at"], now):
            return None
        if type(table) is not dict or not all(type(v) is str for v in table.values()):
            return None
        return table
    except (ValueError, RecursionError):  # ValueError: JSON, UTF-8
        return None


def save(
    path: Path,
    lang: str,
    fingerprint: str,
    table: dict[str, str],
    now: list[list[Any]] | None,
    checked_at: int,
) -> None:
    """Keep `table`, read from files whose bytes hash to `fingerprint` and whose stamps,
    taken after `checked_at`, were `now` (None: nothing is kept)."""
    if now is None:
        return
    blob = {
        "lang": lang,
        "fingerprint": fingerprint,
        "stamps": now,
        "checked_at": checked_at,
        "table": table,
    }
    try:
        payload = json.dumps(blob, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except ValueError:  # text that is not UTF-8 (a lone surrogate): nothing kept
        return
    loader._write(path, fingerprint, payload, f"locale-{_FORMAT}")


_code_stamp: str | None = None


def _code() -> str:
    """The world cache's code digest and this module's and locales.py's sources: a
    development copy that reads translations differently must not trust older entries."""
    global _code_stamp
    if _code_stamp is None:
        stamp = digest.running(loader._code().encode())
        here = Path(__file__).parent
        for name in ("locale_cache.py", "locales.py"):
            try:
                stamp.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
            except OSError:
                stamp.update(name.encode() + b"\0-\0")
        _code_stamp = stamp.hexdigest()
    return _code_stamp
