"""Translations of a world: keys from ids, translation files, `l10n status|update`, lint,
and a translated world in play."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from neuripsquest.cli import main
from neuripsquest.core import engine
from neuripsquest.core.localise import scene_strings, translate, world_strings
from neuripsquest.format.localefile import short_hash
from neuripsquest.play import view
from neuripsquest.problems import WorldError
from neuripsquest.store.loader import check_world, load_world
from neuripsquest.store.locales import languages, localised, read_catalog
from neuripsquest.tools import l10n
from neuripsquest.tools.facts import load

MINI = Path(__file__).parent / "worlds" / "mini"
SHIPPED = Path(__file__).resolve().parents[1] / "world"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    return root


def _run(*argv: str, capsys) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _all_keys(world) -> list[str]:
    keys = [k for k, _, _ in world_strings(world)]
    for scene in world.scenes.values():
        keys += [k for k, _, _ in scene_strings(scene)]
    return keys


def test_every_shown_string_has_one_key_made_from_ids():
    world = load_world(SHIPPED, use_cache=False)
    keys = _all_keys(world)
    assert len(keys) == len(set(keys)) > 1500
    scene = world.scenes["expo_floor"]
    found = {k: t for k, t, _ in scene_strings(scene)}
    assert found["expo_floor.title"] == scene.title
    assert found["expo_floor.choice.to_quant.reply"] == scene.choice_by_id["to_quant"].reply
    assert found["expo_floor.extra.2"] == scene.extras[1][1]
    assert found["expo_floor.choice.leave.disabled"].startswith("You have only just walked in")


def test_a_full_table_translates_everything_a_player_sees(mini):
    world = load_world(mini, use_cache=False)
    table = {k: f"<{k}>" for k in _all_keys(world)}
    # keep the placeholders a text fills, as a translator must
    table["a.text"] = "<a.text> {energy} {day} {slot}"
    zh = translate(world, table, "zh-Hant")
    assert zh.lang == "zh-Hant" and zh.title == world.title  # saves are filed under the name
    assert zh.shown_title == "<world.title>"
    state = engine.new_game(zh, 1)
    assert view.text(zh, state).startswith("<a.text> 3 <clock.day.1> <clock.slot.morning>")
    shown = [c.text for c in view.choices(zh, state)]
    assert shown and all(re.fullmatch(r"<a\.choice\.\w+\.text>", t) for t in shown)
    locked = [c.reason for c in view.choices(zh, state) if not c.enabled]
    assert locked == ["<a.choice.tired.disabled>"]
    assert zh.places["hall"] == "<place.hall.name>"
    assert zh.endings["rich"] == "<ending.rich.title>"
    assert zh.scenes["ask"].input.prompt == "<ask.input.prompt>"
    assert world.scenes["a"].title == "Start"  # the English world is untouched


def test_update_writes_todos_then_status_reports_stale_after_the_english_changes(mini, capsys):
    code, out, err = _run("l10n", "update", "zh-Hant", str(mini), capsys=capsys)
    assert code == 0 and "new strings (todo)" in out
    target = mini / "locales" / "zh-Hant" / "scenes" / "main.yaml"
    assert target.is_file() and (mini / "locales" / "zh-Hant" / "world.yaml").is_file()
    # translate one string, as a translator does
    text = target.read_text(encoding="utf-8")
    block = "a.choice.meet.text:\n  from: {h}\n  todo: true\n  text: Meet someone\n"
    assert block.format(h=short_hash("Meet someone")) in text
    done = f"a.choice.meet.text:\n  from: {short_hash('Meet someone')}\n  text: 認識一個人\n"
    target.write_text(text.replace(block.format(h=short_hash("Meet someone")), done), "utf-8")
    code, out, err = _run("l10n", "status", "zh-Hant", str(mini), capsys=capsys)
    assert code == 1 and "a.choice.meet.text" not in out and ": todo: a.title" in out
    # the English changes: the translation goes stale, located at its entry
    scene = mini / "scenes" / "main.yaml"
    scene.write_text(scene.read_text().replace("Meet someone", "Meet a stranger"), "utf-8")
    code, out, err = _run("l10n", "status", "zh-Hant", str(mini), capsys=capsys)
    line = next(n for n, t in enumerate(target.read_text().splitlines(), 1) if "meet.text" in t)
    stale = rf"main\.yaml:{line}:1: stale: a\.choice\.meet\.text: .*'Meet a stranger'"
    assert re.search(stale, out)
    # update never touches done work, stale or not
    before = target.read_text(encoding="utf-8")
    code, out, err = _run("l10n", "update", "zh-Hant", str(mini), capsys=capsys)
    assert target.read_text(encoding="utf-8") == before and "nothing new" in out


def test_missing_orphaned_and_mismatched_strings_are_located(mini, capsys):
    _run("l10n", "update", "zh-Hant", str(mini), capsys=capsys)
    target = mini / "locales" / "zh-Hant" / "scenes" / "main.yaml"
    text = target.read_text(encoding="utf-8")
    h = short_hash("You have {energy} energy on {day} {slot}.")
    english = "You have {energy} energy on {day} {slot}."
    text = text.replace(
        f"a.text:\n  from: {h}\n  todo: true\n  text: {english}",
        f"a.text:\n  from: {h}\n  text: 你有 {{energy}} 點精力，{{day}}。",
    )
    text += f"a.choice.gone.text:\n  from: {short_hash('x')}\n  text: 不見了\n"
    target.write_text(text, encoding="utf-8")
    scene = mini / "scenes" / "main.yaml"
    scene.write_text(scene.read_text() + "  revisit: Back again.\n", encoding="utf-8")
    code, out, err = _run("l10n", "status", "zh-Hant", str(mini), capsys=capsys)
    assert re.search(r"main\.yaml:\d+:\d+: placeholders: a\.text: .*\{day\} \{energy\}", out)
    assert re.search(r"locales/zh-Hant/scenes/main\.yaml:\d+:1: orphaned: a\.choice\.gone", out)
    # a string with no entry points at the English it should translate
    assert re.search(r"(?<!locales/zh-Hant/)scenes/main\.yaml:\d+:\d+: missing: rich\.revisit", out)
    assert "1 missing" in err and "1 orphaned" in err and "1 placeholders" in err


BOLD_ENGLISH = "**Exactly** one hundred million."


def _translate_bold_ending(mini: Path, capsys, chinese: str) -> str:
    """The mini world's ending text made bold in English, its translation set to `chinese`;
    what `l10n status` then says."""
    scene = mini / "scenes" / "main.yaml"
    scene.write_text(
        scene.read_text().replace("text: Exactly one hundred million.", f'text: "{BOLD_ENGLISH}"'),
        "utf-8",
    )
    _run("l10n", "update", "zh-Hant", str(mini), capsys=capsys)
    target = mini / "locales" / "zh-Hant" / "scenes" / "main.yaml"
    text, n = re.subn(
        rf"  from: {short_hash(BOLD_ENGLISH)}\n  todo: true\n  text: .*\n",
        f"  from: {short_hash(BOLD_ENGLISH)}\n  text: {chinese}\n",
        target.read_text(encoding="utf-8"),
    )
    assert n == 1
    target.write_text(text, encoding="utf-8")
    return _run("l10n", "status", "zh-Hant", str(mini), capsys=capsys)[1]


def test_bold_spans_must_survive(mini, capsys):
    out = _translate_bold_ending(mini, capsys, "剛好一億。")
    assert re.search(r"markdown: rich\.text: 0 bold spans", out)


def test_lint_strict_fails_on_an_unfinished_shipped_language(mini, capsys):
    lint = ("lint", "--strict", "--ignore", "unread-flag", str(mini))
    assert _run(*lint, capsys=capsys)[0] == 0
    _run("l10n", "update", "zh-Hant", str(mini), capsys=capsys)
    code, out, err = _run(*lint, capsys=capsys)
    assert code == 1 and "[l10n-todo]" in out
    # finished: every entry translated (here: marked done with the English kept)
    for path in (mini / "locales").rglob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("  todo: true\n", ""), "utf-8")
    assert _run(*lint, capsys=capsys)[0] == 0


def test_broken_translation_files_get_located_errors_and_refuse_to_play(mini):
    folder = mini / "locales" / "zh-Hant"
    folder.mkdir(parents=True)
    (folder / "world.yaml").write_text(
        "a.title:\n  from: nothash\n  text: 開始\n"
        "a.text: just text\n"
        "Bad Key:\n  from: 0123abcd\n  text: x\n"
        "a.choice.eat.text:\n  from: 0123abcd\n  text: 吃\n  colour: red\n",
        encoding="utf-8",
    )
    (folder / "dup.yaml").write_text(
        "b.title:\n  from: 0123abcd\n  text: 結束\nb.title:\n  from: 0123abcd\n  text: 完\n",
        encoding="utf-8",
    )
    (folder / "bytes.yaml").write_bytes(b"a.title: \xff\xfe\n")
    catalog = read_catalog(mini, "zh-Hant")
    messages = [str(p) for p in catalog.problems]
    assert any(re.search(r"world\.yaml:2:\d+: a\.title: 'from' must be", m) for m in messages)
    assert any("world.yaml:4:9: a.text: expected 'from' and 'text'" in m for m in messages)
    assert any("'Bad Key' is not a string key" in m for m in messages)
    assert any("unknown field 'colour'" in m for m in messages)
    assert any("dup.yaml" in m and "'b.title'" in m for m in messages) or any(
        "duplicate" in m.lower() for m in messages
    )
    assert any("bytes.yaml:1:1: not UTF-8" in m for m in messages)
    world = load_world(mini, use_cache=False)
    with pytest.raises(WorldError):
        localised(world, mini, "zh-Hant")


def test_the_story_never_reads_its_translations(mini):
    folder = mini / "locales" / "zh-Hant"
    folder.mkdir(parents=True)
    (folder / "oops.yaml").write_text("- id: not a scene\n  {{{\n", encoding="utf-8")
    world, problems = check_world(mini)
    assert problems == [] and world is not None
    assert languages(mini) == ["zh-Hant"]


def test_the_shipped_translation_is_read_without_problems():
    catalog = read_catalog(SHIPPED, "zh-Hant")
    assert catalog.problems == []
    src = load(SHIPPED)
    findings, total = l10n.status(src, catalog)
    kinds = {f.kind for f in findings}
    assert total > 1500 and not kinds & {"orphaned", "placeholders", "markdown", "stale"}


def test_english_is_the_world_as_written(mini):
    world = load_world(mini, use_cache=False)
    assert localised(world, mini, "en") is world


def test_replay_in_a_translation_reaches_the_same_places(capsys):
    files = sorted(str(p) for p in (Path(__file__).parent / "playthroughs").glob("*.yaml"))
    out = io.StringIO()
    from neuripsquest.play.replay import run_files

    assert run_files(files, SHIPPED, out, "zh-Hant") == 0, out.getvalue()
    assert f"{len(files)} passed, 0 failed" in out.getvalue()


def _markdown_shows_a_star(md, text: str) -> bool:
    return any(
        child.type == "text" and "*" in child.content
        for token in md.parse(text)
        for child in token.children or []
    )


@pytest.mark.parametrize(
    "text",
    [
        "開啟**「猜猜是誰」**遊戲",
        "「**猜猜是誰**」",
        "**非賣品。**另外",
        "a **b** c",
        "**x",
        "*a* and **b**",
    ],
)
def test_stray_stars_agree_with_a_commonmark_renderer(text):
    from markdown_it import MarkdownIt

    from neuripsquest.format.emphasis import stray_stars

    assert bool(stray_stars(text)) == _markdown_shows_a_star(MarkdownIt("commonmark"), text)


def test_a_bold_mark_that_would_show_is_reported(mini, capsys):
    out = _translate_bold_ending(mini, capsys, "不多不少**「剛好」**一億。")
    assert re.search(r"markdown: rich\.text: the '\*' at .* would show as an asterisk", out)


def test_a_language_that_is_not_a_tag_is_refused_before_anything_is_written(mini, capsys):
    code, out, err = _run("l10n", "update", "../elsewhere", str(mini), capsys=capsys)
    assert code == 2 and "not a language tag" in err
    assert not (mini / "elsewhere").exists() and not (mini / "locales").exists()
