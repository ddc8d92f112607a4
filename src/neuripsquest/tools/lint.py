"""`neuripsquest lint`: everything `check` reports, plus what makes a story fall apart.

Without playing, from the files alone (the explorer plays every state; the linter only reads):

- `unreachable-scene`: no way leads to the scene from the start;
- `dead-end`: a scene that is not an ending and none of whose choices can ever be taken;
- `no-exit`: scenes that only lead among themselves, never on to an ending;
- `unreached-ending`: a declared ending that no reachable scene ends with;
- `never-true`: a choice, extra paragraph or input outcome whose `if` can never hold;
- `unused-*`, `unread-*`, `unwritten-stat`, `unset-flag`, `ungiven-item`: declared names that
  nothing uses, that are changed but never read, or read but never changed;
- `disabled-without-if`: a `disabled:` reason on a choice that is never disabled;
- `self-gated-choice`: a choice whose `if` needs a flag (or item) that only the choice itself
  sets (or gives), so it would have to be taken before it can be;
- `silent-choice`: a choice into a shared scene (one reached from three or more scenes) with
  no `reply:` (nor outcome texts), so taking it gets no reaction before a familiar text.

"Can never hold" is decided by reading each condition over what each name can possibly be
(an abstract interpretation): a stat stays within the values its effects can give it (a stat
only ever increased never drops below its start), a flag nobody sets is always false, an item
nobody gives is never carried, and the clock never moves if nothing advances it. Every
warning it gives is certain; it cannot see everything (the explorer can).

A warning is silenced by `# lint: ignore[code]` (or a bare `# lint: ignore`) on its line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from neuripsquest.lang import analyse, ir
from neuripsquest.lang.analyse import CLOCK, Bounds, F, Num
from neuripsquest.problems import plural
from neuripsquest.tools.facts import Branch, ChoiceFacts, Cond, Effect, Sources, Usage, usage
from neuripsquest.tools.graphs import strongly_connected

# What lint does beyond check, which a world with problems does not get.
LINT_ANALYSIS = "story analysis (reachability, dead ends, conditions)"
SHARED = 3  # a scene reached from this many scenes is a hub: choices into it need a reply


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    column: int
    severity: str  # "error" or "warning"
    code: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.code}]"
        )


def lint(src: Sources) -> list[Finding]:
    """Every finding for a loaded world: its check problems, or else its warnings."""
    if src.world is None or src.problems:
        return sorted(
            Finding(p.path, p.line, p.column, "error", "check", p.message) for p in src.problems
        )
    return sorted(_suppress(src, _Linter(src).run()))


def _suppress(src: Sources, findings: Iterable[Finding]) -> list[Finding]:
    out = []
    for f in findings:
        doc = src.docs.get(f.path)
        lines = doc.text.splitlines() if doc is not None else []
        text = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
        m = re.search(r"#\s*lint:\s*ignore(?:\[([^\]]*)\])?", text)
        if m and (m.group(1) is None or f.code in {c.strip() for c in m.group(1).split(",")}):
            continue
        out.append(f)
    return out


# ---------------------------------------------------------------- abstract values


def _bounds(src: Sources, u: Usage) -> Bounds:
    """What each name can possibly be, anywhere in the story."""
    w = src.world
    assert w is not None
    stats: dict[str, Num] = {}
    for name, init, (smin, smax) in zip(w.stat_names, w.stat_initial, w.stat_ranges, strict=True):
        lo = hi = init
        for e in u.writes.get(("stat", name), []):
            c, node = e.const, e.node
            op = node.op if isinstance(node, ir.StatAssign) else None  # None: typed in
            if op == "=" and c is not None:
                lo, hi = min(lo, c), max(hi, c)
            elif op in ("+=", "-=") and c is not None:
                up = c if op == "+=" else -c
                if up > 0:
                    hi = smax
                elif up < 0:
                    lo = smin
            else:
                lo, hi = smin, smax
        lo, hi = max(lo, smin), min(hi, smax)
        if lo == hi:
            why = f"{name} never changes from {lo}"
        elif (lo, hi) == (smin, smax):
            why = f"{name} stays within {lo}..{hi}"
        elif lo == init and hi == smax:
            why = f"{name} is never decreased below its start, {lo}"
        elif hi == init and lo == smin:
            why = f"{name} is never increased above its start, {hi}"
        else:
            why = f"{name} is always between {lo} and {hi}"
        stats[name] = Num(lo, hi, why)
    ns = len(w.slots)
    moving = CLOCK in u.writes
    clocks = range(w.start_clock, (w.last_clock if moving else w.start_clock) + 1)
    days = [c // ns + 1 for c in clocks]
    slots = [c % ns for c in clocks]
    return Bounds(
        stats,
        {v[1] for v in u.writes if v[0] == "flag" and _sets(u.writes[v], ir.SetFlag)},
        {v[1] for v in u.writes if v[0] == "item" and _sets(u.writes[v], ir.Give)},
        Num(
            min(days),
            max(days),
            "the clock never moves" if not moving else f"day is always {min(days)}..{max(days)}",
        ),
        Num(
            min(slots),
            max(slots),
            "the clock never moves"
            if not moving
            else f"slot is always {w.slots[min(slots)]}..{w.slots[max(slots)]}",
        ),
    )


def _required(e: ir.Expr) -> list[ir.Flag | ir.Has]:
    """The flags and items a condition cannot hold without: itself, or a part of an `and`."""
    if isinstance(e, ir.Flag | ir.Has):
        return [e]
    if isinstance(e, ir.And):
        return [need for part in e.parts for need in _required(part)]
    return []


def _targets(ch: Any) -> list[str]:
    return [ch.goto] if ch.goto else [o.goto for o in ch.outcomes]


def _sets(effects: list[Effect], kind: type) -> bool:
    return any(isinstance(e.node, kind) for e in effects)


def can_hold(bounds: Bounds, cond: Cond) -> tuple[int, str]:
    return analyse.verdict(cond.expr, cond.src, bounds)


# ---------------------------------------------------------------- the checks


class _Linter:
    def __init__(self, src: Sources):
        self.src = src
        assert src.world is not None
        self.world = src.world
        self.u = usage(src)
        self.ranges = _bounds(src, self.u)
        self.out: list[Finding] = []
        self.never: set[tuple[str, str]] = set()  # (scene, choice id or "#j"): cannot happen
        self._at: dict[tuple[str, int], tuple[int, str]] = {}

    def warn(self, path: str, loc: list[Any], code: str, msg: str, key: bool = False) -> None:
        line, col = self.src.where(path, loc, key)
        self.out.append(Finding(path, line, col, "warning", code, msg))

    def run(self) -> list[Finding]:
        edges = self.conditions()
        flows = self.clock_flow()
        edges = self.timing(flows, edges)
        self.reachability(edges, {sid for sid, f in flows.items() if f})
        self.declarations()
        self.silent_choices()
        return self.out

    def silent_choices(self) -> None:
        """A choice that leads into a hub should say something first: without a reply the
        player's decision is answered only by a text they have already read."""
        sources: dict[str, set[str]] = {}
        for sid, scene in self.world.scenes.items():
            for ch in scene.choices:
                for target in _targets(ch):
                    sources.setdefault(target, set()).add(sid)
        for sid, sf in self.src.scenes.items():
            for cf in sf.choices:
                ch = cf.choice
                if ch.reply or (sid, ch.id) in self.never:
                    continue
                silent = [ch.goto] if ch.goto else [o.goto for o in ch.outcomes if not o.text]
                shared = [
                    t
                    for t in silent
                    if len(sources.get(t, ())) >= SHARED and self.world.scenes[t].ending is None
                ]
                if shared:
                    n = len(sources[shared[0]])
                    self.warn(
                        sf.path,
                        cf.loc,
                        "silent-choice",
                        f"choice '{ch.id}' leads to '{shared[0]}' (reached from {n} scenes) with "
                        "no reaction: give it a `reply:`",
                    )

    def conditions(self) -> dict[str, list[str]]:
        """Warn about conditions that never hold; the scene graph without those ways."""
        edges: dict[str, list[str]] = {}
        self.ways: dict[str, list[tuple[str, Cond | None, list[Branch]]]] = {}
        for sid, sf in self.src.scenes.items():
            outs: list[str] = []
            ways = self.ways[sid] = []
            for cond, loc in sf.extras:
                m, why = can_hold(self.ranges, cond)
                if m == F:
                    self.warn(sf.path, loc, "never-true", f"this paragraph is never shown: {why}")
            for cf in sf.choices:
                raw = sf.data.choices[cf.loc[-1]]
                if raw.disabled is not None and raw.if_ is None:
                    self.warn(
                        sf.path,
                        [*cf.loc, "disabled"],
                        "disabled-without-if",
                        f"choice '{cf.choice.id}' has a 'disabled' reason but no 'if', "
                        "so it is never disabled",
                    )
                if cf.cond is not None:
                    m, why = can_hold(self.ranges, cf.cond)
                    if m == F:
                        self.warn(
                            sf.path,
                            [*cf.loc, "if"],
                            "never-true",
                            f"choice '{cf.choice.id}' can never be taken: {why}",
                        )
                        self.never.add((sid, cf.choice.id))
                        continue
                    if self.self_gated(sf.path, cf):
                        self.never.add((sid, cf.choice.id))
                        continue
                outs.extend(b.goto for b in cf.branches)
                ways.append((cf.choice.id, cf.cond, cf.branches))
            if sf.input is not None:
                for j, (c, b) in enumerate(zip(sf.input.conds, sf.input.branches, strict=True)):
                    if c is not None:
                        m, why = can_hold(self.ranges, c)
                        if m == F:
                            self.warn(
                                sf.path,
                                [*sf.loc, "input", "outcomes", j, "if"],
                                "never-true",
                                f"this outcome can never happen: {why}",
                            )
                            self.never.add((sid, f"#{j}"))
                            continue
                    outs.append(b.goto)
                    ways.append((f"#{j}", c, [b]))
            edges[sid] = outs
        return edges

    def self_gated(self, path: str, cf: ChoiceFacts) -> bool:
        """Warn when the choice's `if` needs a flag (or item) that only the choice itself sets
        (or gives): it would have to be taken before it can be."""
        assert cf.cond is not None
        mine = {id(e) for b in cf.branches for e in b.effects}
        for need in _required(cf.cond.expr):
            maker: type[ir.Node]
            if isinstance(need, ir.Flag):
                var, maker, kind, verb = ("flag", need.name), ir.SetFlag, "flag", "sets"
            else:
                var, maker, kind, verb = ("item", need.item), ir.Give, "item", "gives"
            makers = [e for e in self.u.writes.get(var, []) if isinstance(e.node, maker)]
            if not makers or any(id(e) not in mine for e in makers):
                continue
            doc = self.src.docs.get(path)
            loc = [*cf.loc, "if"]
            line, col = doc.where_in(loc, need.at) if doc is not None else (1, 1)
            self.out.append(
                Finding(
                    path,
                    line,
                    col,
                    "warning",
                    "self-gated-choice",
                    f"choice '{cf.choice.id}' can never be taken: its `if` needs {kind} "
                    f"'{var[1]}', and only this choice {verb} it; {verb[:-1]} it somewhere "
                    "the player passes first, or take it out of the `if`",
                )
            )
            return True
        return False

    def clock_flow(self) -> dict[str, set[int]]:
        """Which times of the week each scene can be played at: the clock followed along every
        way on whose condition can hold at that time (times are few: days x slots)."""
        w, src = self.world, self.src
        flows: dict[str, set[int]] = {sid: set() for sid in w.scenes}
        first = _advance(src.scenes[w.start].on_enter, w.start_clock, w)
        flows[w.start].add(first)
        work = [w.start]
        while work:
            sid = work.pop()
            for c in sorted(flows[sid]):
                for _key, cond, branches in self.ways[sid]:
                    if cond is not None and self.at(cond, c)[0] == F:
                        continue
                    for b in branches:
                        c2 = _advance(src.scenes[b.goto].on_enter, _advance(b.effects, c, w), w)
                        if c2 not in flows[b.goto]:
                            flows[b.goto].add(c2)
                            work.append(b.goto)
        return flows

    def at(self, cond: Cond, clock: int) -> tuple[int, str]:
        """`can_hold` with the clock known."""
        key = (cond.src, clock)
        got = self._at.get(key)
        if got is None:
            ns = len(self.world.slots)
            bounds = self.ranges.at(clock // ns + 1, clock % ns)
            got = self._at[key] = can_hold(bounds, cond)
        return got

    def timing(
        self, flows: dict[str, set[int]], edges: dict[str, list[str]]
    ) -> dict[str, list[str]]:
        """Warn about ways whose condition never holds at the times their scene is played."""
        w = self.world
        out: dict[str, list[str]] = {}
        for sid, ways in self.ways.items():
            times = flows[sid]
            outs: list[str] = []
            for key, cond, branches in ways:
                if times and cond is not None and all(self.at(cond, c)[0] == F for c in times):
                    sf = self.src.scenes[sid]
                    when = _times(w, times)
                    if key.startswith("#"):
                        j = int(key[1:])
                        loc = [*sf.loc, "input", "outcomes", j, "if"]
                        msg = f"this outcome can never happen: scene '{sid}' is only played {when}"
                    else:
                        k = next(i for i, cf in enumerate(sf.choices) if cf.choice.id == key)
                        loc = [*sf.choices[k].loc, "if"]
                        msg = (
                            f"choice '{key}' can never be taken: scene '{sid}' is only "
                            f"played {when}"
                        )
                    self.warn(sf.path, loc, "never-true", msg)
                    self.never.add((sid, key))
                    continue
                outs.extend(b.goto for b in branches)
            out[sid] = outs
        return out

    def reachability(self, edges: dict[str, list[str]], reached: set[str]) -> None:
        w, src = self.world, self.src
        into: dict[str, list[str]] = {}
        for a, bs in edges.items():
            for b in bs:
                if b != a:
                    into.setdefault(b, []).append(a)
        for sid, sf in src.scenes.items():
            if sid in reached:
                continue
            sources = sorted(set(into.get(sid, [])))
            if not sources:
                why = "no way that can be taken leads to it"
            else:
                names = ", ".join(f"'{s}'" for s in sources[:3])
                more = f" and {len(sources) - 3} more" if len(sources) > 3 else ""
                why = f"only scenes that cannot be reached lead to it ({names}{more})"
            self.warn(
                sf.path,
                [*sf.loc, "id"],
                "unreachable-scene",
                f"scene '{sid}' can never be reached: {why}",
            )
        ending_scenes = {sid for sid, sf in src.scenes.items() if sf.scene.ending is not None}
        dead = set()
        for sid, sf in src.scenes.items():
            if sf.scene.ending is None and not edges[sid]:
                dead.add(sid)
                self.warn(
                    sf.path,
                    [*sf.loc, "id"],
                    "dead-end",
                    f"scene '{sid}' is a dead end: it is not an ending and none of its "
                    "choices can ever be taken",
                )
        back: dict[str, list[str]] = {}
        for a, bs in edges.items():
            for b in bs:
                back.setdefault(b, []).append(a)
        hopeful = _reach(sorted(ending_scenes), back)
        trapped = {s for s in reached if s not in hopeful and s not in dead}
        for group in _closed_groups(trapped, edges):
            first = min(group, key=lambda s: (src.scenes[s].path, src.scenes[s].loc))
            sf = src.scenes[first]
            if len(group) == 1:
                msg = f"scene '{first}' only leads back to itself, never on to an ending"
            else:
                names = ", ".join(f"'{s}'" for s in sorted(group))
                msg = f"scenes {names} only lead to each other, never on to an ending"
            self.warn(sf.path, [*sf.loc, "id"], "no-exit", msg)
        for name in w.endings:
            scenes = sorted(s for s in ending_scenes if src.scenes[s].scene.ending == name)
            if not scenes:
                msg = f"ending '{name}' is declared but no scene ends with it"
            elif not any(s in reached for s in scenes):
                msg = f"ending '{name}' is never reached: no reachable scene ends with it"
            else:
                continue
            self.warn(src.world_path, ["endings", name], "unreached-ending", msg, key=True)

    def declarations(self) -> None:
        w, u = self.world, self.u
        for name, init in zip(w.stat_names, w.stat_initial, strict=True):
            self._usage(
                "stat",
                name,
                ("stat", name) in u.reads or name in u.shown,
                ("stat", name) in u.writes,
                f"is changed but never read (no condition, effect or {{{name}}} in a text uses it)",
                ("unwritten-stat", f"is read but never changed: it is always {init}"),
            )
        for name in w.flag_names:
            self._usage(
                "flag",
                name,
                ("flag", name) in u.reads,
                name in self.ranges.flags_set,
                "is set but no condition reads it (it only shows in the ending recap)",
                ("unset-flag", "is read but never set, so it is always false"),
            )
        for name in w.item_names:
            self._usage(
                "item",
                name,
                ("item", name) in u.reads,
                name in self.ranges.items_given,
                f"is given but no condition checks `has {name}`",
                ("ungiven-item", f"is checked but never given, so `has {name}` is always false"),
            )

    def _usage(
        self,
        kind: str,
        name: str,
        read: bool,
        written: bool,
        unread: str,
        unwritten: tuple[str, str],
    ) -> None:
        """One declared name: warn when it is never used, never read or never written."""
        loc = [kind + "s", name]
        wp = self.src.world_path
        if not read and (kind, name) not in self.u.writes:
            self.warn(
                wp, loc, f"unused-{kind}", f"{kind} '{name}' is declared but never used", True
            )
        elif not read:
            self.warn(wp, loc, f"unread-{kind}", f"{kind} '{name}' {unread}", True)
        elif not written:
            code, msg = unwritten
            self.warn(wp, loc, code, f"{kind} '{name}' {msg}", True)


@dataclass
class Possible:
    """What the static reading cannot rule out; everything else can never happen."""

    scenes: set[str]
    choices: set[tuple[str, str]]  # (scene, choice id, or "#j" for input outcome j)
    endings: set[str]


def possible(src: Sources) -> Possible:
    lt = _Linter(src)
    world = lt.world
    lt.conditions()
    flows = lt.clock_flow()
    lt.timing(flows, {})
    reached = {sid for sid, f in flows.items() if f}
    choices = set()
    for sid in reached:
        sc = world.scenes[sid]
        keys = [c.id for c in sc.choices]
        keys += [f"#{j}" for j in range(len(sc.input.outcomes))] if sc.input else []
        choices |= {(sid, k) for k in keys if (sid, k) not in lt.never}
    endings = {e for sid in reached if (e := world.scenes[sid].ending) is not None}
    return Possible(reached, choices, endings)


def _advance(effects: list[Effect], clock: int, world: Any) -> int:
    """The clock after `effects`."""
    nodes = (e.node for e in effects if e.node is not None)
    return analyse.clock_after(nodes, clock, len(world.slots), world.last_clock)


def _times(world: Any, times: set[int]) -> str:
    ns = len(world.slots)
    names = [f"{world.days[c // ns]} {world.slots[c % ns]}" for c in sorted(times)]
    if len(names) <= 3:
        return "on " + ", ".join(names[:-1]) + (" or " if len(names) > 1 else "") + names[-1]
    return f"between {names[0]} and {names[-1]}"


def _reach(starts: list[str], edges: dict[str, list[str]]) -> set[str]:
    seen = set(starts)
    todo = list(starts)
    while todo:
        for b in edges.get(todo.pop(), []):
            if b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


def _closed_groups(nodes: set[str], edges: dict[str, list[str]]) -> list[set[str]]:
    """Strongly connected groups of `nodes` with no way out of the group."""
    out = []
    for comp in strongly_connected({n: [b for b in edges[n] if b in nodes] for n in nodes}):
        closed = all(b in comp for n in comp for b in edges[n])
        loops = len(comp) > 1 or any(b in comp for n in comp for b in edges[n])
        if closed and loops:
            out.append(comp)
    return out


# ---------------------------------------------------------------- the command


def report(findings: list[Finding], fmt: str, out: IO[str], err: IO[str]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if fmt == "json":
        blob = {
            "problems": [asdict(f) for f in findings],
            "errors": errors,
            "warnings": warnings,
        }
        out.write(json.dumps(blob, indent=2) + "\n")
    else:
        for f in findings:
            out.write(f"{f}\n")
        if findings and not errors:  # errors are check's problems: `run` says what followed
            err.write(f"{plural(errors, 'error')}, {plural(warnings, 'warning')}\n")
    return errors, warnings


def run(root: Any, fmt: str, strict: bool, ignore: list[str], out: IO[str], err: IO[str]) -> int:
    from neuripsquest.tools.facts import load, skipped

    src = load(root)
    findings = lint(src)
    if src.world is not None and not src.problems:
        findings += translations(Path(root), src)
    findings = [f for f in findings if f.code not in set(ignore)]
    errors, warnings = report(findings, fmt, out, err)
    if src.world is None or src.problems:
        if fmt != "json":
            err.write(skipped(len(src.problems), LINT_ANALYSIS) + "\n")
        return 1
    if errors or (strict and warnings):
        return 1
    if fmt != "json" and not findings and src.world is not None:
        err.write(f"{root}: {plural(len(src.world.scenes), 'scene')}, no problems\n")
    return 0


def translations(root: Path, src: Sources) -> list[Finding]:
    """Each shipped translation's problems (errors) and what it lacks (warnings: missing,
    todo, stale, orphaned, placeholders, markdown), so `lint --strict` fails on a language
    that has fallen behind the English. Not part of `lint()`: an editor re-lints on every
    keystroke, and the translations are not what it is editing."""
    from neuripsquest.store.locales import languages, read_catalog
    from neuripsquest.tools import l10n

    out = []
    for lang in languages(root):
        catalog = read_catalog(root, lang)
        out += [
            Finding(p.path, p.line, p.column, "error", "l10n", p.message) for p in catalog.problems
        ]
        found, _ = l10n.status(src, catalog)
        out += [
            Finding(f.path, f.line, f.column, "warning", f"l10n-{f.kind}", f"{lang}: {f.message}")
            for f in found
        ]
    return sorted(out)
