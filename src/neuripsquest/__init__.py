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
    "load_world": "store.loader",
    "check_world": "store.loader",
    "World": "core.world",
    "State": "core.state",
    "new_game": "core.engine",
    "step": "core.engine",
    "is_over": "core.engine",
    "Choose": "core.engine",
    "Type": "core.engine",
    "Undo": "core.engine",
    "Narration": "core.engine",
    "StatChanged": "core.engine",
    "FlagChanged": "core.engine",
    "ItemChanged": "core.engine",
    "ClockMoved": "core.engine",
    "Accepted": "core.engine",
    "Rejected": "core.engine",
    "Ended": "core.engine",
    "QuestError": "errors",
    "ExitCode": "errors",
    "WorldError": "problems",
    "SaveError": "store.saves",
    "StateError": "core.state",
    "MoneyError": "core.money",
    "ExprError": "lang.expr",
    "StartError": "play.start",
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
