"""The package's supported surface: every exported name resolves, errors share one root, and
importing the package alone stays free of the heavy libraries."""

from __future__ import annotations

import subprocess
import sys

import neuripsquest as nq
from tests.conftest import MINI


def test_every_exported_name_resolves():
    for name in nq.__all__:
        assert getattr(nq, name) is not None, name


def test_the_errors_share_one_root():
    for err in (
        nq.WorldError,
        nq.SaveError,
        nq.StateError,
        nq.MoneyError,
        nq.ExprError,
        nq.StartError,
    ):
        assert issubclass(err, nq.QuestError), err


def test_play_a_step_through_the_api():
    world = nq.load_world(MINI, use_cache=False)
    state = nq.new_game(world, 1)
    new, events = nq.step(world, state, nq.Choose("eat"))
    assert new is not state and any(isinstance(e, nq.StatChanged) for e in events)
    _, problems = nq.check_world(MINI)
    assert problems == []


def test_importing_the_package_imports_nothing_heavy():
    code = (
        "import sys, neuripsquest; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'pydantic', 'yaml', 'rich') or m.startswith('neuripsquest.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stdout
