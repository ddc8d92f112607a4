"""Amounts typed and shown the Chinese way (issue 14): 一億, 1億美元, 5萬, 三千五百萬."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuripsquest import i18n
from neuripsquest.core.money import MoneyError, declines, format_money, parse_money


@pytest.mark.parametrize(
    "text, amount",
    [
        ("一億", 100_000_000),
        ("1億美元", 100_000_000),
        ("一百萬", 1_000_000),
        ("5萬", 50_000),
        ("1.5億", 150_000_000),
        ("兩千萬", 20_000_000),
        ("三千五百萬", 35_000_000),
        ("十萬", 100_000),
        ("一億兩千萬", 120_000_000),
        ("1億2000萬", 120_000_000),
        ("2,500萬美元", 25_000_000),
        ("一萬五", 15_000),  # said that way: 一萬五千
        ("一百零五", 105),  # the 零 keeps the 5 a 5
        ("US$ 5 萬", 50_000),
        ("＄１億", 100_000_000),  # full-width, as a Chinese input method types them
        ("3千萬元", 30_000_000),
        ("壹億", 100_000_000),
        ("1兆", 10**12),
    ],
)
def test_chinese_amounts(text, amount):
    assert parse_money(text) == amount


@pytest.mark.parametrize("text", ["萬", "一二", "百千", "萬億", "5萬萬", "億5", "1億x"])
def test_chinese_nonsense_is_a_kind_error(text):
    with pytest.raises(MoneyError):
        parse_money(text)


def test_refusing_in_chinese_is_an_answer():
    for text in ("沒有", "我沒有數字。", "無價之寶！", "非賣品"):
        assert declines(text) and parse_money(text) == 0, text
    assert not declines("一百萬")


@pytest.mark.parametrize(
    "amount, shown",
    [
        (5_000, "5,000美元"),
        (15_000, "1.5萬美元"),
        (1_200_000, "120萬美元"),
        (25_000_000, "2,500萬美元"),
        (100_000_000, "1億美元"),
        (150_000_000, "1.5億美元"),
        (99_999_999, "1億美元"),  # 9,999.99999萬 rounds up: said as 億
        (10**12, "1兆美元"),
    ],
)
def test_chinese_way_of_saying_an_amount(amount, shown):
    assert format_money(amount, "zh-Hant") == shown


def test_the_interface_language_decides_the_wording():
    try:
        i18n.set_language("zh-Hant")
        assert format_money(100_000_000) == "1億美元"
    finally:
        i18n.set_language("en")
    assert format_money(100_000_000) == "$100 million"


AMOUNTS = st.integers(min_value=0, max_value=10**17)  # rounding up stays under the cap


@settings(max_examples=300, deadline=None)
@given(AMOUNTS, st.sampled_from(["en", "zh-Hant"]))
def test_show_then_parse_round_trips(amount, lang):
    """What the game says back reads as the same amount, to the two decimals it shows."""
    shown = format_money(amount, lang)
    back = parse_money(shown)
    units = [10**12, 10**9, 10**6] if lang == "en" else [10**12, 10**8, 10**4]
    unit = next((u for u in units if amount >= u), 1)
    assert abs(back - amount) <= unit // 200 + 1, (amount, shown, back)
    assert format_money(back, lang) == shown
