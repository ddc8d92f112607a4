"""Fixtures for the TUI tests: small worlds written for a purpose, and a fresh saves folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from neuripsquest.store.loader import load_world

LONG_TEXT = "\n\n".join(
    f"Paragraph {i}: the poster hall stretches on, row after row of posters, "
    "lanyards swinging, and someone is explaining continual learning to a crowd."
    for i in range(30)
)
CJK_TEXT = (
    "会場には二万四千人が集まり、白いストラップが揺れている。"
    "ポスターは五千枚、誰もが次のブレークスルーについて語り合う。"
    "机器学习的未来在这里被讨论，每个人都在寻找下一个突破。"
) * 3


def write_world(root: Path, world_yaml: str, scenes_yaml: str) -> Path:
    (root / "scenes").mkdir(parents=True)
    (root / "world.yaml").write_text(textwrap.dedent(world_yaml), encoding="utf-8")
    (root / "scenes" / "main.yaml").write_text(scenes_yaml, encoding="utf-8")
    return root


WORLD_HEAD = """\
title: {title}
start: first
clock:
  days: [Tuesday, Wednesday]
  slots: [morning, evening]
places:
  rooftop: {{name: Hotel rooftop}}
  expo: {{name: Expo hall}}
  crossing: {{name: Downtown crossing}}
  elsewhere: {{name: A place off the map}}
stats:
  energy: {{initial: 5, min: 0, max: 10}}
  hinton: {{initial: 1, min: 0, max: 6, label: Hinton thread}}
flags: {{}}
items: {{}}
endings:
  over: {{title: Over}}
"""


def scene(sid, title, text, place=None, choices=None, ending=None) -> dict:
    out = {"id": sid, "title": title, "text": text}
    if place:
        out["place"] = place
    if ending:
        out["ending"] = ending
    else:
        out["choices"] = [{"text": t, "goto": g} for t, g in choices]
    return out


@pytest.fixture(scope="session")
def long_world(tmp_path_factory):
    """A long scene (for scrolling and the typewriter) on the rooftop, then the expo..."""
    root = tmp_path_factory.mktemp("long")
    scenes = [
        scene("first", "A long scene", LONG_TEXT, "rooftop", [("Walk to the expo", "second")]),
        scene("second", "Expo", "The expo hall.", "expo", [("Go to the crossing", "third")]),
        scene("third", "Crossing", "A train.", "crossing", [("Wander off", "fourth")]),
        scene("fourth", "Off the map", "Somewhere else.", "elsewhere", [("Finish", "end")]),
        scene("end", "The end", "Done.", ending="over"),
    ]
    scenes[0]["choices"][0]["do"] = ["hinton += 1"]
    write_world(root, WORLD_HEAD.format(title="Long"), yaml.safe_dump(scenes, allow_unicode=True))
    return load_world(root, use_cache=False)


@pytest.fixture(scope="session")
def cjk_world(tmp_path_factory):
    root = tmp_path_factory.mktemp("cjk")
    scenes = [
        scene("first", "会場", CJK_TEXT, "rooftop", [("次へ進む (next)", "end")]),
        scene("end", "終わり", "終わり。", ending="over"),
    ]
    write_world(root, WORLD_HEAD.format(title="CJK"), yaml.safe_dump(scenes, allow_unicode=True))
    return load_world(root, use_cache=False)


@pytest.fixture(scope="session")
def many_choices(tmp_path_factory):
    """A scene with more choices than a small terminal can show at once."""
    root = tmp_path_factory.mktemp("many")
    options = [
        (f"Ask about poster number {i}, the one with the bold claim", "end") for i in range(14)
    ]
    scenes = [
        scene("first", "Posters", "Rows and rows of posters.", "expo", options),
        scene("end", "The end", "Done.", ending="over"),
    ]
    for i, choice in enumerate(scenes[0]["choices"]):
        choice["id"] = f"poster{i}"
    write_world(root, WORLD_HEAD.format(title="Many"), yaml.safe_dump(scenes, allow_unicode=True))
    return load_world(root, use_cache=False)
