"""Reading an amount of money the way people type it: `$100M`, `250k`, `1.5 billion`, and in
Chinese `1億美元`, `一百萬`, `5萬`, `三千五百萬` (both in any interface language: an answer is
never refused for its script); saying one back in the interface language."""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation

from neuripsquest import i18n
from neuripsquest.core.units import largest_unit
from neuripsquest.errors import QuestError
from neuripsquest.guard import shown
from neuripsquest.i18n import _

_UNITS = {
    "k": 3,
    "K": 3,
    "thousand": 3,
    "thousands": 3,
    "grand": 3,
    "m": 6,
    "M": 6,
    "mm": 6,
    "mil": 6,
    "mill": 6,
    "million": 6,
    "millions": 6,
    "mn": 6,
    "b": 9,
    "B": 9,
    "bn": 9,
    "bil": 9,
    "billion": 9,
    "billions": 9,
    "t": 12,
    "T": 12,
    "tn": 12,
    "trillion": 12,
    "trillions": 12,
}
_WORDS: dict[str, int | Decimal] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twenty": 20,
    "fifty": 50,
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
    "half a": Decimal("0.5"),
}
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
# Matched against the text with only its ASCII letters lower-cased, and without re.I: under
# re.I Python also matches 'ı', 'İ', 'ſ' and the Kelvin sign to i, s and k, and those spellings
# are then missing from the tables above. Digits stay Unicode (Decimal reads '٥' as 5).
_FORM = rf"""^\s*(?:(?:us|usd)\s*)?(?P<cur>\$)?\s*
    (?:(?P<num>{_NUMBER})|(?P<word>half\ a|a\ hundred|one\ hundred|[a-z]+))
    \s*(?P<unit>thousands?|grand|millions?|mill?|mm|mn|m|billions?|bil|bn|b
        |trillions?|tn|t|k)?\.?
    \s*(?:dollars?|usd|bucks)?\s*$"""
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
LIMIT = 10**18
MAX_LENGTH = 200  # characters: no amount of money takes more, and parsing stays instant


class MoneyError(QuestError, ValueError):
    """The text is not an amount; the message says why, kindly."""


# Ways of refusing to name a number. A guest at the number party proudly has none, so this is
# an answer, not an error: it reads as 0, which a story's `their_number == 0` outcome answers
# (and "$0", an offer to leave for nothing, is close enough to the same refusal to share it).
_DECLINES = r"""^(?:none|nothing|no|nope|nah|pass|never|n/?a|priceless|not\ for\ sale|no\ price
    |no\ number|no\ amount|i\ have\ no\ number|there\ is\ no\ number|there'?s\ no\ number
    |i\ (?:do\ not|don'?t)\ have\ (?:a\ number|one|a\ price)|i'?m\ not\ for\ sale)$"""
_NOISE = r"[\s.!?,;:\"“”。！？，；：、「」『』…～~]+"
# The same refusals in Chinese (compared without spaces or punctuation).
_DECLINES_ZH = frozenset(
    {"沒有", "沒", "無", "不", "不要", "無價", "無價之寶", "非賣品", "不賣", "我不賣", "不告訴你"}
    | {"沒有數字", "我沒有數字", "沒有價碼", "我沒有價碼", "我沒有價格", "沒有價格", "免費"}
)


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The amount's, the refusals' and the punctuation's patterns, compiled when an amount is
    first typed: every start compiled them (~0.7 ms), and most games never ask for one."""
    return re.compile(_FORM, re.X), re.compile(_DECLINES, re.X), re.compile(_NOISE)


def declines(text: str) -> bool:
    """True when `text` refuses to name an amount ("none", "priceless", "I don't have a
    number"), in any capitals and with any punctuation around it."""
    if len(text) > MAX_LENGTH:
        return False
    _, refusals, noise = _patterns()
    words = noise.sub(" ", text.replace("’", "'").translate(_ASCII_LOWER)).strip()
    return bool(refusals.match(words)) or words.replace(" ", "") in _DECLINES_ZH


def parse_money(text: str) -> int:
    """Whole dollars for `text`, or MoneyError (its message in the interface language)."""
    if len(text) > MAX_LENGTH:
        raise MoneyError(
            _("That is too long for an amount: try something like 250k or $1.5 billion.")
        )
    raw = text.strip()
    if not raw:
        raise MoneyError(_("Type an amount."))
    if declines(raw):
        return 0
    if raw.startswith(("-", "$-", "－")):
        raise MoneyError(_("A number can't be negative."))
    folded = raw.replace("\u00a0", " ").translate(_ASCII_LOWER)
    # Imported when first needed: its patterns' compiling was 2 ms of every start.
    from neuripsquest.core import chinese_amounts

    if chinese_amounts.CHINESE.search(folded):
        value = _chinese(raw, folded)
    else:
        value = _english(raw, folded)
    amount = int(value)
    if amount >= LIMIT:
        raise MoneyError(_("That is more money than there is. Try a smaller number."))
    return amount


def _english(raw: str, folded: str) -> Decimal:
    m = _patterns()[0].match(folded)
    if not m:
        raise MoneyError(_not_money(raw))
    if m.group("num") is not None:
        try:
            value = Decimal(m.group("num").replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern only admits digits
            said = _("'{text}' doesn't read as a number.").format(text=_short(raw))
            raise MoneyError(said) from None
    else:
        word = m.group("word")
        if word not in _WORDS:
            raise MoneyError(
                _("'{text}' doesn't read as an amount of money.").format(text=_short(raw))
            )
        value = Decimal(_WORDS[word])
    unit = m.group("unit")
    if unit is not None:
        value *= Decimal(10) ** _UNITS[unit]
    elif m.group("word") is not None and m.group("num") is None:
        raise MoneyError(
            _("'{text}' needs a size, like '{text} million'.").format(text=_short(raw))
        )
    return value


def _chinese(raw: str, folded: str) -> Decimal:
    from neuripsquest.core import chinese_amounts

    try:
        return chinese_amounts.parse(re.sub(r"\s+", "", folded))
    except chinese_amounts.NotAnAmount:
        raise MoneyError(_not_money(raw)) from None


def _not_money(raw: str) -> str:
    return _("'{text}' doesn't read as an amount of money (try k, million or billion).").format(
        text=_short(raw)
    )


def format_money(amount: int, lang: str | None = None) -> str:
    """How the game says an amount back, in `lang` (default: the interface language):
    $100 million, $250,000, $1.5 billion; in Chinese 1億美元, 25萬美元, 15億美元."""
    if (lang or i18n.current()) == i18n.CHINESE:
        from neuripsquest.core import chinese_amounts

        return chinese_amounts.show(amount)
    found = largest_unit(amount, ((12, "trillion"), (9, "billion"), (6, "million")))
    if found is not None:
        value, word = found
        shown = f"{value:.2f}".rstrip("0").rstrip(".")
        return f"${shown} {word}"
    return f"${amount:,}"


def _short(text: str) -> str:
    return shown(text, 30)
