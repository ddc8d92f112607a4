"""The worlds an editor has open: their files as the editor sees them (open buffers in place of
what is on disk), checked, linted and indexed.

What costs is reading YAML: each file's parsed document (and its index) is kept while its text
is unchanged, so after a keystroke only the edited file is parsed again; the cross-file checks
and the linter still run over the whole world (together about 60 ms on the shipped world).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neuripsquest.format import yamlsrc
from neuripsquest.store.loader import WORLD_FILE, world_files
from neuripsquest.tools.lsp.index import FileIndex, Index, index_file


@dataclass(frozen=True)
class Finding:
    """One diagnostic: 1-based line and column, as `check` and `lint` report them."""

    path: str  # absolute
    line: int
    column: int
    severity: str  # "error" or "warning"
    code: str
    message: str


@dataclass
class _Parsed:
    text: str
    doc: yamlsrc.Document
    used: int  # values the document took from its world's alias budget, beyond its own text
    index: FileIndex | None = None


class Documents:
    """`yamlsrc.read` that remembers each file's last document, keyed by its text.

    Handing back a remembered document must leave the world's alias budget as reading it
    would: only documents that took no more than their own length's allowance are kept (every
    file without aliases), and using one charges the budget the same amount again.
    """

    def __init__(self) -> None:
        self._docs: dict[str, _Parsed] = {}
        self._lock = threading.Lock()  # checks run in a worker thread, requests do not

    def __call__(
        self, path: str, text: str, budget: yamlsrc.NodeBudget | None = None
    ) -> yamlsrc.Document:
        return self.parsed(path, text, budget).doc

    def parsed(self, path: str, text: str, budget: yamlsrc.NodeBudget | None = None) -> _Parsed:
        with self._lock:
            hit = self._docs.get(path)
        if hit is not None and hit.text == text:
            if budget is not None:
                budget.grant(text)
                budget.left -= hit.used
            return hit
        own = budget if budget is not None else yamlsrc.NodeBudget()
        before = own.left
        doc = yamlsrc.read(path, text, budget=own)
        used = before + 2 * len(text) - own.left
        parsed = _Parsed(text, doc, used)
        # A refused file (root None, with a problem) may be refused for want of budget:
        # reading it again with more budget could go otherwise.
        if used <= 2 * len(text) and (doc.root is not None or not doc.problems):
            with self._lock:
                self._docs[path] = parsed
        return parsed

    def index(self, path: str, text: str, is_world: bool) -> FileIndex:
        parsed = self.parsed(path, text)
        if parsed.index is None:
            parsed.index = index_file(parsed.doc.root, text, is_world)
        return parsed.index


def shown(path: Path) -> str:
    """A path as the checker names it in its problems (relative to the working folder)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def find_root(path: Path) -> Path | None:
    """The world a file belongs to: the nearest folder above it holding a world.yaml."""
    for folder in path.parents:
        if (folder / WORLD_FILE).is_file():
            return folder
    return None


class World:
    """One world folder, with the editor's open buffers laid over its files."""

    def __init__(self, root: Path):
        self.root = root
        self.buffers: dict[Path, str] = {}
        self.documents = Documents()
        self._facts: dict[str, Any] = {}  # each file's scene facts, for facts.load_texts

    def texts(self) -> tuple[list[tuple[Path, str]], list[Finding]]:
        """Every file of the world, world.yaml first: the open buffer when there is one, else
        the file on disk; and the files that could not be read."""
        out: list[tuple[Path, str]] = []
        unreadable: list[Finding] = []
        files = world_files(self.root) if self.root.is_dir() else [self.root / WORLD_FILE]
        for path in files:
            text = self.buffers.get(path)
            if text is None:
                try:
                    text = path.read_bytes().decode("utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    why = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else "unreadable"
                    unreadable.append(Finding(str(path), 1, 1, "error", "check", f"{why}: {exc}"))
                    continue
            out.append((path, text))
        return out, unreadable

    def check(self, texts: list[tuple[Path, str]]) -> list[Finding]:
        """`check`'s problems as errors, or when there are none, `lint`'s warnings."""
        from neuripsquest.tools import facts, lint

        if not texts or texts[0][0].name != WORLD_FILE:
            return [Finding(str(self.root / WORLD_FILE), 1, 1, "error", "check", "missing")]
        pairs: list[tuple[Any, str]] = list(texts)
        src = facts.load_texts(self.root, pairs, self.documents, self._facts)
        return [
            Finding(os.path.abspath(f.path), f.line, f.column, f.severity, f.code, f.message)
            for f in lint.lint(src)
        ]

    def index(self) -> Index:
        texts, _ = self.texts()
        world_yaml = self.root / WORLD_FILE
        return Index(
            {
                str(path): self.documents.index(shown(path), text, path == world_yaml)
                for path, text in texts
            }
        )

    def files(self) -> list[Path]:
        return [p for p, _ in self.texts()[0]]


class Workspace:
    """Every world the editor has opened a file of."""

    def __init__(self) -> None:
        self.worlds: dict[Path, World] = {}

    def world_of(self, path: Path) -> World | None:
        root = find_root(path)
        if root is None:
            return None
        world = self.worlds.get(root)
        if world is None:
            world = self.worlds[root] = World(root)
        return world

    def opened(self, path: Path, text: str) -> World | None:
        world = self.world_of(path)
        if world is not None:
            world.buffers[path] = text
        return world

    def closed(self, path: Path) -> World | None:
        world = self.world_of(path)
        if world is not None:
            world.buffers.pop(path, None)
        return world
