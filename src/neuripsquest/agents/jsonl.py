"""`neuripsquest play --jsonl`: the game over a pipe, one JSON object a line each way, for an
agent in any language (docs/agents.md).

Out: {"kind": "observation", ...} at the start and after every accepted step, with the text,
the numbered choices (id, number, text, enabled, reason), the stats, flags, items, `done`
and `ending`; {"kind": "error", "message": ...} for a line that cannot be taken, after which
the game goes on. In: {"choose": ID or NUMBER}, {"type": AMOUNT} at a money prompt, or
{"undo": true}; a bare JSON string is a choice id, a bare whole number a choice's number.

It never touches the saves: agents play many games at once, and the player's autosave is not
theirs to overwrite. The run ends with the story, at end of input, or when the reader goes.
"""

from __future__ import annotations

import json
from typing import IO, Any

from neuripsquest.agents import game
from neuripsquest.core import engine
from neuripsquest.core.state import State, names_of
from neuripsquest.core.world import World
from neuripsquest.guard import shown
from neuripsquest.play import view

MAX_LINE = 64 * 1024  # characters: no answer an agent means to send is longer


def observation(world: World, state: State, heard: tuple[str, ...]) -> dict[str, Any]:
    scene = world.scenes[state.scene]
    end = scene.ending
    text, shown_choices = view.shown(world, state)
    choices = []
    if scene.input is None and end is None:
        choices = [
            {
                "id": c.id,
                "number": c.number,
                "text": c.text,
                "enabled": c.enabled,
                "reason": "" if c.enabled else c.locked_line,
            }
            for c in shown_choices
        ]
    prompt = None
    if scene.input is not None and end is None:
        prompt = {
            "prompt": scene.input.prompt,
            "hint": scene.input.hint,
            "amounts": list(game.AMOUNTS),
        }
    return {
        "kind": "observation",
        "turn": state.turn,
        "scene": state.scene,
        "title": scene.title,
        "when": view.when(world, state),
        "said": list(heard),
        "text": text,
        "choices": choices,
        "input": prompt,
        "stats": dict(zip(world.stat_names, state.stats, strict=True)),
        "flags": view.flags(world, state),
        "items": names_of(state.items, world.item_names),
        "done": end is not None,
        "ending": end,
        "ending_title": world.endings[end] if end is not None else None,
    }


def action_of(world: World, state: State, line: str) -> engine.Action | str:
    """The action a line asks for, or why it asks for none."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return f"not JSON: {shown(line.strip(), 60)}"
    if isinstance(data, str):
        data = {"choose": data}
    elif isinstance(data, int) and not isinstance(data, bool):
        data = {"choose": data}
    if not isinstance(data, dict) or len(data) != 1:
        return 'expected one of {"choose": ID or NUMBER}, {"type": AMOUNT}, {"undo": true}'
    ((what, value),) = data.items()
    if what == "undo" and value is True:
        return engine.Undo()
    if what == "type" and (isinstance(value, str) or type(value) is int):
        return engine.Type(str(value))
    if what == "choose":
        if isinstance(value, str):
            return engine.Choose(value)
        if isinstance(value, int) and not isinstance(value, bool):
            shown_choices = view.choices(world, state)
            if 1 <= value <= len(shown_choices):
                return engine.Choose(shown_choices[value - 1].id)
            return f"there is no choice number {value} here"
    return f"cannot read {shown(json.dumps(data), 60)}: " + (
        '{"choose": ID or NUMBER}, {"type": AMOUNT} or {"undo": true}'
    )


def run(world: World, seed: int, inp: IO[str], out: IO[str]) -> int:
    state = engine.new_game(world, seed)
    heard: tuple[str, ...] = ()
    _send(out, observation(world, state, heard))
    while game.ending(world, state) is None:
        line = inp.readline(MAX_LINE + 1)
        if not line:
            return 0
        if len(line) > MAX_LINE and not line.endswith("\n"):
            while (rest := inp.readline(MAX_LINE)) and not rest.endswith("\n"):
                pass  # the rest of an overlong line, dropped piece by piece
            _send(out, _error(f"line longer than {MAX_LINE} characters"))
            continue
        if not line.strip():
            continue
        action = action_of(world, state, line)
        if isinstance(action, str):
            _send(out, _error(action))
            continue
        new, events = engine.step(world, state, action)
        if new is state:
            refused = "; ".join(view.describe(world, e, state) for e in events)
            _send(out, _error(refused or "that was not taken"))
            continue
        state, heard = new, game.said(world, new, events)
        _send(out, observation(world, state, heard))
    return 0


def _error(message: str) -> dict[str, Any]:
    return {"kind": "error", "message": message}


def _send(out: IO[str], message: dict[str, Any]) -> None:
    out.write(json.dumps(message, ensure_ascii=False) + "\n")
    out.flush()
