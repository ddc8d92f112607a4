"""A choice's reply shows above the next scene's text, and goes into the journal."""

from __future__ import annotations

from neuripsquest.frontends.tui.screens.game import GameScreen
from neuripsquest.store.loader import load_world

from ..test_reply_revisit import SCENES, WORLD
from .helpers import SIZE, build, on_screen, screen_text


async def _after_the_first_choice(tmp_path, scenes: str) -> tuple[str, list[str]]:
    """The screen's text and the journal after a new game of `scenes` and its choice 1."""
    root = tmp_path / "w"
    (root / "scenes").mkdir(parents=True)
    (root / "world.yaml").write_text(WORLD, encoding="utf-8")
    (root / "scenes" / "main.yaml").write_text(scenes, encoding="utf-8")
    world = load_world(root, use_cache=False)
    app = build(world, tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        await pilot.press("1")
        return screen_text(app), list(app.journal)


async def test_the_reply_is_above_the_scene_and_in_the_journal(tmp_path):
    text, journal = await _after_the_first_choice(tmp_path, SCENES)
    reply = text.index("The barista spells your name as a 4-letter word.")
    assert text.index("Back on the concourse.") > reply
    assert "A long introduction" not in text
    assert any("The barista spells your name" in e for e in journal)


async def test_a_reply_wrapped_in_its_file_reads_as_one_paragraph(tmp_path):
    """A writer wraps a long reply over lines of the YAML (`reply: |`): on screen its lines
    run together as the scene's prose does, with *emphasis* drawn, not starred, rather than
    breaking where the file broke them."""
    wrapped = SCENES.replace(
        "      reply: The barista spells your name as a {energy}-letter word.\n",
        "      reply: |\n"
        "        The barista spells your name as a {energy}-letter word;\n"
        "        you take it *anyway*.\n",
    )
    assert wrapped != SCENES
    text, _ = await _after_the_first_choice(tmp_path, wrapped)
    lines = [line.strip() for line in text.splitlines()]
    said = "The barista spells your name as a 4-letter word; you take it anyway."
    assert said in lines, "\n".join(lines)
