"""What the writers' tools know about a world beyond the compiled World.

The engine's World holds closures; the linter, the explorer and the random tester also need to
know what each condition reads and each effect writes (by name), and where in which file every
scene, choice and condition is written. `load` reads a world the way `check` does and returns
both: the compiled World and, beside it, these facts.

Conditions are re-read with Python's `ast` (the same grammar `expr` compiles, never evaluated);
effects with `expr`'s own patterns, so the two cannot drift apart.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from neuripsquest.core.world import _PLACEHOLDER, Choice, Scene, World
from neuripsquest.format.spec import SceneSpec
from neuripsquest.lang import expr
from neuripsquest.problems import Problem

# A variable of the game state, by name: ("stat", "energy"), ("flag", "met_vc"),
# ("item", "pretzel"), ("visits", "scene_id"), ("used", "scene.choice"), ("clock", ""),
# ("turn", "").
Var = tuple[str, str]
CLOCK: Var = ("clock", "")
TURN: Var = ("turn", "")


@dataclass
class Cond:
    """What one condition reads."""

    src: str
    tree: ast.expr
    reads: set[Var]
    compared: dict[Var, set[int]]  # var -> constants it is directly compared with
    complex: set[Var]  # vars used otherwise (arithmetic, compared with another var)
    constants: set[int]


@dataclass
class Effect:
    """What one effect does: op is +=, -=, =, set, clear, give, take or advance."""

    src: str
    var: Var
    op: str
    reads: set[Var]  # read by the right-hand side (a stat's own += also reads it)
    const: int | None  # the right-hand side when it is a whole number


@dataclass
class Branch:
    """One way on from a scene: a plain choice, one outcome of a random choice, or one outcome
    of an input. `effects` are all applied in order (a random choice's own, then its
    outcome's), then the target is entered."""

    goto: str
    effects: list[Effect]
    weight: int = 1
    loc: list[Any] = field(default_factory=list)  # where the branch is written, in its file


@dataclass
class ChoiceFacts:
    choice: Choice
    loc: list[Any]  # [scene index in file, "choices", k]
    cond: Cond | None
    branches: list[Branch]


@dataclass
class InputFacts:
    store: str
    conds: list[Cond | None]  # per outcome
    branches: list[Branch]  # per outcome


@dataclass
class SceneFacts:
    scene: Scene
    path: str
    loc: list[Any]  # [scene index in file]
    data: SceneSpec  # the validated scene, as written
    choices: list[ChoiceFacts]
    input: InputFacts | None
    on_enter: list[Effect]
    extras: list[tuple[Cond, list[Any]]]  # (condition, where it is written)
    placeholders: set[str]  # stats shown with {name} in the scene's texts


@dataclass
class Sources:
    """A world with its facts; `world` is None (and facts empty) when it has problems."""

    root: str
    world: World | None
    problems: list[Problem]
    world_path: str = ""
    scenes: dict[str, SceneFacts] = field(default_factory=dict)
    docs: dict[str, Any] = field(default_factory=dict)  # shown path -> yamlsrc.Document

    def where(self, path: str, loc: list[Any], key: bool = False) -> tuple[int, int]:
        doc = self.docs.get(path)
        return doc.where(loc, key) if doc is not None else (1, 1)


def load_or_report(root: str | os.PathLike[str], err: Any) -> Sources | None:
    """`load`, or None after writing the world's problems to `err`: the tools that walk the
    story need a world that checks clean."""
    src = load(root)
    if src.world is None or src.problems:
        for p in src.problems:
            err.write(f"{p.path}:{p.line}:{p.column}: error: {p.message}\n")
        err.write("The world has problems: fix them first (see `neuripsquest check`).\n")
        return None
    return src


def load(root: str | os.PathLike[str]) -> Sources:
    """Read and check the world under `root`; on success, also gather its facts."""
    from neuripsquest.format import yamlsrc
    from neuripsquest.store.loader import read_sources

    world, problems, texts, contents = read_sources(root)
    src = Sources(str(root), world, problems)
    if world is None or problems or contents is None:
        return src
    src.docs = {shown: yamlsrc.read(shown, text) for shown, text in texts}
    src.world_path = contents.world_path
    for path, scenes in contents.files:
        for i, data in enumerate(scenes):
            scene = world.scenes[data.id]
            src.scenes[scene.id] = _scene_facts(world, scene, path, [i], data)
    return src


def load_texts(
    root: str | os.PathLike[str],
    texts: list[tuple[str | os.PathLike[str], str]],
    read: Any = None,
    kept: dict[str, Any] | None = None,
) -> Sources:
    """`load` over (path, text) pairs in memory, world.yaml first (an editor's unsaved
    buffers); `read` stands in for `yamlsrc.read`, as in `loader.read_texts`.

    `kept` (a dict the caller keeps between calls) remembers each file's scene facts: they
    depend only on the file and world.yaml, so while `read` hands back the same documents for
    both, they are reused, bound to the new World's scenes and choices."""
    from dataclasses import replace

    from neuripsquest.format import yamlsrc
    from neuripsquest.store.loader import read_texts

    read = read or yamlsrc.read
    world, problems, shown, contents = read_texts(texts, read)
    src = Sources(str(root), world, problems)
    if world is None or problems or contents is None:
        return src
    src.docs = {path: read(path, text) for path, text in shown}
    src.world_path = contents.world_path
    wdoc = src.docs[src.world_path]
    for path, scenes in contents.files:
        doc = src.docs[path]
        old = kept.get(path) if kept is not None else None
        if old is not None and old[0] is doc and old[1] is wdoc:
            for sf in old[2]:
                scene = world.scenes[sf.scene.id]
                src.scenes[scene.id] = replace(
                    sf,
                    scene=scene,
                    choices=[
                        replace(cf, choice=ch)
                        for cf, ch in zip(sf.choices, scene.choices, strict=True)
                    ],
                )
            continue
        made = []
        for i, data in enumerate(scenes):
            scene = world.scenes[data.id]
            made.append(_scene_facts(world, scene, path, [i], data))
            src.scenes[scene.id] = made[-1]
        if kept is not None:
            kept[path] = (doc, wdoc, made)
    return src


# ---------------------------------------------------------------- conditions


def parse_cond(src: str, world: World) -> Cond:
    """The facts of a condition (or of a number, like the right-hand side of an effect)."""
    text = expr._HAS.sub(lambda m: "has@", src).strip()
    tree = ast.parse(text, mode="eval").body
    c = Cond(src, tree, set(), {}, set(), set())
    _walk(tree, world, c)
    return c


def var_of(node: ast.AST, world: World) -> Var | None:
    """The state variable a name or call stands for (None for constants and slot names)."""
    sym = world.symbols
    if isinstance(node, ast.Name):
        n = node.id
        if n in sym.stats:
            return ("stat", n)
        if n in sym.flags:
            return ("flag", n)
        if n in ("day", "slot"):
            return CLOCK
        if n == "turn":
            return TURN
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
        if isinstance(node.right, ast.Name):
            return ("item", node.right.id)
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name):
        return ("visits", node.args[0].id)
    return None


def const_of(node: ast.AST, world: World) -> int | None:
    """The whole number a node always stands for: a literal, or a slot name."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        v = const_of(node.operand, world)
        return None if v is None else -v
    if isinstance(node, ast.Name) and node.id in world.symbols.slots:
        return world.symbols.slots[node.id]
    return None


def _walk(node: ast.AST, world: World, c: Cond, direct: bool = False) -> None:
    v = var_of(node, world)
    if v is not None:
        c.reads.add(v)
        if not direct and v[0] in ("stat", "visits", "turn", "clock"):
            c.complex.add(v)
        return
    k = const_of(node, world)
    if k is not None:
        c.constants.add(k)
        return
    if isinstance(node, ast.Compare):
        operands = [node.left, *node.comparators]
        vs = [var_of(o, world) for o in operands]
        ks = [const_of(o, world) for o in operands]
        # `clout >= 5`, `2 <= energy <= 5`: one variable, compared only with constants.
        simple = sum(v is not None for v in vs) == 1 and all(
            v is not None or k is not None for v, k in zip(vs, ks, strict=True)
        )
        if simple:
            v = next(v for v in vs if v is not None)
            c.compared.setdefault(v, set()).update(k for k in ks if k is not None)
        for o in operands:
            _walk(o, world, c, direct=simple)
        return
    for child in ast.iter_child_nodes(node):
        _walk(child, world, c)


# ---------------------------------------------------------------- effects


def parse_effect(src: str, world: World) -> Effect:
    m = expr._VERB.match(src)
    if m:
        verb, name = m.group(2), m.group(4)
        kind = "flag" if verb in ("set", "clear") else "item"
        return Effect(src, (kind, name), verb, set(), None)
    m = expr._ADVANCE.match(src)
    if m:
        return Effect(src, CLOCK, "advance", {CLOCK}, None)
    m = expr._ASSIGN.match(src)
    if not m:  # pragma: no cover - the world compiled, so every effect has one of the forms
        raise ValueError(f"not an effect: {src!r}")
    _, name, _, op, rhs = m.groups()
    rc = parse_cond(rhs, world)
    k = const_of(rc.tree, world)
    reads = set(rc.reads)
    if op != "=":
        reads.add(("stat", name))
    return Effect(src, ("stat", name), op, reads, k)


def _effects(srcs: Sequence[str], world: World) -> list[Effect]:
    return [parse_effect(s, world) for s in srcs]


# ---------------------------------------------------------------- scenes


def _scene_facts(
    world: World, scene: Scene, path: str, loc: list[Any], data: SceneSpec
) -> SceneFacts:
    choices = []
    raw_choices = data.choices
    for k, (ch, raw) in enumerate(zip(scene.choices, raw_choices, strict=True)):
        cl = [*loc, "choices", k]
        own = _effects(raw.do, world)
        if raw.random:
            branches = [
                Branch(
                    oc.goto,
                    own + _effects(oc.do, world),
                    oc.weight,
                    [*cl, "random", j],
                )
                for j, oc in enumerate(raw.random)
            ]
        else:
            assert raw.goto is not None  # the world compiled: a choice has goto or random
            branches = [Branch(raw.goto, own, 1, cl)]
        cond = parse_cond(raw.if_, world) if raw.if_ is not None else None
        choices.append(ChoiceFacts(ch, cl, cond, branches))
    inp = None
    if data.input is not None:
        raw_in = data.input
        il = [*loc, "input", "outcomes"]
        inp = InputFacts(
            raw_in.store,
            [parse_cond(o.if_, world) if o.if_ is not None else None for o in raw_in.outcomes],
            [
                Branch(o.goto, _effects(o.do, world), 1, [*il, j])
                for j, o in enumerate(raw_in.outcomes)
            ],
        )
    extras = [
        (parse_cond(ex.if_, world), [*loc, "extra", j, "if"]) for j, ex in enumerate(data.extra)
    ]
    texts = [data.text, *(ex.text for ex in data.extra)]
    texts += [oc.text for ch in raw_choices for oc in (ch.random or ())]
    shown = {
        m.group(1)
        for t in texts
        for m in _PLACEHOLDER.finditer(t)
        if m.group(1) in world.symbols.stats
    }
    return SceneFacts(
        scene,
        path,
        loc,
        data,
        choices,
        inp,
        _effects(data.on_enter, world),
        extras,
        shown,
    )


# ---------------------------------------------------------------- whole-world summaries


@dataclass
class Usage:
    """Where each variable is read and written, across the whole world."""

    reads: dict[Var, list[tuple[str, list[Any]]]] = field(default_factory=dict)
    writes: dict[Var, list[Effect]] = field(default_factory=dict)
    shown: set[str] = field(default_factory=set)  # stats shown through {placeholders}


def usage(src: Sources) -> Usage:
    u = Usage()

    def read(c: Cond | None, path: str, loc: list[Any]) -> None:
        if c is None:
            return
        for v in c.reads:
            u.reads.setdefault(v, []).append((path, loc))

    def wrote(effects: list[Effect], path: str, loc: list[Any]) -> None:
        for e in effects:
            u.writes.setdefault(e.var, []).append(e)
            for v in e.reads:
                if v != e.var:
                    u.reads.setdefault(v, []).append((path, loc))

    for sf in src.scenes.values():
        u.shown |= sf.placeholders
        wrote(sf.on_enter, sf.path, [*sf.loc, "on_enter"])
        for cond, loc in sf.extras:
            read(cond, sf.path, loc)
        for cf in sf.choices:
            read(cf.cond, sf.path, [*cf.loc, "if"])
            for b in cf.branches:
                wrote(b.effects, sf.path, b.loc)
        if sf.input is not None:
            store = ("stat", sf.input.store)
            u.writes.setdefault(store, []).append(
                Effect(f"(typed into {sf.scene.id})", store, "=", set(), None)
            )
            for j, c in enumerate(sf.input.conds):
                read(c, sf.path, [*sf.loc, "input", "outcomes", j, "if"])
            for b in sf.input.branches:
                wrote(b.effects, sf.path, b.loc)
    return u
