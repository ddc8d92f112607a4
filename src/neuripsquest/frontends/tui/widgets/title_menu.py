"""The title menu: a few lines, arrows + Enter, a letter, or a click.

A single light widget rather than an OptionList, because it is on the first frame and every
millisecond there counts (benchmarks/tui_startup.py): one render, no child widgets.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from neuripsquest.frontends.tui.messages import MenuPicked
from neuripsquest.records import Record


class Entry(Record):  # not a dataclass: one takes ~0.5 ms to make, before the title
    action: str  # what MenuPicked carries: new, continue, load, settings, quit
    label: str
    key: str
    note: str = ""
    disabled: bool = False


class TitleMenu(Widget, can_focus=True):
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("enter", "choose", "Choose", show=False),
    ]
    COMPONENT_CLASSES = {
        "title-menu--cursor",
        "title-menu--key",
        "title-menu--disabled",
        "title-menu--border",
    }
    DEFAULT_CSS = """
    TitleMenu { height: auto; width: 100%; }
    TitleMenu > .title-menu--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    TitleMenu > .title-menu--key { color: $text-muted; }
    TitleMenu > .title-menu--disabled { color: $text-disabled; }
    TitleMenu > .title-menu--border { color: $primary; }
    """
    BOX = 44  # the menu is drawn as a box this wide (less on a narrow terminal), centered

    cursor = reactive(0)

    def __init__(self, entries: Sequence[Entry], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries = list(entries)

    def set_entries(self, entries: Sequence[Entry]) -> None:
        self.entries = list(entries)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.entries) + 2

    def _geometry(self) -> tuple[int, int]:
        """(left margin, box width) for the current size."""
        width = self.content_region.width or self.BOX
        # wide enough for the longest entry (Continue says where the run is), if it fits
        # (in cells: a Chinese character takes two)
        longest = max((cell_len(e.label) + cell_len(e.note) + 8 for e in self.entries), default=0)
        box = max(min(max(self.BOX, longest), width), 12)
        return max((width - box) // 2, 0), box

    def render(self) -> Text:
        cursor = self.get_component_rich_style("title-menu--cursor")
        key = self.get_component_rich_style("title-menu--key")
        dim = self.get_component_rich_style("title-menu--disabled")
        border = self.get_component_rich_style("title-menu--border")
        left, box = self._geometry()
        pad = " " * left
        out = Text(no_wrap=True, overflow="crop")
        out.append(pad)
        out.append("╭" + "─" * (box - 2) + "╮", style=border)
        for i, e in enumerate(self.entries):
            line = Text.assemble(" ", (e.key, key), "  ", e.label)
            if e.note:
                line.append(f"  {e.note}", style="italic")
            if e.disabled:
                line.stylize(dim)
            line.truncate(box - 2, overflow="ellipsis", pad=True)
            if i == self.cursor and self.has_focus:
                line.stylize(cursor)
            out.append("\n" + pad)
            out.append("│", style=border)
            out.append_text(line)
            out.append("│", style=border)
        out.append("\n" + pad)
        out.append("╰" + "─" * (box - 2) + "╯", style=border)
        return out

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, step: int) -> None:
        n = len(self.entries)
        for k in range(1, n + 1):  # skip entries that are off
            i = (self.cursor + step * k) % n
            if not self.entries[i].disabled:
                self.cursor = i
                return

    def cursor_to(self, action: str) -> None:
        for i, e in enumerate(self.entries):
            if e.action == action and not e.disabled:
                self.cursor = i
                return

    def action_choose(self) -> None:
        self._pick(self.cursor)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = offset.y - 1  # under the top border
        left, box = self._geometry()
        if 0 <= index < len(self.entries) and left <= offset.x < left + box:
            self.cursor = index
            self._pick(index)

    def _pick(self, index: int) -> None:
        entry = self.entries[index]
        if not entry.disabled:
            self.post_message(MenuPicked(entry.action))
