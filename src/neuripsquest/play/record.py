"""`play --record FILE`: write the session as a playthrough that `replay` reproduces.

A front end calls `record(action, state)` after every step the engine accepted, `restart` when
the player starts a new game, `loaded` when they load a save, and `close(world, state)` at the
end (closing twice is harmless). The file holds the seed, every step (choice ids, `type:`,
`undo`) and, at the end, what the game looked like: the scene, the ending if any, and in their
exact forms every stat, the flags that are set and the items carried (none other). So any
playtest becomes a regression test.

A save cannot be replayed from the start of a game, so loading one stops the recording there
(the file then ends at the step before the load).
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from neuripsquest.core import engine
from neuripsquest.core.state import State, names_of
from neuripsquest.core.world import World
from neuripsquest.problems import plural

_PLAIN = re.compile(r"^[a-z][a-z0-9_]*$")


class Recorder:
    def __init__(
        self,
        path: str | os.PathLike[str],
        world: World,
        seed: int,
        world_dir: str | os.PathLike[str] | None = None,
        name: str | None = None,
    ):
        self.path = Path(path)
        self.world = world
        self.seed = seed
        self.world_dir = Path(world_dir) if world_dir is not None else None
        self.name = name or f"Recorded playtest (seed {seed})"
        self.steps: list[Any] = []
        self.state: State | None = None
        self.stopped = ""  # why the recording stopped early
        self.closed = False
        self.message = ""  # what close() had to say, for the front end

    def record(self, action: engine.Action, state: State) -> None:
        if self.stopped or self.closed:
            return
        if isinstance(action, engine.Choose):
            self.steps.append(action.choice)
        elif isinstance(action, engine.Type):
            self.steps.append({"type": action.text})
        else:
            self.steps.append({"undo": True})
        self.state = state

    def restart(self, state: State, seed: int | None = None) -> None:
        """A new game: the recording starts over (with its seed, if it changed)."""
        if self.stopped or self.closed:
            return
        self.steps = []
        self.state = state
        if seed is not None:
            self.seed = seed

    def loaded(self, what: str = "a save") -> str:
        """A save was loaded: stop here. Returns a line to tell the player."""
        if self.stopped or self.closed:
            return ""
        self.stopped = f"loaded {what}"
        return (
            f"(Recording stopped: a loaded game cannot be replayed from the start. "
            f"{self.path} will end before the load.)"
        )

    def world_changed(self, world: World) -> None:
        self.world = world

    def text(self, world: World, state: State) -> str:
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        lines = [
            f"# Recorded with `neuripsquest play --record` on {now}.",
            "# Replay it with `neuripsquest replay FILE`; after an intended story change,",
            "# `neuripsquest replay --update FILE` rewrites the expectations.",
        ]
        if self.stopped:
            lines.append(f"# The recording stopped early: the player {self.stopped}.")
        lines.append(f"name: {_q(self.name)}")
        lines.append(f"seed: {self.seed}")
        if self.world_dir is not None:
            rel = os.path.relpath(self.world_dir.resolve(), self.path.resolve().parent)
            lines.append(f"world: {_q(Path(rel).as_posix())}")
        lines.append("steps:")
        for st in self.steps:
            if isinstance(st, str):
                lines.append(f"  - {st}")
            elif "type" in st:
                lines.append(f"  - type: {_q(st['type'])}")
            else:
                lines.append("  - undo: true")
        lines.append("expect:")
        lines.extend(expect_lines(world, state))
        return "\n".join(lines) + "\n"

    def close(self, world: World | None = None, state: State | None = None) -> str:
        """Write the file (once) and check that it replays; returns what to tell the player."""
        if self.closed:
            return self.message
        self.closed = True
        world = world or self.world
        if self.stopped or state is None:
            state = self.state
        if not self.steps or state is None:
            self.message = f"Nothing recorded: no step was taken, so {self.path} was not written."
            return self.message
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(self.text(world, state), encoding="utf-8")
        except OSError as exc:
            self.message = f"Could not write the recording {self.path}: {exc.strerror or exc}"
            return self.message
        self.message = f"Recorded {plural(len(self.steps), 'step')} to {self.path}."
        problem = self.verify(world)
        if problem:
            self.message += f" Note: {problem}"
        return self.message

    def verify(self, world: World) -> str:
        """'' when the written file replays against `world`, else what went wrong."""
        from neuripsquest.play import replay

        pt = replay.load(str(self.path))
        res = replay.run(world, pt)
        if res.ok:
            return ""
        return (
            "it does not replay as played (did the world change during the session?): "
            + " ".join(line.strip() for line in res.report[:2])
        )


def expect_lines(world: World, state: State) -> list[str]:
    """The lines under `expect:` for a state, indented by two spaces.
    Stats, flags and items take their exact forms, so that a story change which sets one more
    flag or moves one more stat on the recorded path fails the replay."""
    out = [f"  scene: {state.scene}"]
    ending = world.scenes[state.scene].ending
    if ending is not None:
        out.append(f"  ending: {ending}")
    stats = [f"{n}: {v}" for n, v in zip(world.stat_names, state.stats, strict=True)]
    out += flow("  stats_exactly: ", stats, "{}").split("\n")
    flags = names_of(state.flags, world.flag_names)
    out += flow("  flags_exactly: ", [_q(n) for n in flags], "[]").split("\n")
    items = names_of(state.items, world.item_names)
    out += flow("  items_exactly: ", [_q(n) for n in items], "[]").split("\n")
    return out


WIDTH = 99  # the project's line length; longer flow lists wrap


def flow(lead: str, parts: list[str], brackets: str, column: int = 0) -> str:
    """`lead` then a YAML flow list or mapping of `parts`, wrapped at WIDTH: continuation lines
    line up after the opening bracket. `column` is where `lead` will start (0-based)."""
    opening, closing = brackets[0], brackets[1]
    indent = " " * (column + len(lead) + 1)
    lines, line = [], lead + opening
    for i, part in enumerate(parts):
        piece = part + ("," if i < len(parts) - 1 else closing)
        if line.endswith(",") and column + len(line) + 1 + len(piece) > WIDTH:
            lines.append(line)
            line = indent + piece
        else:
            line += (" " if line.endswith(",") else "") + piece
    if not parts:
        line += closing
    lines.append(line)
    return "\n".join(lines)


def _q(text: str) -> str:
    """A YAML scalar for `text`: plain when it is a simple id, else double-quoted."""
    return text if _PLAIN.match(text) else json.dumps(text, ensure_ascii=False)
