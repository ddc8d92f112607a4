"""The journal: the transcript of a run, as the list of strings a save keeps. Pure.

One format for every front end (the session writes it). Each entry is Markdown. A scene entry
starts with a marker line `@scene <id>` (hidden when shown) so the places visited can be read
back from a saved journal without engine changes. Saves from before the session kept the
journal hold plain mode's old entries ("Title: text", or one event line): they have no marker
and are shown as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from neuripsquest.core import engine
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.play import view

if TYPE_CHECKING:
    from neuripsquest.play.debug import Change

SCENE_MARK = "@scene "


def scene_entry(world: World, state: State) -> str:
    scene = world.scenes[state.scene]
    where = view.place(world, state)
    meta = f"{where} · {view.when(world, state)}" if where else view.when(world, state)
    return f"{SCENE_MARK}{state.scene}\n### {scene.title}\n*{meta}*\n\n{view.text(world, state)}"


def choice_entry(text: str) -> str:
    return f"> **{text}**"


def lines_entry(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def note_entry(text: str) -> str:
    return f"*{text}*"


def step_entries(
    world: World,
    before: State,
    action: engine.Action | Change,
    events: Sequence[engine.Event],
    after: State,
) -> list[str]:
    """What one accepted step adds: what the player did, what happened, the scene now. (A
    debug change says what it was in a Narration.)"""
    out: list[str] = []
    said = next((e for e in events if isinstance(e, engine.Accepted)), None)
    if isinstance(action, engine.Choose):
        out.append(choice_entry(world.scenes[before.scene].choice_by_id[action.choice].text))
    elif said is not None:
        out.append(choice_entry(f"You said: {said.shown}"))
    elif isinstance(action, engine.Undo):
        out.append(note_entry("You took that back."))
    told = [view.describe(world, e, after) for e in events if isinstance(e, engine.Narration)]
    changes = [
        view.describe(world, e, after)
        for e in events
        if isinstance(e, engine.StatChanged | engine.ItemChanged | engine.ClockMoved)
    ]
    happened = [*told, *changes]
    if happened:
        out.append(lines_entry(happened))
    out.append(scene_entry(world, after))
    return out


def scene_of(entry: str) -> str | None:
    if entry.startswith(SCENE_MARK):
        return entry[len(SCENE_MARK) :].split("\n", 1)[0].strip()
    return None


def visited_places(world: World, journal: Sequence[str], state: State | None) -> set[str]:
    """Place ids of every scene the journal shows the player entering, plus the current one."""
    seen: set[str] = set()
    scenes = [scene_of(e) for e in journal]
    if state is not None:
        scenes.append(state.scene)
    for sid in scenes:
        scene = world.scenes.get(sid) if sid else None
        if scene is not None and scene.place:
            seen.add(scene.place)
    return seen


def to_markdown(journal: Sequence[str]) -> str:
    """The whole transcript as one Markdown document, scenes separated by rules."""
    parts: list[str] = []
    for entry in journal:
        if entry.startswith(SCENE_MARK):
            body = entry.split("\n", 1)[1] if "\n" in entry else ""
            if parts:
                parts.append("---")
            parts.append(body)
        else:
            parts.append(entry)
    return "\n\n".join(parts) if parts else "*Nothing yet: your week has not begun.*"
