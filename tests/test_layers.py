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


def test_a_start_that_types_no_amount_compiles_no_amount_patterns(tmp_path):
    """The amount patterns, English and Chinese, are compiled when a player first types an
    amount, not at every start (together ~3 ms of one); the JSON guard's patterns when a JSON
    file is first read (a new player's first start reads none; ~0.4 ms)."""
    from tests.conftest import MINI

    code = (
        "import sys, io\n"
        "from neuripsquest import cli\n"
        "from neuripsquest.core import money\n"
        "sys.stdin = io.StringIO('1\\n')\n"
        f"cli.main(['play', '--plain', '--world', {str(MINI)!r}, '--seed', '1', "
        f"'--saves', {str(tmp_path)!r}])\n"
        "from neuripsquest import guard\n"
        "print('COMPILED', money._patterns.cache_info().currsize, "
        "'neuripsquest.core.chinese_amounts' in sys.modules)\n"
        "print('GUARD', guard._json_patterns.cache_info().currsize, "
        "guard._surrogate.cache_info().currsize)\n"
        "money.parse_money('250k')\n"
        "print('TYPED', money._patterns.cache_info().currsize)"
    )
    import os

    env = {**os.environ, "NEURIPSQUEST_CACHE": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "COMPILED 0 False" in out.stdout, out.stdout + out.stderr
    assert "TYPED 1" in out.stdout, out.stdout + out.stderr
    assert "GUARD 0 0" in out.stdout, out.stdout + out.stderr
