"""What the tools print: counts agree with their nouns, big numbers are digits with
separators, and a tool that needs a clean world says what it skipped."""

import pytest

from neuripsquest import cli
from neuripsquest.problems import article, number, plural
from neuripsquest.store.loader import check_world
from tests.conftest import MINI, ROOT

BROKEN = ROOT / "tests" / "broken" / "dangling_goto"  # one problem


def test_plural_article_and_number():
    assert [plural(n, "place") for n in (0, 1, 2, 12_000)] == [
        "0 places",
        "1 place",
        "2 places",
        "12,000 places",
    ]
    assert (
        plural(1, "entry", "entries") == "1 entry" and plural(3, "entry", "entries") == "3 entries"
    )
    assert [article(w) for w in ("item", "ending", "input", "scene", "flag")] == [
        "an item",
        "an ending",
        "an input",
        "a scene",
        "a flag",
    ]
    assert [number(x) for x in (100_000_000, 1e8, 25_000_000.75, 2 / 3, 0.5, 7.0, -1500)] == [
        "100,000,000",
        "100,000,000",
        "25,000,000.75",
        "0.67",
        "0.5",
        "7",
        "-1,500",
    ]


@pytest.mark.parametrize(
    ("command", "skipped"),
    [
        (["lint"], "story analysis (reachability, dead ends, conditions) was skipped"),
        (["explore"], "story analysis was skipped"),
        (["randomtest", "--runs", "3"], "random play was skipped"),
        (["graph"], "the graph was skipped"),
        (["report", "-o", "{tmp}/r.html"], "the report was skipped"),
    ],
)
def test_a_tool_refusing_a_world_with_problems_says_what_it_skipped(
    command, skipped, tmp_path, capsys
):
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert cli.main([*args, str(BROKEN)]) == 1
    said = capsys.readouterr()
    err = said.err.splitlines()
    assert "goto: no scene 'bb'" in said.out + said.err  # lint lists problems on stdout
    assert err[-1] == f"1 problem found; {skipped}: fix these first (see `neuripsquest check`)"
    assert not (tmp_path / "r.html").exists()


def test_check_counts_in_words(capsys):
    assert cli.main(["check", str(BROKEN)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "1 problem found"
    assert cli.main(["check", str(MINI)]) == 0
    world, _ = check_world(MINI)
    endings = sum(1 for s in world.scenes.values() if s.ending)
    assert endings == 2  # so the line below says "ending scenes", and a world with one...
    assert f"{len(world.scenes)} scenes, 2 ending scenes, no problems" in capsys.readouterr().out


def test_one_ending_scene_is_said_in_the_singular(tmp_path, capsys):
    import shutil

    world = tmp_path / "w"
    shutil.copytree(MINI, world)
    main = world / "scenes" / "main.yaml"
    text = main.read_text()
    assert text.count("ending: ") == 2
    # the `rich` ending scene becomes an ordinary one leading to the other ending
    head, tail = text.rsplit("ending: ", 1)
    main.write_text(head + "choices: [{text: Go, goto: b}]\n" + tail.split("\n", 1)[1])
    assert cli.main(["check", str(world)]) == 0, capsys.readouterr().err
    assert ", 1 ending scene, no problems" in capsys.readouterr().out


def test_randomtest_shows_big_stats_as_digits_not_scientific_notation(capsys):
    # The mini world's `number` stat takes typed amounts up to 100,000,000: its quartiles and
    # mean were floats, printed as 1e+08 beside the whole 100000000.
    assert cli.main(["randomtest", "--runs", "40", "--seed", "1", str(MINI)]) == 0
    out = capsys.readouterr().out
    rows = [line.split()[1:] for line in out.splitlines() if line.strip().startswith("number ")]
    assert rows and "e+" not in out
    assert any("100,000,000" in r for r in rows), rows
    assert out.startswith("40 runs (seed 1), ")


def test_a_name_declared_twice_says_an_item(tmp_path):
    import shutil

    world = tmp_path / "w"
    shutil.copytree(MINI, world)
    wy = world / "world.yaml"
    wy.write_text(wy.read_text().replace("  pretzel: {name: Pretzel}", "  met: {name: Met}"))
    _, problems = check_world(world)
    assert "'met' is both a flag and an item" in [p.message for p in problems]
