"""The debugger (`play --debug`): the rules in play/debug.py, the Session taking changes as
undoable steps (only when debugging, never while recording), and plain mode's `debug`
commands, with the flag and without."""

from __future__ import annotations

import io
import subprocess

import pytest

from neuripsquest import cli
from neuripsquest.core import engine
from neuripsquest.core.state import history_len
from neuripsquest.frontends.plain import PlainGame
from neuripsquest.play import debug
from neuripsquest.play.session import Session
from neuripsquest.store import saves
from tests.conftest import MINI, WORLD, plain_argv


@pytest.fixture(scope="module")
def big():
    from neuripsquest.store.loader import load_world

    return load_world(WORLD, use_cache=False)


def energy(world, state) -> int:
    return state.stats[world.symbols.stats["energy"]]


# ---------------------------------------------------------------- inspect


def test_the_listing_names_every_value_as_set_takes_it(mini):
    s, _ = engine.step(mini, engine.new_game(mini, 1), engine.Choose("eat"))
    got = debug.inspect(mini, s)
    assert got.scene == debug.SceneLine("a", "Start", False)
    assert (got.when, got.day, got.slot, got.turn, got.undo_steps) == (
        "Mon morning",
        1,
        "morning",
        1,
        1,
    )
    assert got.stats[0] == debug.StatLine("energy", "Energy", 4, 0, 5)
    assert got.flags == (debug.FlagLine("met", False, "You met someone"),)
    assert got.items == (debug.ItemLine("pretzel", "Pretzel", True),)
    sections = dict(got.sections())
    assert list(sections) == ["Now", "Stats", "Flags", "Items", "Visits"]
    assert [r.text for r in sections["Stats"]] == [
        "energy=4  (0 to 5)",
        "number=0  (0 to 1_000_000_000_000)",
    ]
    # picking a row offers what to type: the value as it is, a flag or item turned over
    assert [r.edit for r in sections["Stats"]] == ["energy=4", "number=0"]
    assert sections["Flags"][0] == debug.Row("met=false  (You met someone)", "met=true")
    assert sections["Items"][0] == debug.Row("pretzel=true  (Pretzel)", "pretzel=false")
    assert sections["Now"][1].text == "clock: Mon morning (day=1 slot=morning)"
    assert [r.text for r in sections["Visits"]] == ["(none)"]  # mini counts no visits


def test_the_listing_counts_visits_of_counted_scenes(big):
    s = engine.new_game(big, 1)
    s, _ = debug.jump(big, s, "convention_registration")
    visits = {v.scene: v.times for v in debug.inspect(big, s).visits}
    assert set(visits) == set(big.visit_names)
    assert visits["convention_registration"] == 1 and visits["closing_inbox"] == 0


# ---------------------------------------------------------------- set


def test_set_changes_the_values_named_and_nothing_else(mini):
    s = engine.new_game(mini, 1)
    new, events = debug.set_values(mini, s, "energy=1 met=true pretzel=yes day=2 slot=evening")
    assert new.stats == (1, 0) and new.flags == 1 and new.items == 1 and new.clock == 3
    assert (new.scene, new.turn, new.visits, new.rng, new.used) == (
        s.scene,
        s.turn,
        s.visits,
        s.rng,
        s.used,
    )
    assert new.trail == (*s.trail, (3, (1, 0)))  # the clock moved: the stat chart hears of it
    assert events == [
        engine.Narration("Debug: set energy=1 met=true pretzel=yes day=2 slot=evening."),
        engine.StatChanged("energy", 3, 1),
        engine.FlagChanged("met", True),
        engine.ItemChanged("pretzel", True),
        engine.ClockMoved(0, 3),
    ]
    # one step back, exactly
    back, _ = engine.undo(new)
    assert back == s


def test_set_money_and_false(mini):
    s, _ = debug.set_values(mini, engine.new_game(mini, 1), ["pretzel=true", "number=100_000_000"])
    s, _ = debug.set_values(mini, s, "pretzel=no")
    assert s.items == 0 and s.stats[1] == 100_000_000
    assert history_len(s.history) == 2


@pytest.mark.parametrize(
    "line, message",
    [
        ("enrgy=2", "set: no stat, flag or item named 'enrgy' (did you mean 'energy'?)"),
        ("energy=6", "set energy: 6 is outside its range 0 to 5"),
        ("energy=lots", "set energy: 'lots' is not a whole number"),
        ("met=maybe", "set met: flag 'met' takes true or false, not 'maybe'"),
        ("energy", "set wants NAME=VALUE"),
        ("", "set wants NAME=VALUE"),
        ("day=3", "set day: 3 is outside its range 1 to 2"),
        ("slot=evenin", "no time slot 'evenin' (did you mean 'evening'?)"),
        ("energy=1 met=perhaps", "not 'perhaps'"),  # all or none: energy is not set either
    ],
)
def test_a_wrong_value_is_refused_with_a_line_and_changes_nothing(mini, line, message):
    s = engine.new_game(mini, 1)
    with pytest.raises(debug.DebugError) as err:
        debug.set_values(mini, s, line)
    assert message in str(err.value) and "\n" not in str(err.value)
    same, events = debug.change(mini, s, debug.SetValues.of(line))
    assert same is s and events == [engine.Rejected(str(err.value))]


# ---------------------------------------------------------------- jump


def test_a_jump_enters_the_scene_as_a_goto_would(big):
    s = engine.new_game(big, 1)
    s, _ = debug.set_values(big, s, "energy=4")
    new, events = debug.jump(big, s, "day4_morning")
    assert new.scene == "day4_morning" and new.turn == s.turn + 1
    assert energy(big, new) == 5  # its on_enter (`energy += 1`) ran
    assert new.clock == s.clock  # the clock is the story's to move (or `set day= slot=`)
    assert events[0] == engine.Narration("Debug: jumped to day4_morning.")
    assert engine.StatChanged("energy", 4, 5) in events
    assert events[-1] == engine.Entered("day4_morning")
    back, _ = engine.undo(new)
    assert back == s


def test_a_jump_to_an_ending_ends_the_game_and_undo_comes_back(mini):
    s = engine.new_game(mini, 1)
    new, events = debug.jump(mini, s, "rich")
    assert engine.is_over(mini, new) and isinstance(events[-1], engine.Ended)
    assert engine.undo(new)[0] == s


def test_an_unknown_scene_gets_a_hint(mini):
    s = engine.new_game(mini, 1)
    same, events = debug.change(mini, s, debug.Jump("rch"))
    assert same is s and events == [engine.Rejected("jump: no scene 'rch' (did you mean 'rich'?)")]
    assert debug.unknown_scene(mini, "rich") == ""


def test_the_scene_list_has_every_scene(mini):
    assert debug.scenes(mini) == [
        debug.SceneLine("a", "Start", False),
        debug.SceneLine("b", "End", True),
        debug.SceneLine("ask", "Number", False),
        debug.SceneLine("rich", "Rich", True),
    ]


# ---------------------------------------------------------------- the session


def test_the_session_takes_changes_only_when_debugging(mini, tmp_path):
    session = Session(mini, tmp_path, 1)
    session.new_game()
    before = session.state
    result = session.apply(debug.SetValues.of("energy=1"))
    assert not result.accepted and session.state is before
    assert result.refusal == engine.Rejected("Debug changes are only taken with play --debug.")
    assert not (tmp_path / "autosave.json").exists()


def test_a_change_is_a_step_undone_autosaved_and_in_the_journal(mini, tmp_path):
    session = Session(mini, tmp_path, 1, debugging=True)
    session.new_game()
    start = session.state
    result = session.apply(debug.SetValues.of("energy=1 pretzel=true"))
    assert result.accepted and session.state.stats[0] == 1 and not result.scene_changed
    assert "- Debug: set energy=1 pretzel=true." in session.journal[-2]
    assert "You now have: Pretzel" in session.journal[-2]
    assert saves.read(tmp_path, saves.AUTOSAVE, mini).state.stats[0] == 1
    jumped = session.apply(debug.Jump("ask"))
    assert jumped.accepted and jumped.scene_changed and session.state.scene == "ask"
    assert session.journal[-1].startswith("@scene ask")
    assert session.undo().accepted and session.undo().accepted
    assert session.state == start


class FakeRecorder:
    def __init__(self):
        self.steps = []

    def record(self, action, state):
        self.steps.append(action)

    def restart(self, state, seed):
        pass

    def loaded(self, what):
        return ""

    def world_changed(self, world):
        pass

    def close(self, world, state):
        return ""


def test_a_recording_session_refuses_changes(mini, tmp_path):
    rec = FakeRecorder()
    session = Session(mini, tmp_path, 1, recorder=rec, debugging=True)
    session.new_game()
    result = session.apply(debug.Jump("rich"))
    assert not result.accepted and "recording cannot hold debug changes" in str(result.refusal)
    assert rec.steps == [] and session.state.scene == "a"


# ---------------------------------------------------------------- plain mode


def plain(world, lines, tmp_path, debugging=True):
    out = io.StringIO()
    game = PlainGame(
        world, engine.new_game(world, 1), tmp_path / "saves", out, seed=1, debugging=debugging
    )
    game.run(io.StringIO("".join(line + "\n" for line in lines)))
    return game, out.getvalue()


def test_plain_debug_commands(mini, tmp_path):
    game, text = plain(
        mini,
        [
            "debug",
            "debug set energy=5 met=true",
            "3",
            "undo",
            "debug jump ask",
            "debug set number=100_000_000",
            "debug scenes",
            "DEBUG JUMP rch",
        ],
        tmp_path,
    )
    assert "Now:\n  scene a: Start\n  clock: Mon morning (day=1 slot=morning)\n" in text
    assert "Stats:\n  energy=3  (0 to 5)\n" in text and "  met=false  (You met someone)\n" in text
    assert "Debug: set energy=5 met=true.\nEnergy +2 (now 5)\n" in text
    assert "Run a marathon. Not now" not in text.split("Debug: set energy=5")[1]  # unlocked
    assert "== Mon morning ==\nEnd\n" in text  # the marathon, taken with the energy set
    assert "Debug: jumped to ask.\n\n== Mon morning ==\nNumber\n" in text
    assert "Number: $100 million" in text
    assert "a: Start\nb: End (an ending)\nask: Number\nrich: Rich (an ending)\n" in text
    assert "jump: no scene 'rch' (did you mean 'rich'?)" in text
    assert game.state.scene == "ask" and game.state.stats[1] == 100_000_000


def test_plain_help_lists_debug_commands_only_with_the_flag(mini, tmp_path):
    _, on = plain(mini, ["help", "debug what"], tmp_path / "on")
    assert "debug set NAME=VALUE" in on and "debug jump SCENE" in on
    assert on.count("debug scenes") == 2  # `debug what` shows the list of debug commands
    _, off = plain(
        mini, ["help", "debug", "debug set energy=5", "debug jump rich"], tmp_path, False
    )
    assert "Debugging" not in off and "debug set NAME" not in off
    assert "I didn't understand 'debug'" in off
    assert "I didn't understand 'debug set energy=5'" in off
    assert "I didn't understand 'debug jump rich'" in off
    assert "Debug:" not in off and "Energy +2" not in off


def test_without_the_flag_debug_at_a_money_prompt_is_an_answer(mini, tmp_path):
    game, text = plain(mini, ["5", "debug"], tmp_path, False)
    assert "'debug' doesn't read as an amount of money" in text
    assert game.state.scene == "ask"


# ---------------------------------------------------------------- the command line


def test_record_and_debug_together_are_refused(tmp_path, capsys):
    argv = ["play", "--plain", "--world", str(MINI), "--saves", str(tmp_path)]
    assert cli.main([*argv, "--debug", "--record", str(tmp_path / "r.yaml")]) == 2
    err = capsys.readouterr().err
    assert "--record cannot be combined with --debug" in err and len(err.splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_help_describes_debug(capsys):
    with pytest.raises(SystemExit):
        cli.main(["play", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--debug" in text and "Shift+D" in text and "Not with --record" in text


def test_plain_debug_from_the_command_line(tmp_path):
    out = subprocess.run(
        plain_argv(tmp_path / "saves", "--seed", "1", "--new", "--debug"),
        input="debug set energy=5\ndebug jump rich\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and out.stderr == ""
    assert "Energy +2 (now 5)" in out.stdout and "THE END: Rich" in out.stdout
