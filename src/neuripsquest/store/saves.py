"""Save slots: versioned JSON files, written atomically, read defensively.

A slot is one file `<name>.json` in the saves folder. Writing goes through a temporary file,
fsync and rename, so a crash leaves either the old save or the new one, never half of each.
Reading a damaged, truncated, foreign or newer save raises SaveError with one clear line and
touches nothing else.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from neuripsquest import i18n
from neuripsquest.core.state import Restored, State, StateError, restore, to_json
from neuripsquest.core.world import World
from neuripsquest.errors import QuestError
from neuripsquest.guard import (
    NotRegularFile,
    TooDeep,
    TooLarge,
    check_json_depth,
    has_surrogate,
    read_regular,
    shown,
    shown_path,
)
from neuripsquest.i18n import _, ngettext
from neuripsquest.records import Record

FORMAT = "neuripsquest-save"
VERSION = 1
AUTOSAVE = "autosave"
AUTOSAVE_PREVIOUS = "autosave-previous"  # the run before the last new game, still loadable
AUTOSAVE_DAMAGED = "autosave-damaged"  # an autosave that could not be continued, kept as is
# The player's settings (frontends/tui/settings.py writes them); the underscore keeps the file
# out of the slot list. Plain mode and the command line read the language from it too.
SETTINGS_FILE = "_settings.json"
_SLOT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


class SaveError(QuestError):
    """A save could not be written or read; the message is one line for the player."""


def saves_dir(given: str | os.PathLike[str] | None = None) -> Path:
    """Where a player's files go: `--saves DIR`, else $NEURIPSQUEST_SAVES, else ./saves when
    that folder already exists (a source checkout ships one), else the per-user data folder.
    Never a new folder in whatever directory the game happens to be started from."""
    if given is not None:
        return Path(given)
    env = os.environ.get("NEURIPSQUEST_SAVES")
    if env:
        return Path(env)
    if Path("saves").is_dir():
        return Path("saves")
    import platformdirs  # only here: the other cases must not pay for the import

    return platformdirs.user_data_path("neuripsquest") / "saves"


def settings_blob(folder: Path) -> dict[str, Any]:
    """The settings file as a table; a missing, damaged or odd file is an empty one (it never
    stops the game)."""
    try:
        with open(folder / SETTINGS_FILE, encoding="utf-8") as f:
            blob = json.loads(f.read(64 << 10))
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return {}
    return blob if isinstance(blob, dict) else {}


def remembered_language(folder: Path) -> str | None:
    """The interface language chosen on the Settings screen, or None (not chosen there: the
    environment decides)."""
    lang = settings_blob(folder).get("language")
    return lang if lang in i18n.LANGUAGES else None


def check_slot(name: str) -> str:
    if not _SLOT.fullmatch(name):  # fullmatch: `$` alone would let a final newline through
        raise SaveError(
            _(
                "'{name}' is not a slot name: use up to 40 letters, digits, - or _ "
                "(no spaces, dots or slashes)"
            ).format(name=shown(name))
        )
    return name


def slot_path(folder: Path, name: str) -> Path:
    return folder / f"{check_slot(name)}.json"


def write(
    folder: Path, name: str, world: World, state: State, journal: list[str] | None = None
) -> Path:
    path = slot_path(folder, name)
    scene = world.scenes[state.scene]
    blob = {
        "format": FORMAT,
        "version": VERSION,
        "world": {"title": world.title, "fingerprint": world.fingerprint},
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "summary": {
            "scene": scene.title,
            "day": world.days[state.clock // len(world.slots)],
            "slot": world.slots[state.clock % len(world.slots)],
            "turn": state.turn,
        },
        "state": to_json(world, state),
        "journal": journal or [],
    }
    write_json_atomic(path, blob)
    return path


def write_json_atomic(path: Path, blob: Any) -> None:
    """Write through a locked temporary file, fsync and rename. A writer killed half-way
    leaves a temporary file whose lock died with it: the next write removes it."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=_TEMP_SUFFIX, dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                _lock(f.fileno())  # held until the rename: a cleaner leaves this file alone
                json.dump(blob, f)  # no indent: the C encoder, 10x faster for autosaves
                f.flush()
                os.fsync(f.fileno())
                if _RENAME_OPEN_FILES:
                    os.replace(tmp, path)
            if not _RENAME_OPEN_FILES:
                os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(folder)
    except OSError as exc:
        problem = _folder_problem(folder)
        raise SaveError(problem or f"cannot write {path.name}: {exc.strerror or exc}") from None
    clean_stale_temps(folder)


def _folder_problem(folder: Path) -> str:
    """What is wrong with a saves folder that cannot hold files, or "" (mkdir alone would
    only say "File exists" or "Not a directory")."""
    try:
        if folder.is_dir():
            return ""
        if folder.exists():
            return f"the saves folder {shown_path(folder)} is a file"
        for parent in folder.parents:
            if parent.exists():
                if not parent.is_dir():
                    return (
                        f"the saves folder {shown_path(folder)} cannot be made: "
                        f"{shown_path(parent)} is a file"
                    )
                break
    except OSError:
        pass
    return ""


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---- temporary files left behind

_TEMP_SUFFIX = ".tmp"
# mkstemp's names: ".<slot>." + 8 characters from [a-z0-9_] + ".tmp"
_TEMP = r"\.[A-Za-z0-9][A-Za-z0-9_-]{0,39}\.[a-z0-9_]{8}\.tmp"  # compiled when first used
STALE_AFTER = 1.0  # seconds: a temporary file this old and unlocked has lost its writer
_RENAME_OPEN_FILES = os.name != "nt"  # Windows cannot rename a file that is still open

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locks, so only very old files go
    fcntl = None  # type: ignore[assignment]
    STALE_AFTER = 3600.0


def _lock(fd: int) -> None:
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pass  # a file system without locks: the age rule alone protects the file


def clean_stale_temps(folder: Path) -> int:
    """Remove temporary save files whose writer died (kill -9, power cut) and return how
    many. Only our own names are touched, only regular files, and only when no writer holds
    the file's lock and it is older than STALE_AFTER seconds."""
    import stat
    import time

    try:
        temp = re.compile(_TEMP)  # re's own cache keeps it after the first call
        names = [n for n in os.listdir(folder) if temp.fullmatch(n)]
    except OSError:
        return 0
    removed = 0
    now = time.time()
    for name in names:
        path = folder / name
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < STALE_AFTER:
                continue
            if fcntl is None:
                path.unlink()
                removed += 1
                continue
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a live writer
                if os.fstat(fd).st_ino != info.st_ino:
                    continue  # replaced meanwhile
                path.unlink()
                removed += 1
            finally:
                os.close(fd)
        except OSError:
            continue
    return removed


# Records, not dataclasses (~1 ms each to make): this module is imported before the TUI's
# title is shown (benchmarks/tui_startup.py).
class Loaded(Record):
    state: State
    journal: list[str]
    note: str  # e.g. that the world changed since the save; "" when nothing to say


MAX_BYTES = 16 << 20  # a real save is a few hundred kilobytes at most
MAX_DEPTH = 32  # a real save nests 7 deep; json.loads recurses once per level


def read(folder: Path, name: str, world: World) -> Loaded:
    return parse(_read_text(folder, name), name, world)


def _read_text(folder: Path, name: str) -> str:
    """The text of a slot: only a regular file (a FIFO or /dev/zero would hang the reader),
    at most MAX_BYTES, UTF-8."""
    path = slot_path(folder, name)
    try:
        raw = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise SaveError(_folder_problem(folder) or _no_save(name)) from None
    except (NotRegularFile, TooLarge) as exc:
        raise SaveError(f"save '{name}' cannot be read: {exc}") from None
    except OSError as exc:
        problem = _folder_problem(folder)
        raise SaveError(
            problem or f"save '{name}' cannot be read ({exc.strerror or exc})"
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SaveError(f"save '{name}' is damaged (not UTF-8 text)") from None


def parse(raw: str, name: str, world: World) -> Loaded:
    """The save in `raw`, every field checked, or SaveError with one line saying why."""
    return _parse(raw, name, world)[1]


class _Odd:
    """A JSON value no save holds (Infinity, NaN, a number of more than 40 digits): kept
    as a marker so the field it sits in can be named in the message."""

    def __init__(self, text: str):
        self.text = text


def _int_or_odd(text: str) -> int | _Odd:
    return int(text) if len(text) <= 40 else _Odd("a number of more than 40 digits")


def _parse(raw: str, name: str, world: World) -> tuple[dict[str, Any], Loaded]:
    def damaged(why: str) -> SaveError:
        return SaveError(f"save '{name}' is damaged ({why})")

    try:
        check_json_depth(raw, MAX_DEPTH)
        blob = json.loads(raw, parse_constant=_Odd, parse_int=_int_or_odd)
    except TooDeep:
        raise damaged(f"nested more than {MAX_DEPTH} deep") from None
    except (ValueError, RecursionError):
        raise damaged("not complete JSON") from None
    if not isinstance(blob, dict) or blob.get("format") != FORMAT:
        raise SaveError(f"save '{name}' is not a NeurIPS Quest save")
    version = blob.get("version")
    if type(version) is not int:
        raise damaged("no format version")
    if version > VERSION:
        raise SaveError(
            f"save '{name}' was written by a newer version of the game (format {version}; "
            f"this one reads {VERSION})"
        )
    if version < 1:
        raise damaged(f"unknown format version {version}")
    try:
        about = _fields(blob, "world", {"title": _text})
        if about["title"] != world.title:
            raise SaveError(f"save '{name}' belongs to another world ('{shown(about['title'])}')")
        _fields(blob, "world", {"fingerprint": _text})
        _check_saved_at(blob.get("saved_at"), "saved_at")
        _fields(blob, "summary", {"scene": _text, "day": _text, "slot": _text, "turn": _whole})
        _state_shape(blob.get("state"), "state", with_history=True)
        journal = blob.get("journal", [])
        _list_of(journal, "journal", _text)
    except _Bad as exc:
        raise damaged(str(exc)) from None
    try:
        restored = restore(world, blob["state"])
    except StateError as exc:
        raise SaveError(f"save '{name}' does not fit this world: {exc}") from None
    note = story_note(world, restored, about["fingerprint"] != world.fingerprint)
    return blob, Loaded(restored.state, journal, note)


def story_note(world: World, restored: Restored, changed: bool) -> str:
    """What loading a save from another version of the story did, in one line ("" when
    nothing is worth saying): where the player went back to when their scene is gone, and how
    many undo steps no longer fitted."""
    from neuripsquest.core.clock import when

    state = restored.state
    if restored.gone:
        note = _(
            "the story has changed since this save: the scene you were in is gone, so you are "
            "back at {scene} ({time})"
        ).format(scene=world.scenes[state.scene].title, time=when(world, state))
    elif changed or restored.dropped:
        note = _("the story has changed since this save; playing on from the same scene")
    else:
        return ""
    if restored.dropped:
        n = restored.dropped
        if restored.dropped_gone:
            extra = ngettext(
                "; 1 undo step was dropped because its scene is gone",
                "; {count} undo steps were dropped because their scenes are gone",
                n,
            )
        else:
            extra = ngettext(
                "; 1 undo step was dropped because it no longer fits the story",
                "; {count} undo steps were dropped because they no longer fit the story",
                n,
            )
        note += extra.format(count=n)
    return note


# ---- the shape of a save, field by field (plain code: pydantic would cost the start-up of
# the TUI, which reads the autosave, about 0.1 s)


class _Bad(ValueError):
    """A field of the wrong type or out of range; the message names the field."""


def _what(value: Any) -> str:
    if isinstance(value, _Odd):
        return value.text
    if value is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a fraction", str: "text"}.get(
        type(value), "a list" if isinstance(value, list) else "an object"
    )


def _text(value: Any, where: str) -> None:
    if type(value) is not str:
        raise _Bad(f"{where} is {_what(value)}, not text")
    if has_surrogate(value):
        raise _Bad(f"{where} holds an unpaired surrogate, which is not text")


def _whole(value: Any, where: str, lo: int = -(1 << 64), hi: int = 1 << 64) -> None:
    if type(value) is not int:
        raise _Bad(f"{where} is {_what(value)}, not a whole number")
    if not lo <= value <= hi:
        raise _Bad(f"{where} is out of range")


def _count(value: Any, where: str) -> None:
    _whole(value, where, 0, 1 << 63)


def _list_of(value: Any, where: str, item: Any) -> None:
    if type(value) is not list:
        raise _Bad(f"{where} is {_what(value)}, not a list")
    for i, v in enumerate(value):
        item(v, f"{where}[{i}]")


def _table(value: Any, where: str, item: Any) -> None:
    if type(value) is not dict:
        raise _Bad(f"{where} is {_what(value)}, not an object")
    for k, v in value.items():
        _text(k, f"a key of {where}")
        item(v, f"{where}.{shown(k)}")  # a key is the file's text: echoed safely, one line


def _fields(blob: dict[str, Any], key: str, spec: dict[str, Any]) -> dict[str, Any]:
    value = blob.get(key)
    if type(value) is not dict:
        raise _Bad(f"{key} is missing" if value is None else f"{key} is {_what(value)}")
    for field, check in spec.items():
        if field not in value:
            raise _Bad(f"{key}.{field} is missing")
        check(value[field], f"{key}.{field}")
    return value


def _check_saved_at(value: Any, where: str) -> None:
    _text(value, where)
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{where} is not a date and time") from None


def _state_shape(value: Any, where: str, with_history: bool) -> None:
    """Types and ranges of a state's JSON form; `state.from_json` then checks it against
    the world (scene ids, the week's length)."""
    if type(value) is not dict:
        raise _Bad(f"{where} is {_what(value)}, not an object")
    required = {
        "scene": _text,
        "stats": lambda v, w: _table(v, w, _whole),
        "flags": lambda v, w: _list_of(v, w, _text),
        "items": lambda v, w: _list_of(v, w, _text),
        "clock": _count,
        "rng": lambda v, w: _whole(v, w, 0, (1 << 64) - 1),  # splitmix64: all 64 bits
        "turn": lambda v, w: _whole(v, w, -1, 1 << 63),
    }
    optional = {
        "visits": lambda v, w: _table(v, w, _count),
        "used": lambda v, w: _list_of(v, w, _text),
        "seed": _whole,
        "trail": lambda v, w: _list_of(v, w, _trail_entry),
    }
    for field, check in required.items():
        if field not in value:
            raise _Bad(f"{where}.{field} is missing")
        check(value[field], f"{where}.{field}")
    for field, check in optional.items():
        if field in value:
            check(value[field], f"{where}.{field}")
    if with_history and "history" in value:
        _list_of(value["history"], f"{where}.history", lambda v, w: _state_shape(v, w, False))


def _trail_entry(value: Any, where: str) -> None:
    if type(value) is not list or len(value) != 2:
        raise _Bad(f"{where} is not a [clock, stats] pair")
    _count(value[0], f"{where}[0]")
    _table(value[1], f"{where}[1]", _whole)


class SlotInfo(Record):
    name: str
    saved_at: str
    scene: str
    day: str
    problem: str  # "" for a good save


def list_slots(folder: Path, world: World) -> list[SlotInfo]:
    """Every slot in the folder, a damaged one listed with its problem: one bad file never
    hides the others, and listing never raises."""
    out: list[SlotInfo] = []
    try:
        if not folder.is_dir():
            return out
        names = sorted(n[:-5] for n in os.listdir(folder) if n.endswith(".json"))
    except OSError:
        return out
    for name in names:
        if not _SLOT.fullmatch(name):
            continue
        try:
            blob, loaded = _parse(_read_text(folder, name), name, world)
            summary = blob["summary"]
            scene = world.scenes[loaded.state.scene].title
            day = f"{summary['day']} {summary['slot']}".strip()
            if loaded.state.clock != blob["state"]["clock"]:  # gone back to a checkpoint
                from neuripsquest.core.clock import when

                day = when(world, loaded.state)
            out.append(SlotInfo(name, blob["saved_at"], scene, day, ""))
        except SaveError as exc:
            out.append(SlotInfo(name, "", "", "", str(exc)))
        except Exception as exc:  # a bug in reading one file must not hide every other save
            out.append(SlotInfo(name, "", "", "", f"save '{name}' cannot be read ({exc!r:.80})"))
    return out


def keep_previous_run(folder: Path) -> bool:
    """Before a new game: move the autosave to `autosave-previous`, so starting over never
    destroys a run (it stays loadable under that name). True when there was one to move."""
    try:
        os.replace(folder / f"{AUTOSAVE}.json", folder / f"{AUTOSAVE_PREVIOUS}.json")
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise SaveError(f"cannot keep the previous run: {exc.strerror or exc}") from None
    return True


def set_aside(folder: Path, name: str = AUTOSAVE) -> str:
    """Rename a slot that cannot be played (damaged, or from another world) to the first free
    `autosave-damaged`, `autosave-damaged-2`, ... so a new game does not write over it.
    Returns the new slot name."""
    for n in range(1, 1000):
        new = AUTOSAVE_DAMAGED if n == 1 else f"{AUTOSAVE_DAMAGED}-{n}"
        target = folder / f"{new}.json"
        if target.exists():
            continue
        try:
            os.replace(slot_path(folder, name), target)
        except OSError as exc:
            raise SaveError(f"cannot move '{name}' aside: {exc.strerror or exc}") from None
        return new
    raise SaveError(f"cannot move '{name}' aside: too many {AUTOSAVE_DAMAGED} slots")


def slot_order(slots: list[SlotInfo]) -> list[SlotInfo]:
    """How to list slots: the autosave, then the previous run, then the rest by name."""
    first = {AUTOSAVE: 0, AUTOSAVE_PREVIOUS: 1}
    return sorted(slots, key=lambda s: (first.get(s.name, 2), s.name.lower(), s.name))


def when_saved(stamp: str, now: datetime | None = None) -> str:
    """A save's ISO time as the player's local clock reads it, "Tue 2 Dec, 14:05" (with the
    year when it is not this one); "unknown" for anything that is not a time."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return _("unknown")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the game writes UTC; be lenient with others
    try:
        local = moment.astimezone()
    except (OverflowError, OSError, ValueError):
        return _("unknown")
    this_year = local.year == (now or datetime.now()).year
    if not i18n.is_english():  # 12月2日（週二）14:05, 2024年12月2日（週一）14:05
        weekday = _WEEKDAYS_ZH[local.weekday()]
        year = "" if this_year else f"{local.year}年"
        return f"{year}{local.month}月{local.day}日（{weekday}）{local:%H:%M}"
    year = "" if this_year else f" {local.year}"
    return f"{local:%a} {local.day} {local:%b}{year}, {local:%H:%M}"


# Weekdays as Taiwan writes them in dates; %a would follow the C locale, not the game's language.
_WEEKDAYS_ZH = ("週一", "週二", "週三", "週四", "週五", "週六", "週日")


def delete(folder: Path, name: str) -> None:
    path = slot_path(folder, name)
    try:
        path.unlink()
    except FileNotFoundError:
        raise SaveError(_no_save(name)) from None
    except OSError as exc:
        why = _("cannot delete '{name}': {why}").format(name=name, why=exc.strerror)
        raise SaveError(why) from None


def _no_save(name: str) -> str:
    return _("no save named '{name}'").format(name=name)
