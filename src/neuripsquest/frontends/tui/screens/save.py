"""Save to a named slot: a name (suggested from the day and time), checked as you submit;
an existing slot is only overwritten after a yes."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from neuripsquest.frontends.tui.screens.confirm import ConfirmScreen
from neuripsquest.i18n import N_, _
from neuripsquest.store import saves


class SaveScreen(ModalScreen[str | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, suggested: str, existing: Sequence[str]) -> None:
        super().__init__(classes="dialog-screen")
        self._suggested = suggested
        self._existing = [n for n in existing if n != saves.AUTOSAVE]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="save-dialog"):
            yield Label(_("Save to a slot"), classes="dialog-title")
            yield Input(self._suggested, id="slot-name", placeholder=_("slot name, e.g. friday"))
            yield Static(
                _("Letters, digits, - and _. Enter saves, Esc cancels."),
                id="save-note",
                markup=False,
            )
            if self._existing:
                yield Static(
                    _("Existing: {slots}").format(slots=", ".join(self._existing)),
                    id="save-existing",
                    markup=False,
                )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        note = self.query_one("#save-note", Static)
        try:
            saves.check_slot(name)
        except saves.SaveError as exc:
            note.update(f"✗ {exc}")
            note.add_class("-error")
            return
        if name == saves.AUTOSAVE:
            note.update(_("✗ the game keeps that slot for itself: choose another name"))
            note.add_class("-error")
            return
        if name in self._existing:

            def answered(yes: bool | None) -> None:
                if yes:
                    self.dismiss(name)

            self.app.push_screen(
                ConfirmScreen(_("Overwrite the save '{name}'?").format(name=name)), answered
            )
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
