"""NeurIPS Quest: a text adventure set during one week of NeurIPS 2025 in San Diego.

The supported API, for tools and agents that play or check a world from Python:

    import neuripsquest as nq
    world = nq.load_world("world")          # or nq.check_world(dir) -> (world, problems)
    state = nq.new_game(world, seed=7)
    state, events = nq.step(world, state, nq.Choose("to_railing"))

Errors about what comes from outside (a world, a save, an amount...) are `QuestError`s
(see `errors`). Names are imported when first used, so `import neuripsquest` stays instant
for the command line.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name -> the module that defines it
_EXPORTS = {
    "load_world": "loader",
    "check_world": "loader",
    "World": "world",
    "State": "state",
    "new_game": "engine",
    "step": "engine",
    "is_over": "engine",
    "Choose": "engine",
    "Type": "engine",
    "Undo": "engine",
    "Narration": "engine",
    "StatChanged": "engine",
    "FlagChanged": "engine",
    "ItemChanged": "engine",
    "ClockMoved": "engine",
    "Accepted": "engine",
    "Rejected": "engine",
    "Ended": "engine",
    "QuestError": "errors",
    "ExitCode": "errors",
    "WorldError": "problems",
    "SaveError": "saves",
    "StateError": "state",
    "MoneyError": "money",
    "ExprError": "expr",
    "StartError": "start",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'neuripsquest' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # once found, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
