"""The ending: its title and epilogue, the decisions that led there, the week's stats as
sparklines, and how many of the world's endings the player has found across runs."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from neuripsquest.frontends.tui import prose
from neuripsquest.frontends.tui.clock import get_time
from neuripsquest.frontends.tui.frame import EndingView
from neuripsquest.frontends.tui.screens.worded import WordedScreen
from neuripsquest.frontends.tui.widgets.key_bar import KeyBar
from neuripsquest.frontends.tui.widgets.notice_bar import NoticeBar, NoticeHost
from neuripsquest.frontends.tui.widgets.stat_chart import StatChart
from neuripsquest.i18n import N_, _


class EndingScreen(NoticeHost, WordedScreen):
    CSS_PATH = "ending.tcss"
    BINDINGS = [
        Binding("n", "app.new_game", N_("New game")),
        Binding("u", "app.undo", N_("Undo")),
        Binding("j", "app.journal", N_("Journal")),
        Binding("l", "app.load", N_("Load"), show=False),
        Binding("m", "app.map", N_("Map"), show=False),
        Binding("question_mark", "app.help", N_("Help"), show=False),
        Binding("q", "app.request_quit", N_("Quit")),
    ]

    def __init__(self, ending: EndingView, notices: Sequence[str] = ()) -> None:
        super().__init__(id="ending")
        self.ending = ending
        self._notices = tuple(notices)
        self.shown_at = get_time()  # keys pressed before the ending appeared are refused

    def compose(self) -> ComposeResult:
        e = self.ending
        with VerticalScroll(id="ending-scroll"):
            yield Static(Text(_("THE END"), style="bold"), id="ending-banner")
            yield Static(Text(e.title, style="bold"), id="ending-title")
            body: list = []
            if e.narration:
                body += [prose.narration(e.narration), Text()]
            body.append(prose.render(e.text))
            yield Static(Group(*body), id="ending-text")
            yield Static(Text(_("What led here"), style="bold"), classes="ending-heading")
            decisions = "\n".join(f"• {d}" for d in e.decisions) or _("You kept your options open.")
            yield Static(decisions, id="ending-decisions", markup=False)
            yield Static(Text(_("Your week"), style="bold"), classes="ending-heading")
            yield StatChart(e.chart, id="ending-chart")
            yield Static(
                Text(
                    _("Endings discovered: {found} of {all}").format(
                        found=e.found_count, all=len(e.found)
                    ),
                    style="bold",
                ),
                classes="ending-heading",
                id="ending-count",
            )
            found = Text()
            for i, (title, ok) in enumerate(e.found):
                if i:
                    found.append("\n")
                if ok:
                    found.append("✓ ", style="bold green")
                    found.append(title)
                else:
                    found.append("? ???", style="dim")
            yield Static(found, id="ending-found")
            yield Static(
                _("n  new game    u  undo    j  journal    q  quit"), id="ending-hint", markup=False
            )
        yield NoticeBar(id="notices")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#ending-scroll").focus()
        self.say_all(self._notices)

    def say_all(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.say(line)
