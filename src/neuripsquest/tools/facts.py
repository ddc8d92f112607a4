"""What the writers' tools know about a world beyond the compiled World.

The engine's World holds closures; the linter, the explorer and the random tester also need to
know what each condition reads and each effect writes (by name), and where in which file every
scene, choice and condition is written. `load` reads a world the way `check` does and returns
both: the compiled World and, beside it, these facts.

Conditions and effects are the trees the world's loader already read (`lang.expr.condition`,
`lang.expr.effect`), analysed by `lang.analyse`: one reading of the language for everyone.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from neuripsquest.core.world import Choice, Scene, World
from neuripsquest.format.spec import Contents, SceneSpec
from neuripsquest.lang import analyse, ir
from neuripsquest.lang.analyse import Var
from neuripsquest.lang.expr import condition, effect
from neuripsquest.lang.names import PLACEHOLDER
from neuripsquest.problems import Problem, plural


@dataclass
class Cond:
    """What one condition reads."""

    src: str
    expr: ir.Expr
    reads: set[Var]
    compared: dict[Var, set[int]]  # var -> constants it is directly compared with
    complex: set[Var]  # vars used otherwise (arithmetic, compared with another var)
    constants: set[int]


@dataclass
class Effect:
    """What one effect does. `node` is None for a stat the player types in (an input scene's
    store), which is set to whatever they type."""

    src: str
    node: ir.Effect | None
    var: Var
    reads: set[Var]  # read by the right-hand side (a stat's own += also reads it)
    const: int | None  # the right-hand side when it is a constant
    replaces: bool  # the result ignores the old value (set, clear, give, take, stat = ...)


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


STORY_ANALYSIS = "story analysis"


def load_or_report(
    root: str | os.PathLike[str], err: Any, what: str = STORY_ANALYSIS
) -> Sources | None:
    """`load`, or None after writing the world's problems to `err` and that `what` (the
    tool's work) was skipped: the tools that walk the story need a world that checks clean."""
    src = load(root)
    if src.world is None or src.problems:
        for p in src.problems:
            err.write(f"{p.path}:{p.line}:{p.column}: error: {p.message}\n")
        err.write(skipped(len(src.problems), what) + "\n")
        return None
    return src


def skipped(problems: int, what: str) -> str:
    """What every tool that needs a clean world says when it has problems instead."""
    return (
        f"{plural(max(problems, 1), 'problem')} found; {what} was skipped: fix these first "
        "(see `neuripsquest check`)"
    )


def load(root: str | os.PathLike[str]) -> Sources:
    """Read and check the world under `root`; on success, also gather its facts."""
    from neuripsquest.format import yamlsrc
    from neuripsquest.store.loader import read_sources

    parsed: dict[str, Any] = {}

    def read(path: str, text: str, **options: Any) -> Any:
        # The facts point into the documents the check just read: keep them, not parse twice.
        doc = parsed.get(path)
        if doc is None:
            doc = parsed[path] = yamlsrc.read(path, text, **options)
        return doc

    world, problems, texts, contents = read_sources(root, read)
    return _gather(Sources(str(root), world, problems), texts, contents, read, None)


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
    from neuripsquest.format import yamlsrc
    from neuripsquest.store.loader import read_texts

    read = read or yamlsrc.read
    world, problems, shown, contents = read_texts(texts, read)
    return _gather(Sources(str(root), world, problems), shown, contents, read, kept)


def _gather(
    src: Sources,
    shown: list[tuple[str, str]],
    contents: Contents | None,
    read: Any,
    kept: dict[str, Any] | None,
) -> Sources:
    """The facts of every scene of a world that checked clean (`src` as it is otherwise)."""
    from dataclasses import replace

    world = src.world
    if world is None or src.problems or contents is None:
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


# ---------------------------------------------------------------- conditions and effects


def parse_cond(src: str, world: World) -> Cond:
    """The facts of a condition."""
    e = condition(src, world.symbols)
    c = analyse.comparisons(e)
    return Cond(src, e, analyse.reads(e), c.compared, c.complex, c.constants)


def parse_effect(src: str, world: World) -> Effect:
    e = effect(src, world.symbols)
    const = ir.fold(e.rhs, slots=True) if isinstance(e, ir.StatAssign) else None
    return Effect(src, e, analyse.written(e), analyse.effect_reads(e), const, analyse.replaces(e))


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
        for m in PLACEHOLDER.finditer(t)
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
                Effect(f"(typed into {sf.scene.id})", None, store, set(), None, True)
            )
            for j, c in enumerate(sf.input.conds):
                read(c, sf.path, [*sf.loc, "input", "outcomes", j, "if"])
            for b in sf.input.branches:
                wrote(b.effects, sf.path, b.loc)
    return u
