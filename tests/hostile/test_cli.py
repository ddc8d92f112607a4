"""`check` exits 1 and `play` refuses the world, each saying the located problem in one line."""

from __future__ import annotations

import pytest

from neuripsquest import cli

from .helpers import deadline, mini_copy, replace_once, scenes
from .test_yaml_attacks import laughs

ATTACKS = {
    "bomb": (lambda root: (root / "scenes" / "bomb.yaml").write_text(laughs(9)), "bomb.yaml:6:10:"),
    "deep": (
        lambda root: replace_once(scenes(root), "do: set met", "do: " + "[" * 900 + "]" * 900),
        "main.yaml:17:57:",
    ),
    "hex max": (
        lambda root: replace_once(root / "world.yaml", "max: 5", "max: 0x" + "f" * 5000),
        "world.yaml:9:37:",
    ),
    "nots": (
        lambda root: replace_once(scenes(root), "if: energy >= 5", "if: " + "not " * 1000 + "met"),
        "main.yaml:21:11:",
    ),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_check_and_play_refuse(tmp_path, capsys, attack):
    make, where = ATTACKS[attack]
    root = mini_copy(tmp_path)
    make(root)
    with deadline():
        assert cli.main(["check", str(root)]) == cli.EXIT_PROBLEMS
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and where in err[0] and err[1] == "1 problem found"
    with deadline():
        code = cli.main(["play", "--plain", "--world", str(root), "--saves", str(tmp_path / "s")])
    assert code == cli.EXIT_PROBLEMS
    out = capsys.readouterr()
    assert out.out == "" and where in out.err.splitlines()[0]
    assert "Traceback" not in out.err
