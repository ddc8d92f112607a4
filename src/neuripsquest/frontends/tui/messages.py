"""Messages widgets and screens post up to the App, which alone acts on the game."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ChoicePicked(Message):
    """The player picked a choice (by number, arrows + Enter, or mouse)."""

    choice: str  # the choice id in the scene of that turn
    turn: int  # the turn whose list it was picked from: a pick from a replaced list is refused


@dataclass
class ChoiceRefused(Message):
    """The player picked a dimmed choice; `reason` is why it is locked, as the list says it."""

    text: str
    reason: str


@dataclass
class AmountSubmitted(Message):
    """The player typed an answer at a money prompt."""

    text: str


@dataclass
class MenuPicked(Message):
    """A title-screen menu entry: new, continue, load, settings or quit."""

    action: str


@dataclass
class SettingsChanged(Message):
    """A setting changed on the settings screen: name of the field and its new value."""

    name: str
    value: object
