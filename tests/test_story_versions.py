"""Saves across story versions: names changed with `renamed_from`, scenes removed, and
`checkpoint: true` scenes a save goes back to when its own scene is gone."""

import io
import json
import re
import textwrap

import jsonschema
import pytest

from neuripsquest import cli
from neuripsquest.core import engine
from neuripsquest.core.engine import Choose, Undo
from neuripsquest.core.state import from_json, iter_history, names_of, to_json
from neuripsquest.frontends.plain import PlainGame
from neuripsquest.play import watch
from neuripsquest.store import saves
from neuripsquest.store.loader import check_world, load_world
from tests.conftest import ROOT

WORLD = """\
title: Versions
start: hall
clock:
  days: [Wednesday, Thursday]
  slots: [morning, evening]
places:
  venue: {name: Venue}
stats:
  energy: {initial: 3, min: 0, max: 9}
flags:
  met: You met someone
items:
  badge: {name: Badge}
endings:
  done: {title: Done}
"""

SCENES = """\
- id: hall
  title: The hall
  place: venue
  text: You have {energy} energy.
  choices:
    - id: in
      text: Go to the bar
      once: true
      do: [give badge, energy += 1]
      goto: bar
    - id: skip
      text: Go home
      goto: end
- id: bar
  title: The bar
  place: venue
  text: A bar.
  choices:
    - id: talk
      text: Talk to someone
      if: visits(bar) < 3 and not met
      once: true
      do: [set met, advance 1]
      goto: talk
    - id: leave
      text: Leave
      goto: end
- id: talk
  title: A talk
  place: venue
  text: You talk.
  choices:
    - id: see
      text: See the posters
      if: met and has badge
      goto: posters
    - id: leave
      text: Leave
      goto: end
- id: posters
  title: Posters
  place: venue
  text: Posters.
  choices:
    - text: Leave
      goto: end
- id: end
  title: The end
  text: Over.
  ending: done
"""


def write_world(root, world=WORLD, scenes=SCENES):
    (root / "scenes").mkdir(parents=True)
    (root / "world.yaml").write_text(textwrap.dedent(world), encoding="utf-8")
    (root / "scenes" / "main.yaml").write_text(scenes, encoding="utf-8")
    return root


def build(root, world=WORLD, scenes=SCENES):
    return load_world(write_world(root, world, scenes), use_cache=False)


def play(world, *choices, seed=1):
    s = engine.new_game(world, seed)
    for c in choices:
        s, _ = engine.step(world, s, Choose(c))
    return s


def edited(text, *pairs):
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text


def without_scene(text, sid, to="end"):
    """The scene list without the scene `sid`; choices that led there lead `to` instead."""
    blocks = re.split(r"(?m)^(?=- id: )", text)
    out = "".join(b for b in blocks if not b.startswith(f"- id: {sid}\n"))
    return out.replace(f"goto: {sid}\n", f"goto: {to}\n")


def at(text, needle, part):
    """(line, column) of `part` inside the first `needle` in `text`, 1-based."""
    offset = text.index(needle) + needle.index(part)
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


@pytest.fixture
def old(tmp_path):
    return build(tmp_path / "v1")


def saved(tmp_path, world, state, name="slot"):
    folder = tmp_path / "saves"
    saves.write(folder, name, world, state, ["a journal line"])
    return folder


def history_scenes(state):
    return [h.scene for h in iter_history(state.history)]


# ---- renamed scenes


RENAMED_SCENES = edited(
    SCENES,
    ("\n- id: bar\n", "\n- id: lounge\n  renamed_from: bar\n"),
    ("\n- id: talk\n", "\n- id: chat\n  renamed_from: [talk, chatter]\n"),
    ("goto: bar", "goto: lounge"),
    ("goto: talk", "goto: chat"),
    ("visits(bar)", "visits(lounge)"),
)


def test_a_renamed_scene_is_found_now_and_in_the_undo_history(tmp_path, old):
    s = play(old, "in", "talk")  # hall -> bar -> talk
    assert s.scene == "talk" and history_scenes(s) == ["bar", "hall"]
    folder = saved(tmp_path, old, s)
    new = build(tmp_path / "v2", scenes=RENAMED_SCENES)
    assert new.scene_renames == {"bar": "lounge", "talk": "chat", "chatter": "chat"}

    loaded = saves.read(folder, "slot", new)
    st = loaded.state
    assert st.scene == "chat" and history_scenes(st) == ["lounge", "hall"]
    assert loaded.note == "the story has changed since this save; playing on from the same scene"
    assert st.visits[new.visit_index["lounge"]] == 1  # visits(bar) became visits(lounge)
    assert names_of(st.used, new.once_keys) == ["hall.in", "lounge.talk"]  # once-only keys
    assert (st.stats, st.flags, st.items, st.clock) == (s.stats, s.flags, s.items, s.clock)
    back, _ = engine.step(new, st, Undo())
    assert back.scene == "lounge" and back.used == new.scenes["hall"].choice_by_id["in"].once_bit
    # the once-only talk was taken in the save: it stays taken in the renamed scene
    assert back.used & new.scenes["lounge"].choice_by_id["talk"].once_bit == 0
    assert st.used & new.scenes["lounge"].choice_by_id["talk"].once_bit


def test_from_json_follows_renames_so_a_reloaded_world_keeps_the_undo_steps(tmp_path, old):
    s = play(old, "in", "talk")
    new = build(tmp_path / "v2", scenes=RENAMED_SCENES)
    moved = from_json(new, json.loads(json.dumps(to_json(old, s))))
    assert moved.scene == "chat" and history_scenes(moved) == ["lounge", "hall"]
    carried = watch.carry_over(old, new, s)
    assert carried == moved


# ---- renamed stats, flags and items


RENAMED_NAMES = edited(
    WORLD,
    (
        "  energy: {initial: 3, min: 0, max: 9}",
        "  stamina: {initial: 3, min: 0, max: 9, renamed_from: energy}",
    ),
    (
        "  met: You met someone",
        "  acquainted: {note: You met someone, renamed_from: [met, greeted]}",
    ),
    ("  badge: {name: Badge}", "  lanyard: {name: Lanyard, renamed_from: badge}"),
)
RENAMED_NAME_SCENES = edited(
    SCENES,
    ("{energy}", "{stamina}"),
    ("energy += 1", "stamina += 1"),
    ("give badge", "give lanyard"),
    ("set met", "set acquainted"),
    ("not met", "not acquainted"),
    ("met and has badge", "acquainted and has lanyard"),
)


def test_renamed_stats_flags_and_items_keep_their_values(tmp_path, old):
    s = play(old, "in", "talk")
    assert s.stats == (4,) and names_of(s.flags, old.flag_names) == ["met"]
    folder = saved(tmp_path, old, s)
    new = build(tmp_path / "v2", RENAMED_NAMES, RENAMED_NAME_SCENES)
    assert new.flag_notes == {"acquainted": "You met someone"}
    assert (new.stat_renames, new.flag_renames, new.item_renames) == (
        {"energy": "stamina"},
        {"met": "acquainted", "greeted": "acquainted"},
        {"badge": "lanyard"},
    )
    st = saves.read(folder, "slot", new).state
    assert st.stats == (4,)
    assert names_of(st.flags, new.flag_names) == ["acquainted"]
    assert names_of(st.items, new.item_names) == ["lanyard"]
    assert [stats for _, stats in st.trail] == [stats for _, stats in s.trail]  # the trail too
    older = list(iter_history(st.history))
    assert older[0].stats == (4,) and older[0].items == new.symbols.items["lanyard"]
    assert older[-1].stats == (3,) and older[-1].items == 0
    # the renamed names work on: the talk's posters choice needs both
    ids = [c.id for c in new.scenes["talk"].choices if c.cond is None or c.cond(st)]
    assert "see" in ids


# ---- removed scenes


def test_a_removed_scene_goes_back_to_the_newest_checkpoint(tmp_path, old):
    s = play(old, "in", "talk", "see")  # history, newest first: talk, bar, hall
    folder = saved(tmp_path, old, s)
    scenes = edited(
        without_scene(SCENES, "posters"),
        ("  title: The hall\n", "  title: The hall\n  checkpoint: true\n"),
    )
    new = build(tmp_path / "v2", scenes=scenes)
    loaded = saves.read(folder, "slot", new)
    st = loaded.state
    assert st.scene == "hall" and st.turn == 0 and history_scenes(st) == []
    assert loaded.note == (
        "the story has changed since this save: the scene you were in is gone, so you are back "
        "at The hall (Wednesday morning)"
    )
    assert loaded.journal == ["a journal line"]
    # the slot listing names where loading puts the player
    (listed,) = saves.list_slots(folder, new)
    assert (listed.scene, listed.day, listed.problem) == ("The hall", "Wednesday morning", "")


def test_the_newest_checkpoint_wins_and_older_steps_are_kept(tmp_path, old):
    s = play(old, "in", "talk", "see")
    folder = saved(tmp_path, old, s)
    scenes = edited(
        without_scene(SCENES, "posters"),
        ("  title: The hall\n", "  title: The hall\n  checkpoint: true\n"),
        ("  title: The bar\n", "  title: The bar\n  checkpoint: true\n"),
    )
    new = build(tmp_path / "v2", scenes=scenes)
    loaded = saves.read(folder, "slot", new)
    assert loaded.state.scene == "bar" and history_scenes(loaded.state) == ["hall"]
    assert "back at The bar (Wednesday morning)" in loaded.note
    back, _ = engine.step(new, loaded.state, Undo())
    assert back.scene == "hall"


def test_without_a_checkpoint_the_newest_step_that_still_exists(tmp_path, old):
    s = play(old, "in", "talk", "see")
    folder = saved(tmp_path, old, s)
    new = build(tmp_path / "v2", scenes=without_scene(SCENES, "posters"))
    loaded = saves.read(folder, "slot", new)
    assert loaded.state.scene == "talk" and history_scenes(loaded.state) == ["bar", "hall"]
    assert "back at A talk (Wednesday evening)" in loaded.note  # the talk advanced the clock
    assert loaded.state == s.history._replace(history=loaded.state.history)


def test_a_removed_scene_with_nothing_to_go_back_to_is_refused(tmp_path, old):
    s = play(old, "in")  # at bar, history: hall
    folder = saved(tmp_path, old, s)
    scenes = without_scene(without_scene(SCENES, "bar"), "hall").replace("start: hall", "")
    new = build(tmp_path / "v2", WORLD.replace("start: hall", "start: talk"), scenes)
    with pytest.raises(saves.SaveError) as exc:
        saves.read(folder, "slot", new)
    assert str(exc.value) == "save 'slot' does not fit this world: the world has no scene 'bar'"


def test_undo_steps_in_removed_scenes_are_dropped_with_a_note(tmp_path, old):
    s = play(old, "in", "talk")  # at talk; history: bar, hall
    folder = saved(tmp_path, old, s)
    scenes = without_scene(SCENES, "bar", to="talk")
    new = build(tmp_path / "v2", scenes=scenes)
    loaded = saves.read(folder, "slot", new)
    assert loaded.state.scene == "talk" and history_scenes(loaded.state) == ["hall"]
    assert loaded.note == (
        "the story has changed since this save; playing on from the same scene; "
        "1 undo step was dropped because its scene is gone"
    )


def test_steps_past_a_shortened_week_are_dropped_in_other_words(tmp_path, old):
    s = play(old, "in", "talk", "see")  # the talk advanced the clock to evening
    data = to_json(old, s)
    data["clock"] = 0
    for step in data["history"]:
        step["clock"] = 5  # past the last slot of this two-day week: no longer fits
    folder = tmp_path / "saves"
    saves.write(folder, "slot", old, s)
    blob = json.loads((folder / "slot.json").read_text())
    blob["state"] = data
    (folder / "slot.json").write_text(json.dumps(blob))
    note = saves.read(folder, "slot", old).note
    assert note.endswith("; 3 undo steps were dropped because they no longer fit the story")


def test_hot_reload_follows_a_rename_but_not_a_removal(tmp_path, old):
    s = play(old, "in", "talk")
    renamed = build(tmp_path / "v2", scenes=RENAMED_SCENES)
    assert watch.carry_over(old, renamed, s).scene == "chat"
    removed = build(tmp_path / "v3", scenes=without_scene(SCENES, "talk"))
    assert watch.carry_over(old, removed, s) is None  # the front end keeps the old world


def test_plain_mode_reloads_into_a_renamed_scene(tmp_path):
    root = write_world(tmp_path / "w")
    world = load_world(root, use_cache=False)
    out = io.StringIO()
    w = watch.Watcher(root, interval=0, settle=0, use_cache=False)
    game = PlainGame(world, engine.new_game(world, 3), tmp_path / "saves", out, seed=3, watcher=w)

    def rename():
        (root / "scenes" / "main.yaml").write_text(RENAMED_SCENES)

    from tests.test_watch import Script

    game.run(Script(["1", rename, "reload"]))  # hall -> bar, then bar becomes lounge
    text = out.getvalue()
    assert "Reloaded the world; you are where you were." in text, text
    assert game.state.scene == "lounge" and game.pending_world is None


# ---- the declarations are checked


def problems_of(tmp_path, world=WORLD, scenes=SCENES):
    w, problems = check_world(write_world(tmp_path / "bad", world, scenes))
    assert w is None
    return [(p.path.rsplit("/", 1)[-1], p.line, p.column, p.message) for p in problems]


def test_scene_rename_problems(tmp_path):
    scenes = edited(
        SCENES,
        ("- id: posters\n", "- id: posters\n  renamed_from: [old, talk]\n"),
        ("- id: end\n", "- id: end\n  renamed_from: old\n"),
    )
    found = problems_of(tmp_path, scenes=scenes)
    assert [(f, line, col) for f, line, col, _ in found] == [
        ("main.yaml", *at(scenes, "renamed_from: [old, talk]", "talk")),
        ("main.yaml", *at(scenes, "renamed_from: old\n", "old")),
    ]
    talk_line = at(scenes, "\n- id: talk", "talk")[0]
    assert found[0][3].startswith("renamed_from: 'talk' is still the id of a scene (at ")
    assert found[0][3].endswith(
        f"main.yaml:{talk_line}); an earlier id must be one no longer in use"
    )
    assert found[1][3].startswith("renamed_from: 'old' is already an earlier id of scene 'posters'")


def test_name_rename_problems(tmp_path):
    world = edited(
        WORLD,
        (
            "  energy: {initial: 3, min: 0, max: 9}",
            "  energy: {initial: 3, min: 0, max: 9, renamed_from: met}",
        ),
        ("  met: You met someone", "  met: {note: You met someone, renamed_from: [old_flag]}"),
        ("  badge: {name: Badge}", "  badge: {name: Badge, renamed_from: old_flag}"),
    )
    assert problems_of(tmp_path, world=world) == [
        (
            "world.yaml",
            *at(world, "renamed_from: met}", "met"),
            "renamed_from: 'met' is still the name of a flag; "
            "an earlier name must be one no longer in use",
        ),
        (
            "world.yaml",
            *at(world, "renamed_from: old_flag}", "old_flag"),
            "renamed_from: 'old_flag' is already an earlier name of flag 'met'",
        ),
    ]


def test_a_goto_to_an_earlier_id_says_what_it_became(tmp_path):
    scenes = edited(RENAMED_SCENES, ("goto: lounge", "goto: bar"))
    (found,) = problems_of(tmp_path, scenes=scenes)
    assert found[3] == "goto: no scene 'bar' (it was renamed to 'lounge')"


def test_earlier_names_must_be_names(tmp_path):
    scenes = edited(SCENES, ("- id: end\n", "- id: end\n  renamed_from: Old End\n"))
    (found,) = problems_of(tmp_path, scenes=scenes)
    assert found[3].startswith("renamed_from: 'Old End' is not a valid name")


# ---- schema, cache and tools


def test_the_committed_schemas_accept_every_new_key(tmp_path):
    from neuripsquest.format import schema, yamlsrc

    def validator(kind):
        blob = json.loads((ROOT / "schema" / schema.FILES[kind]).read_text())
        return jsonschema.Draft202012Validator(blob)

    scenes = edited(
        RENAMED_SCENES, ("  title: The hall\n", "  title: The hall\n  checkpoint: true\n")
    )
    for kind, text in (("world", RENAMED_NAMES), ("scenes", scenes)):
        data = yamlsrc.read("x.yaml", text).data
        assert not [e.message for e in validator(kind).iter_errors(data)]
    bad = yamlsrc.read(
        "x.yaml", RENAMED_NAMES.replace("renamed_from: energy", "renamed_from: 3")
    ).data
    assert list(validator("world").iter_errors(bad))


def test_the_cache_keeps_renames_and_checkpoints(tmp_path, monkeypatch):
    monkeypatch.setenv("NEURIPSQUEST_CACHE", str(tmp_path / "cache"))
    scenes = edited(
        RENAMED_NAME_SCENES, ("  title: The hall\n", "  title: The hall\n  checkpoint: true\n")
    )
    root = write_world(tmp_path / "w", RENAMED_NAMES, scenes)
    cold = load_world(root)
    assert list((tmp_path / "cache").iterdir())
    warm = load_world(root)
    for w in (cold, warm):
        assert w.scenes["hall"].checkpoint and not w.scenes["bar"].checkpoint
        assert w.stat_renames == {"energy": "stamina"} and w.item_renames == {"badge": "lanyard"}
        assert w.flag_notes == {"acquainted": "You met someone"}


def test_lint_and_explore_are_unaffected(tmp_path, capsys):
    scenes = edited(
        RENAMED_NAME_SCENES, ("  title: The hall\n", "  title: The hall\n  checkpoint: true\n")
    )
    scenes = edited(
        scenes,
        ("\n- id: bar\n", "\n- id: lounge\n  renamed_from: bar\n"),
        ("goto: bar", "goto: lounge"),
        ("visits(bar)", "visits(lounge)"),
    )
    root = write_world(tmp_path / "w", RENAMED_NAMES, scenes)
    assert cli.main(["check", str(root)]) == 0
    assert cli.main(["lint", "--strict", str(root)]) == 0, capsys.readouterr()
    assert cli.main(["explore", str(root)]) == 0, capsys.readouterr()
