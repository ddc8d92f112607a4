"""The compiled, immutable world the engine runs on, and the pass that builds it.

`build` takes the validated contents of every file (plain dicts, as pydantic dumped them) and
resolves everything that crosses files: scene ids, goto targets, places, endings, names in
expressions. It reports every problem it finds, each at its file, line and column, and only
returns a World when there are none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from neuripsquest.lang.expr import (
    RESERVED,
    EffectInfo,
    ExprError,
    Getter,
    Symbols,
    compile_condition,
    compile_effect,
)
from neuripsquest.lang.names import PLACEHOLDER
from neuripsquest.problems import Problem, did_you_mean

Effect = Callable[[Any], None]


@dataclass(frozen=True, slots=True)
class Outcome:
    weight: int
    goto: str
    effects: tuple[Effect, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    text: str
    cond: Getter | None
    cond_src: str | None
    disabled: str | None
    once_bit: int
    effects: tuple[Effect, ...]
    goto: str | None
    outcomes: tuple[Outcome, ...]
    total_weight: int
    writes: tuple[EffectInfo, ...]
    reply: str = ""  # the reaction, shown above the next scene


@dataclass(frozen=True, slots=True)
class InputOutcome:
    cond: Getter | None
    cond_src: str | None
    effects: tuple[Effect, ...]
    goto: str
    reply: str = ""


@dataclass(frozen=True, slots=True)
class InputSpec:
    kind: str
    prompt: str
    hint: str
    store: int
    outcomes: tuple[InputOutcome, ...]


@dataclass(frozen=True, slots=True)
class Scene:
    id: str
    title: str
    place: str | None
    text: str
    extras: tuple[tuple[Getter, str], ...]
    on_enter: tuple[Effect, ...]
    choices: tuple[Choice, ...]
    choice_by_id: dict[str, Choice]
    input: InputSpec | None
    ending: str | None
    origin: tuple[str, int]  # (file, line), for tools that point writers at a scene
    revisit: str | None = None  # the text on a return visit (its visits are counted)
    checkpoint: bool = False  # where a save whose scene was removed goes back to


@dataclass(frozen=True)
class World:
    title: str
    start: str
    days: tuple[str, ...]
    slots: tuple[str, ...]
    start_clock: int
    places: dict[str, str]
    stat_names: tuple[str, ...]
    stat_labels: tuple[str, ...]
    stat_initial: tuple[int, ...]
    stat_ranges: tuple[tuple[int, int], ...]
    flag_names: tuple[str, ...]
    flag_notes: dict[str, str]
    item_names: tuple[str, ...]
    item_titles: dict[str, str]
    endings: dict[str, str]
    scenes: dict[str, Scene]
    visit_names: tuple[str, ...]
    visit_index: dict[str, int]  # scene id -> position in State.visits
    once_keys: tuple[str, ...]
    # Earlier names (`renamed_from`), old -> current, so saves made before a rename still load.
    scene_renames: dict[str, str]
    stat_renames: dict[str, str]
    flag_renames: dict[str, str]
    item_renames: dict[str, str]
    fingerprint: str
    symbols: Symbols = field(repr=False, compare=False)

    @property
    def last_clock(self) -> int:
        return len(self.days) * len(self.slots) - 1

    def has_scene(self, sid: str) -> bool:
        """Whether `sid` is a scene's id, today or before a rename (`renamed_from`)."""
        return sid in self.scenes or sid in self.scene_renames


class _Anything(set):  # type: ignore[type-arg]
    """Scene ids while some file could not be read: any id might be in it."""

    def __contains__(self, item: object) -> bool:
        return True


class _Located:
    """Where a value came from; without documents (a cache hit) everything is at 1:1."""

    def __init__(self, docs: dict[str, Any] | None):
        self.docs = docs or {}

    def at(self, path: str, loc: Sequence[Any], key: bool = False) -> tuple[int, int]:
        doc = self.docs.get(path)
        return doc.where(loc, key) if doc else (1, 1)

    def inside(self, path: str, loc: Sequence[Any], offset: int) -> tuple[int, int]:
        doc = self.docs.get(path)
        return doc.where_in(loc, offset) if doc else (1, 1)


def _reserved(name: str) -> str:
    return f"'{name}' is a reserved word in conditions: choose another name"


def build(
    world_path: str,
    wf: dict[str, Any],
    scene_entries: Sequence[tuple[str, list[Any], dict[str, Any]]],
    fingerprint: str,
    docs: dict[str, Any] | None = None,
    half_known: set[str] = frozenset(),  # type: ignore[assignment]
    check_refs: bool = True,
) -> tuple[World | None, list[Problem]]:
    """Resolve and compile. `scene_entries` holds (file, location in that file, scene dict)."""
    where = _Located(docs)
    problems: list[Problem] = []

    def err(path: str, loc: Sequence[Any], msg: str, key: bool = False) -> None:
        line, col = where.at(path, loc, key)
        problems.append(Problem(path, line, col, msg))

    def err_in(path: str, loc: Sequence[Any], offset: int, msg: str) -> None:
        line, col = where.inside(path, loc, offset)
        problems.append(Problem(path, line, col, msg))

    clock = wf["clock"]
    days, slots = tuple(clock["days"]), tuple(clock["slots"])
    slot_index = {s: i for i, s in enumerate(slots)}
    if len(slot_index) != len(slots):
        err(world_path, ["clock", "slots"], "time slot names must be unique")
    start = clock["start"]
    start_slot = 0
    if start["slot"] is not None:
        if start["slot"] in slot_index:
            start_slot = slot_index[start["slot"]]
        else:
            err(
                world_path,
                ["clock", "start", "slot"],
                f"unknown time slot '{start['slot']}'{did_you_mean(start['slot'], slots)}",
            )
    if start["day"] > len(days):
        err(world_path, ["clock", "start", "day"], f"day {start['day']} is past the last day")
    start_clock = min(start["day"] - 1, len(days) - 1) * len(slots) + start_slot

    stats = wf["stats"]
    for name, st in stats.items():
        if st["min"] > st["max"]:
            err(world_path, ["stats", name, "min"], f"{name}: min {st['min']} > max {st['max']}")
        elif not st["min"] <= st["initial"] <= st["max"]:
            err(
                world_path,
                ["stats", name, "initial"],
                f"{name}: initial {st['initial']} is outside its range {st['min']}..{st['max']}",
            )
    seen_names: dict[str, str] = {}
    for kind, names in (("stat", stats), ("flag", wf["flags"]), ("item", wf["items"])):
        for name in names:
            if name in seen_names or name in slot_index:
                other = seen_names.get(name, "time slot")
                err(
                    world_path, [kind + "s", name], f"'{name}' is both a {other} and a {kind}", True
                )
            elif name in RESERVED:
                err(world_path, [kind + "s", name], _reserved(name), True)
            seen_names[name] = kind
    for k, name in enumerate(slots):
        if name in RESERVED:
            err(world_path, ["clock", "slots", k], _reserved(name))

    # Earlier names of stats, flags and items. They share one namespace, as the current
    # names do: an old name belongs to one thing only, and is no longer a name in use.
    renames: dict[str, dict[str, str]] = {"stat": {}, "flag": {}, "item": {}}
    old_owner: dict[str, str] = {}  # old name -> "stat 'x'"
    for kind, names in (("stat", stats), ("flag", wf["flags"]), ("item", wf["items"])):
        for name, decl in names.items():
            olds = decl["renamed_from"] if isinstance(decl, dict) else []
            for k, old in enumerate(olds):
                loc = [kind + "s", name, "renamed_from", k]
                if old in seen_names:
                    err(
                        world_path,
                        loc,
                        f"renamed_from: '{old}' is still the name of a {seen_names[old]}; "
                        "an earlier name must be one no longer in use",
                    )
                elif old in old_owner:
                    err(
                        world_path,
                        loc,
                        f"renamed_from: '{old}' is already an earlier name of {old_owner[old]}",
                    )
                else:
                    old_owner[old] = f"{kind} '{name}'"
                    renames[kind][old] = name

    # Pass 1: every scene id, so references can be resolved whatever the file order.
    first: dict[str, tuple[str, list[Any]]] = {}
    for path, loc, sc in scene_entries:
        sid = sc["id"]
        if sid in first:
            fpath, floc = first[sid]
            fline, _ = where.at(fpath, [*floc, "id"])
            err(
                path, [*loc, "id"], f"duplicate scene id '{sid}' (first defined at {fpath}:{fline})"
            )
        else:
            first[sid] = (path, loc)
    scene_ids = set(first)

    # Earlier scene ids: each names one scene, and none is the id of a scene today.
    scene_renames: dict[str, str] = {}
    for path, loc, sc in scene_entries:
        if first.get(sc["id"]) != (path, loc):
            continue
        for k, old in enumerate(sc["renamed_from"]):
            rl = [*loc, "renamed_from", k]
            if old in first:
                fpath, floc = first[old]
                fline, _ = where.at(fpath, [*floc, "id"])
                err(
                    path,
                    rl,
                    f"renamed_from: '{old}' is still the id of a scene (at {fpath}:{fline}); "
                    "an earlier id must be one no longer in use",
                )
            elif old in scene_renames:
                fpath, floc = first[scene_renames[old]]
                fline, _ = where.at(fpath, [*floc, "id"])
                err(
                    path,
                    rl,
                    f"renamed_from: '{old}' is already an earlier id of scene "
                    f"'{scene_renames[old]}' (at {fpath}:{fline})",
                )
            else:
                scene_renames[old] = sc["id"]
    known = scene_ids | set(half_known)
    if check_refs and wf["start"] not in known:
        err(
            world_path,
            ["start"],
            f"start scene '{wf['start']}' does not exist{did_you_mean(wf['start'], known)}",
        )

    sym = Symbols(
        stats={n: i for i, n in enumerate(stats)},
        stat_ranges=[(s["min"], s["max"]) for s in stats.values()],
        flags={n: 1 << i for i, n in enumerate(wf["flags"])},
        items={n: 1 << i for i, n in enumerate(wf["items"])},
        slots=slot_index,
        scenes=known if check_refs else _Anything(known),
        nslots=len(slots),
        ndays=len(days),
    )
    placeholders = {*stats, "day", "slot"}
    once_keys: list[str] = []
    scenes: dict[str, Scene] = {}

    # Writers repeat conditions and effects ("has yacht_ticket", "energy -= 1"): compile each
    # distinct text once. Closures are pure, so sharing them is safe.
    cond_memo: dict[str, Getter] = {}
    effect_memo: dict[str, tuple[Effect, EffectInfo]] = {}

    def cond(path: str, loc: list[Any], src: str | None) -> Getter | None:
        if src is None:
            return None
        fn = cond_memo.get(src)
        if fn is not None:
            return fn
        try:
            fn = cond_memo[src] = compile_condition(src, sym)
            return fn
        except ExprError as exc:
            err_in(path, loc, exc.offset, exc.message)
            return None

    def effects(path: str, loc: list[Any], srcs: list[str], writes: list[EffectInfo]):
        out = []
        for k, src in enumerate(srcs):
            try:
                compiled = effect_memo.get(src)
                if compiled is None:
                    compiled = effect_memo[src] = compile_effect(src, sym)
                out.append(compiled[0])
                writes.append(compiled[1])
            except ExprError as exc:
                err_in(path, [*loc, k], exc.offset, exc.message)
        return tuple(out)

    def goto(path: str, loc: list[Any], target: str) -> None:
        if check_refs and target not in known:
            if target in scene_renames:
                hint = f" (it was renamed to '{scene_renames[target]}')"
            else:
                hint = did_you_mean(target, known)
            err(path, loc, f"goto: no scene '{target}'{hint}")

    def text_names(path: str, loc: list[Any], text: str) -> None:
        for m in PLACEHOLDER.finditer(text):
            name = m.group(1)
            if name not in placeholders:
                hint = did_you_mean(name, placeholders)
                msg = f"unknown placeholder '{{{name}}}'{hint}"
                err_in(path, loc, m.start(), msg + " (placeholders show a stat, {day} or {slot})")

    for path, loc, sc in scene_entries:
        sid = sc["id"]
        if first.get(sid) != (path, loc):
            continue
        here = list(loc)
        if sc["place"] is not None and sc["place"] not in wf["places"]:
            err(
                path,
                [*here, "place"],
                f"unknown place '{sc['place']}'{did_you_mean(sc['place'], wf['places'])}",
            )
        text_names(path, [*here, "text"], sc["text"])
        kinds = [k for k in ("choices", "input", "ending") if sc[k]]
        if len(kinds) != 1:
            msg = (
                f"scene '{sid}' needs one of 'choices', 'input' or 'ending'"
                if not kinds
                else f"scene '{sid}' has {' and '.join(kinds)}: give it only one"
            )
            err(path, [*here, "id"], msg)
        if sc["ending"] is not None and sc["ending"] not in wf["endings"]:
            err(
                path,
                [*here, "ending"],
                f"unknown ending '{sc['ending']}'{did_you_mean(sc['ending'], wf['endings'])}",
            )
        extras = []
        for k, ex in enumerate(sc["extra"]):
            c = cond(path, [*here, "extra", k, "if"], ex["if_"])
            text_names(path, [*here, "extra", k, "text"], ex["text"])
            if c is not None:
                extras.append((c, ex["text"]))
        on_enter = effects(path, [*here, "on_enter"], sc["on_enter"], [])
        choices: list[Choice] = []
        by_id: dict[str, Choice] = {}
        gotos = Counter(c["goto"] for c in sc["choices"])
        for k, ch in enumerate(sc["choices"]):
            cl = [*here, "choices", k]
            cid = ch["id"]
            if cid is None:
                if ch["goto"] is None:
                    err(path, cl, "a choice with 'random' outcomes needs an 'id'")
                    continue
                if gotos[ch["goto"]] > 1:
                    err(path, [*cl, "goto"], f"two choices go to '{ch['goto']}': give each an 'id'")
                    continue
                cid = ch["goto"]
            if cid in by_id:
                err(path, [*cl, "id"], f"duplicate choice id '{cid}' in scene '{sid}'")
                continue
            if (ch["goto"] is None) == (ch["random"] is None):
                err(path, cl, "a choice needs exactly one of 'goto' or 'random'")
                continue
            writes: list[EffectInfo] = []
            text_names(path, [*cl, "reply"], ch["reply"])
            c = cond(path, [*cl, "if"], ch["if_"])
            effs = effects(path, [*cl, "do"], ch["do"], writes)
            outcomes = []
            if ch["goto"] is not None:
                goto(path, [*cl, "goto"], ch["goto"])
            for j, oc in enumerate(ch["random"] or []):
                ol = [*cl, "random", j]
                goto(path, [*ol, "goto"], oc["goto"])
                text_names(path, [*ol, "text"], oc["text"])
                outcomes.append(
                    Outcome(
                        oc["weight"],
                        oc["goto"],
                        effects(path, [*ol, "do"], oc["do"], writes),
                        oc["text"],
                    )
                )
            once_bit = 0
            if ch["once"]:
                once_bit = 1 << len(once_keys)
                once_keys.append(f"{sid}.{cid}")
            choice = Choice(
                id=cid,
                text=ch["text"],
                cond=c,
                cond_src=ch["if_"],
                disabled=ch["disabled"],
                once_bit=once_bit,
                effects=effs,
                goto=ch["goto"],
                outcomes=tuple(outcomes),
                total_weight=sum(o.weight for o in outcomes),
                writes=tuple(writes),
                reply=ch["reply"],
            )
            by_id[cid] = choice
            choices.append(choice)
        spec = None
        if sc["input"] is not None:
            inp = sc["input"]
            il = [*here, "input"]
            if inp["store"] not in sym.stats:
                err(
                    path,
                    [*il, "store"],
                    f"store: unknown stat '{inp['store']}'{did_you_mean(inp['store'], sym.stats)}",
                )
            else:
                sym.used_stats.add(inp["store"])
            outs = []
            for j, oc in enumerate(inp["outcomes"]):
                ol = [*il, "outcomes", j]
                goto(path, [*ol, "goto"], oc["goto"])
                text_names(path, [*ol, "reply"], oc["reply"])
                outs.append(
                    InputOutcome(
                        cond(path, [*ol, "if"], oc["if_"]),
                        oc["if_"],
                        effects(path, [*ol, "do"], oc["do"], []),
                        oc["goto"],
                        oc["reply"],
                    )
                )
            if inp["outcomes"] and inp["outcomes"][-1]["if_"] is not None:
                err(
                    path,
                    [*il, "outcomes", len(inp["outcomes"]) - 1, "if"],
                    "the last outcome must have no 'if', so every amount leads somewhere",
                )
            spec = InputSpec(
                inp["kind"], inp["prompt"], inp["hint"], sym.stats.get(inp["store"], 0), tuple(outs)
            )
        scenes[sid] = Scene(
            id=sid,
            title=sc["title"],
            place=sc["place"],
            text=sc["text"],
            extras=tuple(extras),
            on_enter=on_enter,
            choices=tuple(choices),
            choice_by_id=by_id,
            input=spec,
            ending=sc["ending"],
            origin=(path, where.at(path, here)[0]),
            revisit=sc["revisit"],
            checkpoint=sc["checkpoint"],
        )
        if sc["revisit"] is not None:
            text_names(path, [*here, "revisit"], sc["revisit"])
            sym.visits.setdefault(sid, len(sym.visits))  # a return must be known to show it

    if problems:
        return None, problems
    world = World(
        title=wf["title"],
        start=wf["start"],
        days=days,
        slots=slots,
        start_clock=start_clock,
        places={k: v["name"] for k, v in wf["places"].items()},
        stat_names=tuple(stats),
        stat_labels=tuple(s["label"] or n.replace("_", " ").capitalize() for n, s in stats.items()),
        stat_initial=tuple(s["initial"] for s in stats.values()),
        stat_ranges=tuple((s["min"], s["max"]) for s in stats.values()),
        flag_names=tuple(wf["flags"]),
        flag_notes={k: v if isinstance(v, str) else v["note"] for k, v in wf["flags"].items()},
        item_names=tuple(wf["items"]),
        item_titles={k: v["name"] for k, v in wf["items"].items()},
        endings={k: v["title"] for k, v in wf["endings"].items()},
        scenes=scenes,
        visit_names=tuple(sym.visits),
        visit_index=dict(sym.visits),
        once_keys=tuple(once_keys),
        scene_renames=scene_renames,
        stat_renames=renames["stat"],
        flag_renames=renames["flag"],
        item_renames=renames["item"],
        fingerprint=fingerprint,
        symbols=sym,
    )
    return world, []
