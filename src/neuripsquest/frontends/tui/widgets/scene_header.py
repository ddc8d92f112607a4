"""One line above the scene: its title on the left, the place and the clock on the right."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widget import Widget


class SceneHeader(Widget):
    DEFAULT_CSS = """
    SceneHeader { height: 1; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = ""
        self._meta = ""

    def show(self, title: str, place: str, when: str) -> None:
        meta = f"{place} · {when}" if place else when
        if (title, meta) != (self._title, self._meta):
            self._title, self._meta = title, meta
            self.refresh()

    def render(self) -> Table:
        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True, overflow="ellipsis")
        grid.add_row(Text(self._title, style="bold"), Text(self._meta, style="italic"))
        return grid
