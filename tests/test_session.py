"""The Session both front ends play through: steps, undo, saves, the autosave, reloads, seeds
and the journal, with fakes for the recorder and the watcher."""

from __future__ import annotations

import threading

import pytest

from neuripsquest.core import engine
from neuripsquest.play import journal
from neuripsquest.play.record import Recorder
from neuripsquest.play.session import Session, StepRecorder, TurnResult, WorldWatcher
from neuripsquest.play.watch import Watcher
from neuripsquest.store import saves
from tests.conftest import MINI


class FakeRecorder:
    def __init__(self):
        self.events = []

    def record(self, action, state):
        self.events.append(("step", action, state.scene))

    def restart(self, state, seed):
        self.events.append(("restart", state.scene, seed))

    def loaded(self, what):
        self.events.append(("loaded", what))
        return "Recording stopped."

    def world_changed(self, world):
        self.events.append(("world", world.title))

    def close(self, world, state):
        self.events.append(("close", state.scene))
        return "Recorded."


class FakeWatcher:
    def __init__(self, *news):
        self.news = list(news)
        self.forced = []

    def poll(self, force=False):
        self.forced.append(force)
        item = self.news.pop(0) if self.news else None
        if isinstance(item, Exception):
            raise item
        return item


def retitled(world, scene_id, title):
    scenes = dict(world.scenes)
    scenes[scene_id] = scenes[scene_id]._replace(title=title)
    return world.replace(scenes=scenes, fingerprint="changed")


def without(world, scene_id):
    scenes = {k: v for k, v in world.scenes.items() if k != scene_id}
    return world.replace(scenes=scenes, fingerprint="smaller")


@pytest.fixture
def session(mini, tmp_path):
    s = Session(mini, tmp_path, seed=7, recorder=FakeRecorder())
    s.new_game()
    return s


def test_the_real_recorder_and_watcher_and_the_fakes_fit_the_protocols(mini, tmp_path):
    assert isinstance(Recorder(tmp_path / "r.yaml", mini, 1), StepRecorder)
    assert isinstance(Watcher(MINI), WorldWatcher)
    assert isinstance(FakeRecorder(), StepRecorder) and isinstance(FakeWatcher(), WorldWatcher)
    assert not isinstance(object(), StepRecorder)


def test_a_step_comes_back_as_a_frozen_result_and_undo_takes_it_back(session, mini):
    start = session.state
    r = session.apply(engine.Choose("ask"))
    assert isinstance(r, TurnResult) and r.accepted and r.scene_changed and not r.ended
    assert r.before is start and r.state is session.state and r.state.scene == "ask"
    with pytest.raises(AttributeError):
        r.accepted = False  # type: ignore[misc]
    assert any(n.kind == "autosaved" for n in r.notices)
    done = session.apply(engine.Type("$100M"))
    assert done.ended and done.ending == "rich" and done.said.shown == "$100 million"
    back = session.undo()
    assert back.undone and session.state.scene == "ask"
    assert session.undo().state == start
    assert session.recorder.events[1:] == [
        ("step", engine.Choose("ask"), "ask"),
        ("step", engine.Type("$100M"), "rich"),
        ("step", engine.Undo(), "ask"),
        ("step", engine.Undo(), "a"),
    ]


def test_a_refused_action_changes_nothing_and_says_why(session):
    before, entries = session.state, list(session.journal)
    r = session.apply(engine.Choose("tired"))  # needs 5 energy
    assert not r.accepted and not r.scene_changed and r.refusal is not None
    assert session.state is before and session.journal == entries and r.notices == ()
    assert session.recorder.events == [("restart", "a", 7)]  # refused steps are not recorded


def test_each_new_game_of_a_session_takes_the_next_seed(mini, tmp_path):
    s = Session(mini, tmp_path, seed=40, recorder=FakeRecorder())
    s.start(engine.new_game(mini, 99))  # a state handed in (a continued run) is not counted
    seeds = []
    for _ in range(3):
        s.new_game()
        seeds.append(s.state.seed)
    assert seeds == [40, 41, 42] and s.next_seed == 43
    assert [e[2] for e in s.recorder.events if e[0] == "restart"] == seeds
    # and the same session seed gives the same games again: reproducible
    again = Session(mini, tmp_path / "again", seed=40)
    again.new_game()
    again.new_game()
    assert again.state == engine.new_game(mini, 41)


def test_the_journal_is_written_in_one_format_by_the_session(session, mini):
    assert journal.scene_of(session.journal[0]) == "a"
    session.apply(engine.Choose("eat"))
    assert session.journal[1:] == [
        "> **Get a pretzel**",
        "- Energy +1 (now 4)\n- You now have: Pretzel",
        journal.scene_entry(mini, session.state),
    ]
    session.apply(engine.Choose("ask"))
    session.apply(engine.Type("250k"))
    assert "> **You said: $250,000**" in session.journal
    session.undo()
    assert session.journal[-2] == "*You took that back.*"


def test_a_save_with_an_old_plain_mode_journal_still_loads(mini, tmp_path):
    """Before the session, plain mode kept "Title: text" scene entries and bare event lines."""
    s, _ = engine.step(mini, engine.new_game(mini, 3), engine.Choose("eat"))
    old = ["Start: You have 3 energy on Mon morning.", "You now have: Pretzel", "Start: again"]
    saves.write(tmp_path, "old", mini, s, old)
    session = Session(mini, tmp_path)
    session.load("old")
    assert session.state == s and session.journal == [*old, "*Loaded 'old'.*"]
    shown = journal.to_markdown(session.journal)
    assert shown.startswith("Start: You have 3 energy on Mon morning.\n\nYou now have: Pretzel")
    assert journal.visited_places(mini, session.journal, session.state) == {"hall"}
    session.apply(engine.Choose("meet"))  # new entries follow in the one format
    session.save("both")
    back = Session(mini, tmp_path)
    back.load("both")
    assert back.journal[:4] == session.journal[:4] and journal.scene_of(back.journal[-2]) == "a"


def test_save_then_load_round_trips_and_keeps_the_run_left(session, mini, tmp_path):
    session.apply(engine.Choose("eat"))
    saved = session.state
    session.save("slot")
    session.apply(engine.Choose("meet"))
    left = session.state
    notices = session.load("slot")
    assert session.state == saved and [n.kind for n in notices][:1] == ["kept"]
    assert saves.read(tmp_path, saves.AUTOSAVE_PREVIOUS, mini).state == left
    assert saves.read(tmp_path, saves.AUTOSAVE, mini).state == saved  # the run played now
    assert ("loaded", "the save 'slot'") in session.recorder.events
    assert any(n.kind == "recorder" and n.text == "Recording stopped." for n in notices)


def test_loading_the_autosave_itself_keeps_nothing_and_a_bad_load_changes_nothing(session):
    session.apply(engine.Choose("eat"))
    kinds = [n.kind for n in session.load(saves.AUTOSAVE)]
    assert "kept" not in kinds and not (session.saves_dir / "autosave-previous.json").exists()
    before = session.state
    with pytest.raises(saves.SaveError, match="no save named 'nope'"):
        session.load("nope")
    with pytest.raises(saves.SaveError, match="not a slot name"):
        session.save("../x")
    assert session.state is before


def test_a_new_game_keeps_the_run_it_replaces(session, mini, tmp_path):
    session.apply(engine.Choose("eat"))
    played = session.state
    notices = session.new_game()
    assert [n.kind for n in notices] == ["kept"]
    assert saves.read(tmp_path, saves.AUTOSAVE_PREVIOUS, mini).state == played
    assert session.state.turn == 0 and len(session.journal) == 1


def test_a_run_that_cannot_be_kept_is_said(session, monkeypatch):
    def refuse(folder):
        raise saves.SaveError("cannot keep the previous run: Permission denied")

    monkeypatch.setattr(saves, "keep_previous_run", refuse)
    notices = session.new_game()
    assert notices[0].kind == "keep-failed" and "Permission denied" in notices[0].text


def test_the_autosave_is_written_in_step_order_from_any_thread(mini, tmp_path):
    s = Session(mini, tmp_path, autosave_each_step=False)
    s.new_game()
    assert not (tmp_path / "autosave.json").exists()  # the front end writes it when it likes
    jobs = []
    for choice in ("eat", "meet"):
        s.apply(engine.Choose(choice))
        jobs.append(s.autosave_job())
    newest = s.state
    assert s.write_autosave(jobs[1]).kind == "autosaved"
    assert s.write_autosave(jobs[0]) is None  # an older run never after a newer one
    assert saves.read(tmp_path, saves.AUTOSAVE, mini).state == newest
    many = []
    for _ in range(12):  # twelve runs one after another, written in reverse on 12 threads
        s.new_game(keep_previous=False)
        many.append(s.autosave_job())
    assert len({j.state.seed for j in many}) == 12
    threads = [threading.Thread(target=s.write_autosave, args=(j,)) for j in reversed(many)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert saves.read(tmp_path, saves.AUTOSAVE, mini).state == many[-1].state


def test_an_autosave_failure_is_said_once_until_it_works_again(mini, tmp_path):
    (tmp_path / "file").write_text("not a folder")
    s = Session(mini, tmp_path / "file")
    s.new_game(keep_previous=False)
    notices = s.apply(engine.Choose("eat")).notices
    assert [n.kind for n in notices] == ["autosave-failed"] and "is a file" in notices[0].text
    assert s.apply(engine.Choose("meet")).notices == ()  # not again on every step
    s.saves_dir = tmp_path / "fine"
    assert s.autosave().kind == "autosaved"
    s.saves_dir = tmp_path / "file"
    assert s.autosave().kind == "autosave-failed"


def test_reload_carries_the_game_over_and_reports_problems(mini, tmp_path):
    renamed = retitled(mini, "a", "Start, rewritten")
    watcher = FakeWatcher(None, ["scenes/main.yaml:3:1: bad"], renamed, RuntimeError("boom"))
    s = Session(mini, tmp_path, recorder=FakeRecorder(), watcher=watcher)
    s.new_game()
    s.apply(engine.Choose("eat"))
    state = s.state
    assert s.poll_reload() is None
    news = s.poll_reload(force=True)
    assert news.kind == "problems" and news.problems == ("scenes/main.yaml:3:1: bad",)
    assert s.world is mini and s.problems == ["scenes/main.yaml:3:1: bad"]
    news = s.poll_reload()
    assert news.kind == "reloaded" and news.world is renamed and s.world is renamed
    assert s.state == state and s.problems == [] and s.where() == "Mon morning, Start, rewritten"
    assert ("world", mini.title) in s.recorder.events
    failed = s.poll_reload()
    assert failed.kind == "failed" and failed.error == "boom" and s.world is renamed
    assert watcher.forced == [False, True, False, False]
    assert Session(mini, tmp_path).poll_reload() is None  # no watcher, no news


def test_reload_waits_for_a_scene_the_new_world_has(mini, tmp_path):
    smaller = without(mini, "a")
    s = Session(mini, tmp_path, watcher=FakeWatcher(smaller))
    s.new_game()
    news = s.poll_reload()
    assert news.kind == "waiting" and news.scene_gone and news.scene == "a"
    assert s.world is mini and s.pending_world is smaller
    stay = s.apply(engine.Choose("eat"))  # still at 'a': the old world plays on
    assert stay.reload is None and s.world is mini
    moved = s.apply(engine.Choose("ask"))
    assert moved.reload is not None and moved.reload.kind == "reloaded"
    assert moved.world is mini  # the step's events belong to the world it was taken in
    assert s.world is smaller and s.pending_world is None and s.state.scene == "ask"


def test_a_new_game_starts_in_the_waiting_world(mini, tmp_path):
    renamed = without(retitled(mini, "b", "Finale"), "ask")
    s = Session(mini, tmp_path)
    s.new_game()
    s.apply(engine.Choose("ask"))
    assert s.reload(renamed).kind == "waiting"
    s.new_game()
    assert s.world is renamed and s.pending_world is None
    assert saves.read(tmp_path, saves.AUTOSAVE_PREVIOUS, mini).state.scene == "ask"  # old world


def test_what_the_front_ends_say_about_a_run(session, mini, tmp_path):
    assert session.where() == "Mon morning, Start" and session.suggested_slot() == "mon-morning"
    assert session.run_in_progress() == session.state
    session.apply(engine.Choose("ask"))
    session.apply(engine.Type("$100M"))
    assert session.over and session.run_in_progress() is None  # an ended run is not in progress
    found, trouble = session.note_ending()
    assert found == {"rich"} and trouble is None
    fresh = Session(mini, tmp_path)
    assert fresh.has_autosave() and fresh.saved_run() == session.state
    assert [s.name for s in fresh.slots()] == ["autosave"]
    assert session.close() == "Recorded." and session.recorder.events[-1] == ("close", "rich")
