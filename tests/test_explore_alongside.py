"""The proof in a second process (tools/explore/alongside.py): the same report as proving in
this one, and no answer from the child (an error, a death) is never taken for one."""

import multiprocessing
import os

import pytest

from neuripsquest.tools import explore, facts
from neuripsquest.tools.explore import alongside
from neuripsquest.tools.explore.walk import can_fork
from tests.test_explore_escape import SAFE
from tests.test_explore_proof import SIDE, written

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs fork")


def _report(root, jobs, max_states=3):
    r = explore.explore(facts.load(root), max_states=max_states, probes=0, jobs=jobs)
    p = r.proof
    assert not multiprocessing.active_children()  # the child is gone, whatever happened
    proof = None if p is None else (p.proven, p.states, p.rounds, p.unsafe, p.learnt)
    return r.complete, r.reached, r.unreached, len(r.softlocks), proof


@pytest.fixture
def started(monkeypatch):
    """How many second processes were started."""
    made = []
    real = alongside.Alongside.__init__

    def init(self, *args):
        made.append(1)
        real(self, *args)

    monkeypatch.setattr(alongside.Alongside, "__init__", init)
    return made


def test_the_proof_alongside_gives_the_report_proving_here_gives(tmp_path, started):
    for name, scenes in (("safe", SAFE), ("side", SIDE)):
        root = written(tmp_path, name, scenes)
        here = _report(root, jobs=1)
        assert not started
        there = _report(root, jobs=2)
        assert started and there == here and here[-1] is not None
        started.clear()


def test_a_child_that_fails_or_dies_is_not_an_answer(tmp_path, monkeypatch, started):
    root = written(tmp_path, "safe", SAFE)
    want = _report(root, jobs=1)
    monkeypatch.setattr(alongside, "prove", lambda *a, **k: 1 / 0)  # in the forked child
    assert _report(root, jobs=2) == want and started
    monkeypatch.setattr(alongside, "prove", lambda *a, **k: os._exit(3))
    assert _report(root, jobs=2) == want and len(started) == 2


def test_a_walk_that_ends_stops_the_proof_it_started(tmp_path, monkeypatch, started):
    """A walk past a tenth of its bound starts the proof; if it then ends without meeting the
    bound, the proof is not needed, and its process is stopped, not waited for."""
    root = written(tmp_path, "safe", SAFE)
    # a proof that would never end: only stopping it lets the walk's report come back
    monkeypatch.setattr(alongside, "prove", lambda *a, **k: __import__("time").sleep(600))
    complete, *_, proof = _report(root, jobs=2, max_states=40)
    assert complete and proof is None and started
