"""Load a slot: every save with its scene, day and date; d deletes one after a yes."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from neuripsquest.frontends.tui.screens.confirm import ConfirmScreen
from neuripsquest.i18n import N_, _
from neuripsquest.store.saves import SlotInfo, when_saved


class LoadScreen(ModalScreen[str | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("d", "delete", N_("Delete")),
        Binding("delete", "delete", N_("Delete"), show=False),
    ]

    def __init__(
        self,
        slots: Sequence[SlotInfo],
        delete: Callable[[str], str | None],
        refresh_slots: Callable[[], Sequence[SlotInfo]],
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._slots = list(slots)
        self._delete = delete
        self._refresh = refresh_slots

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="load-dialog"):
            yield Label(_("Load a saved game"), classes="dialog-title")
            yield OptionList(id="slots")
            yield Static(_("Enter loads · d deletes · Esc cancels"), id="load-note", markup=False)

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self) -> None:
        slots = self.query_one(OptionList)
        slots.set_options([self._option(s) for s in self._slots])
        if not self._slots:
            slots.add_option(Option(Text(_("No saves yet."), style="dim italic"), disabled=True))
        else:
            slots.highlighted = 0

    @staticmethod
    def _option(s: SlotInfo) -> Option:
        if s.problem:
            prompt = Text.assemble(
                (s.name, "bold"), "\n  ", (_("unusable: {why}").format(why=s.problem), "dim italic")
            )
            return Option(prompt, id=s.name)
        prompt = Text.assemble(
            (s.name, "bold"), "\n  ", s.scene, " · ", s.day, (f" · {when_saved(s.saved_at)}", "dim")
        )
        return Option(prompt, id=s.name)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        info = next((s for s in self._slots if s.name == event.option.id), None)
        if info is None:
            return
        if info.problem:
            self.query_one("#load-note", Static).update(
                _("✗ {why} (d deletes it)").format(why=info.problem)
            )
            return
        self.dismiss(info.name)

    def action_delete(self) -> None:
        slots = self.query_one(OptionList)
        option = slots.highlighted_option
        if option is None or option.id is None:
            return
        name = option.id

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            problem = self._delete(name)
            note = self.query_one("#load-note", Static)
            if problem:
                note.update(f"✗ {problem}")
            else:
                note.update(_("Deleted '{name}'.").format(name=name))
            self._slots = list(self._refresh())
            self._fill()

        self.app.push_screen(
            ConfirmScreen(_("Delete the save '{name}'? This cannot be undone.").format(name=name)),
            answered,
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
