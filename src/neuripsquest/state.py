"""The game state: one small immutable value, and its JSON form.

Inside the engine flags, items and once-only choices are bit sets and stats a tuple, because a
step then costs a few microseconds. On disk everything is named by stable, writer-visible ids
(scene ids, stat names, `scene.choice` keys), so a save survives a writer adding a scene or a
choice (the complaint ink's positional saves are known for).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .world import World

HISTORY_LIMIT = 100  # undo steps a player can take back


class State(NamedTuple):
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
    history: History  # previous states for undo, newest first (see push_history)


# Undo history is a linked list of (previous state, older history, depth) nodes: pushing
# shares the older nodes instead of copying them, so a step costs the same at turn 10 and
# turn 10,000. When the list grows past twice the limit it is cut back to the limit, which
# keeps memory bounded for the price of an O(limit) copy once every `limit` steps.
History = tuple[Any, ...]  # () or (State, History, int)


def push_history(history: History, previous: State) -> History:
    depth = history[2] + 1 if history else 1
    if depth > 2 * HISTORY_LIMIT:
        return history_from(list(iter_history(history))[: HISTORY_LIMIT - 1], previous)
    return (previous, history, depth)


def history_from(older_first_newest: list[State], newest: State | None = None) -> History:
    """Build a history from states listed newest first (and an even newer one, if given)."""
    out: History = ()
    states = [*([newest] if newest is not None else []), *older_first_newest]
    for st in reversed(states):
        out = (st, out, (out[2] + 1) if out else 1)
    return out


def iter_history(history: History):  # type: ignore[no-untyped-def]
    """The states in a history, newest first."""
    while history:
        yield history[0]
        history = history[1]


def history_len(history: History) -> int:
    return min(history[2], 2 * HISTORY_LIMIT) if history else 0


class StateError(ValueError):
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
    """Rebuild a state by names. Names the world no longer has are dropped; a scene it no
    longer has, or values of the wrong type, are a StateError."""
    try:
        if not isinstance(data, dict):
            raise StateError("state is not an object")
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
