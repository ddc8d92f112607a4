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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .state import State, StateError, from_json, to_json
from .world import World

FORMAT = "neuripsquest-save"
VERSION = 1
AUTOSAVE = "autosave"
AUTOSAVE_PREVIOUS = "autosave-previous"  # the run before the last new game, still loadable
AUTOSAVE_DAMAGED = "autosave-damaged"  # an autosave that could not be continued, kept as is
_SLOT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


class SaveError(Exception):
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


def check_slot(name: str) -> str:
    if not _SLOT.match(name):
        raise SaveError(
            f"'{name}' is not a slot name: use up to 40 letters, digits, - or _ "
            "(no spaces, dots or slashes)"
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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(blob, f)  # no indent: the C encoder, 10x faster for autosaves
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)
    except OSError as exc:
        raise SaveError(f"cannot write {path.name}: {exc.strerror or exc}") from None


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


@dataclass(frozen=True)
class Loaded:
    state: State
    journal: list[str]
    note: str  # e.g. that the world changed since the save; "" when nothing to say


def read(folder: Path, name: str, world: World) -> Loaded:
    path = slot_path(folder, name)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SaveError(f"no save named '{name}'") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SaveError(f"save '{name}' cannot be read ({exc})") from None
    return parse(raw, name, world)


def parse(raw: str, name: str, world: World) -> Loaded:
    try:
        blob = json.loads(raw)
    except ValueError:
        raise SaveError(f"save '{name}' is damaged (not complete JSON)") from None
    if not isinstance(blob, dict) or blob.get("format") != FORMAT:
        raise SaveError(f"save '{name}' is not a NeurIPS Quest save")
    version = blob.get("version")
    if type(version) is not int:
        raise SaveError(f"save '{name}' is damaged (no format version)")
    if version > VERSION:
        raise SaveError(
            f"save '{name}' was written by a newer version of the game (format {version}; "
            f"this one reads {VERSION})"
        )
    about = blob.get("world")
    if not isinstance(about, dict) or about.get("title") != world.title:
        title = about.get("title") if isinstance(about, dict) else None
        raise SaveError(f"save '{name}' belongs to another world ({title!r})")
    try:
        state = from_json(world, blob.get("state"))
    except StateError as exc:
        raise SaveError(f"save '{name}' does not fit this world: {exc}") from None
    journal = blob.get("journal", [])
    if not isinstance(journal, list) or not all(isinstance(j, str) for j in journal):
        journal = []
    note = ""
    if about.get("fingerprint") != world.fingerprint:
        note = "the story has changed since this save; playing on from the same scene"
    return Loaded(state, journal, note)


@dataclass(frozen=True)
class SlotInfo:
    name: str
    saved_at: str
    scene: str
    day: str
    problem: str  # "" for a good save


def list_slots(folder: Path, world: World) -> list[SlotInfo]:
    out = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.json")):
        name = path.stem
        if not _SLOT.match(name):
            continue
        try:
            raw = path.read_text(encoding="utf-8")
            loaded = parse(raw, name, world)
            blob = json.loads(raw)
            summary = blob.get("summary") or {}
            scene = world.scenes[loaded.state.scene].title
            day = f"{summary.get('day', '')} {summary.get('slot', '')}".strip()
            out.append(SlotInfo(name, str(blob.get("saved_at", "")), scene, day, ""))
        except (SaveError, OSError, UnicodeDecodeError) as exc:
            out.append(SlotInfo(name, "", "", "", str(exc)))
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
        return "unknown"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the game writes UTC; be lenient with others
    try:
        local = moment.astimezone()
    except (OverflowError, OSError, ValueError):
        return "unknown"
    year = "" if local.year == (now or datetime.now()).year else f" {local.year}"
    return f"{local:%a} {local.day} {local:%b}{year}, {local:%H:%M}"


def delete(folder: Path, name: str) -> None:
    path = slot_path(folder, name)
    try:
        path.unlink()
    except FileNotFoundError:
        raise SaveError(f"no save named '{name}'") from None
    except OSError as exc:
        raise SaveError(f"cannot delete '{name}': {exc.strerror}") from None
