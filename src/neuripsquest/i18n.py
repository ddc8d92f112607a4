"""The interface language: which one a run uses, and its words (gettext catalogs).

Every string a player reads that is not a world string goes through `_` (or is marked with
`N_` where it is defined at import time, and passed through `_` where it is shown). English
is the source: with it, `_` gives the string back unchanged, so English output does not
depend on any catalog. Other languages read a compiled catalog (`locales/<dir>/LC_MESSAGES/
neuripsquest.mo`, made from the `.po` beside it; docs/translating.md) with the standard
library's gettext, so playing needs no package beyond the game's own.

One language per process: the command line settles it (`resolve`) before any front end
draws, and `set_language` switches it (the tests switch it back and forth).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path

DOMAIN = "neuripsquest"
LOCALES = Path(__file__).parent / "locales"
ENGLISH = "en"
CHINESE = "zh-Hant"
LANGUAGES = (ENGLISH, CHINESE)
# The language's own name, for the settings screen and the --lang help.
NAMES = {ENGLISH: "English", CHINESE: "繁體中文"}
# gettext's folder for each language (POSIX locale names have no hyphen)
_CATALOG_DIRS = {CHINESE: "zh_Hant"}
# Locale names that mean Traditional Chinese: Taiwan, Hong Kong, Macau, or the script named.
# zh_CN, zh_SG and a bare zh are Simplified (or unsaid): those stay English until there is a
# Simplified catalog, rather than showing a reader of Simplified the other script.
_TRADITIONAL = ("zh_tw", "zh_hk", "zh_mo", "zh_hant")
# The order gettext itself reads the environment in; LANGUAGE is GNU's priority list.
_ENV_ORDER = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def _english_plural(one: str, many: str, n: int) -> str:
    return one if n == 1 else many


_current = ENGLISH
_lookup: Callable[[str], str] = str
_nlookup: Callable[[str, str, int], str] = _english_plural


def _(message: str) -> str:
    """`message` in the current language (itself in English, or without a translation)."""
    return _lookup(message)


def N_(message: str) -> str:
    """Marks a string for the catalog where it is defined (a module constant, read before
    any language is chosen); `_` translates it where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _nlookup(singular, plural, n)


def is_wide(ch: str) -> bool:
    """True for a character a terminal draws two cells wide (Chinese, full-width punctuation):
    where Chinese is set without spaces, and wraps between any two of them."""
    return bool(ch) and unicodedata.east_asian_width(ch[0]) in ("W", "F")


def current() -> str:
    return _current


def is_english() -> bool:
    return _current == ENGLISH


def set_language(lang: str) -> str:
    """Make `lang` (one of LANGUAGES, or anything `normalize` reads) the interface language;
    returns the language set. An unknown name, or a catalog that is missing or damaged,
    leaves English: the game never fails to start over its wording."""
    global _current, _lookup, _nlookup
    chosen = normalize(lang) or ENGLISH
    if chosen == ENGLISH:
        _current, _lookup, _nlookup = ENGLISH, str, _english_plural
        return ENGLISH
    import gettext  # only when a catalog is read: English start-up does not pay for it

    try:
        catalog = gettext.translation(DOMAIN, localedir=LOCALES, languages=[_CATALOG_DIRS[chosen]])
    except (OSError, ValueError, UnicodeDecodeError):
        return set_language(ENGLISH)
    _current, _lookup, _nlookup = chosen, catalog.gettext, catalog.ngettext
    return chosen


def normalize(name: str | None) -> str | None:
    """The language a name means: "zh-Hant", "zh_TW.UTF-8", "zh-tw", "en_US" ...; None when
    it is none we have (so the caller falls back to the next source)."""
    if not name:
        return None
    key = name.strip().split(".")[0].split("@")[0].replace("-", "_").lower()
    if key.startswith(_TRADITIONAL):
        return CHINESE
    if key in ("en", "c", "posix") or key.startswith("en_"):
        return ENGLISH
    return None


def from_environment(environ: Mapping[str, str]) -> str | None:
    """The language the locale settings ask for, read as gettext reads them: the first of
    LANGUAGE (a colon-separated list), LC_ALL, LC_MESSAGES, LANG that is set decides; None
    when it names no language of ours (the caller then uses English)."""
    for var in _ENV_ORDER:
        value = environ.get(var, "")
        if not value:
            continue
        if var == "LANGUAGE":
            # GNU gettext ignores LANGUAGE when the locale is C; and it is a list of wishes
            picked = [normalize(part) for part in value.split(":")]
            found = next((p for p in picked if p is not None), None)
            if found is not None:
                return found
            continue
        return normalize(value)
    return None


def resolve(
    flag: str | None, remembered: str | None, environ: Mapping[str, str]
) -> tuple[str, str]:
    """The language a run uses and what decided it: the --lang flag, else the language
    remembered from the Settings screen, else the environment's locale, else English.
    Returns (language, source) with source one of "flag", "settings", "environment",
    "default"."""
    if normalize(flag) is not None:
        return normalize(flag) or ENGLISH, "flag"
    if remembered in LANGUAGES:
        return remembered or ENGLISH, "settings"
    env = from_environment(environ)
    if env is not None:
        return env, "environment"
    return ENGLISH, "default"
