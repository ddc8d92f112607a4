"""`play --record` writes a playthrough that replays; `replay --update` rewrites expectations."""

import io
import subprocess
import sys

from neuripsquest.core import engine
from neuripsquest.frontends.plain import PlainGame
from neuripsquest.play import replay
from neuripsquest.play.record import Recorder
from neuripsquest.store.loader import load_world
from neuripsquest.tools.replay_update import update_files
from tests.conftest import MINI, plain_argv


def play(world, recorder, lines, tmp_path, seed=3):
    out = io.StringIO()
    game = PlainGame(
        world, engine.new_game(world, seed), tmp_path / "saves", out, seed=seed, recorder=recorder
    )
    game.run(io.StringIO("".join(line + "\n" for line in lines)))
    recorder.close(game.world, game.state)
    return out.getvalue()


def test_a_recorded_session_replays_exactly(mini, tmp_path):
    path = tmp_path / "rec.yaml"
    rec = Recorder(path, mini, 3, world_dir=MINI)
    play(mini, rec, ["1", "1", "undo", "1", "3", "no idea", "$100M"], tmp_path)
    assert rec.message == f"Recorded 6 steps to {path}."
    text = path.read_text()
    assert "seed: 3\n" in text
    assert "steps:\n  - eat\n  - meet\n  - undo: true\n  - meet\n  - ask\n" in text
    assert '  - type: "$100M"\n' in text  # the refused 'no idea' is not a step
    assert "expect:\n  scene: rich\n  ending: rich\n" in text
    assert "  stats_exactly: {energy: 4, number: 100000000}\n" in text
    assert "  flags_exactly: [met]\n  items_exactly: [pretzel]\n" in text
    res = replay.run(mini, replay.load(str(path)))
    assert res.ok, res.report


def test_through_the_command_line(tmp_path):
    path = tmp_path / "cli.yaml"
    out = subprocess.run(
        plain_argv(tmp_path / "s", "--seed", "5", "--record", str(path)),
        input="1\n3\n",
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0
    assert f"Recorded 2 steps to {path}." in out.stderr
    check = subprocess.run(
        [sys.executable, "-m", "neuripsquest", "replay", str(path)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout


def test_new_game_restarts_and_loading_stops_the_recording(mini, tmp_path):
    path = tmp_path / "r.yaml"
    rec = Recorder(path, mini, 3, world_dir=MINI)
    text = play(mini, rec, ["1", "new", "2", "save x", "1", "load x", "1"], tmp_path)
    assert "Recording stopped" in text
    written = path.read_text()
    assert "steps:\n  - meet\n  - eat\nexpect:" in written  # the step before the load
    assert "# The recording stopped early: the player loaded the save 'x'." in written
    assert replay.run(mini, replay.load(str(path))).ok


def test_nothing_to_record(mini, tmp_path):
    rec = Recorder(tmp_path / "none.yaml", mini, 1)
    play(mini, rec, ["quit"], tmp_path)
    assert "Nothing recorded" in rec.message and not (tmp_path / "none.yaml").exists()
    assert rec.close() == rec.message  # closing twice is harmless


def test_a_recording_that_no_longer_replays_says_so(tmp_path):
    import shutil

    root = tmp_path / "w"
    shutil.copytree(MINI, root)
    world = load_world(root, use_cache=False)
    path = tmp_path / "r.yaml"
    rec = Recorder(path, world, 3, world_dir=root)
    s, _ = engine.step(world, engine.new_game(world, 3), engine.Choose("eat"))
    rec.record(engine.Choose("eat"), s)
    scenes = root / "scenes" / "main.yaml"
    scenes.write_text(scenes.read_text().replace("energy += 1]", "energy += 2]"))
    changed = load_world(root, use_cache=False)
    msg = rec.close(changed, s)
    assert "does not replay as played" in msg


PLAYTHROUGH = """\
# a comment that must survive
name: update me
seed: 3
steps:
  - eat   # eat it
  - choose: meet
    expect: {scene: b, stats: {energy: 9}}
expect:
  scene: a
  stats: {energy: {min: 7}, number: 0}
  flags: {met: false}
  items: {pretzel: true}
"""


def test_update_rewrites_only_failing_values_and_shows_a_diff(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(PLAYTHROUGH)
    out = io.StringIO()
    assert update_files([str(path)], MINI, out) == 0
    assert path.read_text() == PLAYTHROUGH.replace(
        "{scene: b, stats: {energy: 9}}", "{scene: a, stats: {energy: 4}}"
    ).replace("{energy: {min: 7}, number: 0}", "{energy: 4, number: 0}").replace(
        "met: false", "met: true"
    )
    report = out.getvalue()
    assert f"updated {path}:" in report
    assert "-    expect: {scene: b, stats: {energy: 9}}" in report
    assert "+    expect: {scene: a, stats: {energy: 4}}" in report
    assert report.endswith("1 file updated\n1 passed, 0 failed\n")
    again = io.StringIO()
    assert update_files([str(path)], MINI, again) == 0
    assert again.getvalue() == f"ok   {path}\n1 passed, 0 failed\n"


def test_update_cannot_fix_a_refused_step(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("seed: 1\nsteps: [tired]\nexpect: {scene: b}\n")
    out = io.StringIO()
    assert update_files([str(path)], MINI, out) == 1
    assert "was refused" in out.getvalue() and "cannot fix" in out.getvalue()
    assert path.read_text() == "seed: 1\nsteps: [tired]\nexpect: {scene: b}\n"


def test_update_from_the_command_line(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(PLAYTHROUGH)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "neuripsquest",
            "replay",
            "--update",
            str(path),
            "--world",
            str(MINI),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout
    assert "+  flags: {met: true}" in out.stdout
