"""Hot reload: the Watcher, carrying a state over, and plain mode with --watch."""

import io
import shutil

from neuripsquest.core import engine
from neuripsquest.frontends.plain import PlainGame
from neuripsquest.play import watch
from neuripsquest.store.loader import load_world
from tests.conftest import MINI


def copy(tmp_path):
    dest = tmp_path / "w"
    shutil.copytree(MINI, dest)
    return dest


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_poll_says_nothing_until_a_file_changes(tmp_path):
    root = copy(tmp_path)
    w = watch.Watcher(root, interval=0, settle=0)
    assert w.poll() is None
    edit(root / "scenes" / "main.yaml", "You have {energy}", "You now have {energy}")
    news = w.poll()
    assert news is not None and not isinstance(news, list)
    assert news.scenes["a"].text.startswith("You now have")
    assert w.poll() is None  # the same change is reported once


def test_a_broken_edit_gives_located_problems_then_recovers(tmp_path):
    root = copy(tmp_path)
    w = watch.Watcher(root, interval=0, settle=0)
    edit(root / "scenes" / "main.yaml", "goto: b", "goto: nowhere")
    news = w.poll()
    assert isinstance(news, list) and "no scene 'nowhere'" in news[0].message
    assert news[0].line > 1
    edit(root / "scenes" / "main.yaml", "goto: nowhere", "goto: b")
    assert not isinstance(w.poll(), list)


def test_new_and_deleted_files_count_as_changes(tmp_path):
    root = copy(tmp_path)
    w = watch.Watcher(root, interval=0, settle=0)
    (root / "scenes" / "more.yaml").write_text("- {id: z, title: Z, text: z, ending: done}\n")
    assert "z" in w.poll().scenes
    (root / "scenes" / "more.yaml").unlink()
    assert "z" not in w.poll().scenes


def test_interval_limits_how_often_it_looks(tmp_path):
    root = copy(tmp_path)
    now = [0.0]
    w = watch.Watcher(root, interval=0.5, settle=0, clock=lambda: now[0])
    edit(root / "world.yaml", "title: Mini", "title: Mini 2")
    now[0] = 0.1
    assert w.poll() is None
    now[0] = 0.7
    assert w.poll().title == "Mini 2"
    assert w.poll(force=True) is None


def test_carry_over_keeps_the_state_by_name(tmp_path):
    root = copy(tmp_path)
    old = load_world(root, use_cache=False)
    s = engine.new_game(old, 3)
    s, _ = engine.step(old, s, engine.Choose("eat"))
    s, _ = engine.step(old, s, engine.Choose("meet"))
    edit(root / "world.yaml", "stats:\n", "stats:\n  luck: {initial: 7, min: 0, max: 9}\n")
    new = load_world(root, use_cache=False)
    moved = watch.carry_over(old, new, s)
    assert moved.scene == "a"
    assert moved.stats[new.symbols.stats["energy"]] == 4
    assert moved.stats[new.symbols.stats["luck"]] == 7
    assert moved.items == new.symbols.items["pretzel"]
    back, _ = engine.step(new, moved, engine.Undo())  # undo survives the reload
    assert back.stats[new.symbols.stats["energy"]] == 4 and back.used == 0


def test_carry_over_is_none_when_the_scene_is_gone(tmp_path):
    root = copy(tmp_path)
    old = load_world(root, use_cache=False)
    s = engine.new_game(old, 3)
    s, _ = engine.step(old, s, engine.Choose("ask"))
    edit(root / "scenes" / "main.yaml", "- id: ask", "- id: ask2")
    edit(root / "scenes" / "main.yaml", "goto: ask\n", "goto: ask2\n")
    edit(root / "scenes" / "main.yaml", "goto: ask, do", "goto: ask2, do")
    new = load_world(root, use_cache=False)
    assert watch.carry_over(old, new, s) is None


class Script(io.StringIO):
    """Input lines for plain mode that can change the world files between prompts."""

    def __init__(self, steps):
        super().__init__()
        self.steps = list(steps)

    def readline(self):
        if not self.steps:
            return ""
        step = self.steps.pop(0)
        if callable(step):
            step()
            return self.readline()
        return step + "\n"


def test_plain_mode_reloads_keeps_the_player_and_survives_errors(tmp_path):
    root = copy(tmp_path)
    scenes = root / "scenes" / "main.yaml"
    world = load_world(root, use_cache=False)
    out = io.StringIO()
    w = watch.Watcher(root, interval=0, settle=0, use_cache=False)
    game = PlainGame(world, engine.new_game(world, 3), tmp_path / "saves", out, seed=3, watcher=w)
    game.run(
        Script(
            [
                "1",  # eat: energy 4
                lambda: edit(scenes, "Get a pretzel", "Buy a pretzel"),
                "repeat",
                lambda: edit(scenes, "goto: b", "goto: nowhere"),
                "stats",
                lambda: edit(scenes, "goto: nowhere", "goto: b"),
                "reload",
                "reload",
            ]
        )
    )
    text = out.getvalue()
    assert "Reloaded the world; you are where you were." in text
    assert "Energy: 4" in text  # the state survived the reload
    assert "The world files have problems; still playing the last good version:" in text
    assert "no scene 'nowhere'" in text
    assert "The world files have not changed." in text
    assert "Traceback" not in text


def test_plain_mode_keeps_the_old_world_until_a_scene_the_new_one_has(tmp_path):
    root = copy(tmp_path)
    scenes = root / "scenes" / "main.yaml"
    world = load_world(root, use_cache=False)
    out = io.StringIO()
    w = watch.Watcher(root, interval=0, settle=0, use_cache=False)
    game = PlainGame(world, engine.new_game(world, 3), tmp_path / "saves", out, seed=3, watcher=w)

    def rename():
        edit(scenes, "- id: ask", "- id: ask2")
        edit(scenes, "goto: ask\n", "goto: ask2\n")
        edit(scenes, "goto: ask, do", "goto: ask2, do")

    game.run(Script(["4", rename, "look", "250k"]))
    text = out.getvalue()
    assert "the scene 'ask' is gone from them: still playing the old version" in text
    assert "You said: $250,000" in text  # the old world's scene still answered
    assert game.state.scene == "b" and game.world is not world  # switched at 'b'
    assert "Reloaded the world; you are where you were." in text
    assert game.pending_world is None


EAT = """    - id: eat
      text: Get a pretzel
      if: not has pretzel
      do: [give pretzel, energy += 1]
      goto: a
"""
MEET = """    - id: meet
      text: Meet someone
      once: true
      do: set met
      goto: a
"""


def test_plain_mode_rereads_the_story_before_acting_on_a_line(tmp_path):
    """A line is typed at the scene on screen: when the story changed while it was typed, the
    number may now mean another choice, so the scene is shown again and nothing is done."""
    root = copy(tmp_path)
    scenes = root / "scenes" / "main.yaml"
    world = load_world(root, use_cache=False)
    out = io.StringIO()
    w = watch.Watcher(root, interval=0, settle=0, use_cache=False)
    game = PlainGame(world, engine.new_game(world, 3), tmp_path / "saves", out, seed=3, watcher=w)
    game.run(Script([lambda: edit(scenes, EAT + MEET, MEET + EAT), "1"]))  # swapped, then 1
    text = out.getvalue()
    assert game.state.turn == 0 and game.state.items == 0  # the old choice 1 was not taken
    assert game.state.flags == 0  # nor the new one, blindly
    _, said, after = text.partition("The story changed; here is the scene again.")
    assert said and after.index("1. Meet someone") < after.index("2. Get a pretzel")
    out.seek(0)
    out.truncate()
    game.run(Script(["1"]))  # asked again: now 1 is the choice on screen
    assert game.state.flags == game.world.symbols.flags["met"] and game.state.items == 0
