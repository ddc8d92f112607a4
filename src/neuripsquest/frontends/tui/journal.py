"""The journal: the transcript of a run, as the list of strings a save keeps. Pure.

Each entry is Markdown. A scene entry starts with a marker line `@scene <id>` (hidden when
shown) so the places visited can be read back from a saved journal without engine changes.
Entries written by plain mode ("Title: text") have no marker and are shown as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.play import view

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
