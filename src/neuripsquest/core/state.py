"""The game state: one small immutable value, and its JSON form.

Inside the engine flags, items and once-only choices are bit sets and stats a tuple, because a
step then costs a few microseconds. On disk everything is named by stable, writer-visible ids
(scene ids, stat names, `scene.choice` keys), so a save survives a writer adding a scene or a
choice (the complaint ink's positional saves are known for). Names a writer changed, declaring
the old one with `renamed_from`, are read under their new names; `restore` also copes with
scenes that were removed (see there).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from neuripsquest.core.world import World
from neuripsquest.errors import QuestError
from neuripsquest.records import Record

HISTORY_LIMIT = 100  # undo steps a player can take back


class State(Record):
    scene: str
    stats: tuple[int, ...]
    flags: int
    items: int
    visits: tuple[int, ...]
    used: int  # once-only choices already taken
    clock: int  # slots since the first slot of the first day
    rng: int  # splitmix64 state
    turn: int
    seed: int
    trail: tuple[tuple[int, tuple[int, ...]], ...]  # (clock, stats) each time the clock moved
    history: History  # the state before, for undo (see push_history)


# Undo history is the previous state itself, which holds its own previous state, and so on
# back: a step adds no copy and no node, and undo is `state.history`. Left alone the chain would
# keep every state of a run alive, so every HISTORY_LIMIT turns it is measured, and cut back to
# the newest HISTORY_LIMIT states once it is longer than twice that: at most three times the
# limit in memory, for the price of HISTORY_LIMIT state copies every 2 * HISTORY_LIMIT steps.
History = Any  # () or the previous State


def push_history(previous: State, turn: int) -> History:
    """The history of the state that follows `previous` at `turn`."""
    return previous if turn % HISTORY_LIMIT else bounded(previous)


def bounded(previous: State) -> History:
    """`previous`, with its chain of earlier states cut back to HISTORY_LIMIT states when it
    is longer than 2 * HISTORY_LIMIT."""
    # Plain loops and the history by index (a State's last field): every walk runs this
    # every HISTORY_LIMIT turns, and a generator and `_replace` were most of its cost.
    st, n = previous, 0
    while st and n <= 2 * HISTORY_LIMIT:
        st = st[-1]
        n += 1
    if n <= 2 * HISTORY_LIMIT:
        return previous
    keep = []
    st = previous
    for _ in range(HISTORY_LIMIT):
        keep.append(st)
        st = st[-1]
    return history_from(keep)


def history_from(newest_first: list[State]) -> History:
    """Chain states listed newest first, each holding the ones after it as its history."""
    out: History = ()
    new = tuple.__new__  # a State's own __new__ is a Python function: 3x slower
    for st in reversed(newest_first):
        out = new(State, st[:-1] + (out,))
    return out


def iter_history(history: History) -> Iterator[State]:
    """The states in a history, newest first."""
    while history:
        yield history
        history = history.history


def history_len(history: History) -> int:
    return sum(1 for _ in iter_history(history))


class StateError(QuestError, ValueError):
    """A serialized state that does not fit this world."""


def names_of(bits: int, names: tuple[str, ...]) -> list[str]:
    return [n for i, n in enumerate(names) if bits >> i & 1]


def bits_of(names: list[str], table: tuple[str, ...], what: str, strict: bool) -> int:
    index = {n: i for i, n in enumerate(table)}
    bits = 0
    for n in names:
        if n in index:
            bits |= 1 << index[n]
        elif strict:
            raise StateError(f"unknown {what} '{n}'")
    return bits


def to_json(world: World, state: State, with_history: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "scene": state.scene,
        "stats": dict(zip(world.stat_names, state.stats, strict=True)),
        "flags": names_of(state.flags, world.flag_names),
        "items": names_of(state.items, world.item_names),
        "visits": {n: v for n, v in zip(world.visit_names, state.visits, strict=True) if v},
        "used": names_of(state.used, world.once_keys),
        "clock": state.clock,
        "rng": state.rng,
        "turn": state.turn,
        "seed": state.seed,
        "trail": [[c, dict(zip(world.stat_names, s, strict=True))] for c, s in state.trail],
    }
    if with_history:
        out["history"] = [
            to_json(world, h, with_history=False)
            for _, h in zip(range(HISTORY_LIMIT), iter_history(state.history), strict=False)
        ]
    return out


def from_json(world: World, data: Any, with_history: bool = True) -> State:
    """Rebuild a state by names. Earlier names (`renamed_from`) are read as the current ones;
    names the world no longer has are dropped; a scene it no longer has (here or in the undo
    history), or values of the wrong type, are a StateError."""
    try:
        if not isinstance(data, dict):
            raise StateError("state is not an object")
        data = _renamed(world, data)
        scene = data["scene"]
        if scene not in world.scenes:
            raise StateError(f"the world has no scene '{scene}'")
        stats = _stats(world, data["stats"])
        clock = int(data["clock"])
        if not 0 <= clock <= world.last_clock:
            raise StateError(f"clock {clock} is outside the week")
        visits = data.get("visits", {})
        trail = tuple((int(c), _stats(world, s)) for c, s in data.get("trail", []))
        history: History = ()
        if with_history:
            raw = data.get("history", [])
            if not isinstance(raw, list):
                raise StateError("history is not a list")
            history = history_from(
                [from_json(world, h, with_history=False) for h in raw[:HISTORY_LIMIT]]
            )
        rng = int(data["rng"])
        if not 0 <= rng < 1 << 64:
            raise StateError("random state out of range")
        return State(
            scene=scene,
            stats=stats,
            flags=bits_of(_names(data["flags"]), world.flag_names, "flag", False),
            items=bits_of(_names(data["items"]), world.item_names, "item", False),
            visits=tuple(int(visits.get(n, 0)) for n in world.visit_names),
            used=bits_of(_names(data.get("used", [])), world.once_keys, "choice", False),
            clock=clock,
            rng=rng,
            turn=int(data["turn"]),
            seed=int(data.get("seed", 0)),
            trail=trail,
            history=history,
        )
    except StateError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        # OverflowError: int() of an infinite float
        raise StateError(f"malformed state ({type(exc).__name__}: {exc})") from None


class Restored(Record):
    state: State
    gone: str  # the scene the save was in, when it is gone and `state` is an earlier one
    dropped: int  # undo steps dropped because they no longer fit the world
    dropped_gone: bool  # ... all of them because their scenes are gone


def restore(world: World, data: Any, to_checkpoint: bool = True) -> Restored:
    """`from_json` for a state that may come from an earlier version of the story. Undo steps
    that no longer fit (their scene is gone, their time is past a shortened week) are dropped.
    When the current scene is gone, the state goes back to the newest step of its undo history
    whose scene is a checkpoint (`checkpoint: true`), or else to the newest step whose scene
    still exists, keeping the steps older than that one; with `to_checkpoint` off, or with no
    such step, it is a StateError as in `from_json`."""
    if not isinstance(data, dict):
        raise StateError("state is not an object")
    raw = data.get("history", [])
    if not isinstance(raw, list):
        raise StateError("history is not a list")
    steps: list[State | None] = []  # None: a step that no longer fits
    for h in raw[:HISTORY_LIMIT]:
        try:
            steps.append(from_json(world, h, with_history=False))
        except StateError:
            steps.append(None)
    gone = ""
    if to_checkpoint and _gone(world, data):
        fit = [(i, st) for i, st in enumerate(steps) if st is not None]
        back = next(((i, st) for i, st in fit if world.scenes[st.scene].checkpoint), None)
        back = back or (fit[0] if fit else None)
        if back is None:
            raise StateError(f"the world has no scene '{data['scene']}'")
        current, raw, steps = back[1], raw[back[0] + 1 :], steps[back[0] + 1 :]
        gone = data["scene"]
    else:
        current = from_json(world, {**data, "history": []})
    kept = [st for st in steps if st is not None]
    all_gone = all(_gone(world, h) for h, st in zip(raw, steps, strict=False) if st is None)
    return Restored(
        current._replace(history=history_from(kept)), gone, len(steps) - len(kept), all_gone
    )


def _gone(world: World, data: Any) -> bool:
    """Whether a serialized state names a scene the world has no longer, by any name."""
    scene = _scene_of(world, data)
    return isinstance(scene, str) and scene not in world.scenes


def _scene_of(world: World, data: Any) -> Any:
    """The current id of a serialized state's scene (whatever the scene field holds)."""
    scene = data.get("scene") if isinstance(data, dict) else None
    return world.scene_renames.get(scene, scene) if isinstance(scene, str) else scene


def _renamed(world: World, data: dict[str, Any]) -> dict[str, Any]:
    """One state's JSON form (not its history) with the earlier names the world declares
    replaced by the current ones. Values of unexpected types are left for from_json to
    refuse."""
    scenes = world.scene_renames
    if not (scenes or world.stat_renames or world.flag_renames or world.item_renames):
        return data
    out = dict(data)
    if "scene" in data:
        out["scene"] = _scene_of(world, data)
    if isinstance(data.get("stats"), dict):
        out["stats"] = _rekeyed(data["stats"], world.stat_renames)
    for key, table in (("flags", world.flag_renames), ("items", world.item_renames)):
        if isinstance(data.get(key), list):
            out[key] = [table.get(n, n) if isinstance(n, str) else n for n in data[key]]
    if isinstance(data.get("visits"), dict):
        out["visits"] = _rekeyed(data["visits"], scenes)
    if isinstance(data.get("used"), list):
        out["used"] = [_once_key(k, scenes) for k in data["used"]]
    if isinstance(data.get("trail"), list):
        out["trail"] = [
            [t[0], _rekeyed(t[1], world.stat_renames)]
            if isinstance(t, list) and len(t) == 2 and isinstance(t[1], dict)
            else t
            for t in data["trail"]
        ]
    return out


def _rekeyed(table: dict[Any, Any], renames: dict[str, str]) -> dict[Any, Any]:
    """`table` with old keys renamed; a value under the current name wins over an old one."""
    out = {k: v for k, v in table.items() if k not in renames}
    for k, v in table.items():
        if k in renames:
            out.setdefault(renames[k], v)
    return out


def _once_key(key: Any, scenes: dict[str, str]) -> Any:
    """A once-only choice's key, `scene.choice`, with its scene's current id."""
    if not isinstance(key, str):
        return key
    scene, dot, choice = key.partition(".")
    return f"{scenes[scene]}.{choice}" if dot and scene in scenes else key


def _names(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise StateError("expected a list of names")
    return value


def _stats(world: World, given: Any) -> tuple[int, ...]:
    if not isinstance(given, dict):
        raise StateError("stats is not an object")
    out = []
    for name, initial, (lo, hi) in zip(
        world.stat_names, world.stat_initial, world.stat_ranges, strict=True
    ):
        v = given.get(name, initial)
        if type(v) is not int:
            raise StateError(f"stat '{name}' is not a whole number")
        out.append(min(max(v, lo), hi))
    return tuple(out)
