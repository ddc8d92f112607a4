"""A problem inside a condition written over several lines is reported at the writer's line
and column: YAML strips a block's indentation and folds line breaks, and the place is found
again in the text as written."""

import shutil

import pytest

from neuripsquest.store.loader import check_world
from tests.conftest import MINI

ORIGINAL = "      if: not has pretzel\n"

# Each way YAML lets a value run over lines; `bogus` is always the unknown name.
FORMS = {
    "literal": "      if: |\n        energy >= 1 and\n        bogus\n",
    "literal, indented more": "      if: |\n        energy >= 1 and\n            bogus\n",
    "literal, indent indicator": "      if: |4\n            energy >= 1 and\n              bogus\n",
    "literal, blank line": "      if: |\n        energy >= 1 and\n\n        bogus\n",
    "literal, parentheses": "      if: |\n        (energy >= 1 and\n          bogus)\n",
    "literal, keep": "      if: |+\n        energy >= 1 and\n        bogus\n\n",
    "folded": "      if: >\n        energy >= 1 and\n        bogus\n",
    "folded, comment": "      if: > # why\n        energy >= 1 and\n          bogus\n",
    "plain": "      if: energy >= 1 and\n        bogus\n",
    "plain, next line": "      if:\n        energy >= 1\n          and bogus\n",
    "double quotes": '      if: "energy >= 1 and\n        bogus"\n',
    "single quotes": "      if: 'energy >= 1 and\n        bogus'\n",
    "crlf": "      if: |\r\n        energy >= 1 and\r\n          bogus\r\n",
}


@pytest.mark.parametrize("form", list(FORMS))
def test_an_unknown_name_on_a_later_line_is_pointed_at(tmp_path, form):
    world = tmp_path / "w"
    shutil.copytree(MINI, world)
    main = world / "scenes" / "main.yaml"
    text = main.read_text()
    assert ORIGINAL in text
    text = text.replace(ORIGINAL, FORMS[form])
    main.write_bytes(text.encode())
    _, problems = check_world(world)
    bogus = [p for p in problems if "'bogus'" in p.message]
    assert len(bogus) == 1, problems
    line = text.replace("\r\n", "\n").splitlines()[bogus[0].line - 1]
    assert line[bogus[0].column - 1 :].startswith("bogus"), (bogus[0], line)


def test_a_condition_may_run_over_lines_in_a_literal_block(tmp_path):
    world = tmp_path / "w"
    shutil.copytree(MINI, world)
    main = world / "scenes" / "main.yaml"
    form = "      if: |\n        not has pretzel\n        and energy >= 0\n"
    main.write_text(main.read_text().replace(ORIGINAL, form))
    world_, problems = check_world(world)
    assert problems == [] and world_ is not None


def test_a_hash_in_a_condition_is_refused_not_taken_as_a_comment(tmp_path):
    # Python's reader would drop `or met` unseen, as a comment.
    world = tmp_path / "w"
    shutil.copytree(MINI, world)
    main = world / "scenes" / "main.yaml"
    text = main.read_text().replace(ORIGINAL, '      if: "not has pretzel # or met"\n')
    main.write_text(text)
    _, problems = check_world(world)
    assert [p.message for p in problems] == [
        "'#' is not allowed in a condition: put a comment on its own line above"
    ]
    line = text.splitlines()[problems[0].line - 1]
    assert line[problems[0].column - 1 :].startswith("# or met")
