"""Hostile YAML: alias bombs, deep nesting, huge numbers, forbidden characters.

Each is refused by `check` within the time limit, with one located problem line."""

from __future__ import annotations

import pytest

from neuripsquest.format import yamlsrc
from neuripsquest.play import replay

from .helpers import check_fast, deadline, mini_copy, replace_once, scenes


@pytest.fixture(params=["libyaml", "pure"])
def parser(request, monkeypatch):
    """Both YAML parsers: libyaml, and the pure one used where libyaml is missing."""
    if request.param == "pure":
        monkeypatch.setattr(yamlsrc, "_Loader", yamlsrc.PURE_LOADER)
    return request.param


def laughs(levels: int, width: int = 9) -> str:
    """The 'billion laughs': each anchor repeats the one before `width` times."""
    rows = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels + 1):
        rows.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(rows) + "\n"


def test_billion_laughs_is_refused_at_the_alias(tmp_path, parser):
    root = mini_copy(tmp_path)
    (root / "scenes" / "bomb.yaml").write_text(laughs(9))  # 9**10 values: 3.5 billion
    problems = check_fast(root)
    assert len(problems) == 1
    # a4 holds 66,430 values; the first *a4 in a5 takes the world past its allowance
    assert problems[0].startswith("scenes/bomb.yaml:6:10: YAML: aliases expand this file past ")
    assert "'billion laughs'" in problems[0]


def test_many_small_bombs_share_one_budget(tmp_path):
    root = mini_copy(tmp_path)
    for i in range(300):  # 300 files of 11,111 values each: one budget stops them early
        (root / "scenes" / f"bomb{i:03}.yaml").write_text(laughs(3, width=10))
    problems = check_fast(root)
    assert any("aliases expand this file past" in p for p in problems)


def test_aliases_within_reason_still_work(tmp_path):
    root = mini_copy(tmp_path)
    replace_once(scenes(root), "do: [give pretzel, energy += 1]", "do: &snack [give pretzel]")
    replace_once(scenes(root), "do: set met", "do: *snack")
    with deadline():
        world, problems = yamlsrc_world(root)
    assert problems == [] and world is not None


def yamlsrc_world(root):
    from neuripsquest.store.loader import check_world

    return check_world(root)


def test_deeply_nested_flow_list_in_a_world_file(tmp_path, parser):
    root = mini_copy(tmp_path)
    replace_once(scenes(root), "do: set met", "do: " + "[" * 800 + "set met" + "]" * 800)
    # the scene list, a scene, its choices and a choice are four levels: the 47th '[' is 51st
    assert check_fast(root) == ["scenes/main.yaml:17:57: YAML: nested more than 50 levels deep"]


def test_deeply_nested_block_lists_in_a_world_file(tmp_path, parser):
    root = mini_copy(tmp_path)
    block = "".join("        " + "  " * k + "-\n" for k in range(600))
    replace_once(scenes(root), "do: set met", "do:\n" + block.rstrip("\n"))
    assert check_fast(root) == ["scenes/main.yaml:64:101: YAML: nested more than 50 levels deep"]


def test_libyaml_own_nesting_limit_is_a_located_problem(tmp_path):
    root = mini_copy(tmp_path)
    replace_once(scenes(root), "do: set met", "do: " + "[" * 20_000 + "]" * 20_000)
    [problem] = check_fast(root)
    assert problem.startswith("scenes/main.yaml:17:")


@pytest.mark.parametrize("depth", [500, 999])
def test_deeply_nested_playthrough_file(tmp_path, parser, depth):
    path = tmp_path / "deep.yaml"
    path.write_text("name: deep\nsteps: " + "[" * depth + "a" + "]" * depth + "\n")
    with deadline():
        pt = replay.load(str(path))
    assert [(p.line, p.column, p.message) for p in pt.problems] == [
        (2, 57, "YAML: nested more than 50 levels deep")  # the root mapping is the first level
    ]


def test_bomb_in_a_playthrough_file(tmp_path, parser):
    path = tmp_path / "bomb.yaml"
    path.write_text("name: bomb\nsteps: [a]\n" + laughs(9))
    with deadline():
        pt = replay.load(str(path))
    assert len(pt.problems) == 1 and "aliases expand this file past" in pt.problems[0].message


def test_huge_decimal_initial(tmp_path, parser):
    root = mini_copy(tmp_path)
    replace_once(root / "world.yaml", "initial: 3", "initial: " + "1" * 5000)
    assert check_fast(root) == [
        "world.yaml:9:21: number too large: whole numbers must lie within "
        "±1_000_000_000_000_000_000"
    ]


def test_huge_hex_stat_max(tmp_path, parser):
    root = mini_copy(tmp_path)
    replace_once(root / "world.yaml", "max: 5", "max: 0x" + "f" * 5000)
    assert check_fast(root) == [
        "world.yaml:9:37: number too large: whole numbers must lie within "
        "±1_000_000_000_000_000_000"
    ]


def test_stat_bounds_stay_within_ten_to_the_fifteen(tmp_path):
    root = mini_copy(tmp_path)
    replace_once(root / "world.yaml", "max: 5", "max: 0x10000000000000")  # 2**52
    replace_once(
        root / "world.yaml", "min: 0, max: 1_000", "min: -2_000_000_000_000_000, max: 1_000"
    )
    assert check_fast(root) == [
        "world.yaml:9:37: max: a stat must stay within ±1_000_000_000_000_000",
        "world.yaml:10:29: min: a stat must stay within ±1_000_000_000_000_000",
    ]


def test_nul_is_located_on_one_line(tmp_path, parser):
    root = mini_copy(tmp_path)
    replace_once(scenes(root), "text: Meet someone", "text: Meet some\x00one")
    assert check_fast(root) == [
        "scenes/main.yaml:15:22: YAML: control character U+0000 is not allowed"
    ]


@pytest.mark.parametrize(
    ("char", "what"),
    [
        ("\x1b", "control character U+001B"),
        ("\x80", "control character U+0080"),
        ("\ufffe", "character U+FFFE"),
    ],
)
def test_forbidden_characters_are_located_after_wide_ones(tmp_path, parser, char, what):
    root = mini_copy(tmp_path)
    replace_once(root / "world.yaml", "title: Mini", "title: Mini é€" + char)
    assert check_fast(root) == [f"world.yaml:1:15: YAML: {what} is not allowed"]


def test_invalid_utf8_is_located(tmp_path):
    root = mini_copy(tmp_path)
    raw = (root / "world.yaml").read_bytes().replace(b"title: Mini", b"title: Mini \xc3\xa9\xff", 1)
    (root / "world.yaml").write_bytes(raw)
    assert check_fast(root) == ["world.yaml:1:14: not UTF-8 text (invalid start byte)"]
