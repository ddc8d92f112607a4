"""The engine never imports the UI, and plain play never pays for Textual."""

import subprocess
import sys

# Every package but the TUI (import-linter holds the static imports; this holds what really
# gets imported at run time, lazy imports included).
CORE = [
    "core.engine",
    "core.world",
    "lang.expr",
    "store.loader",
    "core.state",
    "store.saves",
    "play.view",
    "core.money",
    "play.replay",
    "frontends.plain",
]


def test_core_modules_do_not_import_textual():
    code = (
        "import sys\n"
        + "".join(f"import neuripsquest.{m}\n" for m in CORE)
        + "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_plain_play_imports_neither_textual_nor_pydantic_on_a_cache_hit(tmp_path):
    from tests.conftest import MINI

    code = (
        "import sys, io, os\n"
        "from neuripsquest import cli\n"
        "sys.stdin = io.StringIO('')\n"
        f"cli.main(['play', '--plain', '--world', {str(MINI)!r}, '--seed', '1', "
        f"'--saves', {str(tmp_path)!r}])\n"
        "print('MODULES', sorted({m.split('.')[0] for m in sys.modules} & "
        "{'textual', 'pydantic', 'yaml'}))"
    )
    env = {"NEURIPSQUEST_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    import os

    env = {**os.environ, **env}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    # cold: parses the YAML; a clean world is read without the pydantic models
    assert "MODULES ['yaml']" in first.stdout, first.stderr
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "MODULES []" in second.stdout, second.stderr  # warm: the cache is enough
