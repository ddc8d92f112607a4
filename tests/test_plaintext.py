from neuripsquest.frontends.plaintext import to_plain


def test_paragraphs_unwrap_and_lists_keep_their_lines():
    md = (
        "The bar is a long slab\nof pale wood.\n\n"
        "**The Burning TPU** is *honey*, bourbon,\nmirto.\n\n"
        "- **Wednesday**: registration,\n  the expo\n- Saturday: `workshop`\n"
    )
    assert to_plain(md) == (
        "The bar is a long slab of pale wood.\n\n"
        "The Burning TPU is honey, bourbon, mirto.\n\n"
        "- Wednesday: registration, the expo\n- Saturday: workshop"
    )


def test_marks_inside_words_and_lone_stars_stay():
    assert to_plain("snake_case_name and 2 * 3 * 4") == "snake_case_name and 2 * 3 * 4"
