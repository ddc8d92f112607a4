"""The free-text question ("What's your number?"): an input with the writer's hint, an inline
message for an answer that does not parse (focus stays), and an echo of the amount heard."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from neuripsquest.frontends.tui.frame import Prompt
from neuripsquest.frontends.tui.messages import AmountSubmitted
from neuripsquest.i18n import _


class AmountPrompt(Vertical):
    DEFAULT_CSS = """
    AmountPrompt { height: auto; }
    AmountPrompt #amount-note { color: $text-muted; height: auto; }
    AmountPrompt.-error #amount-note { color: $text-error; text-style: bold; }
    AmountPrompt.-accepted #amount-note { color: $text-success; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Label("", id="amount-label")
        yield Input(id="amount-input")
        yield Static("", id="amount-note")

    def show(self, prompt: Prompt, blink: bool = True) -> None:
        self.remove_class("-error", "-accepted")
        self.query_one("#amount-label", Label).update(prompt.prompt)
        field = self.query_one(Input)
        field.placeholder = prompt.hint
        field.value = ""
        field.disabled = False
        field.cursor_blink = blink
        self.query_one("#amount-note", Static).update(
            _("{hint}  ·  Enter to answer, Esc for the game keys").format(hint=prompt.hint)
        )

    def show_error(self, message: str) -> None:
        self.remove_class("-accepted")
        self.add_class("-error")
        self.query_one("#amount-note", Static).update(f"✗ {message}")
        field = self.query_one(Input)
        field.focus()
        field.select_all()

    def show_echo(self, shown: str) -> None:
        self.remove_class("-error")
        self.add_class("-accepted")
        self.query_one("#amount-note", Static).update(
            _("✓ You said: {amount}").format(amount=shown)
        )
        self.query_one(Input).disabled = True

    def focus_input(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(AmountSubmitted(event.value))
