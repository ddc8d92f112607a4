"""Files -> validated, compiled World, reporting every problem at once.

Two passes, as ink's compiler does: read and validate every file on its own, then resolve
references across files (`world.build`). A world that checked clean is remembered in a cache,
one entry per world folder, holding its validated specs, so that starting the game does not
pay for YAML parsing or for building the pydantic models. A warm start costs what it shows,
not the world's size: the files are known unchanged by their stamps (`_unchanged`), and
scenes are read from the entry and compiled when first used (`world.LazyScenes`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from neuripsquest import __version__, collector
from neuripsquest.core.world import Scene, World, build
from neuripsquest.format.spec import Contents, SceneSpec
from neuripsquest.guard import read_regular
from neuripsquest.problems import Problem, WorldError, suggestion_budget
from neuripsquest.store import digest

WORLD_FILE = "world.yaml"
_CACHE_FORMAT = 5


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


def shown_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


LOCALES = "locales"  # translations of the world (store/locales.py), beside its files


def world_files(root: Path) -> list[Path]:
    """world.yaml first, then every other .yaml/.yml below the folder, in a stable order;
    hidden files and folders and the translations (`locales/`) are not part of the story.
    Symbolic links to folders are not followed (a link can make a loop); an unreadable
    folder is left out, as if empty."""
    files: list[Path] = []
    # os.scandir rather than Path.rglob: every start lists the world (to know it unchanged),
    # and rglob made a Path of every entry, the translations' included (0.65 against 0.12 ms
    # on the shipped world).
    todo = [(os.fspath(root), True)]
    while todo:
        folder, top = todo.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith(".") or (top and name == LOCALES):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        todo.append((entry.path, False))
                    elif name.endswith((".yaml", ".yml")) and name != WORLD_FILE:
                        if entry.is_file():
                            files.append(Path(entry.path))
        except OSError:
            continue
    return [root / WORLD_FILE, *sorted(files)]


def _read_all(root: Path) -> tuple[list[tuple[Path, str]], str, list[Problem]]:
    problems: list[Problem] = []
    texts: list[tuple[Path, str]] = []
    files_digest = digest.sha256(f"neuripsquest {__version__}".encode())
    if not root.is_dir():
        return [], "", [Problem(shown_path(root), 1, 1, "no such world folder")]
    if not (root / WORLD_FILE).is_file():
        problems.append(Problem(shown_path(root / WORLD_FILE), 1, 1, "missing world.yaml"))
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
                Problem(shown_path(path), line, col + 1, f"not UTF-8 text ({exc.reason})")
            )
            continue
        except OSError as exc:
            problems.append(Problem(shown_path(path), 1, 1, f"cannot read: {exc.strerror}"))
            continue
        files_digest.update(path.relative_to(root).as_posix().encode() + b"\0" + raw + b"\0")
        texts.append((path, text))
    return texts, files_digest.hexdigest(), problems


def check_world(root: str | os.PathLike[str]) -> tuple[World | None, list[Problem]]:
    """Load without the cache; return the world (when clean) and every problem found."""
    root = Path(root)
    texts, fingerprint, problems = _read_all(root)
    if problems:
        return None, problems
    world, problems, _ = _load_texts(texts, fingerprint)
    return world, problems


def load_world(root: str | os.PathLike[str], use_cache: bool = True) -> World:
    """The compiled world, or WorldError listing every problem. From the cache, its scenes
    are compiled as they are first used (`world.LazyScenes`)."""
    root = Path(root)
    cache = _cache_file(root) if use_cache else None
    checked_at = time.time_ns()  # before anything is looked at: see `_unchanged`
    stamps = _stamps(root) if cache is not None else None
    if cache is not None:
        world = _from_cache(cache, root, stamps, checked_at)
        if world is not None:
            return world
    texts, fingerprint, problems = _read_all(root)
    if problems:
        raise WorldError(problems)
    world, problems, contents = _load_texts(texts, fingerprint)
    if world is None or contents is None:
        raise WorldError(problems)
    if cache is not None:
        _to_cache(cache, contents, world, stamps, checked_at)
    return world


def _load_texts(
    texts: list[tuple[Path, str]], fingerprint: str, read: Callable[..., Any] | None = None
) -> tuple[World | None, list[Problem], Contents | None]:
    with collector.paused(), suggestion_budget():
        return _load_texts_inner(texts, fingerprint, read)


def _load_texts_inner(
    texts: list[tuple[Path, str]], fingerprint: str, read: Callable[..., Any] | None = None
) -> tuple[World | None, list[Problem], Contents | None]:
    from neuripsquest.format import validate, yamlsrc

    # Our own reading: nothing else holds the documents, so each scene file's tree and data
    # go as soon as it is validated (yamlsrc.Placed keeps where things are). A caller's
    # `read` (lint, the language server) keeps its documents itself.
    compact = read is None
    read = read or yamlsrc.read
    problems: list[Problem] = []
    docs: dict[str, Any] = {}
    budget = yamlsrc.NodeBudget()  # one for the whole world: many small bombs are one big one
    world_path = shown_path(texts[0][0])
    world_doc = docs[world_path] = read(world_path, texts[0][1], budget=budget)
    problems.extend(world_doc.problems)
    world_spec, world_problems = validate.world_file(world_doc)
    problems.extend(world_problems)
    entries: list[tuple[str, list[Any], SceneSpec]] = []
    # Ids of scenes that failed validation still exist for reference checks, and a file that
    # could not be parsed at all means any reference may point into it: no false alarms.
    half_known: set[str] = set()
    unreadable = world_doc.root is None and bool(world_doc.problems)
    files: list[tuple[str, tuple[SceneSpec, ...]]] = []
    for path, text in texts[1:]:
        shown = shown_path(path)
        doc = read(shown, text, budget=budget)
        problems.extend(doc.problems)
        scene_file = validate.scene_file(doc)
        docs[shown] = yamlsrc.Placed(doc) if compact and doc.root is not None else doc
        del doc
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


def _cache_file(root: Path) -> Path | None:
    """One entry per world folder (and program): found without reading the world, and an
    edited world replaces its entry rather than adding one."""
    d = _cache_dir()
    if d is None:
        return None
    where = f"{_code()} {__version__} {os.path.realpath(root)}"
    return d / f"world-{digest.name(where)}.json"


# The modules whose rules decide what a valid world is, relative to the package.
_CODE = ("store/loader.py", "format/*.py", "lang/*.py", "core/world.py")
_code_stamp: str | None = None


def _code() -> str:
    """A digest of the modules that decide what is valid: a development copy whose rules
    changed without a version bump must not trust entries its older self wrote."""
    global _code_stamp
    if _code_stamp is None:
        _code_stamp = code_digest(Path(__file__).parent.parent, time.time_ns())
    return _code_stamp


def code_digest(package: Path, now_ns: int) -> str:
    """The digest of the rules' modules under `package`: of each one's stamps (size, mtime,
    ctime, inode), which every way of changing its bytes changes (see `_SETTLED_NS` below),
    or of its bytes when it was written less than that window before `now_ns`. Stamps, not
    bytes, because every start computes this: reading and hashing the 25 modules took ~1 ms
    of each start, their stamps ~0.1 ms. A module reinstalled unchanged gets new stamps and
    so one more cache miss, never a wrong hit."""
    stamp = digest.running(f"cache format {_CACHE_FORMAT}".encode())
    for pattern in _CODE:
        paths = sorted(package.glob(pattern))
        for path in paths:
            name = path.relative_to(package).as_posix()
            try:
                st = path.stat()
                if _settled(st.st_mtime_ns, st.st_ctime_ns, now_ns):
                    what = f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}".encode()
                else:  # written just now: an edit within the same tick would keep the stamps
                    what = path.read_bytes()
                stamp.update(name.encode() + b"\0" + what + b"\0")
            except OSError:
                stamp.update(name.encode() + b"\0-\0")
        if not paths:
            stamp.update(pattern.encode() + b"\0-\0")  # no source (a frozen build)
    return stamp.hexdigest()


def _cache_key(fingerprint: str) -> str:
    """The world's fingerprint (its files and the program's version) bound to the code."""
    return digest.name(f"{_code()} {fingerprint}")


# ------------------------------------------------ knowing the files unchanged without reading

# A file is taken as unchanged when its size, mtime, ctime and inode are those recorded
# when its bytes were hashed, and it had last changed at least this long before that hash.
# Why that is safe: every way a file's bytes change moves its ctime (which, unlike mtime,
# no program can set back: `touch -d`, `cp -p`, `tar x` and rsync set mtime only), and an
# editor that saves by writing a new file and renaming it also changes the inode. The one
# blind spot is a timestamp's granularity (2 s on FAT, 1 s on some network file systems):
# a file written again within the tick of the write we hashed keeps every stamp. A file
# whose stamps were that recent when we hashed is hashed again next time (git's "racy
# clean" entries); once older, any later write lands in a later tick.
_SETTLED_NS = 2_000_000_000


def _settled(mtime_ns: int, ctime_ns: int, checked_at: int) -> bool:
    """Whether a file last changed long enough before `checked_at` that its stamps tell."""
    return max(mtime_ns, ctime_ns) < checked_at - _SETTLED_NS


def _stamps(root: Path) -> list[list[Any]] | None:
    """[path, size, mtime_ns, ctime_ns, inode] of each world file, or None if any fails."""
    return stamps_of(root, world_files(root))


def stamps_of(root: Path, files: Iterable[Path]) -> list[list[Any]] | None:
    """[path under `root`, size, mtime_ns, ctime_ns, inode] of each file, or None if any
    fails (the translations' cache keeps its files' stamps too)."""
    try:
        out: list[list[Any]] = []
        for path in files:
            st = path.stat()
            rel = path.relative_to(root).as_posix()
            out.append([rel, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
        return out
    except OSError:
        return None


def _unchanged(recorded: Any, checked_at: Any, now: list[list[Any]] | None) -> bool:
    """Whether `now` (stamps taken just now) proves the files are the ones hashed at
    `checked_at` (ns, taken before their stamps were recorded)."""
    return (
        now is not None
        and type(checked_at) is int
        and recorded == now
        and all(_settled(mtime, ctime, checked_at) for _, _, mtime, ctime, _ in now)
    )


# ---------------------------------------------------------------- the entry

# An entry is one header line, `neuripsquest-world-cache FORMAT KEY SHA256`, then a JSON
# object (SHA256 is its digest, so a damaged entry is a miss; KEY binds its fingerprint to
# this program): the fingerprint, the files' stamps and when they were taken, the index
# (`spec.CacheIndex`), and the validated contents. The contents' scene files come one a
# line (JSON never holds a raw line break), so a start decodes the first line and then
# only the files of the scenes it shows. The cache folder is trusted like the program
# itself (README): an entry someone wrote by hand with a matching key and digest still
# passes the shape checks of the spec classes (`specjson.decode`) and every check of
# `world.build` before a scene of it is used, but its story text is believed.
_MAGIC = b"neuripsquest-world-cache"
_CACHE_LIMIT = 256 << 20  # bytes (the 10,000-scene test world needs about 20 MB)
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89abAB]")  # written raw UTF-8, never escaped
_END = b"]}}"  # the last line: closes the files, the contents and the entry
_HEAD = ["fingerprint", "stamps", "checked_at", "index", "contents"]


def _json(value: Any, allow_nan: bool = False) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=allow_nan).encode("utf-8")


def _payload(blob: dict[str, Any], allow_nan: bool = False) -> bytes:
    """An entry's JSON, each of its contents' files on a line of its own, last."""
    contents = blob.get("contents")
    if type(contents) is not dict or type(contents.get("files")) is not list:
        return _json(blob, allow_nan)  # not an entry this program writes: read as a miss
    files = contents["files"]
    rest = {k: v for k, v in contents.items() if k != "files"}
    head = {**{k: v for k, v in blob.items() if k != "contents"}, "contents": {**rest, "files": []}}
    first = _json(head, allow_nan)
    lines = [first[: -len(_END)], *(_json(f, allow_nan) + b"," for f in files)]
    if files:
        lines[-1] = lines[-1][:-1]
    return b"\n".join([*lines, _END])


def read_entry(path: Path, fmt: str, limit: int) -> tuple[bytes, bytes] | None:
    """(key, payload) of an entry `_write` wrote under format `fmt` whose checksum holds;
    None for anything else (missing, not a regular file, too large, damaged, another format).
    For the small entries kept beside the world's (translations, proof hints)."""
    try:
        raw = read_regular(path, limit)
        head, _, payload = raw.partition(b"\n")
        magic, got, key, got_sum = head.split(b" ")
        if magic != _MAGIC or got != fmt.encode() or got_sum.decode() != digest.checksum(payload):
            return None
        return key, payload
    except (OSError, ValueError):
        return None


def _from_cache(
    path: Path, root: Path, stamps: list[list[Any]] | None, checked_at: int
) -> World | None:
    """The world from a cache entry, or None (a miss) for anything unexpected."""
    from neuripsquest.format import specjson
    from neuripsquest.format.spec import CacheIndex, WorldSpec

    try:
        raw = read_regular(path, _CACHE_LIMIT)
        # Views into `raw`, not copies: the entry of a 10,000-scene world is 10 MB, and
        # copying it twice (header off, then a piece a line) cost a warm start ~15 ms.
        nl = raw.find(b"\n")
        if nl < 0:
            return None
        magic, fmt, key, got_sum = raw[:nl].split(b" ")
        payload = memoryview(raw)[nl + 1 :]
        if (
            magic != _MAGIC
            or fmt != str(_CACHE_FORMAT).encode()
            or got_sum.decode() != digest.checksum(payload)
        ):
            return None
        lines = _lines(raw, nl + 1)
        if lines is None or len(lines) < 2 or lines[-1] != _END:
            return None
        # Each line is looked at for escaped surrogates when it is decoded (the head here, a
        # file's scenes when first used): not in a pass of its own over all 10 MB.
        if _ESCAPED_SURROGATE.search(lines[0]):
            return None
        head = json.loads(bytes(lines[0]) + _END, parse_constant=_no_constant)
        if type(head) is not dict or list(head) != _HEAD:
            return None
        fingerprint = head["fingerprint"]
        if type(fingerprint) is not str or key.decode() != _cache_key(fingerprint):
            return None
        if not _unchanged(head["stamps"], head["checked_at"], stamps):
            _, now, problems = _read_all(root)
            if problems or now != fingerprint:
                return None
            if stamps is not None:  # the same bytes: record the stamps they have now
                head.update(stamps=stamps, checked_at=checked_at)
                _write(path, fingerprint, b"\n".join([_payload(head)[: -len(_END)], *lines[1:]]))
        contents = head["contents"]
        if type(contents) is not dict or contents.keys() != {"world_path", "world", "files"}:
            return None
        if contents["files"] != [] or type(contents["world_path"]) is not str:
            return None
        with collector.paused():
            index = specjson.decode(CacheIndex, head["index"])
            world_spec = specjson.decode(WorldSpec, contents["world"])
        if len(index.files) != len(lines) - 2:
            return None
        return _lazy_world(
            root, contents["world_path"], world_spec, index, lines[1:-1], fingerprint
        )
    except (OSError, ValueError, RecursionError):  # ValueError: also specjson.Invalid
        return None
    except Exception:  # noqa: BLE001 - a foreign entry that slipped past the shape checks
        return None  # still just a miss: the full load decides what is valid


# Files in an entry (a line each): more is a miss, and the world is read in full. A view a
# line is made before they are counted, so a forged entry of line breaks makes at most this
# many (~9 MB); the 10,000-scene world has 100 files.
_MAX_LINES = 50_000


def _lines(raw: bytes, start: int) -> list[memoryview] | None:
    """`raw[start:].split(b"\\n")`, as views into `raw`; None past _MAX_LINES lines."""
    view = memoryview(raw)
    out: list[memoryview] = []
    while len(out) <= _MAX_LINES:
        end = raw.find(b"\n", start)
        if end < 0:
            out.append(view[start:])
            return out
        out.append(view[start:end])
        start = end + 1
    return None


class _Entry:
    """A cache entry's scenes, each file's block decoded when a scene of it is first used;
    `build_lazy` calls back here for one scene, for all of them, or for a full load."""

    def __init__(
        self,
        root: Path,
        world_path: str,
        world_spec: Any,
        index: Any,
        blocks: Sequence[bytes | memoryview],
    ):
        self.root, self.world_path, self.world_spec = root, world_path, world_spec
        self.index, self.blocks = index, blocks
        self.where = {
            sid: (k, i) for k, (_, ids) in enumerate(index.files) for i, sid in enumerate(ids)
        }
        self.decoded: dict[int, list[Any]] = {}

    def block(self, k: int) -> list[Any]:
        """File k's scenes as JSON values, after checking the line holds just that file."""
        from neuripsquest.format import specjson

        if k not in self.decoded:
            line = bytes(self.blocks[k])
            last = k == len(self.blocks) - 1
            if line.endswith(b",") == last:
                raise specjson.Invalid("not one file a line")
            if _ESCAPED_SURROGATE.search(line):  # never written: a forged or damaged entry
                raise specjson.Invalid("an escaped surrogate")
            value = json.loads(line if last else line[:-1], parse_constant=_no_constant)
            path, ids = self.index.files[k]
            if (
                type(value) is not list
                or len(value) != 2
                or value[0] != path
                or type(value[1]) is not list
                or len(value[1]) != len(ids)
            ):
                raise specjson.Invalid("a file that is not the one the index names")
            self.decoded[k] = value[1]
        return self.decoded[k]

    def spec_of(self, sid: str) -> SceneSpec | None:
        from neuripsquest.format import specjson

        k, i = self.where[sid]
        try:
            with collector.paused():
                return specjson.decode(SceneSpec, self.block(k)[i])
        except (ValueError, RecursionError):
            return None

    def everything(self, world: World) -> dict[str, Scene] | None:
        from neuripsquest.format import specjson

        try:
            with collector.paused():
                entries = [
                    (path, [i], specjson.decode(SceneSpec, raw))
                    for k, (path, _) in enumerate(self.index.files)
                    for i, raw in enumerate(self.block(k))
                ]
                full, problems = build(self.world_path, self.world_spec, entries, world.fingerprint)
        except (ValueError, RecursionError):
            return None
        return _same_numbering(world, full) if full is not None and not problems else None

    def recover(self, world: World) -> dict[str, Scene]:
        """A full load, when the entry proved to hold what `build` refuses; it replaces the
        entry."""
        checked_at = time.time_ns()
        stamps = _stamps(self.root)
        texts, now, problems = _read_all(self.root)
        full, more, contents = _load_texts(texts, now) if not problems else (None, problems, None)
        if full is None or contents is None:
            raise WorldError(more)
        scenes = _same_numbering(world, full)
        if scenes is None:
            message = "the world's files changed while it was being played: start it again"
            raise WorldError([Problem(self.world_path, 1, 1, message)])
        cache = _cache_file(self.root)
        if cache is not None:
            _to_cache(cache, contents, full, stamps, checked_at)
        return scenes


def _lazy_world(
    root: Path,
    world_path: str,
    world_spec: Any,
    index: Any,
    blocks: Sequence[bytes | memoryview],
    fingerprint: str,
) -> World | None:
    """The World of a cache entry, its scenes read from `blocks` (one a file) when used."""
    from neuripsquest.core.world import build_lazy

    entry = _Entry(root, world_path, world_spec, index, blocks)
    paths = [(sid, index.files[k][0]) for sid, (k, _) in entry.where.items()]
    world, problems = build_lazy(
        world_path,
        world_spec,
        paths,
        index.once_keys,
        index.visits,
        index.scene_renames,
        fingerprint,
        entry.spec_of,
        entry.everything,
        entry.recover,
    )
    return world if not problems else None


def _same_numbering(world: World, full: World) -> dict[str, Scene] | None:
    """`full`'s scenes for `world`, when both number scenes, once-only choices and counted
    visits alike (else None); what compiling them recorded is added to `world`'s symbols."""
    if (
        list(full.scenes) != list(world.scenes)
        or full.once_keys != world.once_keys
        or full.visit_names != world.visit_names
        or full.scene_renames != world.scene_renames
    ):
        return None
    mine, theirs = world.symbols, full.symbols
    # Theirs hold all of mine (the same scenes, all compiled), in a full build's order.
    mine.used_stats, mine.used_flags = theirs.used_stats, theirs.used_flags
    mine.used_items = theirs.used_items
    mine.conditions, mine.effects = theirs.conditions, theirs.effects
    return dict(full.scenes)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} in a cache entry")


def _to_cache(
    path: Path,
    contents: Contents,
    world: World,
    stamps: list[list[Any]] | None,
    checked_at: int,
) -> None:
    from neuripsquest.format import specjson
    from neuripsquest.format.spec import CacheIndex

    index = CacheIndex(
        files=tuple((shown, tuple(sc.id for sc in scenes)) for shown, scenes in contents.files),
        once_keys=world.once_keys,
        visits=world.visit_names,
        scene_renames=world.scene_renames,
    )
    blob = {
        "fingerprint": world.fingerprint,
        "stamps": stamps or [],  # none: hashed again next time
        "checked_at": checked_at,
        "index": specjson.encode(index),
        "contents": specjson.encode(contents),
    }
    try:
        _write(path, world.fingerprint, _payload(blob))
    except ValueError:
        pass  # text that is not UTF-8 (a lone surrogate): no cache


def _write(path: Path, fingerprint: str, payload: bytes, fmt: str = str(_CACHE_FORMAT)) -> None:
    """The entry, replaced whole: a reader sees the old one or the new one. (`fmt`: the
    translations' tables are kept the same way, under a format of their own.)"""
    tmp = None
    try:
        header = b" ".join(
            [
                _MAGIC,
                fmt.encode(),
                _cache_key(fingerprint).encode(),
                digest.checksum(payload).encode(),
            ]
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(header + b"\n" + payload)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass  # a read-only home, an entry that is a folder: no cache
    finally:
        if tmp is not None:  # never leave the temporary file behind
            with contextlib.suppress(OSError):
                os.unlink(tmp)


# ---------------------------------------------------------------- for tools


def read_sources(
    root: str | os.PathLike[str], read: Callable[..., Any] | None = None
) -> tuple[World | None, list[Problem], list[tuple[str, str]], Contents | None]:
    """`check_world` for the tools that point inside scenes (lint, explore): also each file's
    (shown path, text), world.yaml first, and the validated contents (None unless the world
    checked clean). `read` stands in for `yamlsrc.read`, as in `read_texts`."""
    root = Path(root)
    texts, fingerprint, problems = _read_all(root)
    shown = [(shown_path(p), text) for p, text in texts]
    if problems:
        return None, problems, shown, None
    world, problems, contents = _load_texts(texts, fingerprint, read)
    return world, problems, shown, contents


def read_texts(
    texts: list[tuple[str | os.PathLike[str], str]], read: Callable[..., Any] | None = None
) -> tuple[World | None, list[Problem], list[tuple[str, str]], Contents | None]:
    """`read_sources` over texts already in memory, world.yaml first: an editor checks its
    unsaved buffers. `read` stands in for `yamlsrc.read` (same arguments and result), so an
    editor can hand back the documents it parsed before for unchanged texts: one keystroke
    then re-reads one file, not the world."""
    paths = [(Path(p), text) for p, text in texts]
    shown = [(shown_path(p), text) for p, text in paths]
    if not paths:
        return None, [Problem("world.yaml", 1, 1, "missing world.yaml")], shown, None
    world, problems, contents = _load_texts(paths, "", read)
    return world, problems, shown, contents
