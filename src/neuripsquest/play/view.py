"""What a front end shows, computed from (world, state): the one place scene text, the choice
list and the recap are decided, so the TUI, plain mode and the tools show the same thing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from neuripsquest.core.clock import day_name, slot_name, when_clock
from neuripsquest.core.clock import when as when  # front ends word times through view
from neuripsquest.core.money import format_money
from neuripsquest.core.state import State, names_of
from neuripsquest.core.world import World
from neuripsquest.lang.expr import stat_minimums
from neuripsquest.lang.names import PLACEHOLDER


@dataclass(frozen=True)
class ChoiceView:
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
            parts.append(f"Needs {_and(self.needs)}.")
        return " ".join(parts) or "That is not possible right now."


def sentence(text: str) -> str:
    """`text` ending like a sentence, so another can follow it on the same line."""
    text = text.strip()
    tail = text.rstrip("\"'”’)*_")  # a full stop may sit inside quotes or brackets
    return text if not text or tail.endswith((".", "!", "?", "…", ":")) else text + "."


def _and(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


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
    out: list[ChoiceView] = []
    for ch in world.scenes[state.scene].choices:
        if ch.once_bit & state.used:
            continue
        ok = ch.cond is None or bool(ch.cond(state))
        if ok:
            out.append(ChoiceView(len(out) + 1, ch.id, ch.text, True, ""))
        elif ch.disabled is not None:
            needs = unmet(world, state, ch.cond_src or "")
            out.append(ChoiceView(len(out) + 1, ch.id, ch.text, False, ch.disabled, needs))
    return out


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
    parts = [scene.text.strip()]
    if scene.revisit is not None and state.visits[world.visit_index[scene.id]] > 1:
        parts = [scene.revisit.strip()]  # back again: the short text, not the introduction
    parts.extend(t.strip() for cond, t in scene.extras if cond(state))
    return fill(world, state, "\n\n".join(parts))


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
            return f"{label}: {format_money(event.new)}"
        return f"{label} {delta:+d} (now {event.new})"
    if isinstance(event, e.ItemChanged):
        title = world.item_titles[event.name]
        return f"You now have: {title}" if event.gained else f"You no longer have: {title}"
    if isinstance(event, e.ClockMoved):
        return f"Time passes: it is {when_clock(world, event.new)}."
    if isinstance(event, e.Narration):
        return fill(world, state, event.text.strip()) if state else event.text.strip()
    if isinstance(event, e.Accepted):
        return f"You said: {event.shown}"
    if isinstance(event, e.Rejected):
        return f"{event.reason} {event.hint}".strip()
    if isinstance(event, e.Ended):
        return f"THE END: {event.title}"
    return ""
