"""`play --from SCENE --set NAME=VALUE`: a writer starts anywhere, with the values they name."""

import subprocess

import pytest

from neuripsquest import cli
from neuripsquest.core import engine
from neuripsquest.play.start import StartError, start_at
from tests.conftest import MINI, plain_argv


def test_start_at_a_scene_with_values(mini):
    s = start_at(mini, 7, "ask", ["energy=5", "met=yes", "pretzel=true", "day=2", "slot=evening"])
    assert s.scene == "ask" and s.stats == (5, 0) and s.seed == 7
    assert s.flags == mini.symbols.flags["met"] and s.items == mini.symbols.items["pretzel"]
    assert s.clock == 3 and s.turn == 0 and s.history == ()
    assert s.trail == ((3, (5, 0)),)
    # and it plays on from there like any game
    s2, _ = engine.step(mini, s, engine.Type("$100M"))
    assert s2.scene == "rich"


def test_without_values_the_clock_and_stats_are_the_worlds_start(mini):
    s = start_at(mini, 1, "ask", [])
    new = engine.new_game(mini, 1)
    assert (s.stats, s.flags, s.items, s.clock) == (new.stats, new.flags, new.items, new.clock)


def test_false_clears_and_the_scene_entry_effects_apply_after_the_values():
    from neuripsquest.store.loader import load_world
    from tests.conftest import WORLD

    world = load_world(WORLD, use_cache=False)
    # day3_morning's on_enter is `energy += 1`: --set says what you arrive with
    s = start_at(world, 1, "day3_morning", ["energy=4", "poster_tube=0", "day=3"])
    assert s.stats[world.symbols.stats["energy"]] == 5
    assert not s.items & world.symbols.items["poster_tube"]
    assert world.days[s.clock // len(world.slots)] == "Thursday"


@pytest.mark.parametrize(
    "scene, sets, message",
    [
        ("rch", [], "no scene 'rch' (did you mean 'rich'?)"),
        ("a", ["enrgy=3"], "no stat, flag or item named 'enrgy' (did you mean 'energy'?)"),
        ("a", ["energy=6"], "--set energy: 6 is outside its range 0 to 5"),
        ("a", ["energy=-1"], "--set energy: -1 is outside its range 0 to 5"),
        ("a", ["energy=lots"], "--set energy: 'lots' is not a whole number"),
        ("a", ["energy=٣"], "--set energy: '٣' is not a whole number"),
        ("a", ["met=maybe"], "flag 'met' takes true or false, not 'maybe'"),
        ("a", ["pretzel=2"], "item 'pretzel' takes true or false, not '2'"),
        ("a", ["energy"], "--set wants NAME=VALUE"),
        ("a", ["=3"], "--set wants NAME=VALUE"),
        ("a", ["day=3"], "--set day: 3 is outside its range 1 to 2"),
        ("a", ["slot=evenin"], "no time slot 'evenin' (did you mean 'evening'?)"),
    ],
)
def test_mistakes_are_one_line_with_a_hint(mini, scene, sets, message):
    with pytest.raises(StartError) as err:
        start_at(mini, 1, scene, sets)
    assert message in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--from", "rch"], "neuripsquest play: --from: no scene 'rch' (did you mean 'rich'?)"),
        (["--from", "a", "--set", "enrgy=1"], "(did you mean 'energy'?)"),
        (["--from", "a", "--set", "energy=9"], "outside its range 0 to 5"),
        (["--set", "met=perhaps"], "takes true or false, not 'perhaps'"),
        (["--from", "a", "--record", "x.yaml"], "--record cannot be combined with --from"),
    ],
)
def test_the_command_line_says_what_is_wrong_and_exits_2(tmp_path, capsys, extra, message):
    argv = ["play", "--plain", "--world", str(MINI), "--saves", str(tmp_path), *extra]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not list(tmp_path.iterdir())  # nothing was started, nothing was moved


def test_plain_mode_from_a_scene(tmp_path):
    saves = tmp_path / "saves"
    first = subprocess.run(
        plain_argv(saves, "--seed", "1"), input="1\n", capture_output=True, text=True, timeout=60
    )
    assert first.returncode == 0
    out = subprocess.run(
        plain_argv(saves, "--from", "ask", "--set", "energy=4", "--set", "day=2"),
        input="stats\n$100M\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and out.stderr == ""
    t = out.stdout
    assert "Starting at ask (Number), Tue morning; the story's own start is a.\n" in t
    assert "Your last game is kept: load autosave-previous to go back." in t
    assert "Energy: 4 of 5" in t and "THE END: Rich" in t
    assert (saves / "autosave-previous.json").is_file()


def test_help_names_the_new_options(capsys):
    with pytest.raises(SystemExit):
        cli.main(["play", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--from SCENE" in text and "--set NAME=VALUE" in text and "--new" in text
    assert "implies --new" in text and "autosave-previous" in text
