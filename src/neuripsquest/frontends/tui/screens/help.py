"""Every key, from the one table in keys.py."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from neuripsquest.i18n import N_, _


def keys_table(rows: Sequence[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    # fold: a Chinese sentence is one long "word" to Rich, which would cut it with an ellipsis
    table.add_column(overflow="fold")
    for key, what in rows:
        table.add_row(key, _(what))
    return table


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Close")),
        Binding("question_mark", "close", N_("Close"), show=False),
    ]

    def __init__(
        self, sections: Sequence[tuple[str, Sequence[tuple[str, str]]]], footnote: str = ""
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._sections = sections
        self._footnote = footnote  # where the player's files are

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="help-dialog"):
            yield Label(_("Keys  ·  Esc closes"), classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                for heading, rows in self._sections:
                    yield Static(_(heading), classes="help-heading", markup=False)
                    yield Static(keys_table(rows), classes="help-keys")
                if self._footnote:
                    yield Static(self._footnote, classes="help-heading", markup=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
