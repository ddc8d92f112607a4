"""Hostile conditions and effects: huge numbers, deep nesting, other number forms, warnings,
and thousands of broken references. Each is a located problem, found quickly."""

from __future__ import annotations

import warnings

import pytest

from .helpers import check_fast, mini_copy, replace_once, scenes

# Line 21 of the mini world's scenes is `      if: energy >= 5` (value at column 11);
# line 17 is `      do: set met` (value at column 11).
IF, DO = "if: energy >= 5", "do: set met"


def broken(tmp_path, old, new, path=None):
    root = mini_copy(tmp_path)
    replace_once(path or scenes(root), old, new)
    return check_fast(root)


def test_product_of_huge_numbers(tmp_path):
    big = "7" * 4000
    got = broken(tmp_path, IF, "if: energy * " + " * ".join([big] * 300) + " >= 5")
    assert got == ["scenes/main.yaml:21:11: condition too long: more than 1,000 characters"]


def test_number_over_ten_to_the_fifteen(tmp_path):
    got = broken(tmp_path, IF, "if: energy * 2 >= 1_000_000_000_000_001")
    assert got == [
        "scenes/main.yaml:21:25: number too large: numbers here must be at most "
        "1_000_000_000_000_000"
    ]


def test_a_thousand_nots(tmp_path):
    got = broken(tmp_path, IF, "if: " + "not " * 1000 + "met")
    assert got == ["scenes/main.yaml:21:11: condition too long: more than 1,000 characters"]


def test_two_hundred_nots(tmp_path):
    got = broken(tmp_path, IF, "if: " + "not " * 200 + "met")
    assert got == [
        "scenes/main.yaml:21:139: too deeply nested: more than 32 levels "
        "(each operator in a chain like 1+1+1 is one)"
    ]


def test_a_thousand_term_sum_in_an_effect(tmp_path):
    got = broken(tmp_path, DO, "do: [energy += " + "+".join(["1"] * 1000) + "]")
    assert got == ["scenes/main.yaml:17:12: effect too long: more than 1,000 characters"]


def test_a_long_sum_that_fits_is_too_deep(tmp_path):
    got = broken(tmp_path, DO, "do: [energy += " + "+".join(["1"] * 300) + "]")
    assert got[0].startswith("scenes/main.yaml:17:22: too deeply nested")


def test_hex_literal_with_thousands_of_digits(tmp_path):
    got = broken(tmp_path, IF, "if: energy >= 0x" + "f" * 5000)
    assert got == ["scenes/main.yaml:21:11: condition too long: more than 1,000 characters"]
    got = broken(tmp_path / "b", IF, "if: energy >= 0x" + "f" * 20)
    assert got == ["scenes/main.yaml:21:21: write numbers in decimal"]


def test_advance_with_thousands_of_digits(tmp_path):
    got = broken(tmp_path, "advance 1", "advance " + "1" * 5000)
    assert got == ["scenes/main.yaml:28:52: effect too long: more than 1,000 characters"]
    got = broken(tmp_path / "b", "advance 1", "advance " + "9" * 20)
    assert got == ["scenes/main.yaml:28:60: number too large: at most 1_000_000_000_000_000"]


@pytest.mark.parametrize(
    ("effect", "message"),
    [
        ("energy = 0x10", "21: write numbers in decimal (0x10 is 16)"),
        ("energy = 0o20", "21: write numbers in decimal (0o20 is 16)"),
        ("energy = 0b10000", "21: write numbers in decimal (0b10000 is 16)"),
        ("energy = 16", "21: 16 is outside energy's range 0..5"),
        ("energy = (16)", "21: 16 is outside energy's range 0..5"),
        ("energy = 2 * 8", "21: 16 is outside energy's range 0..5"),
        ("energy = 1_6", "21: 16 is outside energy's range 0..5"),
        ("energy = 16.0", "21: only whole numbers are allowed here, not 16.0"),
    ],
)
def test_numbers_mean_one_thing(tmp_path, effect, message):
    assert broken(tmp_path, DO, f"do: [{effect}]") == [f"scenes/main.yaml:17:{message}"]


def test_parser_warnings_become_located_problems(tmp_path, capfd):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning escaping the parser would fail the test
        got = broken(tmp_path, IF, "if: energy > 1and met")
    assert got == ["scenes/main.yaml:21:20: cannot read condition: invalid decimal literal"]
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("similar", [False, True])
def test_thousands_of_broken_gotos(tmp_path, similar):
    # Before: 6,000 of these took 24 s (130 s with names close to the scene ids).
    root = mini_copy(tmp_path)
    n = 3000
    target = "s_{}" if similar else "nowhere_{}"
    (root / "scenes" / "many.yaml").write_text(
        "".join(
            f"- id: s{i}\n  title: S\n  text: t\n  choices:\n"
            f"    - {{text: go, goto: {target.format(i)}}}\n"
            for i in range(n)
        )
    )
    got = check_fast(root)
    assert len(got) == n
    first = f"scenes/many.yaml:5:24: goto: no scene '{target.format(0)}'"
    assert got[0] == first + (" (did you mean 's0'?)" if similar else "")
