"""Whatever is typed at a money prompt, the answer is an amount or a kind refusal, at once."""

import time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neuripsquest.core.money import LIMIT, MAX_LENGTH, MoneyError, format_money, parse_money


@pytest.mark.parametrize(
    "text",
    # Python's re.I matches these to i, s and k; the unit tables only know ASCII spellings.
    ["2 bıllion", "5 thouſand", "5 mİllion", "millionſ", "3 \u212a", "ſeven million"],
)
def test_unicode_case_variants_are_refused_not_a_crash(text):
    with pytest.raises(MoneyError) as exc:
        parse_money(text)
    assert "\n" not in str(exc.value)


def test_ascii_case_and_unicode_digits_still_read():
    assert parse_money("5 MILLION") == 5_000_000
    assert parse_money("2 Bn") == 2_000_000_000
    assert parse_money("\u0665 million") == 5_000_000  # an Arabic-Indic five


def test_a_million_digits_are_refused_at_once():
    start = time.perf_counter()
    with pytest.raises(MoneyError, match="too long"):
        parse_money("9" * 1_000_000)
    assert time.perf_counter() - start < 0.1
    with pytest.raises(MoneyError, match="too long"):
        parse_money(" " * (MAX_LENGTH + 1))


def test_control_characters_are_not_echoed():
    with pytest.raises(MoneyError) as exc:
        parse_money("\x1b[2Jlots\n" * 5)
    message = str(exc.value)
    assert "\x1b" not in message and "\n" not in message and "\\x1b" in message


@given(st.text())
def test_any_text_is_an_amount_or_a_refusal(text):
    try:
        amount = parse_money(text)
    except MoneyError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert type(amount) is int and 0 <= amount < LIMIT


_UNITS = st.sampled_from(["", "k", "K", " thousand", "m", " million", "bn", " Billion", "T"])


@given(st.integers(0, 10**6), st.integers(0, 99), _UNITS, st.booleans())
def test_typed_forms_do_not_raise(whole, cents, unit, dollar):
    text = f"{'$' if dollar else ''}{whole}.{cents:02d}{unit}"
    try:
        assert 0 <= parse_money(text) < LIMIT
    except MoneyError:
        pass


@given(st.integers(0, LIMIT - 1))
def test_format_money_reads_back(amount):
    text = format_money(amount)
    try:
        back = parse_money(text)
    except MoneyError:
        # Only rounding to two decimals of a trillion can carry an amount up to the limit.
        assert amount >= LIMIT - 10**10
        return
    # format_money keeps two decimals of millions, billions or trillions
    exp = next((e for e in (12, 9, 6) if amount >= 10**e), 0)
    step = 10 ** max(exp - 2, 0)
    assert abs(back - amount) <= step // 2 + 1
    assert format_money(back) == text
    if amount % step == 0:
        assert back == amount


@given(st.integers(1, 99_999), st.sampled_from([6, 9, 12]))
def test_round_amounts_round_trip_exactly(hundredths, exp):
    amount = int(Decimal(hundredths) * Decimal(10) ** (exp - 2))
    if amount < LIMIT:
        assert parse_money(format_money(amount)) == amount
