"""`play --jsonl` through a real pipe: observations out, actions in, hostile lines answered
with an error object while the game goes on, deterministic with --seed."""

import json
import subprocess
import sys

from .conftest import ROOT, WORLD


def jsonl(*lines, seed=7, raw=None):
    """Every JSON object the game writes for these input lines, and its exit code."""
    data = raw if raw is not None else "".join(line + "\n" for line in lines).encode()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "neuripsquest",
            "play",
            "--jsonl",
            "--seed",
            str(seed),
            "--world",
            str(WORLD),
        ],
        input=data,
        capture_output=True,
        timeout=60,
        cwd=ROOT,
    )
    assert "Traceback" not in out.stderr.decode(), out.stderr.decode()
    return [json.loads(line) for line in out.stdout.decode().splitlines()], out.returncode


def test_a_game_over_a_pipe():
    msgs, code = jsonl('{"choose": "postdoc"}', '{"choose": 1}', '"to_railing"')
    assert code == 0
    assert [m["kind"] for m in msgs] == ["observation"] * 4
    first = msgs[0]
    assert first["scene"] == "rooftop_arrival" and not first["done"] and first["ending"] is None
    assert [c["id"] for c in first["choices"]][:2] == ["phd_student", "postdoc"]
    assert {"number", "text", "enabled", "reason"} <= set(first["choices"][0])
    assert msgs[1]["scene"] == "rooftop_bar" and msgs[1]["stats"]["clout"] == 3
    assert msgs[1]["said"] and msgs[1]["turn"] == 1


def test_hostile_lines_get_errors_and_the_game_goes_on():
    hostile = [
        "not json",
        "{",
        "[1, 2]",
        "null",
        "true",
        '{"choose": "no_such_choice"}',
        '{"choose": 99}',
        '{"choose": true}',
        '{"type": "$5"}',  # not a money prompt here
        '{"undo": true}',  # nothing to undo yet
        '{"choose": "postdoc", "type": "1"}',
        "[" * 100_000,
        "x" * 200_000,
        "\x00\x1b[31m",
        "9" * 5000,
        "",
        '"postdoc"',
    ]
    msgs, code = jsonl(*hostile)
    assert code == 0
    kinds = [m["kind"] for m in msgs]
    assert kinds == ["observation"] + ["error"] * 15 + ["observation"], kinds
    assert msgs[-1]["scene"] == "rooftop_bar"  # the game went on
    assert all(len(m["message"]) < 300 for m in msgs if m["kind"] == "error")
    # the overlong lines are cut off unread, not parsed (memory stays bounded)
    assert sum("longer than" in m.get("message", "") for m in msgs) == 2


def test_undecodable_bytes_and_eof_mid_line():
    msgs, code = jsonl(raw=b'\xff\xfe{"choose": \n{"choose": "postdoc"}')
    assert code == 0
    assert [m["kind"] for m in msgs] == ["observation", "error", "observation"]


def test_same_seed_same_transcript_and_a_whole_story():
    from neuripsquest.agents import walkthroughs
    from neuripsquest.core import engine
    from neuripsquest.play import replay

    pt = replay.load(str(ROOT / "tests" / "playthroughs" / "ending_named_number.yaml"))
    lines = []
    for st in pt.steps:
        a = st.action
        lines.append(
            json.dumps({"type": a.text} if isinstance(a, engine.Type) else {"choose": a.choice})
        )
    a, _ = jsonl(*lines, seed=pt.seed)
    b, _ = jsonl(*lines, seed=pt.seed)
    assert a == b
    assert a[-1]["done"] and a[-1]["ending"] == "named_number"
    assert len(a) == len(lines) + 1
    assert walkthroughs  # (the module the env's references come from)


def test_a_closed_reader_ends_quietly():
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "neuripsquest",
            "play",
            "--jsonl",
            "--seed",
            "1",
            "--world",
            str(WORLD),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(b'"postdoc"\n' * 3, timeout=60)
    assert proc.returncode == 0 and b"Traceback" not in err
