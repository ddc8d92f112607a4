"""What the screens show, computed once per turn from (world, state). Pure: no Textual.

The App builds a `Frame` (or an `EndingView`) after every step and hands it down; widgets only
ever see these plain values, never the world, the state or the engine.

They are records (`records.Record`, NamedTuples made without compiling) rather than
dataclasses: this module is imported when the first game starts, and a frozen dataclass takes
~0.6 ms to make at import, a NamedTuple ~0.15 ms, a record ~0.02 ms
(benchmarks/tui_startup.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from neuripsquest.core.money import format_money
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.play import view
from neuripsquest.records import Record

THREAD_STAT = "hinton"  # the shipped world's Hinton-thread progress, shown on its own


class StatLine(Record):
    name: str
    label: str
    value: int
    min: int
    max: int
    money: bool  # show as an amount rather than a bar

    @property
    def shown(self) -> str:
        if self.money:
            return format_money(self.value) if self.value else "—"
        return f"{self.value}/{self.max}"


class Prompt(Record):
    prompt: str
    hint: str


class Frame(Record):
    scene: str
    title: str
    place: str
    when: str
    text: str  # Markdown
    narration: tuple[str, ...]  # what the last step said happened (random outcome, echo)
    choices: tuple[view.ChoiceView, ...]
    prompt: Prompt | None
    ending: bool
    stats: tuple[StatLine, ...]
    thread: StatLine | None
    items: tuple[str, ...]
    turn: int
    can_undo: bool


def stat_lines(world: World, state: State) -> list[StatLine]:
    return [
        StatLine(s.name, s.label, s.value, s.min, s.max, s.money) for s in view.stats(world, state)
    ]


def build(world: World, state: State, narration: Sequence[str] = ()) -> Frame:
    scene = world.scenes[state.scene]
    text, choices = view.shown(world, state)
    lines = stat_lines(world, state)
    thread = next((s for s in lines if s.name == THREAD_STAT), None)
    prompt = None
    if scene.input is not None:
        prompt = Prompt(scene.input.prompt, scene.input.hint)
    return Frame(
        scene=state.scene,
        title=scene.title,
        place=view.place(world, state),
        when=view.when(world, state),
        text=text,
        narration=tuple(narration),
        choices=choices if scene.ending is None else (),
        prompt=prompt,
        ending=scene.ending is not None,
        stats=tuple(s for s in lines if s.name != THREAD_STAT),
        thread=thread,
        items=tuple(view.items(world, state)),
        turn=state.turn,
        can_undo=bool(state.history),
    )


class ChartLine(Record):
    label: str
    start: int
    end: int
    series: tuple[int, ...]
    money: bool

    def say(self, value: int) -> str:
        return format_money(value) if self.money and value else str(value)


class EndingView(Record):
    ending: str
    title: str  # the ending's title ("Joined a frontier lab")
    text: str  # the epilogue, Markdown
    narration: tuple[str, ...]
    decisions: tuple[str, ...]
    chart: tuple[ChartLine, ...]
    found: tuple[tuple[str, bool], ...]  # (ending title, discovered) for every ending
    can_undo: bool

    @property
    def found_count(self) -> int:
        return sum(1 for _, ok in self.found if ok)


def ending_view(
    world: World, state: State, discovered: set[str], narration: Sequence[str] = ()
) -> EndingView:
    r = view.recap(world, state)
    ranges = dict(zip(world.stat_labels, world.stat_ranges, strict=True))
    chart = tuple(
        ChartLine(
            label, a, b, tuple(r.series.get(label, [a, b])), ranges[label][1] >= view.MONEY_MIN
        )
        for label, a, b in r.stats
    )
    return EndingView(
        ending=r.ending,
        title=r.title,
        text=view.text(world, state),
        narration=tuple(narration),
        decisions=tuple(r.decisions),
        chart=chart,
        found=tuple((title, eid in discovered) for eid, title in world.endings.items()),
        can_undo=bool(state.history),
    )
