"""Every scripted playthrough under tests/playthroughs/ replays against the shipped world."""

from pathlib import Path

import pytest

from neuripsquest.play import replay
from neuripsquest.store.loader import load_world

HERE = Path(__file__).parent / "playthroughs"
WORLD = Path(__file__).resolve().parents[1] / "world"
FILES = sorted(HERE.glob("*.yaml"))


@pytest.fixture(scope="module")
def world():
    return load_world(WORLD, use_cache=False)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_playthrough(world, path):
    pt = replay.load(str(path))
    w = world if pt.world is None else load_world(replay.world_for(pt, WORLD), use_cache=False)
    res = replay.run(w, pt)
    assert res.ok, "\n".join(res.report)
