"""The title screen: the carrier in lights, the name, and the menu. It is the first frame the
player sees, so it is kept to three light widgets (benchmarks/tui_startup.py)."""

from __future__ import annotations

from rich.align import Align
from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from neuripsquest.frontends.tui import art
from neuripsquest.frontends.tui.messages import MenuPicked
from neuripsquest.frontends.tui.widgets.title_menu import Entry, TitleMenu
from neuripsquest.i18n import N_, _

MENU = [
    ("new", N_("New game"), "n"),
    ("continue", N_("Continue"), "c"),
    ("load", N_("Load"), "l"),
    ("settings", N_("Settings"), "o"),
    ("quit", N_("Quit"), "q"),
]


class TitleScreen(Screen):
    # No breakpoint classes here: changing a screen's classes restyles it, and this screen
    # is the first frame. The art folds away on short terminals in on_resize instead.
    HORIZONTAL_BREAKPOINTS = []
    VERTICAL_BREAKPOINTS = []
    SHORT = 23  # rows below which the carrier art is left out

    BINDINGS = [
        Binding("n", "pick('new')", N_("New game")),
        Binding("c", "pick('continue')", N_("Continue")),
        Binding("l", "pick('load')", N_("Load")),
        Binding("o", "pick('settings')", N_("Settings")),
        Binding("q", "pick('quit')", N_("Quit")),
        Binding("question_mark", "app.help", N_("Help")),
    ]

    def __init__(self, subtitle: str, continue_note: str | None) -> None:
        super().__init__(id="title")
        self._subtitle = subtitle
        self._continue = continue_note  # None: there is no autosave

    def compose(self) -> ComposeResult:
        yield Static(Align.center(art.carrier()), id="title-art")
        yield Static(self._banner(), id="title-banner")
        yield TitleMenu(self._entries(), id="title-menu")
        yield Static(_("↑↓ Enter, or the letter · ? help · Ctrl+P commands"), id="title-keys")

    def _banner(self) -> Group:
        return Group(
            Align.center(art.title()),
            Text(),
            Text(self._subtitle, style="italic", justify="center"),
        )

    def _entries(self) -> list[Entry]:
        return [
            Entry(
                action,
                _(label),
                key,
                note=(self._continue or "") if action == "continue" else "",
                disabled=action == "continue" and self._continue is None,
            )
            for action, label, key in MENU
        ]

    def on_mount(self) -> None:
        menu = self.query_one(TitleMenu)
        menu.focus()
        if self._continue is not None:
            menu.cursor_to("continue")  # a run in progress: Enter carries on, never replaces it

    def on_resize(self) -> None:
        art_shown = self.size.height >= self.SHORT
        art_widget = self.query_one("#title-art")
        if art_widget.display != art_shown:
            art_widget.display = art_shown

    def set_continue(self, note: str | None) -> None:
        """Update the Continue entry (after the autosave was looked at, or went away)."""
        self._continue = note
        if self.is_mounted:
            menu = self.query_one(TitleMenu)
            menu.set_entries(self._entries())
            if note is None and menu.entries[menu.cursor].disabled:
                menu.cursor_to("new")

    def action_pick(self, what: str) -> None:
        if what == "continue" and self._continue is None:
            self.notify(_("There is no autosave yet: start a new game."), severity="warning")
            return
        self.post_message(MenuPicked(what))
