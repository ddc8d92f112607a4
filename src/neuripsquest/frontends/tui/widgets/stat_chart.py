"""The week's stats as sparklines for the ending screen: label, the curve, start → end."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Sparkline

from neuripsquest.frontends.tui.frame import ChartLine


class StatChart(Vertical):
    DEFAULT_CSS = """
    StatChart { height: auto; }
    StatChart > Horizontal { height: 1; }
    StatChart .chart-label { width: 14; text-overflow: ellipsis; text-wrap: nowrap; }
    StatChart Sparkline { width: 1fr; min-width: 8; margin: 0 1; }
    StatChart .chart-change { width: 26; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, lines: Sequence[ChartLine], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines = tuple(lines)

    def compose(self) -> ComposeResult:
        for line in self._lines:
            change = f"{line.say(line.start)} → {line.say(line.end)}"
            if line.end != line.start:
                delta = line.end - line.start
                change += f" ({delta:+d})" if not line.money else ""
            with Horizontal():
                yield Label(line.label, classes="chart-label")
                yield Sparkline(list(line.series), summary_function=max)
                yield Label(change, classes="chart-change")
