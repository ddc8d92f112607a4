"""What the last no-softlock proof of a world learnt to track, kept in the cache folder so
that `explore` run again (after an edit, or unchanged) starts its proof from there: one round
instead of a dozen. A world may also carry it in its own folder (`explore --save-hints`
writes `.explore-hints.json` there, a hidden file the story never reads), for the runs that
have no cache yet: a fresh clone, CI.

Only the choice of what to track is kept, never a verdict: any start gives a sound proof
(`escape.prove`), so an entry from an older world, another program or a damaged file can cost
time but cannot make a softlock look impossible. An entry that is not exactly what this module
writes is ignored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from neuripsquest import __version__
from neuripsquest.guard import read_regular
from neuripsquest.lang.analyse import Var
from neuripsquest.store import digest, loader

_FORMAT = "proof-1"
_LIMIT = 16 << 20  # bytes (the shipped world's is about 20 kB)
FILE = ".explore-hints.json"  # in the world folder


def entry_path(root: str | os.PathLike[str]) -> Path | None:
    """Where the hints for the world at `root` are kept, or None with the cache off."""
    d = loader._cache_dir()
    if d is None:
        return None
    where = f"{__version__} {os.path.realpath(root)}"
    return d / f"proof-{digest.name(where)}.json"


def load(root: str | os.PathLike[str]) -> dict[str, list[Var]] | None:
    """The scenes' tracked variables the last proof of this world learnt, or None."""
    path = entry_path(root)
    if path is None:
        return None
    entry = loader.read_entry(path, _FORMAT, _LIMIT)
    if entry is None:
        return None
    try:
        blob = json.loads(entry[1], parse_constant=loader._no_constant)
    except (ValueError, RecursionError):
        return None
    return _read(blob)


def save(root: str | os.PathLike[str], learnt: dict[str, list[Var]]) -> None:
    path = entry_path(root)
    if path is None:
        return
    blob = {sid: [list(v) for v in vs] for sid, vs in learnt.items()}
    try:
        payload = json.dumps(blob, ensure_ascii=False, sort_keys=True).encode("utf-8")
    except ValueError:  # a name that is not UTF-8 text: nothing kept
        return
    loader._write(path, "hints", payload, _FORMAT)


def read_file(root: str | os.PathLike[str]) -> tuple[dict[str, list[Var]] | None, str]:
    """The hints the world folder carries, or None and why not ("" when it has none)."""
    path = Path(root) / FILE
    try:
        blob = json.loads(read_regular(path, _LIMIT), parse_constant=loader._no_constant)
    except FileNotFoundError:
        return None, ""
    except OSError as exc:
        return None, f"{loader.shown_path(path)}: not read ({exc.strerror or exc})"
    except (ValueError, RecursionError) as exc:
        return None, f"{loader.shown_path(path)}: not read (not JSON: {exc})"
    got = _read(blob.get("tracked") if type(blob) is dict and blob.get("format") == 1 else None)
    if got is None:
        return None, f"{loader.shown_path(path)}: not read (not a file `explore` writes)"
    return got, ""


def write_file(root: str | os.PathLike[str], learnt: dict[str, list[Var]]) -> Path:
    """`learnt` into the world folder, one scene a line, so a change reads well in a diff."""
    path = Path(root) / FILE
    lines = [
        f"    {json.dumps(sid)}: {json.dumps([list(v) for v in vs], ensure_ascii=False)}"
        for sid, vs in sorted(learnt.items())
    ]
    text = '{\n  "format": 1,\n  "tracked": {\n' + ",\n".join(lines) + "\n  }\n}\n"
    path.write_text(text, encoding="utf-8")
    return path


def _read(blob: Any) -> dict[str, list[Var]] | None:
    if type(blob) is not dict:
        return None
    out: dict[str, list[Var]] = {}
    for sid, vs in blob.items():
        if type(vs) is not list:
            return None
        got: list[Var] = []
        for v in vs:
            if type(v) is not list or len(v) != 2 or not all(type(x) is str for x in v):
                return None
            got.append((v[0], v[1]))
        out[sid] = got
    return out
