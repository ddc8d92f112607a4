"""A choice's reply shows above the next scene's text, and goes into the journal."""

from __future__ import annotations

from neuripsquest.frontends.tui.screens.game import GameScreen
from neuripsquest.store.loader import load_world

from ..test_reply_revisit import SCENES, WORLD
from .helpers import SIZE, build, on_screen, screen_text


async def test_the_reply_is_above_the_scene_and_in_the_journal(tmp_path):
    root = tmp_path / "w"
    (root / "scenes").mkdir(parents=True)
    (root / "world.yaml").write_text(WORLD, encoding="utf-8")
    (root / "scenes" / "main.yaml").write_text(SCENES, encoding="utf-8")
    world = load_world(root, use_cache=False)
    app = build(world, tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        await pilot.press("1")
        text = screen_text(app)
        reply = text.index("The barista spells your name as a 4-letter word.")
        assert text.index("Back on the concourse.") > reply
        assert "A long introduction" not in text
        assert any("The barista spells your name" in e for e in app.journal)


async def test_a_reply_wrapped_in_its_file_reads_as_one_paragraph(tmp_path):
    """A writer wraps a long reply over lines of the YAML (`reply: |`): on screen its lines
    run together as the scene's prose does, with *emphasis* drawn, not starred, rather than
    breaking where the file broke them."""
    root = tmp_path / "w"
    (root / "scenes").mkdir(parents=True)
    (root / "world.yaml").write_text(WORLD, encoding="utf-8")
    wrapped = SCENES.replace(
        "      reply: The barista spells your name as a {energy}-letter word.\n",
        "      reply: |\n"
        "        The barista spells your name as a {energy}-letter word;\n"
        "        you take it *anyway*.\n",
    )
    assert wrapped != SCENES
    (root / "scenes" / "main.yaml").write_text(wrapped, encoding="utf-8")
    world = load_world(root, use_cache=False)
    app = build(world, tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await on_screen(pilot, GameScreen)
        await pilot.press("1")
        lines = [line.strip() for line in screen_text(app).splitlines()]
        said = "The barista spells your name as a 4-letter word; you take it anyway."
        assert said in lines, "\n".join(lines)
