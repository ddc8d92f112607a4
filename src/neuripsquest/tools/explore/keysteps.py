"""The walk's shortcut: a successor's key worked out from its parent's key, without the engine.

A way on (a choice, or one outcome of a random choice, and entering its target) changes only
the values its effects, the target's entry effects and the step itself write (the target's
visit count, the once-only mark, the turn). In the successor's key every other value is the
parent's, copied bit for bit (the liveness analysis keeps at a scene everything live at the
scenes after it that the way does not write). The written values depend only on the values
the way reads, so they are remembered per class of ways that read and write alike (the same
effects, at any scene) and per the bits of the parent's key they read. Whether a choice is
open is remembered the same way, per condition and the bits it reads.

So a state the tables already answer for costs a few dict lookups and int operations, and is
never built: the walk keeps a recipe for it (its first parent and the way from there) and has
the engine build it only when a table has no answer yet. That is exactly the state the plain
walk would have built, so the answer the engine gives (and every key after it) is the same.

Only the reduced keys are answered for: `--full-keys` keys leave out the turn, which a
condition may read, so the full walk always plays through the engine.
"""

from __future__ import annotations

from typing import Any

from neuripsquest.core import engine
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.lang.analyse import TURN, Var
from neuripsquest.tools.explore.abstraction import (
    Layout,
    Packing,
    field_mask,
    full_key,
    layout_mask,
    packing,
)
from neuripsquest.tools.facts import Sources

# A choice as the shortcut takes it: (its once-only mark's bit in a key or 0, the table of
# its condition or None, the bits the condition reads, its ways), and a way: (action code,
# its class's table, the bits it reads, the bits copied, the bits it writes that the target
# keeps, the target's number).
Way = tuple[int, dict[int, int], int, int, int, int]
Choice = tuple[int, dict[int, bool] | None, int, tuple[Way, ...]]

# A recipe for a state not built yet: [the state or None, its parent's recipe, action code].
Recipe = list[Any]

KNOWN = {"stat", "flag", "item", "visits", "used", "clock", "turn"}


class KeySteps:
    """The shortcut for one world: which bits each way reads, copies and writes, worked out
    once, and its tables, filled in as a walk goes and emptied for the next (`clear`)."""

    def __init__(
        self,
        src: Sources,
        lays: dict[str, Layout],
        every: Layout,
        base: dict[str, dict[str, int]],
    ):
        world = src.world
        assert world is not None
        self.world = world
        # a state's key with every value in it, capped as the scenes' are
        self.full = full_key(world, every)
        at = packing(world, every)
        self.scene_bits = (1 << at.flags) - 1
        number = {sid: i for i, sid in enumerate(world.scenes)}
        live = {sid: layout_mask(lay, at) for sid, lay in lays.items()}
        masks = _Masks(world, at)
        way_tabs: dict[Any, dict[int, int]] = {}
        cond_tabs: dict[Any, dict[int, bool]] = {}
        # scene number -> its choices; None for a scene with typed input, left to the engine
        self.plan: list[tuple[Choice, ...] | None] = []
        self.codes: dict[int, tuple[str, int]] = {}  # code -> (choice id, outcome or -1)
        self.way_of: dict[int, Way] = {}
        asks: list[Any] = []  # per scene: what its choices' being open depends on
        for sid in world.scenes:  # in the order of the scenes' numbers in a key
            sf = src.scenes[sid]
            if sf.input is not None:
                self.plan.append(None)
                asks.append(None)
                continue
            choices = []
            ask = []
            for cf in sf.choices:
                ch = cf.choice
                ubit = ch.once_bit << at.used
                tab, cmask = None, 0
                if cf.cond is not None:
                    cmask = masks.of(cf.cond.reads) & live[sid]
                    tab = cond_tabs.setdefault((cf.cond.src, cmask), {})
                ask.append((ubit, cmask, None if cf.cond is None else cf.cond.src))
                ways = []
                for k, b in enumerate(cf.branches):
                    code = base[sid][ch.id] + k
                    entry = src.scenes[b.goto].on_enter
                    effects = [*b.effects, *entry]
                    written: set[Var] = {e.var for e in effects} | {TURN}
                    if b.goto in world.visit_index:
                        written.add(("visits", b.goto))
                    if ch.once_bit:
                        written.add(("used", f"{sid}.{ch.id}"))
                    reads = set(written).union(*(e.reads for e in effects))
                    wmask = masks.of(written)
                    rmask = masks.of(reads) & live[sid]
                    # Effects alike by their text (one text, one meaning, in one world); the
                    # visit counted is the target's, between the way's and the entry's effects.
                    vi = world.visit_index.get(b.goto, -1)
                    cls: Any = (*[e.src for e in effects], vi, ubit, rmask)
                    if any(e.node is None for e in effects):  # not as written: a class of its own
                        cls = (sid, ch.id, k)
                    way = self.way_of[code] = (
                        code,
                        way_tabs.setdefault(cls, {}),
                        rmask,
                        live[b.goto] & ~wmask,
                        live[b.goto] & wmask,
                        number[b.goto],
                    )
                    ways.append(way)
                    self.codes[code] = (ch.id, k if ch.goto is None else -1)
                choices.append((ubit, tab, cmask, tuple(ways)))
            self.plan.append(tuple(choices))
            asks.append(tuple(ask))
        # Which choices are open (a mask of their places), by the bits every condition there
        # and every once-only mark read: one lookup a state where the conditions' own tables
        # take one a choice. Shared by scenes whose choices ask the same (the same
        # conditions, reading the same bits, and no once-only marks of their own); then,
        # per scene, the ways of those choices.
        self.open_bits = [0 if cs is None else _reads(cs) for cs in self.plan]
        open_tabs: dict[Any, dict[int, int]] = {}
        self.opened: list[dict[int, int] | None] = [
            None if a is None else open_tabs.setdefault(a, {}) for a in asks
        ]
        self.ways_open: list[dict[int, tuple[Way, ...]]] = [{} for _ in self.plan]
        self.tables: list[dict[int, Any]] = [*way_tabs.values(), *cond_tabs.values()]
        self.tables += [*open_tabs.values(), *self.ways_open]

    def clear(self) -> None:
        """Empty the tables, so that a walk costs what the first one does."""
        for tab in self.tables:
            tab.clear()

    def row(self, key: int) -> list[tuple[int, int]] | None:
        """Every way on from the state with `key`, as (action code, successor's key), in the
        engine's order; None when a table has no answer yet."""
        sn = key & self.scene_bits
        opened = self.opened[sn]
        if opened is None:
            return None
        bits = key & self.open_bits[sn]
        which = opened.get(bits)
        if which is None:
            which = self._open(self.plan[sn], key)  # type: ignore[arg-type]
            if which is None:
                return None
            opened[bits] = which
        ways = self.ways_open[sn].get(which)
        if ways is None:
            ways = self.ways_open[sn][which] = tuple(
                w
                for i, c in enumerate(self.plan[sn])  # type: ignore[arg-type]
                if which >> i & 1
                for w in c[3]
            )
        out = []
        for code, wtab, rmask, copy, wkeep, target in ways:
            got = wtab.get(key & rmask)
            if got is None:
                return None
            out.append((code, target | key & copy | got & wkeep))
        return out

    @staticmethod
    def _open(choices: tuple[Choice, ...], key: int) -> int | None:
        """Which choices are open from the state with `key` (bit i for the i-th), from the
        conditions' tables; None when one has no answer yet."""
        which = 0
        for i, (ubit, tab, cmask, _) in enumerate(choices):
            if key & ubit:
                continue
            if tab is not None:
                ok = tab.get(key & cmask)
                if not ok:
                    if ok is None:
                        return None
                    continue
            which |= 1 << i
        return which

    def learn(self, key: int, found: list[tuple[int, int, State]]) -> None:
        """Fill the tables from what the engine found from the state with `key`: the ways on
        it gave, as (action code, successor's key, successor)."""
        choices = self.plan[key & self.scene_bits]
        if choices is None:
            return
        taken = {code for code, _, _ in found}
        for ubit, tab, cmask, ways in choices:
            # a choice taken already (its mark set) was not asked its condition
            if tab is not None and not key & ubit:
                tab[key & cmask] = ways[0][0] in taken
        full, way_of = self.full, self.way_of
        for code, _, new in found:
            _, wtab, rmask, _, _, _ = way_of[code]
            wtab[key & rmask] = full(new)

    def build(self, recipe: Recipe) -> State:
        """The state a recipe stands for, built by the engine (and the recipes it needed)."""
        chain = []
        while recipe[0] is None:
            chain.append(recipe)
            recipe = recipe[1]
        s = recipe[0]
        world, codes = self.world, self.codes
        for r in reversed(chain):
            cid, k = codes[r[2]]
            s = engine.choice_results(world, s, cid)[max(k, 0)]
            r[0], r[1] = s, None
        return s


def _reads(choices: tuple[Choice, ...]) -> int:
    m = 0
    for ubit, _, cmask, _ in choices:
        m |= ubit | cmask
    return m


class _Masks(dict[Var, int]):
    """Var -> the bits of a key that hold it, worked out once each."""

    def __init__(self, world: World, at: Packing):
        super().__init__()
        self.world, self.at = world, at

    def __missing__(self, v: Var) -> int:
        if v[0] not in KNOWN:
            raise ValueError(f"a value the shortcut does not know: {v}")
        m = self[v] = field_mask(self.world, {v}, self.at)
        return m

    def of(self, vs: set[Var]) -> int:
        m = 0
        for v in vs:
            m |= self[v]
        return m
