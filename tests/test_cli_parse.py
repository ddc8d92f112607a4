"""The command line read by the play options' parser alone (most starts) means what the whole
parser makes of it, and anything else goes to the whole parser."""

from __future__ import annotations

import argparse
import contextlib
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from neuripsquest import cli

TOKENS = [
    *["--plain", "--new", "--watch", "--debug", "--jsonl"],
    *["--world", "--seed", "--saves", "--from", "--set", "--lang", "--record"],
    *["world", "7", "-3", "abc", "x=1", "day=2", "zh-Hant", "rooftop_bar", "--seed=5"],
    *["play", "check", "lint", "explore", "-h", "--help", "--", "--wor", "--no-such", "-"],
]


def outcome(read) -> tuple[str, object, str]:
    """What reading does: its namespace, or how it exits and what it says (help, an error)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            return "args", vars(read()), out.getvalue()
        except SystemExit as exc:
            return "exit", exc.code, out.getvalue()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=6))
def test_reading_a_command_line_is_the_whole_parsers_reading(argv):
    assert outcome(lambda: cli._parse(argv)) == outcome(lambda: cli._parser().parse_args(argv))


def test_a_start_with_play_options_only_never_builds_the_whole_parser(monkeypatch):
    def whole() -> argparse.ArgumentParser:
        raise AssertionError("the whole parser was built")

    monkeypatch.setattr(cli, "_parser", whole)
    args = cli._parse(["--world", "check", "--seed", "-3", "--set", "day=2", "--lang=zh-Hant"])
    assert (args.world, args.seed, args.sets, args.lang, args.command) == (
        "check",
        -3,
        ["day=2"],
        "zh-Hant",
        None,
    )
    assert cli._parse([]).command is None
