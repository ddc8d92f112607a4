"""`neuripsquest lsp`: the language server, over standard input and output (pygls).

Diagnostics: `check`'s problems (errors) or, when there are none, `lint`'s warnings, for
every file of the world, recomputed a moment after the last keystroke (DEBOUNCE) from the
open buffers; definition, references, completion, rename and hover come from the names'
index (index.py), built from the same buffers when asked.
"""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from neuripsquest import __version__
from neuripsquest.lang.expr import RESERVED
from neuripsquest.tools.lsp import complete as completion
from neuripsquest.tools.lsp.index import ENDING, PLACE, SCENE, VAR, Index, Ref
from neuripsquest.tools.lsp.workspace import Finding, Workspace, World

# A check of the shipped world takes about 60-120 ms: waiting 100 ms for the typing to pause
# keeps the whole round within 300 ms of the last keystroke.
DEBOUNCE = 0.1
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
_WORD = re.compile(r"[A-Za-z0-9_]+")
_OPENED_WORD = re.compile(r"[\"'{\[(]{1,2}([A-Za-z0-9_]+)")
_KINDS = {
    "scene": lsp.CompletionItemKind.Module,
    "stat": lsp.CompletionItemKind.Variable,
    "flag": lsp.CompletionItemKind.Constant,
    "item": lsp.CompletionItemKind.Struct,
    "slot": lsp.CompletionItemKind.EnumMember,
    "place": lsp.CompletionItemKind.Folder,
    "ending": lsp.CompletionItemKind.Event,
    "keyword": lsp.CompletionItemKind.Keyword,
    "verb": lsp.CompletionItemKind.Function,
}
# Choice ids are indexed (definition, references, hover) but not renamed: no other place in
# the world files names one, so renaming one is a one-word edit.
_RENAMABLE = {SCENE: "scene id", VAR: "name", PLACE: "place", ENDING: "ending"}
_REQUEST_FAILED = -32803  # LSP's RequestFailed

log = logging.getLogger(__name__)


class QuestServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("neuripsquest", __version__)
        self.worlds = Workspace()
        self._tasks: set[asyncio.Future[None]] = set()
        self._generation: dict[Path, int] = {}
        self._locks: dict[Path, asyncio.Lock] = {}
        self._published: dict[Path, set[str]] = {}  # files given diagnostics last time

    # ------------------------------------------------------------ buffers and diagnostics

    def changed(self, uri: str) -> None:
        path = _path(uri)
        if path is None:
            return
        doc = self.workspace.get_text_document(uri)
        world = self.worlds.opened(path, doc.source)
        if world is not None:
            self.schedule(world)

    def schedule(self, world: World, delay: float = DEBOUNCE) -> None:
        # Not cancelled when typing goes on: an earlier check wakes, sees it is not the
        # latest, and stops (cancelling one would free its lock while its thread still runs).
        gen = self._generation[world.root] = self._generation.get(world.root, 0) + 1
        task = asyncio.ensure_future(self._check(world, gen, delay))
        self._tasks.add(task)  # a task only weakly held by the loop could be collected
        task.add_done_callback(self._tasks.discard)

    async def _check(self, world: World, gen: int, delay: float) -> None:
        await asyncio.sleep(delay)
        # One check of a world at a time: a check still running when the next keystroke's
        # turn comes (it cannot be interrupted) is waited for, not run beside.
        async with self._locks.setdefault(world.root, asyncio.Lock()):
            if self._generation.get(world.root) != gen:
                return
            texts, unreadable = world.texts()  # the buffers as they are now, on this thread
            versions = {
                p: self.workspace.get_text_document(uri).version
                for p in world.buffers
                if (uri := from_fs_path(str(p))) is not None
            }
            loop = asyncio.get_running_loop()
            try:
                found = await loop.run_in_executor(None, world.check, texts)
            except Exception:  # noqa: BLE001 - a bug must not take the server down with it
                log.exception("checking %s failed", world.root)
                return
        if self._generation.get(world.root) != gen:
            return  # typed again meanwhile: the next check publishes
        self.publish(world, texts, unreadable + found, versions)

    def publish(
        self,
        world: World,
        texts: list[tuple[Path, str]],
        found: list[Finding],
        versions: dict[Path, int | None],
    ) -> None:
        """Diagnostics for every file that has some, had some last time, or is open (so the
        editor learns which version of its buffer they are for)."""
        by_file: dict[str, list[Finding]] = {}
        for f in found:
            by_file.setdefault(f.path, []).append(f)
        sources = {str(p): t for p, t in texts}
        before = self._published.get(world.root, set())
        for path in sorted(set(sources) | set(by_file) | before):
            mine = by_file.get(path, [])
            if not mine and path not in before and Path(path) not in world.buffers:
                continue
            uri = from_fs_path(path)
            if uri is None:
                continue
            lines = sources.get(path, "").split("\n")
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(
                    uri=uri,
                    diagnostics=[self._diagnostic(f, lines) for f in mine],
                    version=versions.get(Path(path)),
                )
            )
        self._published[world.root] = set(by_file)

    def _diagnostic(self, f: Finding, lines: list[str]) -> lsp.Diagnostic:
        line = min(max(f.line - 1, 0), max(len(lines) - 1, 0))
        start, end = word_at(lines[line] if lines else "", f.column - 1)
        rng = lsp.Range(lsp.Position(line, start), lsp.Position(line, end))
        error = f.severity == "error"
        return lsp.Diagnostic(
            range=self.workspace.position_codec.range_to_client_units(lines, rng),
            message=f.message,
            severity=lsp.DiagnosticSeverity.Error if error else lsp.DiagnosticSeverity.Warning,
            code=None if error else f.code,
            source="neuripsquest",
        )

    # ------------------------------------------------------------ names

    def lookup(self, uri: str, pos: lsp.Position) -> tuple[Index, Ref | None]:
        """The world's names, and the one at `pos` (None when there is none)."""
        path = _path(uri)
        world = self.worlds.world_of(path) if path is not None else None
        if world is None:
            raise JsonRpcException(
                "this file is not part of a world (no world.yaml above it)", code=_REQUEST_FAILED
            )
        lines = self.workspace.get_text_document(uri).lines
        here = self.workspace.position_codec.position_from_client_units(lines, pos)
        index = world.index()
        return index, index.at(str(path), here.line, here.character)

    def location(self, path: str, ref: Ref) -> lsp.Location:
        return lsp.Location(uri=from_fs_path(path) or path, range=self.range(path, ref))

    def range(self, path: str, ref: Ref) -> lsp.Range:
        s = ref.span
        rng = lsp.Range(lsp.Position(s.line, s.start), lsp.Position(s.line, s.end))
        uri = from_fs_path(path)
        doc = self.workspace.text_documents.get(uri) if uri else None
        if doc is None:  # a file not open in the editor: its text on disk
            try:
                lines = Path(path).read_text(encoding="utf-8").split("\n")
            except (OSError, UnicodeDecodeError):
                return rng
        else:
            lines = doc.lines
        return self.workspace.position_codec.range_to_client_units(lines, rng)


def word_at(line: str, col: int) -> tuple[int, int]:
    """The columns of the word a problem points at: the name at that place, also when the
    place is a quote or brace just before it; one character when there is no word."""
    col = min(max(col, 0), len(line))
    for m in _WORD.finditer(line):
        if m.start() <= col < m.end():
            return m.start(), m.end()
    opened = _OPENED_WORD.match(line, col)
    if opened:
        return opened.start(1), opened.end(1)
    return col, min(col + 1, len(line))


def _path(uri: str) -> Path | None:
    fs = to_fs_path(uri)
    return Path(fs) if fs else None


server = QuestServer()


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: QuestServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.changed(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: QuestServer, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.changed(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: QuestServer, params: lsp.DidCloseTextDocumentParams) -> None:
    path = _path(params.text_document.uri)
    world = ls.worlds.closed(path) if path is not None else None
    if world is not None:
        ls.schedule(world)


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def watched(ls: QuestServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    for world in list(ls.worlds.worlds.values()):
        ls.schedule(world)


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def definition(ls: QuestServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
    index, ref = ls.lookup(params.text_document.uri, params.position)
    if ref is None:
        return []
    return [ls.location(p, r) for p, r in index.decls(ref.ns, ref.name)]


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
def references(ls: QuestServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
    index, ref = ls.lookup(params.text_document.uri, params.position)
    if ref is None:
        return []
    keep = params.context.include_declaration
    return [ls.location(p, r) for p, r in index.refs(ref.ns, ref.name) if keep or not r.decl]


@server.feature(
    lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[" ", "{", "(", "["])
)
def complete(ls: QuestServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    path = _path(params.text_document.uri)
    world = ls.worlds.world_of(path) if path is not None else None
    if world is None:
        return lsp.CompletionList(is_incomplete=False, items=[])
    lines = ls.workspace.get_text_document(params.text_document.uri).lines
    here = ls.workspace.position_codec.position_from_client_units(lines, params.position)
    plain = [ln.rstrip("\r\n") for ln in lines]
    items = completion.complete(world.index(), plain, here.line, here.character)
    return lsp.CompletionList(
        is_incomplete=False,
        items=[
            lsp.CompletionItem(
                label=i.label,
                kind=_KINDS.get(i.kind),
                detail=i.detail.split("\n", 1)[0] or None,
                insert_text=i.insert,
            )
            for i in items
        ],
    )


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: QuestServer, params: lsp.HoverParams) -> lsp.Hover | None:
    index, ref = ls.lookup(params.text_document.uri, params.position)
    if ref is None:
        return None
    text = index.info(ref.ns, ref.name)
    if not text:
        text = f"`{ref.name}`: no {ref.ns.split(':')[0]} of that name is declared"
    path = _path(params.text_document.uri)
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
        range=ls.range(str(path), ref),
    )


@server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(ls: QuestServer, params: lsp.PrepareRenameParams) -> lsp.Range | None:
    _, ref = ls.lookup(params.text_document.uri, params.position)
    if ref is None or ref.ns not in _RENAMABLE:
        raise JsonRpcException(
            "only a scene id, stat, flag, item, time slot, place or ending can be renamed here",
            code=_REQUEST_FAILED,
        )
    return ls.range(str(_path(params.text_document.uri)), ref)


@server.feature(lsp.TEXT_DOCUMENT_RENAME)
def rename(ls: QuestServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit:
    index, ref = ls.lookup(params.text_document.uri, params.position)
    if ref is None or ref.ns not in _RENAMABLE:
        raise JsonRpcException("nothing to rename here", code=_REQUEST_FAILED)
    new = params.new_name
    refusal = refuse_name(index, ref, new)
    if refusal:
        raise JsonRpcException(refusal, code=_REQUEST_FAILED)
    changes: dict[str, list[lsp.TextEdit]] = {}
    for path, r in index.refs(ref.ns, ref.name):
        uri = from_fs_path(path) or path
        changes.setdefault(uri, []).append(lsp.TextEdit(range=ls.range(path, r), new_text=new))
    return lsp.WorkspaceEdit(changes=changes)


def refuse_name(index: Index, ref: Ref, new: str) -> str | None:
    """Why `new` cannot replace `ref`'s name, or None when it can."""
    what = _RENAMABLE[ref.ns]
    if not _IDENT.match(new):
        return (
            f"'{new}' is not a valid {what}: use lower-case letters, digits and _, "
            "starting with a letter"
        )
    if new in RESERVED:
        return f"'{new}' is a reserved word in conditions: choose another name"
    if new == ref.name:
        return f"the {what} is already called '{new}'"
    if new in index.taken(ref.ns):
        owner = index.info(ref.ns, new).split("\n", 1)[0] or "a name in use, or an earlier id"
        return f"'{new}' is already taken: {owner}"
    return None


def run() -> int:
    logging.basicConfig(level=logging.WARNING, format="neuripsquest lsp: %(message)s")
    server.start_io()
    return 0
