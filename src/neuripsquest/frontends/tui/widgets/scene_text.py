"""The scene's prose (Markdown, drawn by `prose.render`), revealed at once or typed out word by
word.

The typewriter is a timer owned by this widget (it is presentation, not game state); Space,
Enter or Esc finish it, through `finish()`, which the App calls before acting on the key (a
number still chooses at once: the choices are on screen while the text types).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from neuripsquest.frontends.tui import prose

CHARS_PER_TICK = 10  # at 40 ticks a second: about 400 characters a second
TICK = 1 / 40


class SceneText(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = ""
        self._said: RenderableType | None = None  # the step's narration, drawn once
        self._shown = 0
        self._timer: Timer | None = None

    @property
    def typing(self) -> bool:
        return self._shown < len(self._text)

    @property
    def full_text(self) -> str:
        return self._text

    def show(self, text: str, narration: Sequence[str] = (), instant: bool = True) -> None:
        self._stop()
        self._text = text
        self._said = prose.narration(narration) if narration else None
        self._shown = len(text) if instant else 0
        if not instant:
            self._timer = self.set_interval(TICK, self._tick)
        self._paint()

    def finish(self) -> bool:
        """Show the whole text now; True when it was still typing."""
        if not self.typing:
            return False
        self._stop()
        self._shown = len(self._text)
        self._paint()
        return True

    def _tick(self) -> None:
        end = min(len(self._text), self._shown + CHARS_PER_TICK)
        space = self._text.find(" ", end)  # finish the word, so Markdown marks rarely split
        if space != -1 and space - end < 16:
            end = space
        self._shown = end if end > self._shown else len(self._text)
        if not self.typing:
            self._stop()
        self._paint()

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _paint(self) -> None:
        parts: list[RenderableType] = []
        if self._said is not None:  # made in show(), not again at every typewriter tick
            parts.append(self._said)
            parts.append(Text())
        parts.append(prose.render(self._text[: self._shown], self._text))
        self.update(Group(*parts))
