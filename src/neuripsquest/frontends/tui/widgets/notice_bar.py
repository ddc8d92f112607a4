"""The line under the scene where the game says what just happened: stat changes, saves,
refusals, reload news. It has its own rows in the layout, so a notice never covers the story
or the choices (toasts did), and it is cleared when the next scene is shown. It takes at most
two rows (notices run on, separated by dots), which the game screen keeps free when it sizes
the choice list, so a burst of notices can never push a choice off screen."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

STYLES = {"information": "", "warning": "bold", "error": "bold"}


class NoticeBar(Static):
    DEFAULT_CSS = """
    NoticeBar {
        height: auto;
        max-height: 2;
        padding: 0 1 0 2;
        color: $text-muted;
        text-style: italic;
        display: none;
    }
    NoticeBar.-warning { color: $text-warning; }
    NoticeBar.-error { color: $text-error; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.lines: list[tuple[str, str]] = []  # (text, severity), oldest first

    def say(self, message: str, severity: str = "information") -> None:
        """Add a notice to this scene's notices (the newest last; only the last few stay)."""
        if self.lines and self.lines[-1] == (message, severity):
            return  # said already (a burst of refused keys says it once)
        self.lines = [*self.lines, (message, severity)][-6:]
        self._paint()

    def clear(self) -> None:
        if self.lines:
            self.lines = []
            self._paint()

    @property
    def plain(self) -> str:
        return "\n".join(text for text, _ in self.lines)

    def _paint(self) -> None:
        """The notices in order, run on in at most two rows: when they do not fit, the oldest
        go first (they are still in the journal and `notice_log`)."""
        worst = "information"
        for _, severity in self.lines:
            if severity == "error" or (severity == "warning" and worst != "error"):
                worst = severity
        width = self.content_region.width or (self.app.size.width - 3)
        shown = self.lines
        out = self._line(shown)
        while len(shown) > 1 and len(out.wrap(self.app.console, max(width, 10))) > 2:
            shown = shown[1:]
            out = self._line(shown)
        self.set_class(worst == "warning", "-warning")
        self.set_class(worst == "error", "-error")
        self.update(out)
        self.display = bool(self.lines)

    def on_resize(self) -> None:
        if self.lines:
            self._paint()

    @staticmethod
    def _line(lines: list[tuple[str, str]]) -> Text:
        out = Text(overflow="ellipsis")
        for i, (message, severity) in enumerate(lines):
            if i:
                out.append("  ·  ")
            out.append(" ".join(message.split()), style=STYLES.get(severity, ""))
        return out


class NoticeHost:
    """For a screen with a NoticeBar: `say` puts a notice on it, or keeps it in `_notices`
    until the screen is composed (the App may speak before the first paint)."""

    _notices: tuple[str, ...] = ()

    def say(self, message: str, severity: str = "information") -> None:
        bars = self.query(NoticeBar)  # type: ignore[attr-defined]
        if not bars:
            self._notices += (message,)
            return
        bars.first().say(message, severity)
