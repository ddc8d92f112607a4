"""What a front end shows, computed from (world, state): the one place scene text, the choice
list and the recap are decided, so the TUI, plain mode and the tools show the same thing."""

from __future__ import annotations

from typing import Any

from neuripsquest.core.clock import day_name, slot_name, when_clock
from neuripsquest.core.clock import when as when  # front ends word times through view
from neuripsquest.core.money import format_money
from neuripsquest.core.state import State, names_of
from neuripsquest.core.world import Scene, World
from neuripsquest.i18n import _, is_wide
from neuripsquest.lang.expr import stat_minimums
from neuripsquest.lang.names import PLACEHOLDER
from neuripsquest.records import Record


class ChoiceView(Record):
    # A record (a NamedTuple), not a frozen dataclass: a front end builds one per choice,
    # and a tuple is built ten times faster.
    number: int  # 1-based position among the choices shown
    id: str
    text: str
    enabled: bool
    reason: str  # the writer's words for why a dimmed choice is unavailable
    # Stat thresholds of the choice's condition that the player has not reached, such as
    # "Energy 3": worked out from the condition, so writers need not repeat numbers by hand.
    needs: tuple[str, ...] = ()

    @property
    def locked_line(self) -> str:
        """Why the choice is locked, in one bracket-free sentence or two: every front end
        shows this after "Not now:", so the wording is decided once."""
        parts = [sentence(self.reason)] if self.reason.strip() else []
        if self.needs:
            parts.append(_("Needs {stats}.").format(stats=_and(self.needs)))
        joined = "".join(parts) if _ends_wide(parts) else " ".join(parts)
        return joined or _("That is not possible right now.")


def sentence(text: str) -> str:
    """`text` ending like a sentence, so another can follow it on the same line (with a
    full-width 。 after Chinese)."""
    text = text.strip()
    tail = text.rstrip("\"'”’)*_」』）")  # a full stop may sit inside quotes or brackets
    if not text or tail.endswith((".", "!", "?", "…", ":", "。", "！", "？", "：")):
        return text
    return text + ("。" if is_wide(tail[-1:]) else ".")


def _ends_wide(parts: list[str]) -> bool:
    """Chinese sentences follow each other without a space."""
    return len(parts) > 1 and is_wide(parts[0][-1:])


def _and(words: tuple[str, ...]) -> str:
    if len(words) == 1:
        return words[0]
    return _("{list} and {last}").format(list=_(", ").join(words[:-1]), last=words[-1])


class StatView(Record):
    name: str
    label: str
    value: int
    min: int
    max: int

    @property
    def money(self) -> bool:
        """A stat whose range reaches a million is an amount of money (a number the player
        names), not a gauge: front ends say it as money, and not at all before it is set."""
        return self.max >= MONEY_MIN


MONEY_MIN = 1_000_000


def shown(world: World, state: State, with_text: bool = True) -> tuple[str, tuple[ChoiceView, ...]]:
    """What a front end shows of the scene `state` is at: its text (see `text`) and its
    choices (see `choices`), worked out together. Every front end shows both each turn, and
    each is a few tests once the scene's table is found: finding it once, not twice, saves
    about a sixth of their instructions (cachegrind, a walk on 10,000 scenes). Without
    `with_text`, a text that depends on the state is "" and not worked out (for `choices`:
    agents ask for the choices alone)."""
    # A State's fields by index: a NamedTuple's field is read through a descriptor, several
    # times slower than a subscript.
    try:
        show = world.derived["view"][state[0]]  # state.scene
    except KeyError:  # the first time the world or the scene is shown
        show = _show(world, state.scene)
    both = show.both
    if both is not None:  # nothing in the scene depends on the state
        return both

    text = show.plain
    if text is None:  # a return text, paragraphs with conditions, or placeholders
        text = _text(world, state, show) if with_text else ""

    views = show.fixed
    if views is not None:  # no condition, nothing once-only: always the same list
        return text, views
    # The list follows from one number, its key: a bit for each choice shown, one more for
    # each of them locked, and one for each threshold a locked one's condition has that the
    # stats fall short of (its needs), the three sets side by side (see _Show). Each list is
    # built once; a turn only works out the key, testing only the choices that have something
    # to test, each test's bits shifted into place when the scene was first shown.
    used = state[5]  # state.used
    key = show.always
    test: _Show | None = show  # the first test is kept on the scene's _Show (see _link)
    while test is not None:
        if not test.once_bit & used:
            cond = test.cond
            if cond is None or cond(state):
                key |= test.bit
            elif test.lock:  # shown locked, not hidden
                key |= test.lock
                if test.limits:
                    stats = state[1]  # state.stats
                    for i, least, mark in test.limits:
                        if stats[i] < least:
                            key |= mark
        test = test.next
    # The list shown last in this scene, and the one before it, kept on the scene's own
    # table: most turns show one of the two again (a choice open, or locked for want of a
    # stat), and the table is read anyway, where the dict of all lists is two or three more
    # cold reads.
    if key == show.last_key:
        return text, show.last
    if key == show.other_key:
        views = show.other
    else:
        views = show.lists.get(key)
        if views is None:
            views = show.lists[key] = _views(show, key)
    show.other_key, show.other = show.last_key, show.last
    show.last_key, show.last = key, views
    return text, views


def _text(world: World, state: State, show: _Show) -> str:
    """The text of a scene whose text depends on the state (see `shown`)."""
    at = show.revisit_at
    which = 1 if at >= 0 and state[4][at] > 1 else 0  # state.visits
    bit = 2
    for cond in show.extras:
        if cond(state):
            which |= bit
        bit <<= 1
    # The same paragraphs make the same text: put together once, with its placeholders
    # found, and filled in each time (few texts have any).
    body = show.bodies.get(which)
    if body is None:
        body = show.bodies[which] = _parts(world, _compose(show.scene, which))
    return body if type(body) is str else _render(world, state, body)


def text(world: World, state: State) -> str:
    """The scene's prose (its `revisit` text on a return) with its extra paragraphs whose
    conditions hold."""
    return shown(world, state)[0]


def choices(world: World, state: State) -> tuple[ChoiceView, ...]:
    """Choices to show: hidden ones (failed `if`, no `disabled` reason) and used once-only
    ones are left out; the rest are numbered in the writer's order. The tuple is the one kept
    for the scene, handed out as it is (a tuple, so no caller can change what the next is
    given): copying it into a list touched every ChoiceView, cold memory on a large world."""
    return shown(world, state, False)[1]


def _views(show: _Show, key: int) -> tuple[ChoiceView, ...]:
    width = len(show.scene.choices)
    shown, locked, short = key, key >> width, key >> 2 * width
    out: list[ChoiceView] = []
    for k, ch in enumerate(show.scene.choices):
        if not shown >> k & 1:
            continue
        if locked >> k & 1:
            needs = tuple(words for _, _, mark, words in show.needs[k] if short & mark)
            out.append(ChoiceView(len(out) + 1, ch.id, ch.text, False, ch.disabled or "", needs))
        else:
            out.append(ChoiceView(len(out) + 1, ch.id, ch.text, True, ""))
    return tuple(out)


class _Show:
    """What a scene shows that depends on the scene alone, worked out the first time it is
    shown: a turn then only tests conditions and looks up what it built before."""

    # The slots a turn reads first, so that they tend to share the object's first cache line
    # (on a large world this table is cold memory, and each line read from it costs).
    __slots__ = (
        "both",
        "plain",
        "fixed",
        "always",
        # a test (see _link)
        "once_bit",
        "cond",
        "bit",
        "lock",
        "limits",
        "next",
        "last_key",
        "last",
        "other_key",
        "other",
        "lists",
        "scene",
        "needs",
        "revisit_at",
        "extras",
        "bodies",
    )
    once_bit: int
    cond: Any  # the choice's condition, None for none
    bit: int
    lock: int
    limits: tuple[tuple[int, int, int], ...]
    next: _Show | None

    def __init__(self, world: World, scene: Scene):
        self.scene = scene
        # Per choice: its stat thresholds (stat index, least value, its bit among the scene's
        # thresholds, "Energy 3"), for one whose failed condition shows it locked.
        self.needs: list[tuple[tuple[int, int, int, str], ...]] = []
        mark = 1
        for c in scene.choices:
            limits = []
            if c.cond is not None and c.disabled is not None:
                for i, least, words in _thresholds(world, c.cond_src or ""):
                    limits.append((i, least, mark, words))
                    mark <<= 1
            self.needs.append(tuple(limits))
        # The choices always shown (no condition, not once-only), as bits of a key (see
        # shown); and for each of the others: (once bit, condition, its bit shown, its bits
        # shown and locked or 0 when it hides, the thresholds to test when it is locked, each
        # with its bit of the key).
        width = len(scene.choices)
        self.always = 0
        tests = []
        for k, (c, needs) in enumerate(zip(scene.choices, self.needs, strict=True)):
            if not c.once_bit and c.cond is None:
                self.always |= 1 << k
                continue
            lock = (1 << k | 1 << width + k) if c.disabled is not None else 0
            marks = tuple((i, least, mark << 2 * width) for i, least, mark, _ in needs)
            tests.append((c.once_bit, c.cond, 1 << k, lock, marks))
        _link(self, tests)
        self.last_key = self.other_key = -1
        self.last: tuple[ChoiceView, ...] = ()
        self.other: tuple[ChoiceView, ...] = ()
        self.fixed = None if tests else _views(self, self.always)
        self.lists: dict[int, tuple[ChoiceView, ...]] = {}
        revisit = scene.revisit is not None
        self.revisit_at = world.visit_index[scene.id] if revisit else -1
        self.extras = tuple(cond for cond, _ in scene.extras)
        # which paragraphs (see text) -> the text, or its parts when it has placeholders
        self.bodies: dict[int, str | tuple[str | int, ...]] = {}
        # the text of a scene shown the same way every time (no return text, no extras, no
        # placeholders), or None
        plain = None if revisit or self.extras else _parts(world, _compose(scene, 0))
        self.plain = plain if isinstance(plain, str) else None
        fixed = self.fixed
        self.both = None if self.plain is None or fixed is None else (self.plain, fixed)


_Test = tuple[int, Any, int, int, tuple[tuple[int, int, int], ...]]


def _link(show: _Show, tests: list[_Test]) -> None:
    """Keep the scene's tests as a chain whose first link is `show` itself. On a large world
    each object a turn reads is a read of cold memory, and a tuple of test tuples was two
    more of them than a test kept on the object the turn has read already. The later links
    are _Show objects too, with only a test's slots set, so that the loop in `shown` reads
    attributes of one class (CPython specialises each read to one class)."""
    link: _Show | None = None
    for k in range(len(tests) - 1, -1, -1):
        here = show if k == 0 else object.__new__(_Show)
        here.once_bit, here.cond, here.bit, here.lock, here.limits = tests[k]
        here.next, link = link, here
    if not tests:  # nothing to test: `shown` returns the fixed list before the loop
        show.next = None


def _show(world: World, sid: str) -> _Show:
    """The scene's _Show, made the first time the scene is shown (a world loaded lazily from
    the cache compiles a scene only when the game reaches it). The table of them is a plain
    dict, not a dict subclass with `__missing__`: CPython subscripts a subclass of dict through
    a call of its `__getitem__`, which on a turn cost more than the rest of the lookup."""
    shows = world.derived.setdefault("view", {})
    show = shows.get(sid)
    if show is None:
        show = shows[sid] = _Show(world, world.scenes[sid])  # unknown: the KeyError it was
    return show


def _thresholds(world: World, cond_src: str) -> tuple[tuple[int, int, str], ...]:
    """unmet's thresholds of a condition, each with its words, worked out once."""
    out = []
    for name, least in stat_minimums(cond_src, world.symbols):  # the tree read at load time
        i = world.symbols.stats[name]
        out.append((i, least, f"{world.stat_labels[i]} {show_number(least)}"))
    return tuple(out)


def unmet(world: World, state: State, cond_src: str) -> tuple[str, ...]:
    """The stat thresholds in `cond_src` that `state` falls short of, as "Energy 3"."""
    return tuple(
        label for i, least, label in _thresholds(world, cond_src) if state.stats[i] < least
    )


def place(world: World, state: State) -> str:
    p = world.scenes[state.scene].place
    return world.places.get(p, "") if p else ""


def fill(world: World, state: State, text: str) -> str:
    """Replace {stat}, {day} and {slot} placeholders (the loader checked every name)."""
    if "{" not in text:  # most texts have none: no need to run the pattern over them
        return text
    return _render(world, state, _parts(world, text))


_DAY, _SLOT = -1, -2  # placeholders in a text's parts that are not stats


def _parts(world: World, text: str) -> str | tuple[str | int, ...]:
    """`text` as it is filled in: itself when it has no placeholders, else its pieces in
    order, the literal ones as strings and each placeholder as what it reads, _DAY, _SLOT or a
    stat's index (a name that is none of these stays as written, as the pattern left it)."""
    pieces = PLACEHOLDER.split(text)  # literal, name, literal, name, ..., literal
    if len(pieces) == 1:
        return text
    out: list[str | int] = []
    for k, piece in enumerate(pieces):
        if not k % 2:
            if piece:
                out.append(piece)
        elif piece == "day":
            out.append(_DAY)
        elif piece == "slot":
            out.append(_SLOT)
        else:
            i = world.symbols.stats.get(piece)
            out.append("{" + piece + "}" if i is None else i)
    return tuple(out)


def _render(world: World, state: State, parts: str | tuple[str | int, ...]) -> str:
    if type(parts) is str:
        return parts
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        elif p == _DAY:
            out.append(day_name(world, state.clock))
        elif p == _SLOT:
            out.append(slot_name(world, state.clock))
        else:
            out.append(show_number(state.stats[p]))
    return "".join(out)


def show_number(v: int) -> str:
    """Stats past a million are amounts of money in any world we know: say them as such."""
    return format_money(v) if v >= 1_000_000 else str(v)


def _compose(scene: Scene, which: int) -> str:
    body = scene.revisit if which & 1 and scene.revisit is not None else scene.text
    # back again: the short text, not the introduction
    extras = [t.strip() for k, (_, t) in enumerate(scene.extras) if which >> (k + 1) & 1]
    return "\n\n".join([body.strip(), *extras])


def stats(world: World, state: State) -> list[StatView]:
    return [
        StatView(n, label, v, lo, hi)
        for n, label, v, (lo, hi) in zip(
            world.stat_names, world.stat_labels, state.stats, world.stat_ranges, strict=True
        )
    ]


def items(world: World, state: State) -> list[str]:
    return [world.item_titles[n] for n in names_of(state.items, world.item_names)]


def flags(world: World, state: State) -> list[str]:
    return names_of(state.flags, world.flag_names)


class Recap(Record):
    ending: str
    title: str
    decisions: list[str]  # what the player did, in the writer's words
    stats: list[tuple[str, int, int]]  # (label, at the start, at the end)
    series: dict[str, list[int]]  # label -> value each time the clock moved


def recap(world: World, state: State) -> Recap:
    ending = world.scenes[state.scene].ending or ""
    # a flag with no note is the game's own bookkeeping (the hidden card), not a decision
    decisions = [world.flag_notes[n] for n in flags(world, state) if world.flag_notes[n]]
    start = state.trail[0][1] if state.trail else world.stat_initial
    series = {
        label: [s[i] for _, s in state.trail] + [state.stats[i]]
        for i, label in enumerate(world.stat_labels)
    }
    return Recap(
        ending=ending,
        title=world.endings.get(ending, ""),
        decisions=decisions,
        stats=[
            (label, a, b) for label, a, b in zip(world.stat_labels, start, state.stats, strict=True)
        ],
        series=series,
    )


def describe(world: World, event: object, state: State | None = None) -> str:
    """One line for an event, as plain mode prints it and the TUI toasts it; "" for events
    that need no words (entering a scene is shown by the scene itself)."""
    from neuripsquest.core import engine as e

    if isinstance(event, e.StatChanged):
        i = world.symbols.stats[event.name]
        label = world.stat_labels[i]
        delta = event.new - event.old
        if abs(delta) >= 1_000_000 or event.new >= 1_000_000:
            return _("{label}: {amount}").format(label=label, amount=format_money(event.new))
        return _("{label} {delta} (now {value})").format(
            label=label, delta=f"{delta:+d}", value=event.new
        )
    if isinstance(event, e.ItemChanged):
        title = world.item_titles[event.name]
        said = _("You now have: {item}") if event.gained else _("You no longer have: {item}")
        return said.format(item=title)
    if isinstance(event, e.ClockMoved):
        return _("Time passes: it is {time}.").format(time=when_clock(world, event.new))
    if isinstance(event, e.Narration):
        return fill(world, state, event.text.strip()) if state else event.text.strip()
    if isinstance(event, e.Accepted):
        return _("You said: {amount}").format(amount=said_back(event))
    if isinstance(event, e.Rejected):
        return _("{reason} {hint}").format(reason=event.reason, hint=event.hint).strip()
    if isinstance(event, e.Ended):
        return _("THE END: {title}").format(title=event.title)
    return ""


def said_back(event: Any) -> str:
    """An accepted answer as the game says it back: the engine's words ("$100 million", "no
    number"), or the same amount in the interface language."""
    if event.shown == "no number":
        return _("no number")
    return format_money(event.amount)
