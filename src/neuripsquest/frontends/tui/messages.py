"""Messages widgets and screens post up to the App, which alone acts on the game.

Plain classes rather than dataclasses: this module is on the title screen's path, where
making a dataclass (generating and compiling its methods) costs about half a millisecond
each (benchmarks/tui_startup.py). Textual's `Message.__init__` sets up the message itself.
"""

from __future__ import annotations

from textual.message import Message


class ChoicePicked(Message):
    """The player picked a choice (by number, arrows + Enter, or mouse)."""

    def __init__(self, choice: str, turn: int) -> None:
        self.choice = choice  # the choice id in the scene of that turn
        # the turn whose list it was picked from: a pick from a replaced list is refused
        self.turn = turn
        super().__init__()


class ChoiceRefused(Message):
    """The player picked a dimmed choice; `reason` is why it is locked, as the list says it."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__()


class AmountSubmitted(Message):
    """The player typed an answer at a money prompt."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()


class MenuPicked(Message):
    """A title-screen menu entry: new, continue, load, settings or quit."""

    def __init__(self, action: str) -> None:
        self.action = action
        super().__init__()


class SettingsChanged(Message):
    """A setting changed on the settings screen: name of the field and its new value."""

    def __init__(self, name: str, value: object) -> None:
        self.name = name
        self.value = value
        super().__init__()
