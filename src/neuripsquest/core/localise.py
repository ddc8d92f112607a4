"""A world's player-visible strings, each under a key made from ids, and a world with them
replaced (a translation).

Keys are derived, never written by hand: `<scene>.title`, `<scene>.text`, `<scene>.revisit`,
`<scene>.extra.<n>`, `<scene>.choice.<choice id>.text|reply|disabled`,
`<scene>.choice.<choice id>.random.<n>`, `<scene>.input.prompt|hint`,
`<scene>.input.outcome.<n>.reply`; and for world.yaml `world.title`, `clock.day.<n>`,
`clock.slot.<slot>`, `place.<id>.name`, `stat.<id>.label`, `item.<id>.name`, `flag.<id>.note`,
`ending.<id>.title` (n counts from 1). A choice's id is its own or its goto, as the world
compiles it, so a writer who moves a choice keeps its translation and one who rewrites its
text sees it go stale.

One walk (`_scene`, `_world_fields`) both lists the strings and replaces them: what gets a key
and what gets translated cannot drift apart. Each string also carries where it is written
inside its scene (or world.yaml), for tools that point translators at the English.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from neuripsquest.core.world import Choice, InputSpec, Scene, World

Where = tuple[Any, ...]  # a path inside the scene's (or world.yaml's) YAML
# (key, English, where) -> the string to show
Lookup = Callable[[str, str, Where], str]


def scene_strings(scene: Scene) -> list[tuple[str, str, Where]]:
    """Every player-visible string of `scene`: (key, text, where in the scene's YAML)."""
    return _listed(lambda note: _scene(scene, note))


def world_strings(world: World) -> list[tuple[str, str, Where]]:
    """world.yaml's player-visible strings: (key, text, where in world.yaml)."""
    return _listed(lambda note: _world_fields(world, note))


def _listed(walk: Callable[[Lookup], object]) -> list[tuple[str, str, Where]]:
    """What a walk looks up, in order, by looking each string up as itself."""
    found: list[tuple[str, str, Where]] = []

    def note(key: str, text: str, where: Where) -> str:
        found.append((key, text, where))
        return text

    walk(note)
    return found


def translate(world: World, table: Mapping[str, str], lang: str) -> World:
    """`world` with every string found in `table` (key -> text) replaced; a string with no
    entry stays as written. Scenes are translated when first asked for, so a lazily loaded
    world stays lazy."""

    def look(key: str, text: str, where: Where) -> str:
        return table.get(key, text)

    fields = _world_fields(world, look)
    return world.replace(scenes=TranslatedScenes(world.scenes, look), lang=lang, **fields)


class TranslatedScenes(Mapping[str, Scene]):
    """`scenes`, each translated on first use."""

    def __init__(self, scenes: Mapping[str, Scene], look: Lookup):
        self._scenes, self._look = scenes, look
        self._done: dict[str, Scene] = {}

    def __getitem__(self, sid: str) -> Scene:
        scene = self._done.get(sid)
        if scene is None:
            scene = self._done[sid] = _scene(self._scenes[sid], self._look)
        return scene

    def __contains__(self, sid: object) -> bool:
        return sid in self._scenes

    def __iter__(self) -> Iterator[str]:
        return iter(self._scenes)

    def __len__(self) -> int:
        return len(self._scenes)


def _scene(scene: Scene, look: Lookup) -> Scene:
    sid = scene.id

    def t(key: str, text: str, where: Where) -> str:
        return look(f"{sid}.{key}", text, where) if text else text

    # In the order a writer reads them, so a new translation file follows the scene file.
    title = t("title", scene.title, ("title",))
    text = t("text", scene.text, ("text",))
    revisit = None if scene.revisit is None else t("revisit", scene.revisit, ("revisit",))
    extras = tuple(
        (cond, t(f"extra.{n}", extra, ("extra", n - 1, "text")))
        for n, (cond, extra) in enumerate(scene.extras, 1)
    )
    choices = tuple(_choice(sid, k, c, t) for k, c in enumerate(scene.choices))
    return scene._replace(
        title=title,
        text=text,
        revisit=revisit,
        extras=extras,
        choices=choices,
        choice_by_id={c.id: c for c in choices},
        input=None if scene.input is None else _input(scene.input, t),
    )


def _choice(sid: str, k: int, choice: Choice, t: Lookup) -> Choice:
    at = f"choice.{choice.id}"
    return choice._replace(
        text=t(f"{at}.text", choice.text, ("choices", k, "text")),
        reply=t(f"{at}.reply", choice.reply, ("choices", k, "reply")),
        disabled=None
        if choice.disabled is None
        else t(f"{at}.disabled", choice.disabled, ("choices", k, "disabled")),
        outcomes=tuple(
            o._replace(text=t(f"{at}.random.{n}", o.text, ("choices", k, "random", n - 1, "text")))
            for n, o in enumerate(choice.outcomes, 1)
        ),
    )


def _input(spec: InputSpec, t: Lookup) -> InputSpec:
    return spec._replace(
        prompt=t("input.prompt", spec.prompt, ("input", "prompt")),
        hint=t("input.hint", spec.hint, ("input", "hint")),
        outcomes=tuple(
            o._replace(
                reply=t(f"input.outcome.{n}.reply", o.reply, ("input", "outcomes", n - 1, "reply")),
            )
            for n, o in enumerate(spec.outcomes, 1)
        ),
    )


def _world_fields(world: World, look: Lookup) -> dict[str, Any]:
    """The World fields that hold world.yaml's player-visible strings, looked up."""

    def t(key: str, text: str, where: Where) -> str:
        return look(key, text, where) if text else text

    def table(kind: str, section: str, field: str, names: Mapping[str, str]) -> dict[str, str]:
        return {n: t(f"{kind}.{n}.{field}", s, (section, n, field)) for n, s in names.items()}

    return {
        "title_shown": t("world.title", world.shown_title, ("title",)),
        "days": tuple(
            t(f"clock.day.{n}", day, ("clock", "days", n - 1))
            for n, day in enumerate(world.days, 1)
        ),
        "slot_names": tuple(
            t(f"clock.slot.{slot}", shown, ("clock", "slots", k))
            for k, (slot, shown) in enumerate(zip(world.slots, world.shown_slots, strict=True))
        ),
        "places": table("place", "places", "name", world.places),
        "stat_labels": tuple(
            t(f"stat.{n}.label", label, ("stats", n, "label"))
            for n, label in zip(world.stat_names, world.stat_labels, strict=True)
        ),
        "item_titles": table("item", "items", "name", world.item_titles),
        "flag_notes": {
            n: t(f"flag.{n}.note", note, ("flags", n)) for n, note in world.flag_notes.items()
        },
        "endings": table("ending", "endings", "title", world.endings),
    }
