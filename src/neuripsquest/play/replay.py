"""Scripted playthroughs: load one, run it headlessly, say where it departs from its script."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neuripsquest.core import engine
from neuripsquest.core.state import State, names_of
from neuripsquest.core.world import World
from neuripsquest.play import view
from neuripsquest.problems import Problem, WorldError, plural


@dataclass
class Step:
    action: engine.Action
    label: str  # as written, for messages: "choose: expo_enter"
    expect: dict[str, Any] | None
    line: int
    column: int


@dataclass
class Playthrough:
    path: str
    name: str
    seed: int
    world: str | None  # folder, relative to the file, when the playthrough names one
    steps: list[Step]
    expect: dict[str, Any] | None
    expect_line: int = 1
    problems: list[Problem] = field(default_factory=list)


def load(path: str) -> Playthrough:
    """Read a playthrough file; its problems (located) are in `.problems`."""
    from neuripsquest.format import validate, yamlsrc

    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Playthrough(shown, "", 0, None, [], None, 1, [Problem(shown, 1, 1, str(exc))])
    doc = yamlsrc.read(shown, text)
    pt = Playthrough(shown, "", 0, None, [], None, 1, list(doc.problems))
    if pt.problems:
        return pt
    data, pt.problems = validate.playthrough_file(doc)
    if data is None:
        return pt
    pt.name, pt.seed, pt.world = data["name"], data["seed"], data["world"]
    pt.expect = data["expect"]
    pt.expect_line = doc.where(["expect"])[0]
    for i, raw in enumerate(data["steps"]):
        line, col = doc.where(["steps", i])
        if isinstance(raw, str):
            pt.steps.append(Step(engine.Choose(raw), f"choose: {raw}", None, line, col))
            continue
        kinds = [k for k in ("choose", "type", "undo") if raw.get(k) not in (None, False)]
        if len(kinds) != 1:
            pt.problems.append(
                Problem(shown, line, col, "a step needs exactly one of choose, type or undo")
            )
            continue
        k = kinds[0]
        if k == "choose":
            action: engine.Action = engine.Choose(raw["choose"])
        elif k == "type":
            action = engine.Type(str(raw["type"]))
        else:
            action = engine.Undo()
        label = f"{k}: {raw[k]}" if k != "undo" else "undo"
        pt.steps.append(Step(action, label, raw.get("expect"), line, col))
    return pt


@dataclass
class Result:
    path: str
    ok: bool
    steps: int
    state: State | None
    report: list[str]  # empty when ok


def run(world: World, pt: Playthrough) -> Result:
    """Play the script; stop at the first step that is refused or breaks an expectation."""
    if pt.problems:
        return Result(pt.path, False, 0, None, [str(p) for p in pt.problems])
    state = engine.new_game(world, pt.seed)
    for n, st in enumerate(pt.steps, 1):
        before = state
        state, events = engine.step(world, state, st.action)
        where = f"{pt.path}:{st.line}:{st.column}"
        if state is before:
            reasons = "; ".join(e.reason for e in events if isinstance(e, engine.Rejected))
            return Result(
                pt.path,
                False,
                n,
                state,
                [
                    f"{where}: step {n} ({st.label}) was refused in scene '{before.scene}': "
                    f"{reasons}",
                    *_offer(world, before),
                ],
            )
        if st.expect:
            said = [
                view.describe(world, e, state) for e in events if isinstance(e, engine.Narration)
            ]
            diff = compare(world, state, st.expect, said)
            if diff:
                return Result(
                    pt.path,
                    False,
                    n,
                    state,
                    [f"{where}: after step {n} ({st.label}):", *diff],
                )
    if pt.expect:
        diff = compare(world, state, pt.expect)
        if diff:
            return Result(
                pt.path,
                False,
                len(pt.steps),
                state,
                [
                    f"{pt.path}:{pt.expect_line}:1: at the end ({plural(len(pt.steps), 'step')}):",
                    *diff,
                ],
            )
    return Result(pt.path, True, len(pt.steps), state, [])


def _offer(world: World, state: State) -> list[str]:
    scene = world.scenes[state.scene]
    if scene.input is not None:
        return ["  that scene asks for typed input (use `type:`)"]
    if scene.ending is not None:
        return ["  that scene is an ending"]
    lines = ["  choices there:"]
    for c in view.choices(world, state):
        mark = "" if c.enabled else f"  [unavailable: {c.reason}]"
        lines.append(f"    {c.id}: {c.text}{mark}")
    return lines


def compare(
    world: World, state: State, expect: dict[str, Any], said: list[str] | None = None
) -> list[str]:
    """'  - what: expected X, got Y' for every expectation that does not hold. `said` is what
    the step told the player (replies, outcome texts), for `says:`."""
    out = []
    # `says:` quotes the English; a translated world's words are held by `l10n status`.
    if expect.get("says") is not None and said is not None and world.lang == "en":
        heard = " ".join(" ".join(said).split())
        want = " ".join(str(expect["says"]).split())
        if want not in heard:
            got = f"'{heard[:120]}'" if heard else "no reaction"
            out.append(f"  - says: expected '{want}', got {got}")
    if expect.get("scene") is not None and expect["scene"] != state.scene:
        out.append(f"  - scene: expected '{expect['scene']}', got '{state.scene}'")
    if expect.get("ending") is not None:
        ending = world.scenes[state.scene].ending
        if expect["ending"] != ending:
            out.append(f"  - ending: expected '{expect['ending']}', got {ending!r}")
    out += _stats(world, state, "stats", expect.get("stats") or {})
    exact = expect.get("stats_exactly")
    if exact is not None:
        out += _stats(world, state, "stats_exactly", exact)
        for name, start, value in zip(
            world.stat_names, world.stat_initial, state.stats, strict=True
        ):
            if name not in exact and value != start:
                out.append(
                    f"  - stat '{name}' is {value}, not its initial {start}, but the recording "
                    "does not expect it"
                )
    for kind, table, bits in (
        ("flags", world.symbols.flags, state.flags),
        ("items", world.symbols.items, state.items),
    ):
        for name, want in (expect.get(kind) or {}).items():
            bit = table.get(name)
            if bit is None:
                out.append(f"  - {kind}.{name}: the world has no such {kind[:-1]}")
                continue
            has = bool(bits & bit)
            if has != want:
                out.append(f"  - {kind}.{name}: expected {want}, got {has}")
    out += _exactly(expect.get("flags_exactly"), "flag", "set", world.flag_names, state.flags)
    out += _exactly(expect.get("items_exactly"), "item", "carried", world.item_names, state.items)
    return out


def _stats(world: World, state: State, key: str, expect: dict[str, Any]) -> list[str]:
    out = []
    for name, want in expect.items():
        i = world.symbols.stats.get(name)
        if i is None:
            out.append(f"  - {key}.{name}: the world has no such stat")
            continue
        got = state.stats[i]
        if isinstance(want, dict):
            lo, hi = want.get("min"), want.get("max")
            if (lo is not None and got < lo) or (hi is not None and got > hi):
                rng = f"{'' if lo is None else lo}..{'' if hi is None else hi}"
                out.append(f"  - {key}.{name}: expected {rng}, got {got}")
        elif got != want:
            out.append(f"  - {key}.{name}: expected {want}, got {got}")
    return out


def _exactly(
    listed: list[str] | None, noun: str, verb: str, names: tuple[str, ...], bits: int
) -> list[str]:
    """`flags_exactly` / `items_exactly`: every name too many and every one missing."""
    if listed is None:
        return []
    have, known, wanted = set(names_of(bits, names)), set(names), set(listed)
    out = [f"  - {noun}s_exactly: the world has no {noun} '{n}'" for n in listed if n not in known]
    out += [
        f"  - {noun} '{n}' is {verb} but the recording does not expect it"
        for n in names_of(bits, names)
        if n not in wanted
    ]
    out += [
        f"  - {noun} '{n}' is not {verb} but the recording expects it"
        for n in listed
        if n in known and n not in have
    ]
    return out


def world_for(pt: Playthrough, default: Path) -> Path:
    if pt.world:
        return (Path(pt.path).parent / pt.world).resolve()
    return default


def run_files(paths: list[str], default_world: Path, out: Any, lang: str = "en") -> int:
    """The `replay` command: 0 when every file passes, 1 otherwise. In another language
    `lang` the same steps must reach the same scenes, values and endings (`says:` is English
    and is not compared)."""
    from neuripsquest.store.loader import load_world
    from neuripsquest.store.locales import localised

    worlds: dict[Path, World] = {}
    failed = 0
    for path in paths:
        pt = load(path)
        wdir = world_for(pt, default_world)
        try:
            if wdir not in worlds:
                worlds[wdir] = localised(load_world(wdir), wdir, lang)
        except WorldError as exc:
            out.write(f"FAIL {path}: the world does not load:\n")
            for p in exc.problems:
                out.write(f"  {p}\n")
            failed += 1
            continue
        res = run(worlds[wdir], pt)
        if res.ok:
            end = ""
            if res.state is not None:
                ending = worlds[wdir].scenes[res.state.scene].ending
                end = f", ending {ending}" if ending else f", at {res.state.scene}"
            out.write(f"ok   {path} ({plural(res.steps, 'step')}{end})\n")
        else:
            failed += 1
            out.write(f"FAIL {path}\n")
            for line in res.report:
                out.write(line + "\n")
    out.write(f"{len(paths) - failed} passed, {failed} failed\n")
    return 1 if failed else 0
