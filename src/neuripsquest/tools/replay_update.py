"""`replay --update`: after an intended story change, rewrite the expectations of playthrough
files that no longer hold, and show what changed.

Only the values of failing expectations are rewritten, in place in the file's text (located
through the YAML node tree), so comments, step formatting and passing expectations stay as
written. A failing range (`clout: {min: 5}`) becomes the exact value now seen. An exact form
(`flags_exactly:` and the like) that no longer holds is rewritten whole to the new truth, in the
style it was written in (flow or block); the old forms stay old, value by value. `says:` is
never rewritten. A step that the game refuses cannot be fixed by new expectations: such a file
is reported as failing.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import IO, Any

from neuripsquest.core import engine
from neuripsquest.core.state import State, names_of
from neuripsquest.core.world import World
from neuripsquest.play.record import flow
from neuripsquest.play.replay import Playthrough, compare, load, run, world_for
from neuripsquest.problems import WorldError

_PLAIN = re.compile(r"^[a-z][a-z0-9_]*$")


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return text if _PLAIN.match(text) else json.dumps(text)


def _actual(world: World, state: State, key: str, name: str | None) -> Any:
    if key == "scene":
        return state.scene
    if key == "ending":
        return world.scenes[state.scene].ending
    if key == "stats":
        i = world.symbols.stats.get(name or "")
        return None if i is None else state.stats[i]
    table, bits = (
        (world.symbols.flags, state.flags) if key == "flags" else (world.symbols.items, state.items)
    )
    bit = table.get(name or "")
    return None if bit is None else bool(bits & bit)


def _value(want: Any) -> str:
    """A stat's expected value as flow YAML: a number, or a range as `{min: 1, max: 3}`."""
    if isinstance(want, dict):
        ends = [f"{k}: {want[k]}" for k in ("min", "max") if want.get(k) is not None]
        return "{" + ", ".join(ends) + "}"
    return _scalar(want)


def _holds(want: Any, got: Any) -> bool:
    if isinstance(want, dict):
        lo, hi = want.get("min"), want.get("max")
        return got is not None and (lo is None or got >= lo) and (hi is None or got <= hi)
    return want == got


def _edits(
    world: World, state: State, expect: dict[str, Any], node: Any, problems: list[str]
) -> list[tuple[int, int, str]]:
    """(start, end, new text) for every failing value in one `expect:` mapping node."""
    from neuripsquest.format import yamlsrc

    out: list[tuple[int, int, str]] = []
    for knode, vnode in getattr(node, "value", ()):  # none unless a mapping
        key = knode.value
        if key == "says":
            continue  # the writer's own words: checked by replay, never rewritten
        if key in ("scene", "ending"):
            want = expect.get(key)
            got = _actual(world, state, key, None)
            if want is not None and want != got:
                out.append((*yamlsrc.span(vnode), _scalar(got)))
            continue
        if key in _EXACT:
            edit = _exact_edit(world, state, key, expect[key], knode, vnode)
            if edit is not None:
                out.append(edit)
            continue
        if key not in ("stats", "flags", "items"):
            continue
        for name, nv in yamlsrc.mapping_entries(vnode):  # none unless a mapping
            want = (expect.get(key) or {}).get(name)
            got = _actual(world, state, key, name)
            if got is None:
                problems.append(f"{key}.{name}: the world has no such {key[:-1]}")
                continue
            if not _holds(want, got):
                out.append((*yamlsrc.span(nv), _scalar(got)))
    return out


_EXACT = ("stats_exactly", "flags_exactly", "items_exactly")


def _exact_edit(
    world: World, state: State, key: str, want: Any, knode: Any, vnode: Any
) -> tuple[int, int, str] | None:
    """An exact form that no longer holds, rewritten whole to what the game now shows: names
    the world lost are dropped, new ones added, and a stat that still holds keeps its value
    (a range stays a range)."""
    from neuripsquest.format import yamlsrc

    if not compare(world, state, {key: want}):
        return None
    if key == "stats_exactly":
        parts, listed = [], set()
        for name, value in want.items():
            got = _actual(world, state, "stats", name)
            if got is None:
                continue
            listed.add(name)
            kept = value if _holds(value, got) else got
            parts.append(f"{name}: {_value(kept)}")
        parts += [
            f"{name}: {got}"
            for name, start, got in zip(
                world.stat_names, world.stat_initial, state.stats, strict=True
            )
            if name not in listed and got != start
        ]
        brackets, dash = "{}", ""
    else:
        names = world.flag_names if key == "flags_exactly" else world.item_names
        bits = state.flags if key == "flags_exactly" else state.items
        parts = [_scalar(n) for n in names_of(bits, names)]
        brackets, dash = "[]", "- "
    start = yamlsrc.span(vnode)[0]
    if vnode.flow_style or not vnode.value:
        return start, yamlsrc.span(vnode)[1], flow("", parts, brackets, vnode.start_mark.column)
    # A block collection's node runs on to the next key: end at its last entry instead.
    last = vnode.value[-1]
    end = yamlsrc.span(last[1] if isinstance(last, tuple) else last)[1]
    if not parts:  # an empty block cannot be written in place: `key: []` instead
        return knode.end_mark.index, end, ": " + brackets
    indent = "\n" + " " * vnode.start_mark.column
    return start, end, (dash + (indent + dash).join(parts))


def update_text(world: World, pt: Playthrough, text: str) -> tuple[str, list[str]]:
    """The file's text with failing expectations rewritten, and what could not be fixed."""
    from neuripsquest.format import yamlsrc

    doc = yamlsrc.read(pt.path, text)
    problems: list[str] = []
    if doc.root is None:
        return text, [str(p) for p in doc.problems]
    state = engine.new_game(world, pt.seed)
    edits: list[tuple[int, int, str]] = []
    for n, st in enumerate(pt.steps, 1):
        before = state
        state, events = engine.step(world, state, st.action)
        if state is before:
            reasons = "; ".join(e.reason for e in events if isinstance(e, engine.Rejected))
            problems.append(
                f"{pt.path}:{st.line}:{st.column}: step {n} ({st.label}) was refused in scene "
                f"'{before.scene}': {reasons} (new expectations cannot fix that)"
            )
            return text, problems
        if st.expect:
            node = yamlsrc.find(doc.root, ["steps", n - 1, "expect"])
            edits += _edits(world, state, st.expect, node, problems)
    if pt.expect:
        node = yamlsrc.find(doc.root, ["expect"])
        edits += _edits(world, state, pt.expect, node, problems)
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text, problems


def update_files(paths: list[str], default_world: Path, out: IO[str]) -> int:
    """0 when every file passes now (updated or not), 1 otherwise."""
    from neuripsquest.store.loader import load_world

    worlds: dict[Path, World] = {}
    failed = updated = 0
    for path in paths:
        pt = load(path)
        if pt.problems:
            failed += 1
            out.write(f"FAIL {path}\n" + "".join(f"{p}\n" for p in pt.problems))
            continue
        wdir = world_for(pt, default_world)
        try:
            if wdir not in worlds:
                worlds[wdir] = load_world(wdir)
        except WorldError as exc:
            failed += 1
            out.write(f"FAIL {path}: the world does not load:\n")
            out.write("".join(f"  {p}\n" for p in exc.problems))
            continue
        world = worlds[wdir]
        if run(world, pt).ok:
            out.write(f"ok   {path}\n")
            continue
        old = Path(path).read_text(encoding="utf-8")
        new, problems = update_text(world, pt, old)
        if new != old:
            Path(path).write_text(new, encoding="utf-8")
            updated += 1
            out.write(f"updated {path}:\n")
            out.writelines(
                difflib.unified_diff(
                    old.splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    f"{path} (before)",
                    f"{path} (after)",
                )
            )
        res = run(world, load(path))
        if not res.ok:
            failed += 1
            out.write(f"FAIL {path}\n")
            for line in problems or res.report:
                out.write(line + "\n")
    if updated:
        out.write(f"{updated} file{'s' if updated != 1 else ''} updated\n")
    out.write(f"{len(paths) - failed} passed, {failed} failed\n")
    return 1 if failed else 0
