"""Hot reload (`watch`, with a watcher object) and recording (a recorder object), as the App
handles them; the real watcher and recorder belong to the tools and are faked here."""

from __future__ import annotations

from neuripsquest.core import engine
from neuripsquest.frontends.tui.screens.game import GameScreen

from .helpers import SIZE, build, on_screen, screen_text, until


class FakeWatcher:
    def __init__(self, *news):
        self.news = list(news)
        self.polls = 0

    def poll(self):
        self.polls += 1
        return self.news.pop(0) if self.news else None


class FakeRecorder:
    def __init__(self):
        self.steps = []
        self.closed = []
        self.events = []

    def record(self, action, state):
        self.steps.append((action, state))

    def restart(self, state, seed):
        self.events.append(("restart", state.scene, seed))

    def loaded(self, what):
        self.events.append(("loaded", what))
        return "Recording stopped."

    def world_changed(self, world):
        self.events.append(("world", world.title))

    def close(self, world, state):
        self.closed.append((world, state))
        return "Recorded it."


def retitled(world, scene_id, title):
    scenes = dict(world.scenes)
    scenes[scene_id] = scenes[scene_id]._replace(title=title)
    return world.replace(scenes=scenes, fingerprint="changed")


def toasts(app):
    return app.notice_log


async def test_watcher_is_polled_and_its_news_handled(mini, tmp_path):
    renamed = retitled(mini, "a", "Start, rewritten")
    without_a = mini.replace(scenes={k: v for k, v in mini.scenes.items() if k != "a"})
    problems = ["world/scenes/a.yaml:3:1: unknown key 'txt'", "another problem"]
    watcher = FakeWatcher(None, problems, renamed, without_a)
    # watch=False: the test polls by hand, so no timer polls in between
    app = build(mini, tmp_path, watch=False, watcher=watcher)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        await pilot.press("1")
        state = app.state
        app.poll_watcher()  # nothing new
        assert app.world is mini and app.state is state
        app.poll_watcher()  # problems: shown, the last good world kept
        assert app.world is mini and app.world_problems == problems
        await until(pilot, lambda: any("unknown key 'txt'" in t for t in toasts(app)))
        app.poll_watcher()  # a new world: the game carries over
        assert app.world is renamed
        assert app.state == state
        await until(pilot, lambda: "Start, rewritten" in screen_text(app), "the new title")
        assert app.world_problems == []
        app.poll_watcher()  # the current scene is gone: keep the world we have
        assert app.world is renamed and app.pending_world is without_a
        await until(pilot, lambda: any("is gone from the new world" in t for t in toasts(app)))
        await pilot.press("4")  # on to 'ask', which the new world has: switch now
        await until(pilot, lambda: app.world is without_a, "the pending world taken up")
        assert app.state.scene == "ask" and app.pending_world is None


async def test_watch_polls_on_a_timer(mini, tmp_path):
    watcher = FakeWatcher()
    app = build(mini, tmp_path, watch=True, watcher=watcher)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: watcher.polls >= 1, "a poll", tries=2000)
        assert app.watch_timer is not None


async def test_no_polling_without_watch(mini, tmp_path):
    watcher = FakeWatcher()
    app = build(mini, tmp_path, watch=False, watcher=watcher)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_frame_done, "the start-up work")
        assert app.watch_timer is None  # nothing will ever poll (no sleep needed to show it)
    assert watcher.polls == 0


async def test_recorder_sees_every_accepted_step_and_the_end(mini, tmp_path):
    recorder = FakeRecorder()
    app = build(mini, tmp_path, recorder=recorder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        await pilot.press("3")  # refused: not recorded
        await pilot.press("1", "u", "5", *"1k", "enter")
        await until(pilot, lambda: len(recorder.steps) == 4)
        await pilot.press("q", "y")
        await until(pilot, lambda: app.return_code is not None, "the exit")
    actions = [a for a, _ in recorder.steps]
    assert actions == [engine.Choose("eat"), engine.Undo(), engine.Choose("ask"), engine.Type("1k")]
    assert recorder.steps[-1][1].scene == "b"
    assert recorder.closed == [(mini, app.state)]
    assert recorder.events == [("restart", "a", 1)]
    assert app.farewell == "Recorded it."  # run_app prints it once the terminal is back
    app.finish()  # run_app calls it again on the way out: still only once
    assert len(recorder.closed) == 1


async def test_recorder_hears_of_loads_and_reloads(mini, tmp_path):
    recorder = FakeRecorder()
    app = build(mini, tmp_path, recorder=recorder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        await pilot.press("1")
        app.save_to("slot")
        app.load_from("slot")
        await until(pilot, lambda: "Recording stopped." in toasts(app), "the warning")
        app.reload_world(retitled(mini, "a", "New title"))
    assert recorder.events[1:] == [("loaded", "the save 'slot'"), ("world", "Mini")]
