"""The choices as a list: their numbers, arrows + Enter, or the mouse. In a list of ten or
more, a digit that starts a longer number (1 of 1-21) highlights its choice and waits for a
second digit or Enter (no timer: a slow second key is never read as a new choice). Dimmed
choices keep their number and say why they are locked (view.ChoiceView.locked_line, the one
wording both front ends use); picking one posts ChoiceRefused instead."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from neuripsquest.frontends.tui.clock import get_time
from neuripsquest.frontends.tui.messages import ChoicePicked, ChoiceRefused
from neuripsquest.i18n import N_, _
from neuripsquest.play.view import ChoiceView

MORE = N_("▼ more choices: ↓ or scroll")
PENDING = N_("{number}: Enter, or a second digit")


class ChoiceList(OptionList):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._choices: tuple[ChoiceView, ...] = ()
        self._turn = -1
        self._width = 0
        self._shown_at = 0.0
        self._digits = ""  # a choice number typed so far, when it may go on

    def show(self, choices: Sequence[ChoiceView], turn: int = -1) -> None:
        self._choices = tuple(choices)
        self._turn = turn
        self._shown_at = get_time()
        self._digits = ""
        self._fill()
        first = next((i for i, c in enumerate(self._choices) if c.enabled), None)
        self.highlighted = first
        self.scroll_home(animate=False)
        self.call_after_refresh(self._mark_more)

    @property
    def hidden_rows(self) -> int:
        """Rows of choices below the visible part (0 when every choice shows)."""
        return max(int(self.max_scroll_y - self.scroll_y), 0)

    def _mark_more(self) -> None:
        """A list too long for the screen says so on its border, so no choice hides."""
        if self._digits:
            self.border_subtitle = _(PENDING).format(number=self._digits)
        else:
            self.border_subtitle = _(MORE) if self.hidden_rows else ""

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._mark_more()

    def _fill(self) -> None:
        width = self.scrollable_content_region.width - 1  # room for the scrollbar
        self._width = width
        self.set_options(
            [
                Option(self._prompt(c, width), id=f"choice-{c.number}", disabled=not c.enabled)
                for c in self._choices
            ]
        )

    def on_resize(self) -> None:
        if self._choices and self.scrollable_content_region.width - 1 != self._width:
            high = self.highlighted
            self._fill()
            self.highlighted = high
        self.call_after_refresh(self._mark_more)

    def _prompt(self, c: ChoiceView, width: int) -> Text:
        """The number, then the text with a hanging indent; a dimmed choice adds its reason.
        The text is wrapped here (a Rich Table would do it, at ten times the cost)."""
        number = f"{c.number}."
        indent = len(number) + 1
        if c.enabled:
            body = Text(c.text)
        else:
            body = Text(c.text, style="dim strike")
            body.append("  " + _("Not now: {why}").format(why=c.locked_line), style="dim italic")
        lines = body.wrap(self.app.console, max(width - indent, 8)) if width > indent else [body]
        out = Text(number + " ", style="bold" if c.enabled else "dim")
        for i, line in enumerate(lines):
            if i:
                out.append("\n" + " " * indent)
            out.append_text(line)
        return out

    def press_digit(self, digit: int) -> None:
        """A digit key: picks the choice it completes, or, when a longer number could follow
        (1 in a list of twelve), highlights that choice and waits for Enter or a digit."""
        typed = self._digits + str(digit)
        numbers = [str(c.number) for c in self._choices]
        longer = any(n.startswith(typed) and n != typed for n in numbers)
        self._digits = typed if longer else ""
        index = numbers.index(typed) if typed in numbers else None
        if longer:
            if index is not None:
                self.highlighted = index
            self._mark_more()
        elif index is not None:
            self._mark_more()
            self._pick(self._choices[index])
        else:
            self._mark_more()
            if self._choices:
                self.app.bell()

    def on_key(self, event: events.Key) -> None:
        # Any other key ends a number being typed (Enter then picks the highlighted choice,
        # which is the number typed so far, by the list's own binding).
        if self._digits and not (event.character or "").isdigit():
            self._digits = ""
            self._mark_more()

    def _pick(self, c: ChoiceView) -> None:
        if c.enabled:
            self.post_message(ChoicePicked(c.id, self._turn))
        else:
            self.post_message(ChoiceRefused(c.text, c.locked_line))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(self._choices[event.option_index])

    async def _on_click(self, event: events.Click) -> None:
        # All of the click is handled here: OptionList's own handler (Textual calls each
        # class's in turn unless the default is prevented) would select a second time.
        event.prevent_default()
        event.stop()
        if event.time < self._shown_at:  # a click meant for the list this one replaced
            self.app.bell()
            return
        index = event.style.meta.get("option")
        if index is not None and 0 <= index < len(self._choices):
            if self._choices[index].enabled:
                self.highlighted = index
            self._pick(self._choices[index])

    @property
    def choices(self) -> tuple[ChoiceView, ...]:
        """The choices on show, in order. For the tests and tools (they compare them with
        `view.choices`); read only, `show` sets them."""
        return self._choices
