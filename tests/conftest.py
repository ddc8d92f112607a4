import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "worlds" / "mini"
WORLD = ROOT / "world"

# Tests never read or write the user's cache unless a test asks for one.
os.environ["NEURIPSQUEST_CACHE"] = "off"
# The tests' English is the game's English whatever the machine's locale (a zh_TW machine
# would otherwise play them in Chinese); LANGUAGE is read first (i18n.from_environment).
os.environ["LANGUAGE"] = "en"


@pytest.fixture(scope="session")
def mini():
    from neuripsquest.store.loader import load_world

    return load_world(MINI, use_cache=False)


def plain_argv(saves, *extra, world=MINI):
    """The command line of `neuripsquest play --plain` on a test world."""
    import sys

    return [
        sys.executable,
        "-m",
        "neuripsquest",
        "play",
        "--plain",
        "--world",
        str(world),
        "--saves",
        str(saves),
        *extra,
    ]
