"""The game as an agent sees it, without Gymnasium: numbered actions, their mask, the scene
as text, and a step by action number. The environment (`env`), the JSON protocol (`jsonl`)
and the baselines all play through this, so they number and word things the same way.

Action k is the k-th choice `play/view` shows (locked ones included, masked off, so the numbers
match what a player sees), or at a money prompt the k-th of `AMOUNTS`, typed as a player would
type it and read by `core/money`.
"""

from __future__ import annotations

from collections.abc import Sequence

from neuripsquest.core import engine
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.play import view
from neuripsquest.records import Record

# The money prompt as a small fixed menu, so the action space stays discrete: no number at
# all, and amounts a decade apart around the $100 million the story turns on. Typed as text,
# so the engine reads them exactly as it reads a player's answer.
AMOUNTS: tuple[str, ...] = (
    "none",
    "$250,000",
    "$10 million",
    "$100 million",
    "$250 million",
    "$1 billion",
)


class Slot(Record):
    """One numbered action: what it says, what it does, whether it is open now and why not."""

    text: str
    action: engine.Action
    enabled: bool
    reason: str  # why a locked choice is locked, as the front ends word it


def slots(world: World, state: State) -> list[Slot]:
    """The actions at `state`, in the order they are numbered; [] at an ending."""
    scene = world.scenes[state.scene]
    if scene.ending is not None:
        return []
    if scene.input is not None:
        return list(_AMOUNT_SLOTS)
    views = tuple(view.choices(world, state))
    # The same choices shown give the same actions: made once (an agent asks every step).
    made = world.derived.get("agents.slots")
    if made is None:
        made = world.derived["agents.slots"] = {}
    out = made.get(views)
    if out is None:
        out = made[views] = [
            Slot(c.text, engine.Choose(c.id), c.enabled, "" if c.enabled else c.locked_line)
            for c in views
        ]
    return list(out)


_AMOUNT_SLOTS = tuple(Slot(a, engine.Type(a), True, "") for a in AMOUNTS)


def max_actions(world: World) -> int:
    """The most actions any scene can offer: the size of the action space."""
    most = max((len(sc.choices) for sc in world.scenes.values()), default=0)
    return max(most, len(AMOUNTS), 1)


def ending(world: World, state: State) -> str | None:
    return world.scenes[state.scene].ending


def said(world: World, state: State, events: Sequence[engine.Event]) -> tuple[str, ...]:
    """What a step told the player (replies, outcomes, changes, refusals), one line each."""
    # (entering a scene is said by the scene itself: no need to ask)
    return tuple(
        line
        for e in events
        if type(e) is not engine.Entered and (line := view.describe(world, e, state))
    )


def render(world: World, state: State, heard: tuple[str, ...] = ()) -> str:
    """The scene as text: what the last step said, the title, place and time, the prose, and
    the numbered actions (a locked one with why)."""
    scene = world.scenes[state.scene]
    where = view.place(world, state)
    when = view.when(world, state)
    parts = [*heard, ""] if heard else []
    parts.append(f"{scene.title} ({where}, {when})" if where else f"{scene.title} ({when})")
    parts += ["", view.text(world, state), ""]
    if scene.ending is not None:
        parts.append(f"THE END: {world.endings[scene.ending]}")
    else:
        if scene.input is not None:
            parts.append(f"{scene.input.prompt} {scene.input.hint}".strip())
        for k, s in enumerate(slots(world, state), 1):
            parts.append(f"{k}. {s.text}" if s.enabled else f"{k}. ({s.text}) Not now: {s.reason}")
    return "\n".join(parts)


def act(
    world: World, state: State, k: int, options: list[Slot] | None = None
) -> tuple[State, Sequence[engine.Event], bool]:
    """Take action number `k` (from 0): the new state, the events, and whether it was taken
    (an action that is not open leaves the state as it was, with a Rejected event).
    `options`: `slots(world, state)`, when the caller has it already."""
    if options is None:
        options = slots(world, state)
    if not 0 <= k < len(options):
        if ending(world, state) is not None:
            return state, [engine.Rejected("The story has ended.")], False
        last = len(options) - 1
        return state, [engine.Rejected(f"There is no action {k} here: 0 to {last}.")], False
    new, events = engine.step(world, state, options[k].action)
    return new, events, new is not state
