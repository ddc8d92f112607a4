"""A proof may start from what an earlier one learnt to track (kept in the cache folder by
`explore`): that saves rounds, and no start, however wrong or hostile, makes a world with a
softlock look safe."""

from __future__ import annotations

import json
import os

import pytest

from neuripsquest import cli
from neuripsquest.tools import facts
from neuripsquest.tools.explore import hints
from neuripsquest.tools.explore.escape import prove
from tests.test_explore import random_world
from tests.test_explore_escape import LUMPED, SAFE, exact_softlocks
from tests.test_explore_proof import SIDE, TYPED, WORLDS, written


def everything(src) -> dict[str, list[tuple[str, str]]]:
    """Every variable of the world at every scene: the greediest start there is."""
    w = src.world
    sym = w.symbols
    vs = [("stat", n) for n in sym.stats] + [("flag", n) for n in sym.flags]
    vs += [("item", n) for n in sym.items] + [("used", k) for k in w.once_keys]
    vs += [("visits", n) for n in w.visit_names]
    return {sid: vs for sid in w.scenes}


def test_no_start_makes_a_world_with_softlocks_look_safe(tmp_path):
    roots = [written(tmp_path, "side", SIDE), written(tmp_path, "typed", TYPED)]
    roots += [written(tmp_path, "lumped", LUMPED), WORLDS / "softlocks"]
    roots += [random_world(tmp_path / f"r{seed}", seed, n=10) for seed in range(8)]
    checked = 0
    for root in roots:
        src = facts.load(root)
        complete, locks = exact_softlocks(src)
        if not (complete and locks):
            continue
        checked += 1
        proof = prove(src, max_states=200_000, start=everything(src))
        assert not proof.proven, root
    assert checked >= 5


def test_what_a_proof_learnt_proves_it_again_in_one_round(tmp_path):
    src = facts.load(written(tmp_path, "safe", SAFE))
    first = prove(src)
    assert first.proven and first.rounds > 1 and first.learnt and not first.started_from
    again = prove(src, start=first.learnt)
    assert again.proven and again.rounds == 1 and again.started_from > 0


def test_a_start_naming_what_the_world_does_not_have_is_left_out(tmp_path):
    src = facts.load(written(tmp_path, "safe", SAFE))
    junk = {
        "no_such_scene": [("stat", "fame")],
        "gate": [("stat", "no_such"), ("colour", "red"), ("flag",), 5, ("flag", 3)],
    }
    proof = prove(src, start=junk)  # type: ignore[arg-type]
    assert proof.proven and proof.started_from == 0


def test_explore_keeps_what_its_proof_learnt_and_starts_from_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEURIPSQUEST_CACHE", str(tmp_path / "cache"))
    safe = written(tmp_path, "safe", SAFE)
    args = ["explore", str(safe), "--max-states", "3", "--probes", "0", "--format", "json"]

    def run() -> dict:
        cli.main(args)
        return json.loads(capsys.readouterr().out)["proof"]

    first = run()
    assert first["proven"] and not first["started_from_last_proof"] and first["rounds"] > 1
    path = hints.entry_path(safe)
    assert path is not None and path.is_file()
    second = run()
    assert second["proven"] and second["started_from_last_proof"] and second["rounds"] == 1
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b"fame", b"fane"))  # damaged: its checksum fails
    assert hints.load(safe) is None
    third = run()
    assert third["proven"] and not third["started_from_last_proof"]


@pytest.mark.parametrize("kind", ["fifo", "folder", "garbage", "wrong shape"])
def test_a_hints_entry_that_is_not_ours_is_ignored(tmp_path, monkeypatch, kind):
    monkeypatch.setenv("NEURIPSQUEST_CACHE", str(tmp_path / "cache"))
    root = tmp_path / "w"
    hints.save(root, {"a": [("stat", "x")]})
    assert hints.load(root) == {"a": [("stat", "x")]}
    path = hints.entry_path(root)
    assert path is not None
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "garbage":
        path.write_bytes(b"\xff\xfe" * 50)
    else:
        hints.save(root, {"a": [("stat", "x")]})
        head, _, _ = path.read_bytes().partition(b"\n")
        from neuripsquest.store import digest

        body = json.dumps({"a": [["stat", "x", "y"]]}).encode()
        magic, fmt, key, _ = head.split(b" ")
        whole = digest.checksum(body).encode()  # damage no checksum finds: a wrong shape
        path.write_bytes(b" ".join([magic, fmt, key, whole]) + b"\n" + body)
    assert hints.load(root) is None


def test_hints_saved_in_the_world_folder_start_a_run_with_no_cache(tmp_path, monkeypatch, capsys):
    safe = written(tmp_path, "safe", SAFE)
    args = ["explore", str(safe), "--max-states", "3", "--probes", "0", "--format", "json"]
    monkeypatch.setenv("NEURIPSQUEST_CACHE", "off")
    cli.main([*args, "--save-hints"])
    first = json.loads(capsys.readouterr().out)["proof"]
    saved = safe / hints.FILE
    assert first["proven"] and first["rounds"] > 1 and saved.is_file()
    assert json.loads(saved.read_text())["format"] == 1
    assert facts.load(safe).problems == []  # the story does not read it
    cli.main(args)  # no cache at all: from the world's file
    out, err = capsys.readouterr()
    again = json.loads(out)["proof"]
    assert again["proven"] and again["started_from_last_proof"] and again["rounds"] == 1
    assert err == ""
    saved.write_text('{"format": 1, "tracked": {"hub": "energy"}}')
    cli.main(args)
    out, err = capsys.readouterr()
    third = json.loads(out)["proof"]
    assert third["proven"] and not third["started_from_last_proof"]
    assert f"{hints.FILE}: not read (not a file `explore` writes); the proof starts" in err
