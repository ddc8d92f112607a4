"""The interface language (issue 14): choosing it, and the catalogs that word it."""

import io
import re
import string

import pytest

from neuripsquest import i18n
from neuripsquest.i18n import _

babel = pytest.importorskip("babel")  # the test extra has it; playing does not need it
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

PACKAGE = i18n.LOCALES.parent
PO = i18n.LOCALES / "zh_Hant" / "LC_MESSAGES" / "neuripsquest.po"
MO = PO.with_suffix(".mo")


@pytest.fixture
def chinese():
    i18n.set_language("zh-Hant")
    yield
    i18n.set_language("en")


# ---- choosing the language


@pytest.mark.parametrize(
    "env, lang",
    [
        ({"LANG": "zh_TW.UTF-8"}, "zh-Hant"),
        ({"LANG": "zh_HK.UTF-8"}, "zh-Hant"),
        ({"LC_ALL": "zh_Hant_TW"}, "zh-Hant"),
        ({"LC_MESSAGES": "zh_TW", "LANG": "en_US.UTF-8"}, "zh-Hant"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_TW.UTF-8"}, "en"),  # LC_ALL comes first
        ({"LC_ALL": "C", "LANG": "zh_TW.UTF-8"}, "en"),
        ({"LANGUAGE": "zh_TW:en", "LANG": "en_US.UTF-8"}, "zh-Hant"),
        ({"LANG": "zh_CN.UTF-8"}, None),  # Simplified: not shown the other script
        ({"LANG": "fr_FR.UTF-8"}, None),
        ({}, None),
    ],
)
def test_the_environment_picks_traditional_chinese(env, lang):
    assert i18n.from_environment(env) == lang


def test_flag_then_settings_then_environment_then_english():
    taiwan = {"LANG": "zh_TW.UTF-8"}
    assert i18n.resolve("en", "zh-Hant", taiwan) == ("en", "flag")
    assert i18n.resolve("zh-hant", None, {}) == ("zh-Hant", "flag")
    assert i18n.resolve(None, "en", taiwan) == ("en", "settings")
    assert i18n.resolve(None, None, taiwan) == ("zh-Hant", "environment")
    assert i18n.resolve(None, "klingon", {"LANG": "de_DE"}) == ("en", "default")


def test_english_is_the_source_and_chinese_reads_the_catalog(chinese):
    assert _("New game") == "新遊戲"
    assert _("a string the catalog does not have") == "a string the catalog does not have"
    i18n.set_language("en")
    assert _("New game") == "New game"


def test_a_missing_catalog_leaves_english(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    assert i18n.set_language("zh-Hant") == "en"
    assert _("New game") == "New game"


# ---- the catalogs


def _code_messages() -> set[str]:
    """Every `_()`, `N_()` and `ngettext()` string in the package, as Babel extracts them."""
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(PACKAGE)):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalog():
    with open(PO, "rb") as f:
        return read_po(f)


def test_every_interface_string_is_in_the_catalog_and_nothing_stale():
    in_code = _code_messages()
    in_po = {m.id[0] if isinstance(m.id, tuple) else m.id for m in _catalog() if m.id}
    assert len(in_code) > 150  # the extraction found the interface, not nothing
    assert not in_code - in_po, f"missing from {PO.name}: {sorted(in_code - in_po)}"
    assert not in_po - in_code, f"no longer in the code: {sorted(in_po - in_code)}"


def test_every_message_is_translated_with_the_same_placeholders():
    fields = string.Formatter()
    for m in _catalog():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strs = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(strs) and not m.fuzzy, f"untranslated: {ids[0]!r}"
        wanted = {f for text in ids for _, f, _, _ in fields.parse(text) if f}
        for text in strs:
            got = {f for _, f, _, _ in fields.parse(text) if f}
            assert got <= wanted, (ids[0], text)
            if len(ids) == 1:
                assert got == wanted, (ids[0], text)


def test_the_chinese_uses_full_width_punctuation():
    for m in _catalog():
        if not m.id or isinstance(m.id, tuple):
            continue
        # a comma or full stop after a Chinese character is the full-width one
        assert not re.search(r"[\u4e00-\u9fff][,.:;?!](?:\s|$)", m.string), m.string


def test_the_compiled_catalog_matches_its_source():
    """The .mo that installs with the game is the .po compiled (pybabel compile)."""
    out = io.BytesIO()
    write_mo(out, _catalog())
    assert MO.read_bytes() == out.getvalue(), (
        f"{MO.name} is out of date: pybabel compile -d src/neuripsquest/locales -D neuripsquest"
    )
