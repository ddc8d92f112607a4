"""The game screen: scene header, the text, the choices or the typed question, the side panel.

It shows the Frame the App hands it and turns keys into messages or App actions; it never
calls the engine. Importing it pulls in Rich's Markdown (~0.1 s), so the App imports it after
the title screen's first frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize, ScreenResume

from neuripsquest.frontends.tui.clock import get_time
from neuripsquest.frontends.tui.frame import Frame
from neuripsquest.frontends.tui.messages import SettingsChanged
from neuripsquest.frontends.tui.screens.worded import WordedScreen
from neuripsquest.frontends.tui.widgets.choice_list import ChoiceList
from neuripsquest.frontends.tui.widgets.key_bar import KeyBar
from neuripsquest.frontends.tui.widgets.notice_bar import NoticeBar, NoticeHost
from neuripsquest.frontends.tui.widgets.scene_header import SceneHeader
from neuripsquest.frontends.tui.widgets.scene_text import SceneText
from neuripsquest.i18n import N_

if TYPE_CHECKING:
    from neuripsquest.frontends.tui.widgets.amount_prompt import AmountPrompt
    from neuripsquest.frontends.tui.widgets.side_panel import SidePanel


PANEL_CLASSES = {"shown": ("-panel-shown",), "hidden": ("-panel-hidden",)}


def breakpoint_classes(breakpoints: Sequence[tuple[int, str]], cells: int) -> list[str]:
    """The class Textual's breakpoints give a screen this many cells wide (or high): the
    class of the largest breakpoint it reaches."""
    for at, name in sorted(breakpoints, reverse=True):
        if cells >= at:
            return [name]
    return []


class GameScreen(NoticeHost, WordedScreen):
    CSS_PATH = "game.tcss"
    BINDINGS = [
        *(Binding(str(n), f"pick({n})", f"Choice {n}", show=False) for n in range(10)),
        Binding("u", "app.undo", N_("Undo")),
        Binding("s", "app.save", N_("Save")),
        Binding("l", "app.load", N_("Load")),
        Binding("j", "app.journal", N_("Journal")),
        Binding("m", "app.map", N_("Map")),
        Binding("p", "toggle_panel", N_("Panel")),
        Binding("o", "app.settings", N_("Settings"), show=False),
        Binding("question_mark", "app.help", N_("Help")),
        Binding("q", "app.request_quit", N_("Quit")),
        Binding("escape", "leave_input", N_("Game keys")),
        Binding("tab", "focus_answer", N_("Answer")),
        Binding("ctrl+z", "app.undo", N_("Undo"), show=False, priority=True),
        Binding("pageup", "scroll_text(-1)", N_("Scroll up"), show=False, priority=True),
        Binding("pagedown", "scroll_text(1)", N_("Scroll down"), show=False, priority=True),
    ]

    # The scene text keeps three rows and the notice line two; the choices get the rest.
    MIN_TEXT_ROWS = 5

    def __init__(self, panel: str = "auto") -> None:
        # The breakpoint classes Textual gives a screen at its first resize, given now: a class
        # that changes after the first styling restyles every widget of the screen again (and
        # each class added after it is made restyles the screen alone once more).
        width, height = self.app.size
        across, down = self.HORIZONTAL_BREAKPOINTS, self.VERTICAL_BREAKPOINTS  # None: the app's
        classes = [*PANEL_CLASSES.get(panel, ())]
        for breakpoints, cells in (
            (self.app.HORIZONTAL_BREAKPOINTS if across is None else across, width),
            (self.app.VERTICAL_BREAKPOINTS if down is None else down, height),
        ):
            classes += breakpoint_classes(breakpoints or [], cells)
        super().__init__(id="game", classes=" ".join(classes))
        self._frame: Frame | None = None
        self._notices: tuple[str, ...] = ()
        self._instant = True
        self._blink = True
        self.shown_at = 0.0  # when the current choices went on screen (keys before are stale)
        self._prompt: AmountPrompt | None = None  # mounted at the first typed question
        self._panel = panel
        self._side: SidePanel | None = None  # made the first time it shows
        self._resumed = False

    def compose(self) -> ComposeResult:
        yield SceneHeader(id="scene-header")
        with Horizontal(id="game-body"):
            with Vertical(id="main"):
                with VerticalScroll(id="scene-scroll"):
                    yield SceneText(id="scene-text")
                yield NoticeBar(id="notices")
                yield ChoiceList(id="choices")
                if self._frame is not None and self._frame.prompt is not None:
                    yield self._amount(mount=False)  # else it joins at the first question
            if self._panel_wanted(self.app.size.width):
                yield self._side_panel()  # else it joins when it is first shown
        yield KeyBar()

    # ---- what the App calls

    def show(
        self,
        frame: Frame,
        instant: bool = True,
        blink: bool = True,
        notices: Sequence[str] = (),
    ) -> None:
        """Show a new turn (the App calls this after every step); `notices` are what the
        step changed, shown on their own line and gone at the next turn."""
        self._frame = frame
        self._notices = tuple(notices)
        self._instant = instant
        self._blink = blink
        self.shown_at = get_time()
        if self.is_mounted:
            self._paint()

    def set_panel(self, panel: str) -> None:
        """'auto' (shown from 100 columns), 'shown' or 'hidden': the player's setting."""
        self._panel = panel
        self.set_class(panel == "shown", "-panel-shown")
        self.set_class(panel == "hidden", "-panel-hidden")
        if self.is_mounted:
            self._mount_panel(self.size.width)

    @property
    def panel_visible(self) -> bool:
        return self.is_mounted and self._side is not None and self._side.display

    def _panel_wanted(self, width: int) -> bool:
        """Whether the panel shows at this width (game.tcss says it the same way: from the
        -wide breakpoint unless the player hid it, at any width if the player showed it)."""
        if self._panel != "auto":
            return self._panel == "shown"
        across = self.HORIZONTAL_BREAKPOINTS or self.app.HORIZONTAL_BREAKPOINTS or []
        return "-wide" in breakpoint_classes(across, width)

    def _mount_panel(self, width: int) -> None:
        """The side panel is made the first time it shows: at 80 columns most players never
        see it, and the first scene is not kept waiting for its widgets. Once made it stays
        (the styles show and hide it)."""
        if self._panel_wanted(width) and self._side is None:
            self.query_one("#game-body").mount(self._side_panel())

    def _side_panel(self) -> SidePanel:
        # imported here: a Textual widget class costs ~0.4 ms to make, at the first scene
        from neuripsquest.frontends.tui.widgets.side_panel import SidePanel

        self._side = SidePanel(id="side")
        if self._frame is not None:
            self._side.show(self._frame)
        return self._side

    def amount_error(self, message: str) -> None:
        if self._prompt is not None:
            self._prompt.show_error(message)

    def amount_echo(self, shown: str) -> None:
        if self._prompt is not None:
            self._prompt.show_echo(shown)

    def skip_reveal(self) -> bool:
        """Finish a scene still typing out; True when there was one (the key is used up)."""
        if not self.is_mounted:
            return False
        return self.query_one(SceneText).finish()

    @property
    def frame(self) -> Frame | None:
        return self._frame

    # ---- painting

    def on_mount(self) -> None:
        if self._frame is not None:
            self._paint()

    def _paint(self) -> None:
        f = self._frame
        assert f is not None
        self.query_one(SceneHeader).show(f.title, f.place, f.when)
        self.query_one(SceneText).show(f.text, f.narration, instant=self._instant)
        self.query_one("#scene-scroll", VerticalScroll).scroll_home(animate=False)
        if self._side is not None:
            self._side.show(f)
        bar = self.query_one(NoticeBar)
        bar.clear()
        for line in self._notices:
            bar.say(line)
        choices = self.query_one(ChoiceList)
        if f.prompt is not None:
            choices.display = False
            amount = self._amount()
            amount.display = True
            amount.show(f.prompt, blink=self._blink)
            amount.focus_input()
        else:
            if self._prompt is not None:
                self._prompt.display = False
            choices.display = True
            choices.show(f.choices, f.turn)
            choices.focus()

    def _amount(self, mount: bool = True) -> AmountPrompt:
        """The answer box, made the first time a scene asks for one and mounted under the
        choices (most scenes never do: the first scene is not kept waiting for it)."""
        if self._prompt is None:
            from neuripsquest.frontends.tui.widgets.amount_prompt import AmountPrompt

            self._prompt = AmountPrompt(id="amount")
            if mount:
                self.query_one("#main").mount(self._prompt)
        return self._prompt

    # ---- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("leave_input", "focus_answer"):  # only at a typed question
            f = self._frame
            if f is None or f.prompt is None:
                return False
            typing = self.focused is not None and self.focused.id == "amount-input"
            return typing if action == "leave_input" else not typing
        return True

    def action_pick(self, number: int) -> None:
        if self._frame is not None and self._frame.prompt is None:
            self.query_one(ChoiceList).press_digit(number)

    def action_focus_answer(self) -> None:
        if self._prompt is not None:
            self._prompt.focus_input()

    def on_screen_resume(self, event: ScreenResume) -> None:
        # Textual restyles every widget of a screen it shows; the first time, they were
        # styled a moment ago as they were mounted (~3 ms at the first scene).
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def on_resize(self, event: Resize) -> None:
        self._fit_choices()
        self._mount_panel(event.size.width)

    def _fit_choices(self) -> None:
        """Give the choices every row the scene text does not need as a minimum, so that at
        80x24 even the longest menus (eleven guesses on the yacht) show whole."""
        main = self.query_one("#main")
        rows = main.size.height or self.size.height
        self.query_one(ChoiceList).styles.max_height = max(rows - self.MIN_TEXT_ROWS, 3)

    def action_toggle_panel(self) -> None:
        """Show or hide the side panel; the App keeps the choice in the settings."""
        self.post_message(SettingsChanged("panel", "hidden" if self.panel_visible else "shown"))

    def action_leave_input(self) -> None:
        if self._frame is not None and self._frame.prompt is not None:
            self.query_one("#scene-scroll", VerticalScroll).focus()

    def action_scroll_text(self, direction: int) -> None:
        scroll = self.query_one("#scene-scroll", VerticalScroll)
        if direction < 0:
            scroll.scroll_page_up(animate=False)
        else:
            scroll.scroll_page_down(animate=False)
