"""The TUI's pure helpers (no Textual running): journal, endings found, frames, map, art."""

from __future__ import annotations

import json
import subprocess
import sys

from rich.cells import cell_len

from neuripsquest.core import engine
from neuripsquest.frontends.tui import art, frame, mapart
from neuripsquest.play import journal
from neuripsquest.store import endings_log, saves


def test_journal_entries_and_visited_places(long_world):
    s0 = engine.new_game(long_world, 1)
    s1, _ = engine.step(long_world, s0, engine.Choose("second"))
    entries = [journal.scene_entry(long_world, s0), journal.choice_entry("Walk to the expo")]
    assert entries[0].startswith("@scene first\n### A long scene\n*Hotel rooftop · Tuesday ")
    assert journal.visited_places(long_world, entries, s1) == {"rooftop", "expo"}
    shown = journal.to_markdown([*entries, journal.scene_entry(long_world, s1)])
    assert "@scene" not in shown and "---" in shown and "> **Walk to the expo**" in shown
    # a plain-mode journal (no markers) still shows, and the current place still counts
    assert journal.to_markdown(["Start: hello"]) == "Start: hello"
    assert journal.visited_places(long_world, ["Start: hello", "@scene nowhere"], s1) == {"expo"}


def test_endings_found_are_kept_per_world_and_survive_damage(tmp_path):
    assert endings_log.discovered(tmp_path, "Mini") == set()
    assert endings_log.record(tmp_path, "Mini", "done") == {"done"}
    assert endings_log.record(tmp_path, "Mini", "done") == {"done"}
    assert endings_log.record(tmp_path, "Other", "x") == {"x"}
    assert endings_log.discovered(tmp_path, "Mini") == {"done"}
    (tmp_path / endings_log.ENDINGS_FILE).write_text('{"format": 1', encoding="utf-8")
    assert endings_log.discovered(tmp_path, "Mini") == set()
    assert endings_log.record(tmp_path, "Mini", "rich") == {"rich"}


def test_settings_and_endings_files_are_not_save_slots(mini, tmp_path):
    endings_log.record(tmp_path, "Mini", "done")
    (tmp_path / "_settings.json").write_text(json.dumps({"theme": "nord"}), encoding="utf-8")
    saves.write(tmp_path, "real", mini, engine.new_game(mini, 1))
    assert [s.name for s in saves.list_slots(tmp_path, mini)] == ["real"]


def test_frame_splits_out_the_thread_and_money(long_world, mini):
    f = frame.build(long_world, engine.new_game(long_world, 1))
    assert f.thread is not None and f.thread.value == 1 and f.thread.max == 6
    assert [s.name for s in f.stats] == ["energy"]
    assert f.choices[0].text == "Walk to the expo" and f.prompt is None and not f.can_undo
    m = frame.build(mini, engine.new_game(mini, 1))
    number = next(s for s in m.stats if s.name == "number")
    assert number.money and number.shown == "—" and m.thread is None


def test_ending_view_counts_the_endings(mini):
    s = engine.new_game(mini, 1)
    s, _ = engine.step(mini, s, engine.Choose("ask"))
    s, _ = engine.step(mini, s, engine.Type("$100M"))
    ev = frame.ending_view(mini, s, {"rich"})
    assert ev.title == "Rich" and ev.found == (("Done", False), ("Rich", True))
    assert ev.found_count == 1 and ev.can_undo
    number = next(c for c in ev.chart if c.label == "Number")
    assert number.say(number.end) == "$100 million"


def test_map_marks_and_legend():
    places = {"rooftop": "Hotel rooftop", "expo": "Expo hall", "hall": "Hall"}
    drawing = mapart.draw(places, {"rooftop", "expo"}, "expo")
    styles = {drawing.plain[span.start : span.end]: str(span.style) for span in drawing.spans}
    assert styles["[E]"] == mapart.CURRENT and styles["[R]"] == mapart.VISITED
    assert styles["[Y]"] == mapart.UNVISITED  # not in this world
    legend = mapart.legend(places, {"rooftop", "expo"}, "expo").plain.splitlines()
    assert legend == [
        "[R] Hotel rooftop  ✓ visited",
        "[E] Expo hall  ◀ you are here",
        " ·  Hall  (not on the map)",
    ]
    assert max(cell_len(line) for line in mapart.ART) <= 58  # fits a 60-column terminal


def test_title_art_fits_sixty_columns():
    assert max(cell_len(line) for line in art.carrier().plain.splitlines()) <= 58
    assert max(cell_len(line) for line in art.block_title()) <= 58


def test_the_title_path_defers_the_heavy_imports():
    """Rich's Markdown (~0.1 s with pygments) and the game screens load after the first frame."""
    # textual.widgets loads Footer lazily from textual.widgets._footer: that module's name in
    # sys.modules is the one sign that it was imported (Textual has no public way to ask).
    code = (
        "import sys\n"
        "import neuripsquest.frontends.tui.app\n"
        "print(sorted(m for m in ('rich.markdown', 'pygments',"
        " 'neuripsquest.frontends.tui.screens.game',"
        " 'neuripsquest.frontends.tui.frame', 'textual.widgets._footer', 'pydantic', 'yaml')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
