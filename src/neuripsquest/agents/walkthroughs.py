"""The reference walkthroughs (the scripted playthroughs the test suite replays) as solutions
an agent can be measured against: each one's seed, goal ending and actions as numbers."""

from __future__ import annotations

import os
from pathlib import Path

from neuripsquest.agents import game
from neuripsquest.core import engine
from neuripsquest.core.money import MoneyError, parse_money
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.records import Record


class Reference(Record):
    name: str  # the file's stem, e.g. "ending_named_number"
    seed: int
    ending: str  # where the actions lead with that seed
    actions: tuple[int, ...]


def default_dir() -> Path:
    """./tests/playthroughs in a source checkout, else the copy the wheel carries."""
    here = Path("tests") / "playthroughs"
    if here.is_dir():
        return here
    package = Path(__file__).resolve().parent.parent
    bundled = package / "_playthroughs"
    return bundled if bundled.is_dir() else package.parents[1] / "tests" / "playthroughs"


def references(world: World, folder: str | os.PathLike[str] | None = None) -> list[Reference]:
    """Every walkthrough in `folder` that replays to an ending in `world`, its steps turned
    into action numbers; ones that undo, stop short of an ending or no longer replay are
    left out (they are the test suite's concern, not a solution)."""
    from neuripsquest.play import replay

    out = []
    for path in sorted(Path(folder or default_dir()).glob("*.yaml")):
        pt = replay.load(str(path))
        if pt.problems:
            continue
        actions = _numbered(world, engine.new_game(world, pt.seed), [s.action for s in pt.steps])
        if actions is not None:
            out.append(Reference(path.stem, pt.seed, *actions))
    return out


def _numbered(
    world: World, state: State, steps: list[engine.Action]
) -> tuple[str, tuple[int, ...]] | None:
    numbers = []
    for action in steps:
        k = _number(world, state, action)
        if k is None:
            return None
        state, _, taken = game.act(world, state, k)
        if not taken:
            return None
        numbers.append(k)
    end = game.ending(world, state)
    return None if end is None else (end, tuple(numbers))


def _number(world: World, state: State, action: engine.Action) -> int | None:
    """The action number doing what `action` does: the same choice, or an amount from the menu
    that the prompt answers the same way as the typed one."""
    options = game.slots(world, state)
    if isinstance(action, engine.Type):
        try:
            want = engine.input_outcome(world, state, parse_money(action.text))
        except (MoneyError, ValueError):
            return None
        for k, s in enumerate(options):
            assert isinstance(s.action, engine.Type)
            if engine.input_outcome(world, state, parse_money(s.action.text)) == want:
                return k
        return None
    return next((k for k, s in enumerate(options) if s.action == action), None)
