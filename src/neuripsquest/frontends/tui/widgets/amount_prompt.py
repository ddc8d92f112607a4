"""The free-text question ("What's your number?"): an input with the writer's hint, an inline
message for an answer that does not parse (focus stays), and an echo of the amount heard.

The game screen mounts it when a scene first asks for an amount, not at the first scene: most
scenes have choices, and the Input's styles alone take ~8 ms to parse
(benchmarks/tui_startup.py). Its parts are made with it, so it can be shown, focused and
answered before it has finished mounting.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from neuripsquest.frontends.tui.frame import Prompt
from neuripsquest.frontends.tui.messages import AmountSubmitted
from neuripsquest.i18n import _


class AmountPrompt(Vertical):
    # Here rather than in game.tcss: read when the first question is asked, not at the first
    # scene.
    DEFAULT_CSS = """
    AmountPrompt { height: auto; margin: 0 2 1 2; }
    AmountPrompt #amount-label { text-style: bold; color: $accent; }
    AmountPrompt #amount-note { color: $text-muted; height: auto; }
    AmountPrompt.-error #amount-note { color: $text-error; text-style: bold; }
    AmountPrompt.-accepted #amount-note { color: $text-success; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._label = Label("", id="amount-label")
        self._input = Input(id="amount-input")
        self._note = Static("", id="amount-note")
        self._focus_on_mount = False

    def compose(self) -> ComposeResult:
        yield self._label
        yield self._input
        yield self._note

    def show(self, prompt: Prompt, blink: bool = True) -> None:
        self.remove_class("-error", "-accepted")
        self._label.update(prompt.prompt)
        field = self._input
        field.placeholder = prompt.hint
        field.value = ""
        field.disabled = False
        field.cursor_blink = blink
        self._note.update(
            _("{hint}  ·  Enter to answer, Esc for the game keys").format(hint=prompt.hint)
        )

    def show_error(self, message: str) -> None:
        self.remove_class("-accepted")
        self.add_class("-error")
        self._note.update(f"✗ {message}")
        self._input.focus()
        self._input.select_all()

    def show_echo(self, shown: str) -> None:
        self.remove_class("-error")
        self.add_class("-accepted")
        self._note.update(_("✓ You said: {amount}").format(amount=shown))
        self._input.disabled = True

    def focus_input(self) -> None:
        if self.is_mounted:
            self._input.focus()
        else:  # an Input not yet mounted cannot take the focus: it does once it is
            self._focus_on_mount = True

    def on_mount(self) -> None:
        if self._focus_on_mount:
            self._focus_on_mount = False
            self._input.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(AmountSubmitted(event.value))
