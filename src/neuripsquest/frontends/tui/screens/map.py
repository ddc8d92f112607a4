"""The map of San Diego: places visited marked, the current one highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from neuripsquest.i18n import N_, _


class MapScreen(ModalScreen[None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Close")),
        Binding("m", "close", "Close", show=False),
    ]

    def __init__(self, drawing: Text, legend: Text) -> None:
        super().__init__(classes="dialog-screen")
        self._drawing = drawing
        self._legend = legend

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="map-dialog"):
            yield Label(_("San Diego  ·  Esc closes"), classes="dialog-title")
            with VerticalScroll(id="map-scroll"):
                yield Static(self._drawing, id="map-drawing")
                yield Static(self._legend, id="map-legend")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
