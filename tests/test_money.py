import pytest

from neuripsquest.core.money import MoneyError, format_money, parse_money


@pytest.mark.parametrize(
    "text, amount",
    [
        ("$100M", 100_000_000),
        ("100 million", 100_000_000),
        ("250k", 250_000),
        ("1.5 billion", 1_500_000_000),
        ("100,000,000", 100_000_000),
        ("$1.5bn", 1_500_000_000),
        ("  $ 2 trillion ", 2_000_000_000_000),
        ("a hundred million", 100_000_000),
        ("half a million", 500_000),
        ("12 dollars", 12),
        ("$0", 0),
        ("5 Million", 5_000_000),
        ("USD 40k", 40_000),
    ],
)
def test_amounts_people_type(text, amount):
    assert parse_money(text) == amount


@pytest.mark.parametrize(
    "text", ["", "lots", "-5", "$-5", "100 zillion", "1,00", "a", "ten", "1e9", "9" * 30]
)
def test_nonsense_is_a_kind_error(text):
    with pytest.raises(MoneyError) as exc:
        parse_money(text)
    assert str(exc.value)


def test_format_says_it_back():
    assert format_money(100_000_000) == "$100 million"
    assert format_money(1_500_000_000) == "$1.5 billion"
    assert format_money(250_000) == "$250,000"


def test_refusing_to_name_a_number_is_an_answer():
    from neuripsquest.core.money import declines

    for text in ("none", "Priceless!", "I don't have a number.", "I DON’T HAVE A NUMBER", "n/a"):
        assert declines(text) and parse_money(text) == 0, text
    for text in ("$100M", "0", "nothing at all", "nonesuch"):
        assert not declines(text), text
