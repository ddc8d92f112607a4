"""Settings: theme, text speed, reduced motion. Each change is posted to the App, which applies
and saves it at once."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, RadioButton, RadioSet, Select, Static, Switch

from neuripsquest import i18n
from neuripsquest.frontends.tui.messages import SettingsChanged
from neuripsquest.frontends.tui.settings import PANELS, SPEEDS, Settings
from neuripsquest.i18n import N_, _


def theme_label(name: str) -> str:
    """A theme's name as a person would write it: "textual-dark" is "Textual dark"."""
    words = name.replace("_", "-").split("-")
    return " ".join([words[0].capitalize(), *words[1:]])


SPEED_LABELS = {"typewriter": N_("Typewriter (Space shows all)"), "instant": N_("Instant")}
PANEL_LABELS = {
    "auto": N_("Side panel from 100 columns"),
    "shown": N_("Side panel always"),
    "hidden": N_("No side panel (p still shows it)"),
}


AUTOMATIC = "auto"  # the language Select's value for "as the system says"


def language_options() -> list[tuple[str, str]]:
    """Each language in its own name, so a player who cannot read the current one finds
    theirs."""
    auto = _("Automatic (from the system's locale)")
    return [(auto, AUTOMATIC), *((i18n.NAMES[lang], lang) for lang in i18n.LANGUAGES)]


class SettingsScreen(ModalScreen[None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "close", N_("Close"))]

    def __init__(self, settings: Settings, themes: Sequence[str]) -> None:
        super().__init__(classes="dialog-screen")
        self._settings = settings
        self._themes = list(themes)

    def compose(self) -> ComposeResult:
        s = self._settings
        with Vertical(classes="dialog", id="settings-dialog"):
            yield Label(_("Settings  ·  Tab moves · Esc closes"), classes="dialog-title")
            yield Label(_("Theme"), classes="settings-label")
            yield Select(
                [(theme_label(name), name) for name in self._themes],
                value=s.theme if s.theme in self._themes else self._themes[0],
                allow_blank=False,
                id="theme",
            )
            yield Label(_("Text speed"), classes="settings-label")
            with RadioSet(id="speed"):
                for speed in SPEEDS:
                    yield RadioButton(_(SPEED_LABELS[speed]), value=s.text_speed == speed, id=speed)
            yield Label(_("Stats and items"), classes="settings-label")
            with RadioSet(id="panel"):
                for panel in PANELS:
                    yield RadioButton(
                        _(PANEL_LABELS[panel]), value=s.panel == panel, id=f"panel-{panel}"
                    )
            with Horizontal(id="motion-row"):
                yield Switch(value=s.reduced_motion, id="motion")
                yield Static(_("Reduced motion (no animation, text at once)"), id="motion-label")
            yield Label(_("Language (from the next start)"), classes="settings-label")
            yield Select(
                language_options(),
                value=s.language or AUTOMATIC,
                allow_blank=False,
                id="language",
            )

    def on_mount(self) -> None:
        self.query_one("#theme", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if not isinstance(event.value, str):
            return
        if event.select.id == "language":
            lang = None if event.value == AUTOMATIC else event.value
            self.post_message(SettingsChanged("language", lang))
        else:
            self.post_message(SettingsChanged("theme", event.value))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        pressed = event.pressed.id or ""
        if pressed in SPEEDS:
            self.post_message(SettingsChanged("text_speed", pressed))
        elif pressed.removeprefix("panel-") in PANELS:
            self.post_message(SettingsChanged("panel", pressed.removeprefix("panel-")))

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        self.post_message(SettingsChanged("reduced_motion", event.value))

    def action_close(self) -> None:
        self.dismiss(None)
