"""What a front end shows, computed from (world, state): the one place scene text, the choice
list and the recap are decided, so the TUI, plain mode and the tools show the same thing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from neuripsquest.core.clock import day_name, slot_name, when_clock
from neuripsquest.core.clock import when as when  # front ends word times through view
from neuripsquest.core.money import format_money
from neuripsquest.core.state import State, names_of
from neuripsquest.core.world import Choice, Scene, World
from neuripsquest.i18n import _, is_wide
from neuripsquest.lang.expr import stat_minimums
from neuripsquest.lang.names import PLACEHOLDER


class ChoiceView(NamedTuple):
    # A NamedTuple, not a frozen dataclass: a front end builds one per choice every turn,
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


@dataclass(frozen=True)
class StatView:
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


def choices(world: World, state: State) -> list[ChoiceView]:
    """Choices to show: hidden ones (failed `if`, no `disabled` reason) and used once-only
    ones are left out; the rest are numbered in the writer's order."""
    scene = world.scenes[state.scene]
    used = state.used
    shown = 0  # a bit per choice: shown, open or locked
    locked = 0
    bit = 1
    for ch in scene.choices:
        if not ch.once_bit & used:
            if ch.cond is None or ch.cond(state):
                shown |= bit
            elif ch.disabled is not None:
                shown |= bit
                locked |= bit
        bit <<= 1
    # The same choices open and locked give the same list but for what a locked one needs
    # (which depends on the stats): built once, the needs filled in each time.
    key = (scene.id, shown, locked)
    views = _cache(world, "view.choices").get(key)
    if views is None:
        views = _cache(world, "view.choices")[key] = tuple(_views(scene.choices, shown, locked))
    if not locked:
        return list(views)
    by_id = scene.choice_by_id
    return [
        v if v.enabled else v._replace(needs=unmet(world, state, by_id[v.id].cond_src or ""))
        for v in views
    ]


def _views(all_choices: tuple[Choice, ...], shown: int, locked: int) -> list[ChoiceView]:
    out: list[ChoiceView] = []
    for k, ch in enumerate(all_choices):
        if shown >> k & 1:
            ok = not locked >> k & 1
            reason = "" if ok else ch.disabled or ""
            out.append(ChoiceView(len(out) + 1, ch.id, ch.text, ok, reason))
    return out


def _cache(world: World, name: str) -> dict[Any, Any]:
    """One of the view's tables kept with the world (see World.derived)."""
    table = world.derived.get(name)
    if table is None:
        table = world.derived[name] = {}
    return table


def unmet(world: World, state: State, cond_src: str) -> tuple[str, ...]:
    """The stat thresholds in `cond_src` that `state` falls short of, as "Energy 3"."""
    out = []
    for name, least in stat_minimums(cond_src, world.symbols):  # the tree read at load time
        i = world.symbols.stats[name]
        if state.stats[i] < least:
            out.append(f"{world.stat_labels[i]} {show_number(least)}")
    return tuple(out)


def place(world: World, state: State) -> str:
    p = world.scenes[state.scene].place
    return world.places.get(p, "") if p else ""


def fill(world: World, state: State, text: str) -> str:
    """Replace {stat}, {day} and {slot} placeholders (the loader checked every name)."""
    if "{" not in text:  # most texts have none: no need to run the pattern over them
        return text

    def one(m: re.Match[str]) -> str:
        n = m.group(1)
        if n == "day":
            return day_name(world, state.clock)
        if n == "slot":
            return slot_name(world, state.clock)
        i = world.symbols.stats.get(n)
        if i is None:
            return m.group(0)
        return show_number(state.stats[i])

    return PLACEHOLDER.sub(one, text)


def show_number(v: int) -> str:
    """Stats past a million are amounts of money in any world we know: say them as such."""
    return format_money(v) if v >= 1_000_000 else str(v)


def text(world: World, state: State) -> str:
    """The scene's prose (its `revisit` text on a return) with its extra paragraphs whose
    conditions hold."""
    scene = world.scenes[state.scene]
    which = 1 if scene.revisit is not None and state.visits[world.visit_index[scene.id]] > 1 else 0
    bit = 2
    for cond, _text in scene.extras:
        if cond(state):
            which |= bit
        bit <<= 1
    # The same paragraphs make the same text: put together once, filled in when it has
    # placeholders (few do).
    key = (scene.id, which)
    body = _cache(world, "view.text").get(key)
    if body is None:
        body = _cache(world, "view.text")[key] = _compose(scene, which)
    return fill(world, state, body)


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


@dataclass(frozen=True)
class Recap:
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
