"""Playing in Chinese (issue 14): plain mode through a pipe, the language chosen by --lang, by
the locale or by the Settings screen, and English untouched."""

import json
import os
import subprocess

from tests.conftest import plain_argv


def play(tmp_path, lines, *extra, env=None):
    environ = {**os.environ, **(env or {})}
    if env:  # the test's locale, without the LANGUAGE=en that conftest sets for the rest
        environ.pop("LANGUAGE", None)
    return subprocess.run(
        plain_argv(tmp_path / "saves", "--seed", "3", *extra),
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        timeout=60,
        env=environ,
    )


def test_a_game_in_chinese_through_a_pipe(tmp_path):
    out = play(tmp_path, ["1", "stats", "4", "lots", "一億"], "--lang", "zh-Hant")
    assert out.returncode == 0 and out.stderr == ""
    t = out.stdout
    assert "輸入 help 看指令。" in t
    assert "== Hall，Mon morning ==" in t  # the world is English until it is translated
    assert "3. Run a marathon.暫時不行：You need 5 energy. 需要Energy 5。" in t
    assert "你得到了：Pretzel" in t
    assert "「lots」看不出是多少錢。" in t
    assert "你說：1億美元" in t and "劇終：Rich" in t
    assert "**" not in t and "\x1b" not in t
    # the wording is the catalog's, not English with Chinese in it
    for english in ("You now have", "You said", "THE END", "Not now", "Type help"):
        assert english not in t, english


def test_the_locale_picks_chinese_and_the_flag_wins(tmp_path):
    zh = play(tmp_path, ["quit"], env={"LANG": "zh_TW.UTF-8"})
    assert "再見。" in zh.stdout
    en = play(tmp_path, ["quit"], "--lang", "en", env={"LANG": "zh_TW.UTF-8"})
    assert "Goodbye." in en.stdout and "再見" not in en.stdout


def test_the_settings_choice_is_remembered_over_the_locale(tmp_path):
    (tmp_path / "saves").mkdir()
    settings = tmp_path / "saves" / "_settings.json"
    settings.write_text(json.dumps({"language": "zh-Hant"}), encoding="utf-8")
    assert "再見。" in play(tmp_path, ["quit"], env={"LANG": "en_US.UTF-8"}).stdout
    settings.write_text(json.dumps({"language": "en"}), encoding="utf-8")
    assert "Goodbye." in play(tmp_path, ["quit"], env={"LANG": "zh_TW.UTF-8"}).stdout


def test_an_unknown_language_is_a_usage_error(tmp_path):
    out = play(tmp_path, ["quit"], "--lang", "klingon")
    assert out.returncode == 2 and "zh-Hant" in out.stderr and "Traceback" not in out.stderr


def test_chinese_is_typed_at_the_money_question_in_english_too(tmp_path):
    out = play(tmp_path, ["1", "4", "一億"])
    assert "You said: $100 million" in out.stdout
