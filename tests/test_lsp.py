"""`neuripsquest lsp` through a real client: pytest-lsp starts the server as a subprocess and
speaks LSP to it over stdio, as an editor would. Each test works on its own copy of the mini
world (tests/worlds/mini), so edits and renames never touch the repository."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("pytest_lsp", reason="the language server tests need the `test` extra")

import pytest_lsp  # noqa: E402
from lsprotocol import types as lsp  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

from neuripsquest import cli  # noqa: E402
from neuripsquest.store.loader import check_world  # noqa: E402
from tests.conftest import MINI, ROOT  # noqa: E402

ENV = {
    **os.environ,
    # the server must run this checkout's code, whatever is installed
    "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    "NEURIPSQUEST_CACHE": "off",
}
WAIT = 20.0  # seconds: generous, for a loaded CI machine; a pass takes well under one


# One server for the module (starting one costs about a second); each test opens its own world.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "neuripsquest", "lsp"], server_env=ENV
    ),
)
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    )
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def world(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MINI, tmp_path / "mini"))


def uri_of(path: Path) -> str:
    return path.resolve().as_uri()


def open_file(client: LanguageClient, path: Path) -> str:
    uri = uri_of(path)
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=path.read_text())
        )
    )
    return uri


def replace_all(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics(client: LanguageClient, uri: str, want) -> list[lsp.Diagnostic]:
    """The file's diagnostics once `want(them)` holds; fails after WAIT seconds."""
    deadline = asyncio.get_running_loop().time() + WAIT
    while True:
        got = client.diagnostics.get(uri)
        if got is not None and want(list(got)):
            return list(got)
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"no such diagnostics for {uri}; last: {got}")
        await asyncio.sleep(0.02)


def at(path: Path, needle: str, nth: int = 0, offset: int = 0) -> lsp.Position:
    """The position of the nth occurrence of `needle` in a file (plus `offset` characters)."""
    lines = path.read_text().split("\n")
    hits = [(i, ln.index(needle)) for i, ln in enumerate(lines) if needle in ln]
    line, col = hits[nth]
    return lsp.Position(line, col + offset)


def errors(ds: list[lsp.Diagnostic]) -> list[lsp.Diagnostic]:
    return [d for d in ds if d.severity == lsp.DiagnosticSeverity.Error]


async def test_a_broken_goto_is_an_error_on_its_word_until_it_is_fixed(
    client: LanguageClient, world: Path
):
    scenes = world / "scenes" / "main.yaml"
    uri = open_file(client, scenes)
    await diagnostics(client, uri, lambda ds: not errors(ds))
    good = scenes.read_text()
    broken = good.replace("      goto: b\n", "      goto: nowhere\n", 1)
    assert broken != good
    replace_all(client, uri, broken, 2)  # unsaved: the file on disk is still good
    found = await diagnostics(client, uri, errors)
    (e,) = errors(found)
    where = at(scenes, "goto: b", offset=len("goto: "))
    assert e.range == lsp.Range(where, lsp.Position(where.line, where.character + len("nowhere")))
    assert "no scene 'nowhere'" in e.message
    # fix it with an edit of just that word, as an editor sends a keystroke
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[lsp.TextDocumentContentChangePartial(range=e.range, text="b")],
        )
    )
    await diagnostics(client, uri, lambda ds: not errors(ds))


async def test_lint_findings_are_warnings_with_their_code(client: LanguageClient, world: Path):
    open_file(client, world / "scenes" / "main.yaml")
    found = await diagnostics(client, uri_of(world / "world.yaml"), lambda ds: bool(ds))
    (w,) = found
    assert w.severity == lsp.DiagnosticSeverity.Warning
    assert w.code == "unread-flag"
    assert w.range.start == at(world / "world.yaml", "met:")
    assert w.range.end.character == w.range.start.character + len("met")


async def test_definition_of_a_goto_target_and_of_an_item(client: LanguageClient, world: Path):
    scenes = world / "scenes" / "main.yaml"
    uri = open_file(client, scenes)
    got = await client.text_document_definition_async(
        lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), at(scenes, "goto: ask", offset=7))
    )
    assert got is not None
    (loc,) = got
    assert loc.uri == uri
    assert loc.range.start == at(scenes, "- id: ask", offset=len("- id: "))
    got = await client.text_document_definition_async(
        lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), at(scenes, "has pretzel", offset=5))
    )
    assert got is not None
    (loc,) = got
    assert loc.uri == uri_of(world / "world.yaml")
    assert loc.range.start == at(world / "world.yaml", "pretzel:")


async def test_references_of_a_stat_are_its_uses_not_the_prose(client: LanguageClient, world: Path):
    scenes = world / "scenes" / "main.yaml"
    uri = open_file(client, scenes)
    got = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=lsp.TextDocumentIdentifier(uri),
            position=at(scenes, "energy >= 5"),
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    assert got is not None
    lines = scenes.read_text().split("\n")
    places = sorted((Path(loc.uri).name, loc.range.start.line) for loc in got)
    # {energy} twice in texts, `energy += 1`, `energy >= 5`, `energy -= 1`, and the declaration
    used = [i for i, ln in enumerate(lines) if "{energy}" in ln or "energy " in ln]
    used = [i for i in used if "disabled:" not in lines[i]]  # "You need 5 energy." is prose
    declared = ("world.yaml", at(world / "world.yaml", "energy:").line)
    assert places == sorted([declared] + [("main.yaml", i) for i in used])
    texts = [
        lines[loc.range.start.line][loc.range.start.character : loc.range.end.character]
        for loc in got
        if loc.uri == uri
    ]
    assert texts == ["energy"] * len(used)


async def test_completion_after_goto_has_and_inside_braces(client: LanguageClient, world: Path):
    scenes = world / "scenes" / "main.yaml"
    uri = open_file(client, scenes)
    text = scenes.read_text()
    edited = text.replace("      goto: ask\n", "      goto: \n", 1).replace(
        "if: not has pretzel", "if: has ", 1
    )
    edited = edited.replace("text: The end, with {energy}", "text: The end, with {", 1)
    replace_all(client, uri, edited, 2)
    lines = edited.split("\n")

    async def labels(needle: str) -> set[str]:
        line = next(i for i, ln in enumerate(lines) if needle in ln)
        after = lsp.Position(line, lines[line].index(needle) + len(needle))
        got = await client.text_document_completion_async(
            lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), after)
        )
        assert isinstance(got, lsp.CompletionList)
        return {i.label for i in got.items}

    assert await labels("goto: ") == {"a", "b", "ask", "rich"}
    assert await labels("if: has ") == {"pretzel"}
    assert await labels("with {") == {"energy", "number", "day", "slot"}


async def test_completion_of_effects(client: LanguageClient, world: Path):
    scenes = world / "scenes" / "main.yaml"
    uri = open_file(client, scenes)
    line = at(scenes, "do: [give pretzel").line
    got = await client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), at(scenes, "do: [", offset=5))
    )
    assert isinstance(got, lsp.CompletionList)
    labels = {i.label for i in got.items}
    assert {"set", "clear", "give", "take", "advance", "energy", "number"} <= labels
    assert "pretzel" not in labels  # an item only after give/take
    got = await client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, 16))
    )
    assert isinstance(got, lsp.CompletionList)
    assert {i.label for i in got.items} == {"pretzel"}  # after `give `


async def test_rename_an_item_everywhere(client: LanguageClient, world: Path):
    scenes = world / "scenes" / "main.yaml"
    uri = open_file(client, scenes)
    edit = await client.text_document_rename_async(
        lsp.RenameParams(
            lsp.TextDocumentIdentifier(uri), at(scenes, "give pretzel", offset=5), "snack"
        )
    )
    assert edit is not None and edit.changes is not None
    assert set(edit.changes) == {uri, uri_of(world / "world.yaml")}
    assert len(edit.changes[uri]) == 3  # has pretzel twice, give pretzel
    for target, edits in edit.changes.items():
        path = Path(target.removeprefix("file://"))
        path.write_text(apply(path.read_text(), edits))
    new_world, problems = check_world(world)
    assert problems == [] and new_world is not None
    assert new_world.item_names == ("snack",)
    assert "A pretzel is in your pocket." in scenes.read_text()  # prose stays


@pytest.mark.parametrize(
    "name, why",
    [("Snack", "not a valid name"), ("has", "reserved word"), ("energy", "already taken")],
)
async def test_rename_refuses_bad_names(client: LanguageClient, world: Path, name, why):
    scenes = world / "scenes" / "main.yaml"
    uri = open_file(client, scenes)
    with pytest.raises(Exception, match=why):
        await client.text_document_rename_async(
            lsp.RenameParams(
                text_document=lsp.TextDocumentIdentifier(uri),
                position=at(scenes, "give pretzel", offset=5),
                new_name=name,
            )
        )


async def test_hover_on_a_goto_shows_the_scene_and_on_a_stat_its_declaration(
    client: LanguageClient, world: Path
):
    scenes = world / "scenes" / "main.yaml"
    uri = open_file(client, scenes)
    got = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), at(scenes, "goto: ask", offset=7))
    )
    assert got is not None and isinstance(got.contents, lsp.MarkupContent)
    assert "**Number**" in got.contents.value
    assert "What's your number?" in got.contents.value
    got = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), at(scenes, "energy >= 5"))
    )
    assert got is not None and isinstance(got.contents, lsp.MarkupContent)
    assert "from 3, within 0..5" in got.contents.value


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    lines = text.split("\n")
    for e in sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        assert e.range.start.line == e.range.end.line
        ln = lines[e.range.start.line]
        lines[e.range.start.line] = (
            ln[: e.range.start.character] + e.new_text + ln[e.range.end.character :]
        )
    return "\n".join(lines)


async def test_without_pygls_it_says_how_to_install_it(monkeypatch, capsys):
    real = cli.importlib.util.find_spec
    monkeypatch.setattr(
        cli.importlib.util, "find_spec", lambda name, *a: None if name == "pygls" else real(name)
    )
    assert cli.main(["lsp"]) == 2
    assert "pip install 'neuripsquest[lsp]'" in capsys.readouterr().err


async def test_fast_typing_ends_with_the_last_buffers_diagnostics(
    client: LanguageClient, world: Path
):
    scenes = world / "scenes" / "main.yaml"
    uri = open_file(client, scenes)
    await diagnostics(client, uri, lambda ds: not errors(ds))
    good = scenes.read_text()
    # keystrokes faster than the server waits for a pause: only the last text is checked
    for version, target in enumerate(["nowher", "b", "nowhere", "b", "elsewhere"], start=2):
        replace_all(
            client, uri, good.replace("      goto: b\n", f"      goto: {target}\n", 1), version
        )
    found = await diagnostics(client, uri, errors)
    assert [e.message for e in errors(found)] == ["goto: no scene 'elsewhere'"]
