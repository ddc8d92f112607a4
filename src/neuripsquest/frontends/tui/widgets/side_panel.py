"""The side panel: stats as bars between their min and max, the Hinton thread (when the world
has one), and what the player carries. It collapses on narrow terminals (its styles, below)."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from neuripsquest.frontends.tui.frame import Frame, StatLine
from neuripsquest.i18n import _

LABEL = 10
VALUE = 5


def bar(value: int, lo: int, hi: int, width: int) -> Text:
    span = max(hi - lo, 1)
    filled = round((min(max(value, lo), hi) - lo) * width / span)
    return Text.assemble(("━" * filled, "bold"), ("─" * (width - filled), "dim"))


def stat_row(s: StatLine, width: int) -> Text:
    label = Text(s.label, no_wrap=True)
    if s.money:
        value = Text(s.shown, style="bold")
        label.truncate(max(width - value.cell_len - 1, 3), overflow="ellipsis")
        gap = max(width - label.cell_len - value.cell_len, 1)
        return Text.assemble(label, " " * gap, value)
    bar_width = max(width - LABEL - VALUE - 2, 3)
    gauge = Text.assemble(
        bar(s.value, s.min, s.max, bar_width), " ", (s.shown.rjust(VALUE), "bold")
    )
    if label.cell_len > LABEL:
        # A long label (the Chinese one for the Guess Who counter is 20 cells) gets a line of
        # its own rather than being cut to a stub no reader can tell from the others.
        label.truncate(width, overflow="ellipsis")
        return Text.assemble(label, "\n", " " * (LABEL + 1), gauge)
    label.truncate(LABEL, overflow="ellipsis", pad=True)
    return Text.assemble(label, " ", gauge)


def thread_row(s: StatLine, width: int) -> Text:
    steps = max(s.max - s.min, 1)
    done = min(max(s.value - s.min, 0), steps)
    if steps <= (width - 6) // 2:
        dots = Text(" ").join(
            [Text("●", style="bold")] * done + [Text("○", style="dim")] * (steps - done)
        )
    else:
        dots = bar(s.value, s.min, s.max, max(width - 7, 3))
    return Text.assemble(dots, " ", (f"{done}/{steps}", "bold"))


class SidePanel(VerticalScroll):
    # Its rules, read the first time a panel is made (the game screen makes it when it first
    # shows: not at the first scene at 80 columns). Not scoped: they name the game screen's
    # classes. It shows from 100 columns (.-wide) unless the player hid it; p shows or hides
    # it at any width (.-panel-shown / .-panel-hidden, kept in the settings).
    SCOPED_CSS = False
    DEFAULT_CSS = """
    #side {
        display: none;
        width: 27;
        height: 1fr;
        border-left: vkey $panel-lighten-1;
        padding: 0 1;
        background: $surface;
    }
    #side Static {
        margin-bottom: 1;
    }
    #game.-wide #side {
        display: block;
    }
    #game.-panel-hidden #side {
        display: none;
    }
    #game.-panel-shown #side {
        display: block;
    }
    #game.-narrow.-panel-shown #side {
        width: 24;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._frame: Frame | None = None
        self.can_focus = False

    def compose(self) -> ComposeResult:
        yield Static(id="panel-stats")
        yield Static(id="panel-thread")
        yield Static(id="panel-items")

    def show(self, frame: Frame) -> None:
        old = self._frame
        self._frame = frame
        if old is None or (old.stats, old.thread, old.items) != (
            frame.stats,
            frame.thread,
            frame.items,
        ):
            self._paint()  # most steps change none of it: no repaint, no new layout

    def on_resize(self) -> None:
        self._paint()

    def _paint(self) -> None:
        f = self._frame
        if f is None or not self.is_mounted:
            return
        width = max(self.scrollable_content_region.width, 12)
        stats = [Text(_("Stats"), style="bold underline")]
        stats += [stat_row(s, width) for s in f.stats]
        self.query_one("#panel-stats", Static).update(Group(*stats))
        thread = self.query_one("#panel-thread", Static)
        thread.display = f.thread is not None
        if f.thread is not None:
            thread.update(
                Group(Text(f.thread.label, style="bold underline"), thread_row(f.thread, width))
            )
        carried = [Text(_("Carrying"), style="bold underline")]
        carried += [Text(f"• {name}") for name in f.items] or [Text(_("nothing yet"), style="dim")]
        self.query_one("#panel-items", Static).update(Group(*carried))
