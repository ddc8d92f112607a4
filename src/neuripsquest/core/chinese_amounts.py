"""Amounts of money written the Chinese way: reading `1億美元`, `一百萬`, `5萬`, `1.5億`,
`兩千萬`, `三千五百萬`, `一萬五`, and saying an amount as Taiwan's press does (`1億美元`,
`120萬美元`, `2,500萬美元`, `5,000美元`). `money.py` decides when these apply."""

from __future__ import annotations

import re
from decimal import Decimal

from neuripsquest.core.units import largest_unit

# Digits and units, with the financial forms (壹貳...) and the simplified ones (万亿两), which
# cost nothing to accept.
_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "貳": 2,
    "兩": 2,
    "两": 2,
    "三": 3,
    "參": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_SMALL = {"十": 1, "拾": 1, "百": 2, "佰": 2, "千": 3, "仟": 3}
_BIG = {"萬": 4, "万": 4, "億": 8, "亿": 8, "兆": 12}
_CHARS = "".join([*_DIGITS, *_SMALL, *_BIG])
# What marks a text as written the Chinese way: one of the characters above, or 元.
CHINESE = re.compile(rf"[{_CHARS}元塊]")
_AFFIXES = re.compile(
    r"""^(?:us\$|usd|\$|＄|美金)?(?P<body>.*?)(?:美元|美金|元|塊錢|塊|dollars?|usd)?$"""
)
_TOKEN = re.compile(rf"(?P<num>(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|\.\d+)|(?P<ch>[{_CHARS}])")


class NotAnAmount(ValueError):
    """The text has Chinese numerals but they do not make a number."""


def parse(text: str) -> Decimal:
    """The number `text` writes (lower-cased ASCII, no spaces), or NotAnAmount."""
    m = _AFFIXES.match(text)
    body = m.group("body") if m else text
    if not body:
        raise NotAnAmount(text)
    reader = _Reader()
    at = 0
    for tok in _TOKEN.finditer(body):
        if tok.start() != at:
            raise NotAnAmount(text)
        at = tok.end()
        if tok.group("num") is not None:
            reader.digit(Decimal(tok.group("num").replace(",", "")), arabic=True)
        else:
            reader.char(tok.group("ch"))
    if at != len(body):
        raise NotAnAmount(text)
    return reader.total()


class _Reader:
    """Adds up 三千五百萬 as people read it: digits times the units after them, sections
    closed by 萬, 億 and 兆 from large to small; a last lone digit takes the unit below the
    one before it (一萬五 is 15,000, 三千五 is 3,500) unless a 零 came between."""

    def __init__(self) -> None:
        self.done = Decimal(0)  # the sections closed by a big unit
        self.section = Decimal(0)
        self.pending: Decimal | None = None  # a digit waiting for its unit
        self.last_small: int | None = None  # to keep 千 > 百 > 十 within a section
        self.last_big: int | None = None
        self.last_unit: int | None = None
        self.zero = False  # a 零 since the last unit: 一百零五 is 105, not 150

    def digit(self, value: Decimal, arabic: bool = False) -> None:
        if self.pending is not None:
            raise NotAnAmount("two numbers in a row")
        self.pending = value

    def char(self, ch: str) -> None:
        if ch in ("零", "〇") and self.last_unit is not None and self.pending is None:
            self.zero = True
        elif ch in _DIGITS:
            self.digit(Decimal(_DIGITS[ch]))
        elif ch in _SMALL:
            exp = _SMALL[ch]
            if self.last_small is not None and exp >= self.last_small:
                raise NotAnAmount("units out of order")
            self.section += (1 if self.pending is None else self.pending) * Decimal(10) ** exp
            self.pending, self.last_small, self.last_unit, self.zero = None, exp, exp, False
        else:
            exp = _BIG[ch]
            value = self.section + (self.pending or 0)
            if not value or (self.last_big is not None and exp >= self.last_big):
                raise NotAnAmount("a big unit without a number, or out of order")
            self.done += value * Decimal(10) ** exp
            self.section, self.pending, self.last_small = Decimal(0), None, None
            self.last_big = self.last_unit = exp
            self.zero = False

    def total(self) -> Decimal:
        tail = self.pending
        if tail is None:
            return self.done + self.section
        lone = tail == tail.to_integral_value() and 0 < tail < 10
        if lone and self.last_unit and not self.zero:
            tail *= Decimal(10) ** (self.last_unit - 1)
        return self.done + self.section + tail


# (exponent, unit): 兆 is 10^12 in Taiwan usage
_UNITS = ((12, "兆"), (8, "億"), (4, "萬"))


def show(amount: int) -> str:
    """1億美元, 1.5億美元, 120萬美元, 2,500萬美元, 5,000美元: at most two decimals of the
    largest unit that fits, thousands grouped with commas as Taiwan's press writes them."""
    found = largest_unit(amount, _UNITS)
    if found is not None:
        value, unit = found
        shown = f"{value:,.2f}".rstrip("0").rstrip(".")
        return f"{shown}{unit}美元"
    return f"{amount:,}美元"
