"""YAML mistakes in plain words (format/yamlhelp.py): hints name the line the writer made the
mistake on, correct files never get one, and where no diagnosis fits PyYAML's words stay.

One broken world per mistake, with its exact message, is in tests/broken/ (yaml_*,
choices_as_mapping)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from neuripsquest.format import yamlsrc

from .hostile.helpers import check_fast, mini_copy, replace_once, scenes

SCENES = sorted((Path(__file__).resolve().parents[1] / "world" / "scenes").glob("*.yaml"))
LOADERS = {"libyaml": None, "pure": yamlsrc.PURE_LOADER}
KEY = re.compile(r"( *)((?:- +)?)([a-z_]+): (\S.*)")


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("path", SCENES, ids=lambda p: p.name)
def test_shipped_scene_files_read_clean(path, loader):
    doc = yamlsrc.read(path.name, path.read_text(encoding="utf-8"), LOADERS[loader])
    assert doc.problems == [] and isinstance(doc.data, list) and doc.data


def mistakes(lines: list[str], every: int):
    """Each typical mistake, made on every `every`-th line of the form `key: value`:
    (kind, the number of the line it is on, the file's lines with that one mistake)."""
    for i in range(0, len(lines), every):
        m = KEY.fullmatch(lines[i])
        if m is None:
            continue
        indent, dash, key, value = m.groups()
        plain = not value.startswith(("|", ">", "[", "{", '"', "'", "&", "*"))
        made = {
            "colon": f"{indent}{dash}{key} {value}",
            "tab": "\t" + lines[i].lstrip(" "),
            "indent+1": " " + lines[i],
            "indent-1": lines[i][1:] if indent else None,
            "quote": f'{indent}{dash}{key}: "{value}' if plain else None,
        }
        words = value.split(" ")
        if plain and len(words) >= 4 and key in ("text", "reply", "disabled"):
            made["prose"] = f"{indent}{dash}{key}: {' '.join(words[:2])}: {' '.join(words[2:])}"
        for kind, line in made.items():
            if line is not None:
                yield kind, i + 1, [*lines[:i], line, *lines[i + 1 :]]
        if plain and len(words) >= 6 and key in ("text", "reply", "disabled"):
            # the text goes on at its key's indentation: the mistake is on the new line
            first, rest = " ".join(words[:3]), " ".join(words[3:])
            cont = [f"{indent}{dash}{key}: {first}", " " * (len(indent) + len(dash)) + rest]
            yield "continued", i + 2, [*lines[:i], *cont, *lines[i + 1 :]]


@pytest.mark.parametrize(
    "loader",
    ["libyaml", pytest.param("pure", marks=pytest.mark.slow)],  # pure: 10 s
)
def test_hints_name_the_line_of_the_mistake(loader):
    """Mistakes made on lines all through the shipped scene files: a hint, when there is one,
    is at the line the mistake is on, never elsewhere; and nearly every mistake gets one."""
    every = 41 if loader == "libyaml" else 97
    hinted = missed = 0
    wrong = []
    for path in SCENES:
        lines = path.read_text(encoding="utf-8").split("\n")
        for kind, n, broken in mistakes(lines, every):
            doc = yamlsrc.read(path.name, "\n".join(broken), LOADERS[loader])
            said = [p for p in doc.problems if p.message.startswith("YAML")]
            if not said:
                continue  # the change happened to be valid YAML
            if said[0].message.startswith("YAML syntax:"):
                missed += 1
            elif said[0].line == n:
                hinted += 1
            else:
                wrong.append((kind, path.name, n, str(said[0])))
    assert wrong == []
    assert hinted >= 100 and missed <= hinted // 50, (hinted, missed)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # an unclosed flow list: no diagnosis speaks of brackets
        (
            "do: set met",
            "do: [set met",
            "scenes/main.yaml:18:11: YAML syntax: did not find expected ',' or ']' "
            "(while parsing a flow sequence)",
        ),
        # a misspelt key without its colon: not surely a key, not surely prose
        (
            "      goto: b\n    - id: coin",
            "      gotto b\n    - id: coin",
            "scenes/main.yaml:24:5: YAML syntax: could not find expected ':' "
            "(while scanning a simple key)",
        ),
        # two mistakes in a row: mending either one alone does not get the parser far
        (
            "      once: true\n      do: set met",
            "     once: true\n       do: set met",
            "scenes/main.yaml:16:6: YAML syntax: did not find expected '-' indicator "
            "(while parsing a block collection)",
        ),
    ],
)
def test_no_diagnosis_keeps_pyyaml_words(tmp_path, old, new, expected):
    root = mini_copy(tmp_path)
    replace_once(scenes(root), old, new)
    assert check_fast(root) == [expected]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "do: set met",
            "do: {set: met}",
            "scenes/main.yaml:17:11: `do` is a list: start each effect with `- `",
        ),
        (
            "      random:\n        - {weight: 1, goto: b, text: Heads.}\n        - ",
            "      random:\n        heads: {weight: 1, goto: b, text: Heads.}\n        tails: ",
            "scenes/main.yaml:27:9: `random` is a list: start each outcome with `- `",
        ),
        (
            "    - if: has pretzel\n      text: A pretzel",
            "    if: has pretzel\n    text: A pretzel",
            "scenes/main.yaml:6:5: `extra` is a list: start each extra text with `- `",
        ),
    ],
)
def test_a_list_written_as_a_mapping(tmp_path, old, new, expected):
    root = mini_copy(tmp_path)
    replace_once(scenes(root), old, new)
    assert check_fast(root) == [expected]


def test_check_of_a_missing_folder_is_a_usage_error(tmp_path):
    for given, said in [(tmp_path / "nope", "no such world folder"), (__file__, "is not a folder")]:
        out = subprocess.run(
            [sys.executable, "-m", "neuripsquest", "check", str(given)],
            capture_output=True,
            text=True,
        )
        assert out.returncode == 2
        assert out.stderr == f"neuripsquest check: {given}: {said}\n"
