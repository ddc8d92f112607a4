"""The debug window (`play --debug`, Shift+D): every value of the run, a line to set values,
and a scene picker to jump. The rules are play/debug.py's; the App makes the changes (through
the Session, so each is an undoable step) and hands this window functions to call:

- `listing()`: the values now (the window lists them again after each change);
- `set_values(line)`: apply "name=value ..."; returns why not, or "";
- `jump_problem(scene)`: why a scene cannot be jumped to, or "".

A jump closes the window: it is dismissed with the scene's id, and the App jumps once the game
screen is on top again. Esc closes it without one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from neuripsquest.play.debug import Listing, SceneLine


class DebugScreen(ModalScreen[str | None]):
    CSS_PATH = ["dialogs.tcss", "debug.tcss"]
    BINDINGS = [
        Binding("escape", "close", "Close"),
        # Shift+D closes the window it opened (the App's bindings stop at a window); in a
        # line it is only a letter.
        Binding("D,shift+d", "close", "Close", show=False),
    ]

    def __init__(
        self,
        listing: Callable[[], Listing],
        scenes: Sequence[SceneLine],
        set_values: Callable[[str], str],
        jump_problem: Callable[[str], str],
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._listing = listing
        self._scenes = list(scenes)
        self._set_values = set_values
        self._jump_problem = jump_problem

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="debug-dialog"):
            yield Label("Debug  ·  Enter applies · Tab moves · Esc closes", classes="dialog-title")
            yield OptionList(id="debug-values")
            with Horizontal(classes="debug-row"):
                yield Label("set ", classes="debug-label")
                yield Input(
                    id="debug-set",
                    placeholder="name=value, several with spaces (energy=2 met=true day=3)",
                    compact=True,
                )
            yield Static("", id="debug-said", markup=False)
            with Horizontal(classes="debug-row"):
                yield Label("jump", classes="debug-label")
                yield Input(
                    id="debug-jump",
                    placeholder="scene id or words of its title",
                    suggester=SuggestFromList([s.id for s in self._scenes]),
                    compact=True,
                )
            yield OptionList(id="debug-scenes")

    def on_mount(self) -> None:
        self._list_values()
        self._list_scenes("")
        self.query_one("#debug-set", Input).focus()

    # ---- the values

    def _list_values(self) -> None:
        values = self.query_one("#debug-values", OptionList)
        keep = values.highlighted
        options: list[Option] = []
        for n, (heading, rows) in enumerate(self._listing().sections()):
            options.append(Option(Text(heading, style="bold"), id=f"head-{n}", disabled=True))
            for k, row in enumerate(rows):
                # an option's id must be unique: the edit it offers is kept apart from it
                options.append(Option(f"  {row.text}", id=f"row-{n}-{k}:{row.edit}"))
        values.set_options(options)
        if keep is not None and keep < values.option_count:
            values.highlighted = keep

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option.id or ""
        if event.option_list.id == "debug-scenes":
            self._jump(oid)
            return
        edit = oid.partition(":")[2]
        if edit:  # a value picked: ready to change it in the set line
            line = self.query_one("#debug-set", Input)
            line.value = edit
            line.focus()
            line.cursor_position = len(edit)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if event.input.id == "debug-set":
            self._set(text)
        elif text:
            matches = self._matching(text)
            exact = any(s.id == text for s in self._scenes)
            self._jump(matches[0].id if not exact and len(matches) == 1 else text)

    def _set(self, text: str) -> None:
        said = self.query_one("#debug-said", Static)
        if not text:
            return
        problem = self._set_values(text)
        said.set_class(bool(problem), "-error")
        if problem:
            said.update(f"✗ {problem}")
            return
        said.update(f"Set {text}. (u undoes it in the game)")
        self.query_one("#debug-set", Input).value = ""
        self._list_values()

    # ---- the scenes

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "debug-jump":
            event.stop()
            self._list_scenes(event.value)

    def _matching(self, text: str) -> list[SceneLine]:
        words = text.lower().split()
        return [s for s in self._scenes if all(w in f"{s.id} {s.title}".lower() for w in words)]

    def _list_scenes(self, text: str) -> None:
        scenes = self.query_one("#debug-scenes", OptionList)
        scenes.set_options(
            Option(
                Text.assemble(
                    (s.id, "bold"), f"  {s.title}", (" (an ending)" if s.ending else "", "dim")
                ),
                id=s.id,
            )
            for s in self._matching(text)
        )

    def _jump(self, scene: str) -> None:
        problem = self._jump_problem(scene)
        if problem:
            said = self.query_one("#debug-said", Static)
            said.set_class(True, "-error")
            said.update(f"✗ {problem}")
            return
        self.dismiss(scene)

    def action_close(self) -> None:
        self.dismiss(None)
