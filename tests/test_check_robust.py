"""No writer mistake makes `check` raise: every damaged variant of a world gets problems."""

import random
import shutil

import pytest

from neuripsquest.store.loader import check_world
from tests.conftest import MINI

SCENES = (MINI / "scenes" / "main.yaml").read_text().splitlines(keepends=True)
WORLD = (MINI / "world.yaml").read_text().splitlines(keepends=True)
JUNK = [
    "",
    " ",
    "-",
    ":",
    "[",
    "{",
    "!!python/object:os.system",
    "&a",
    "*a",
    "'",
    '"',
    "\t",
    "- {",
    "{x}",
    "999999999999999999999999",
    "yes",
    "~",
    "if: ((",
    "do: [set]",
    "\x00",
]


def variants(lines, seed):
    rng = random.Random(seed)
    for i in range(len(lines)):  # every single line deleted
        yield lines[:i] + lines[i + 1 :]
    for _ in range(60):  # junk spliced in at random places
        i = rng.randrange(len(lines))
        line = lines[i]
        cut = rng.randrange(len(line) + 1)
        yield lines[:i] + [line[:cut] + rng.choice(JUNK) + line[cut:]] + lines[i + 1 :]


@pytest.mark.parametrize("target", ["scenes", "world"])
def test_damaged_worlds_never_raise(tmp_path, target):
    shutil.copytree(MINI, tmp_path / "w")
    path = tmp_path / "w" / ("scenes/main.yaml" if target == "scenes" else "world.yaml")
    lines = SCENES if target == "scenes" else WORLD
    broken = 0
    for n, variant in enumerate(variants(lines, seed=len(target))):
        path.write_text("".join(variant))
        world, problems = check_world(tmp_path / "w")  # must not raise
        assert (world is None) == bool(problems), n
        for p in problems:
            assert p.line >= 1 and p.column >= 1 and p.message, p
        broken += bool(problems)
    assert broken > len(lines)  # most variants really are broken, and said to be
