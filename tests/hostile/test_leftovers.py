"""What a crash or odd surroundings leave behind: temporary files of killed writers, closed
or full standard streams, input that is not UTF-8. Each is tidied up or is one line on
stderr, never a traceback."""

import os
import shutil
import subprocess
import sys
import time

import pytest

from neuripsquest.core import engine
from neuripsquest.store import saves
from tests.conftest import plain_argv

fcntl = pytest.importorskip("fcntl")


def _leftover(path, text="half a save", age=60):
    path.write_text(text)
    t = time.time() - age
    os.utime(path, (t, t))
    return path


def test_only_our_own_stale_unlocked_temps_are_removed(mini, tmp_path):
    stale = _leftover(tmp_path / ".autosave.abc_1234.tmp")
    young = _leftover(tmp_path / ".autosave.young123.tmp", age=0)
    locked = _leftover(tmp_path / ".friday.locked12.tmp")  # a live writer holds it
    names = [".autosave.tmp", "notes.tmp", ".x.abcdefgh.tmp~", ".x.ABCDEFGH.tmp", "..a.b.tmp"]
    foreign = [_leftover(tmp_path / n) for n in names]
    link = tmp_path / ".link.abcdefgh.tmp"
    link.symlink_to(tmp_path / "notes.tmp")
    with open(locked) as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        assert saves.clean_stale_temps(tmp_path) == 1
    assert not stale.exists()
    assert young.exists() and locked.exists() and link.is_symlink()
    assert all(f.exists() for f in foreign)


def test_a_write_tidies_up_after_a_killed_writer(mini, tmp_path):
    leftover = _leftover(tmp_path / ".autosave.k1ll3d_x.tmp", '{"format": "neuripsquest-sa')
    saves.write(tmp_path, "other", mini, engine.new_game(mini, 1))
    assert not leftover.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.json"]


def test_clean_on_a_missing_or_unreadable_folder_is_quiet(tmp_path):
    assert saves.clean_stale_temps(tmp_path / "nowhere") == 0
    (tmp_path / "file").write_text("x")
    assert saves.clean_stale_temps(tmp_path / "file") == 0


def test_the_game_tidies_up_at_start(tmp_path):
    folder = tmp_path / "saves"
    folder.mkdir()
    leftover = _leftover(folder / ".autosave.abcdefgh.tmp")
    out = subprocess.run(
        plain_argv(folder, "--seed", "1"), input="", capture_output=True, text=True, timeout=30
    )
    assert out.returncode == 0, out.stderr
    assert not leftover.exists()


# ---- standard streams

BASH = shutil.which("bash")


def _run_with(redirect, tmp_path, input_text="1\nquit\n"):
    """The game under bash with a redirection such as `<&-` (a really closed descriptor)."""
    cmd = " ".join(f"'{a}'" for a in plain_argv(tmp_path / "saves", "--seed", "1"))
    return subprocess.run(
        [BASH, "-c", f"{cmd} {redirect}"],
        input=input_text,
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.skipif(BASH is None, reason="needs bash for the redirections")
@pytest.mark.parametrize(
    "redirect, says",
    [
        ("<&-", "standard input is closed"),
        (">&-", "standard output is closed"),
        ("> /dev/full", "cannot write to standard output (No space left on device)"),
    ],
)
def test_closed_and_full_streams_are_one_line(tmp_path, redirect, says):
    if "full" in redirect and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    out = _run_with(redirect, tmp_path)
    assert out.returncode != 0
    assert out.stderr.startswith(f"neuripsquest: {says}"), out.stderr
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


@pytest.mark.skipif(BASH is None, reason="needs bash for the redirections")
def test_closed_stdin_for_the_tui_path_too(tmp_path):
    cmd = " ".join(f"'{a}'" for a in plain_argv(tmp_path / "saves") if a not in ("play", "--plain"))
    out = subprocess.run(
        [BASH, "-c", f"{cmd} <&-"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode != 0 and out.stderr.count("\n") == 1
    assert "standard input is closed" in out.stderr


def test_tools_with_closed_stdin_still_work(tmp_path):
    from tests.conftest import MINI

    out = subprocess.run(
        [sys.executable, "-m", "neuripsquest", "check", str(MINI)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=lambda: os.close(0),
    )
    assert out.returncode == 0 and "no problems" in out.stdout, out.stderr


def test_input_that_is_not_utf8_is_read_not_raised(tmp_path):
    out = subprocess.run(
        plain_argv(tmp_path / "saves", "--seed", "1"),
        input=b"\xff\xfe\nsave \xc3\n1\nquit\n",
        capture_output=True,
        timeout=30,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )
    assert out.returncode == 0 and b"Traceback" not in out.stderr, out.stderr
    text = out.stdout.decode("utf-8")  # and what comes out is UTF-8 again
    assert "I didn't understand '\ufffd\ufffd'" in text
    assert "Not saved: '\ufffd' is not a slot name" in text
