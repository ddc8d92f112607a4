"""Chinese in plain mode's text: emphasis marks gone, lines joined and broken as Chinese is
set (by display width, between characters, never before closing punctuation)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from neuripsquest.frontends.linebreak import NO_END as _NO_END
from neuripsquest.frontends.linebreak import NO_START as _NO_START
from neuripsquest.frontends.linebreak import width as cells
from neuripsquest.frontends.plaintext import to_plain, wrap


def test_emphasis_against_chinese_characters_is_removed():
    md = "他說**你的數字是多少?**然後*笑了*。\n第二行接著寫"
    assert to_plain(md) == "他說你的數字是多少?然後笑了。第二行接著寫"


def test_ascii_words_keep_inner_stars_and_joins_keep_spaces():
    assert to_plain("a*b*c and snake_case_x\nnext") == "a*b*c and snake_case_x next"
    assert to_plain("中文\nEnglish") == "中文 English"


TEXT = (
    "你走進會議中心，四周都是掛著會議掛繩的研究者。有人喊道：「你的數字是多少?」"
    "你看見 Burning TPU 的招牌，還有 Gemini 和 ChatGPT 的攤位。"
)


def test_wrap_by_cells_never_inside_a_latin_word():
    for width in range(12, 60):
        lines = wrap(TEXT, width).split("\n")
        assert all(cells(line) <= width for line in lines), width
        assert "".join(lines).replace(" ", "") == TEXT.replace(" ", "")
        for word in ("Burning", "Gemini", "ChatGPT"):
            assert any(word in line for line in lines), (width, word)
        assert not any(line[0] in _NO_START for line in lines), (width, lines)
        assert not any(line[-1] in _NO_END for line in lines), (width, lines)


def test_wide_characters_count_two_cells():
    assert cells("聖地牙哥") == 8 and cells("NeurIPS") == 7
    assert wrap("聖地牙哥聖地牙哥", 8) == "聖地牙哥\n聖地牙哥"


_CHARS = st.sampled_from(list("會議掛繩研究者，。「」：？！ ab") + ["Gemini", " "])


@settings(max_examples=200, deadline=None)
@given(st.lists(_CHARS, max_size=60), st.integers(min_value=4, max_value=40))
def test_wrap_keeps_every_character_and_the_width(parts, width):
    text = "".join(parts).strip()
    lines = wrap(text, width).split("\n")
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cells(line) <= width for line in lines)
