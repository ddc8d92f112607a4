"""Files -> validated, compiled World, reporting every problem at once.

Two passes, as ink's compiler does: read and validate every file on its own, then resolve
references across files (`world.build`). A world that checked clean is remembered in a cache
keyed by the hash of every file, holding its validated specs, so that starting the game does
not pay for YAML parsing or for building the pydantic models (together about 0.3 s of a 0.4 s
cold start).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from neuripsquest import __version__
from neuripsquest.core.world import World, build
from neuripsquest.format.spec import Contents, SceneSpec
from neuripsquest.guard import read_regular
from neuripsquest.problems import Problem, WorldError, suggestion_budget

WORLD_FILE = "world.yaml"
_CACHE_FORMAT = 3


def resolve_world_dir(given: str | os.PathLike[str] | None) -> Path:
    """`--world DIR`, else ./world when it holds a world.yaml, else the bundled copy."""
    if given is not None:
        return Path(given)
    here = Path("world")
    if (here / WORLD_FILE).is_file():
        return here
    package = Path(__file__).parent.parent
    bundled = package / "_world"
    if (bundled / WORLD_FILE).is_file():
        return bundled
    source_tree = package.resolve().parents[1] / "world"  # an editable install
    return source_tree


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def world_files(root: Path) -> list[Path]:
    """world.yaml first, then every other .yaml/.yml below the folder, in a stable order."""
    files = [
        p
        for p in root.rglob("*")
        if p.suffix in (".yaml", ".yml")
        and p.is_file()
        and p.name != WORLD_FILE
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return [root / WORLD_FILE, *sorted(files)]


def _read_all(root: Path) -> tuple[list[tuple[Path, str]], str, list[Problem]]:
    problems: list[Problem] = []
    texts: list[tuple[Path, str]] = []
    digest = hashlib.sha256(f"neuripsquest {__version__}".encode())
    if not root.is_dir():
        return [], "", [Problem(_display(root), 1, 1, "no such world folder")]
    if not (root / WORLD_FILE).is_file():
        problems.append(Problem(_display(root / WORLD_FILE), 1, 1, "missing world.yaml"))
        return [], "", problems
    for path in world_files(root):
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            col = len(
                raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")
            )
            problems.append(
                Problem(_display(path), line, col + 1, f"not UTF-8 text ({exc.reason})")
            )
            continue
        except OSError as exc:
            problems.append(Problem(_display(path), 1, 1, f"cannot read: {exc.strerror}"))
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + raw + b"\0")
        texts.append((path, text))
    return texts, digest.hexdigest(), problems


def check_world(root: str | os.PathLike[str]) -> tuple[World | None, list[Problem]]:
    """Load without the cache; return the world (when clean) and every problem found."""
    root = Path(root)
    texts, fingerprint, problems = _read_all(root)
    if problems:
        return None, problems
    world, problems, _ = _load_texts(texts, fingerprint)
    return world, problems


def load_world(root: str | os.PathLike[str], use_cache: bool = True) -> World:
    """The compiled world, or WorldError listing every problem."""
    root = Path(root)
    texts, fingerprint, problems = _read_all(root)
    if problems:
        raise WorldError(problems)
    cache = _cache_file(fingerprint) if use_cache else None
    if cache is not None:
        world = _from_cache(cache, texts, fingerprint)
        if world is not None:
            return world
    world, problems, contents = _load_texts(texts, fingerprint)
    if world is None or contents is None:
        raise WorldError(problems)
    if cache is not None:
        _to_cache(cache, contents, fingerprint)
    return world


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Loading makes a million small objects that all stay alive until the end: the cyclic
    collector would rescan them again and again (measured: 11.7 s instead of 2.6 s on the
    10,000-scene world)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _load_texts(
    texts: list[tuple[Path, str]], fingerprint: str, read: Callable[..., Any] | None = None
) -> tuple[World | None, list[Problem], Contents | None]:
    with _no_gc(), suggestion_budget():
        return _load_texts_inner(texts, fingerprint, read)


def _load_texts_inner(
    texts: list[tuple[Path, str]], fingerprint: str, read: Callable[..., Any] | None = None
) -> tuple[World | None, list[Problem], Contents | None]:
    from neuripsquest.format import validate, yamlsrc

    read = read or yamlsrc.read
    problems: list[Problem] = []
    docs: dict[str, yamlsrc.Document] = {}
    budget = yamlsrc.NodeBudget()  # one for the whole world: many small bombs are one big one
    for path, text in texts:
        shown = _display(path)
        doc = read(shown, text, budget=budget)
        docs[shown] = doc
        problems.extend(doc.problems)

    world_path = _display(texts[0][0])
    world_spec, world_problems = validate.world_file(docs[world_path])
    problems.extend(world_problems)
    entries: list[tuple[str, list[Any], SceneSpec]] = []
    # Ids of scenes that failed validation still exist for reference checks, and a file that
    # could not be parsed at all means any reference may point into it: no false alarms.
    half_known: set[str] = set()
    unreadable = docs[world_path].root is None and bool(docs[world_path].problems)
    files: list[tuple[str, tuple[SceneSpec, ...]]] = []
    for path, _ in texts[1:]:
        shown = _display(path)
        scene_file = validate.scene_file(docs[shown])
        problems.extend(scene_file.problems)
        half_known |= scene_file.half_known
        unreadable = unreadable or not scene_file.readable
        entries.extend((shown, [i], scene) for i, scene in scene_file.scenes)
        files.append((shown, tuple(scene for _, scene in scene_file.scenes)))

    if world_spec is None:
        return None, _sorted(problems), None
    world, build_problems = build(
        world_path, world_spec, entries, fingerprint, docs, half_known, check_refs=not unreadable
    )
    problems.extend(build_problems)
    if problems:
        return None, _sorted(problems), None
    return world, [], Contents(world_path, world_spec, tuple(files))


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.column, p.message))


# ---------------------------------------------------------------- cache


def _cache_dir() -> Path | None:
    setting = os.environ.get("NEURIPSQUEST_CACHE")
    if setting is not None:
        return None if setting.lower() in ("", "0", "off", "no") else Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "neuripsquest"


def _cache_file(fingerprint: str) -> Path | None:
    d = _cache_dir()
    return None if d is None else d / f"world-{_cache_key(fingerprint)[:32]}.json"


# The modules whose rules decide what a valid world is, relative to the package.
_CODE = ("store/loader.py", "format/*.py", "lang/*.py", "core/world.py")
_code_stamp: str | None = None


def _cache_key(fingerprint: str) -> str:
    """The world's fingerprint (its files and the program's version) and the source of the
    modules that decide what is valid: a development copy whose rules changed without a
    version bump must not trust entries its older self wrote."""
    global _code_stamp
    if _code_stamp is None:
        digest = hashlib.sha256(f"cache format {_CACHE_FORMAT}".encode())
        package = Path(__file__).parent.parent
        for pattern in _CODE:
            paths = sorted(package.glob(pattern))
            for path in paths:
                name = path.relative_to(package).as_posix()
                try:
                    digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
                except OSError:
                    digest.update(name.encode() + b"\0-\0")
            if not paths:
                digest.update(pattern.encode() + b"\0-\0")  # no source (a frozen build)
        _code_stamp = digest.hexdigest()
    return hashlib.sha256(f"{_code_stamp} {fingerprint}".encode()).hexdigest()


# An entry is one header line, `neuripsquest-world-cache FORMAT KEY SHA256`, then the
# validated contents as UTF-8 JSON; SHA256 is that JSON's digest, so a damaged entry is a
# miss. The cache folder is trusted like the program itself (README): an entry someone
# wrote by hand with a matching key and digest still passes the shape checks of
# the spec classes (`specjson.decode`) and every check of `world.build`, but its story text
# is believed.
_MAGIC = b"neuripsquest-world-cache"
_CACHE_LIMIT = 256 << 20  # bytes (the 10,000-scene test world needs about 20 MB)
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89abAB]")  # written raw UTF-8, never escaped


def _from_cache(path: Path, texts: list[tuple[Path, str]], fingerprint: str) -> World | None:
    """The world from a cache entry, or None (a miss) for anything unexpected."""
    from neuripsquest.format import specjson

    try:
        raw = read_regular(path, _CACHE_LIMIT)
        header, _, payload = raw.partition(b"\n")
        magic, fmt, key, digest = header.split(b" ")
        if (
            magic != _MAGIC
            or fmt != str(_CACHE_FORMAT).encode()
            or key.decode() != _cache_key(fingerprint)
            or digest.decode() != hashlib.sha256(payload).hexdigest()
            or _ESCAPED_SURROGATE.search(payload)
        ):
            return None
        blob = json.loads(payload.decode("utf-8"), parse_constant=_no_constant)
        if type(blob) is not dict or blob.keys() != {"fingerprint", "contents"}:
            return None
        if blob["fingerprint"] != fingerprint:
            return None
        with _no_gc():
            contents = specjson.decode(Contents, blob["contents"])
            entries = [
                (shown, [i], scene)
                for shown, scenes in contents.files
                for i, scene in enumerate(scenes)
            ]
            world, problems = build(contents.world_path, contents.world, entries, fingerprint)
        return world if not problems else None
    except (OSError, ValueError, RecursionError):  # ValueError: also specjson.Invalid
        return None
    except Exception:  # noqa: BLE001 - a foreign entry that slipped past the shape checks
        return None  # still just a miss: the full load decides what is valid


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} in a cache entry")


def _to_cache(path: Path, contents: Contents, fingerprint: str) -> None:
    from neuripsquest.format import specjson

    tmp = None
    try:
        payload = json.dumps(
            {"fingerprint": fingerprint, "contents": specjson.encode(contents)},
            ensure_ascii=False,
            allow_nan=False,
        ).encode("utf-8")
        header = b" ".join(
            [
                _MAGIC,
                str(_CACHE_FORMAT).encode(),
                _cache_key(fingerprint).encode(),
                hashlib.sha256(payload).hexdigest().encode(),
            ]
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(header + b"\n" + payload)
        os.replace(tmp, path)
        tmp = None
    except (OSError, ValueError):
        pass  # a read-only home, an entry that is a folder, text that is not UTF-8: no cache
    finally:
        if tmp is not None:  # never leave the temporary file behind
            with contextlib.suppress(OSError):
                os.unlink(tmp)


# ---------------------------------------------------------------- for tools


def read_sources(
    root: str | os.PathLike[str],
) -> tuple[World | None, list[Problem], list[tuple[str, str]], Contents | None]:
    """`check_world` for the tools that point inside scenes (lint, explore): also each file's
    (shown path, text), world.yaml first, and the validated contents (None unless the world
    checked clean)."""
    root = Path(root)
    texts, fingerprint, problems = _read_all(root)
    shown = [(_display(p), text) for p, text in texts]
    if problems:
        return None, problems, shown, None
    world, problems, contents = _load_texts(texts, fingerprint)
    return world, problems, shown, contents


def read_texts(
    texts: list[tuple[str | os.PathLike[str], str]], read: Callable[..., Any] | None = None
) -> tuple[World | None, list[Problem], list[tuple[str, str]], Contents | None]:
    """`read_sources` over texts already in memory, world.yaml first: an editor checks its
    unsaved buffers. `read` stands in for `yamlsrc.read` (same arguments and result), so an
    editor can hand back the documents it parsed before for unchanged texts: one keystroke
    then re-reads one file, not the world."""
    paths = [(Path(p), text) for p, text in texts]
    shown = [(_display(p), text) for p, text in paths]
    if not paths:
        return None, [Problem("world.yaml", 1, 1, "missing world.yaml")], shown, None
    world, problems, contents = _load_texts(paths, "", read)
    return world, problems, shown, contents
