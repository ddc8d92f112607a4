"""The journal: the transcript of the run so far, scrollable, newest at the bottom."""

from __future__ import annotations

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from neuripsquest.i18n import N_, _


class JournalScreen(ModalScreen[None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Close")),
        Binding("j", "close", "Close", show=False),
        Binding("home", "top", "Top", show=False),
        Binding("end", "bottom", "Bottom", show=False),
    ]

    def __init__(self, markdown: str) -> None:
        super().__init__(classes="dialog-screen")
        self._markdown = markdown

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="journal-dialog"):
            yield Label(_("Journal  ·  ↑↓ PgUp PgDn scroll · Esc closes"), classes="dialog-title")
            with VerticalScroll(id="journal-scroll"):
                yield Static(
                    Markdown(self._markdown, justify="left", hyperlinks=False), id="journal-text"
                )

    def on_mount(self) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.focus()
        scroll.anchor()  # open at the newest entry (until the player scrolls)

    def action_top(self) -> None:
        self.query_one(VerticalScroll).scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.query_one(VerticalScroll).scroll_end(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
