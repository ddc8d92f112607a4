"""However the TUI ends, the last step is in the autosave (a browser tab's game is stopped by
the server with Textual's own exit, which skips Ctrl+Q's save)."""

from __future__ import annotations

from neuripsquest.core import engine
from neuripsquest.frontends.tui import app as tui
from neuripsquest.store import saves


def test_a_step_taken_just_before_the_app_ends_is_autosaved(mini, tmp_path, monkeypatch):
    def run(self, *args, **kwargs):  # the app ends by Textual's exit, timer still pending
        self.session.start(engine.new_game(self.world, 1))
        assert self.session.apply(engine.Choose("eat")).accepted
        return 0

    monkeypatch.setattr(tui.QuestApp, "run", run)
    assert tui.run_app(mini, seed=1, saves_dir=tmp_path, autosave_delay=60) == 0
    loaded = saves.read(tmp_path, saves.AUTOSAVE, mini)
    assert loaded.state.items != 0  # the pretzel the step gave
