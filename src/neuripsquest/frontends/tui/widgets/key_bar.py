"""The line of keys at the bottom of the game and ending screens, drawn as Textual's Footer
draws them (same colours, spacing, compact style and the command palette's key on the right),
as one widget.

Textual's Footer is a container with a widget per key, and it composes them again whenever
the screen's bindings change (a focus change is enough); on the first scene of a game that
was ten widgets to mount and style, plus its module and its styles (benchmarks/
tui_startup.py). This bar only repaints: the keys are read from the screen's active bindings
each time it renders, so a key that comes or goes (Esc and Tab at a typed question) shows at
once. A click on a key presses it; a key its screen says is disabled is dimmed, and a click
on it rings the bell, as the Footer does.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

from neuripsquest.records import Record

COMPACT_BELOW = 90  # columns below which the keys are drawn close together
PALETTE_FROM = 70  # columns from which the command palette's key shows on the right


class Key(Record):
    key: str  # the key pressed by a click (the binding's first key)
    shown: str  # how the key is written ("^p", "?")
    description: str
    enabled: bool


class KeyBar(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--edge"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--edge {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._hover: str | None = None  # the key under the mouse

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        self.refresh()

    def keys(self) -> tuple[list[Key], Key | None]:
        """The keys shown, in the screen's order (one per action, as the Footer shows them),
        and the command palette's key (None when the bar is too narrow for it)."""
        app = self.app
        active = self.screen.active_bindings
        shown: list[Key] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                shown.append(self._key(binding, enabled))
        palette = None
        if self.size.width >= PALETTE_FROM and app.ENABLE_COMMAND_PALETTE:
            bound = active.get(app.COMMAND_PALETTE_BINDING)
            if bound is not None:
                palette = self._key(bound.binding, bound.enabled)
        return shown, palette

    def _key(self, binding: Binding, enabled: bool) -> Key:
        key = binding.key.split(",")[0].strip()
        return Key(key, self.app.get_key_display(binding), binding.description, enabled)

    def render(self) -> Text:
        compact = self.size.width < COMPACT_BELOW
        shown, palette = self.keys()
        out = Text(no_wrap=True, overflow="crop", end="")
        # the two styles worked out once a render, not once a key (each is a style lookup)
        styles = (
            self.get_component_rich_style("key-bar--key"),
            self.get_component_rich_style("key-bar--description"),
        )
        for i, key in enumerate(shown):
            if compact and i:
                out.append(" ")  # the Footer's margin between keys
            out.append_text(self._item(key, compact, styles))
        if compact and shown:
            out.append(" ")
        if palette is not None:
            # always drawn close, with a cell after it, as the Footer draws it at any width
            item = self._item(palette, True, styles)
            item.append(" ")
            edge = Text("▏", style=self.get_component_rich_style("key-bar--edge"))
            # at the right edge, over the keys if they reach it (the Footer docks it there)
            left = max(self.size.width - item.cell_len - edge.cell_len, 0)
            out.truncate(left, pad=True)
            out.append_text(edge)
            out.append_text(item)
        # Filled to the edge in the bar's style here, not by Textual's padding: the same cells
        # as the Footer's, drawn as the same runs.
        out.append(" " * max(self.size.width - out.cell_len, 0))
        return out

    def _item(self, key: Key, compact: bool, styles: tuple[Style, Style]) -> Text:
        key_style, text_style = styles
        meta = Style(meta={"key": key.key})
        if key.key == self._hover and key.enabled:
            hover = Style(bgcolor=self.app.current_theme.variables.get("block-hover-background"))
            key_style, text_style = key_style + hover, text_style + hover
        pad = "" if compact else " "
        item = Text.assemble(
            (f"{pad}{key.shown}{pad}", key_style + meta),
            (f" {key.description}" if compact else f"{key.description} ", text_style + meta),
        )
        if not key.enabled:
            item.stylize(Style(dim=True))
        return item

    # ---- the mouse

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(event.style.meta.get("key"))

    def on_leave(self, _event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, key: str | None) -> None:
        if key != self._hover:
            self._hover = key
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = event.style.meta.get("key")
        if key is None:
            return
        shown, palette = self.keys()
        found = next((k for k in [*shown, *([palette] if palette else [])] if k.key == key), None)
        if found is None:
            return
        if found.enabled:
            self.app.simulate_key(key)
        else:
            self.app.bell()
