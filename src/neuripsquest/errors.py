"""The root of the errors the game raises about what comes from outside it: a world file, a
save, a state, a typed amount, an expression, a command-line start. Catch `QuestError` to catch
any of them; each kind has its own subclass, defined beside the code that raises it:

- `WorldError` (problems): a world that does not check clean, with every located problem;
- `SaveError` (saves): a save slot that cannot be written or read;
- `StateError` (state): a saved state that does not fit the world;
- `MoneyError` (money): text that is not an amount;
- `ExprError` (expr): a condition or effect that cannot be read;
- `StartError` (start): a bad `--from` or `--set`.

Standard library only: every module may import it at no cost.
"""

from __future__ import annotations

from enum import IntEnum


class QuestError(Exception):
    """Something from outside the game that it cannot use; the message says what, in one
    line where it can."""


class ExitCode(IntEnum):
    """What the `neuripsquest` command returns."""

    OK = 0
    PROBLEMS = 1  # the world (or a playthrough, or a stream) has problems
    USAGE = 2  # the command line was wrong
