"""One line above the scene: its title on the left, the place and the clock on the right."""

from __future__ import annotations

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

    def render(self) -> Text:
        """The cells a two-column Rich grid (padding 1, the title's column taking the rest)
        drew here, laid out by hand: the grid took ~1 ms to lay out at the first scene."""
        width = self.size.width
        meta = Text(self._meta, style="italic", no_wrap=True, overflow="ellipsis")
        meta.truncate(max(width - 2, 1), overflow="ellipsis")  # the title keeps a cell
        room = max(width - meta.cell_len - 1, 1)  # the title and its padding, in bold
        title = Text(self._title, style="bold", no_wrap=True)
        title.truncate(room, overflow="ellipsis", pad=True)
        return Text.assemble(title, " ", meta, no_wrap=True, overflow="crop", end="")
