"""`neuripsquest l10n status|update LANG`: where a translation stands, and new strings added to
it as visible TODOs.

Each finding is located where the translator acts: a string with no entry at the English it
should translate; a TODO, stale, orphaned or mismatched entry at the entry itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from neuripsquest.core.localise import scene_strings, world_strings
from neuripsquest.format.emphasis import stray_stars
from neuripsquest.format.localefile import entry_text, short_hash
from neuripsquest.problems import plural
from neuripsquest.store.locales import (
    Catalog,
    is_language_name,
    languages,
    mirror,
    read_catalog,
)
from neuripsquest.tools.facts import Sources

_PLACEHOLDER = re.compile(r"\{[a-z][a-z0-9_]*\}")
_BOLD = "**"


@dataclass(frozen=True, slots=True)
class Source:
    """One string of the world as written: its key, text and place in its file."""

    key: str
    text: str
    path: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str  # missing, todo, stale, orphaned, placeholders, markdown
    key: str
    path: str
    line: int
    column: int
    message: str

    def render(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.kind}: {self.message}"


def sources(src: Sources) -> Iterator[tuple[str, Source]]:
    """Every player-visible string of a world that checked clean, in file order, with the
    world file it is written in (world.yaml first)."""
    assert src.world is not None
    wdoc = src.docs[src.world_path]
    for key, text, where in world_strings(src.world):
        line, col = wdoc.where(list(where))
        yield src.world_path, Source(key, text, src.world_path, line, col)
    for sf in src.scenes.values():
        doc = src.docs[sf.path]
        for key, text, where in scene_strings(sf.scene):
            line, col = doc.where([*sf.loc, *where])
            yield sf.path, Source(key, text, sf.path, line, col)


def status(src: Sources, catalog: Catalog) -> tuple[list[Finding], int]:
    """What stands between `catalog` and a complete, current translation; and how many
    strings the world has."""
    found: list[Finding] = []
    seen: set[str] = set()
    total = 0
    for _, s in sources(src):
        total += 1
        seen.add(s.key)
        entry = catalog.entries.get(s.key)
        if entry is None:
            found.append(Finding("missing", s.key, s.path, s.line, s.column, f"{s.key}: no entry"))
            continue
        at = (entry.path, entry.line, entry.column)
        if entry.todo:
            found.append(Finding("todo", s.key, *at, f"{s.key}: not translated yet"))
            continue
        if entry.source != short_hash(s.text):
            found.append(
                Finding(
                    "stale",
                    s.key,
                    *at,
                    f"{s.key}: the English changed since this was translated "
                    f"({s.path}:{s.line}:{s.column}); now: {_brief(s.text)}",
                )
            )
        found.extend(_mismatches(s, entry.text, at))
    for key, entry in catalog.entries.items():
        if key not in seen:
            found.append(
                Finding(
                    "orphaned",
                    key,
                    entry.path,
                    entry.line,
                    entry.column,
                    f"{key}: no such string in the world (renamed or removed?)",
                )
            )
    return found, total


def _mismatches(s: Source, text: str, at: tuple[str, int, int]) -> list[Finding]:
    out = []
    want, got = sorted(_PLACEHOLDER.findall(s.text)), sorted(_PLACEHOLDER.findall(text))
    if want != got:
        out.append(
            Finding(
                "placeholders",
                s.key,
                *at,
                f"{s.key}: placeholders {' '.join(got) or 'none'}, "
                f"the English has {' '.join(want) or 'none'}",
            )
        )
    stray = stray_stars(text)
    if stray:
        out.append(
            Finding(
                "markdown",
                s.key,
                *at,
                f"{s.key}: the '*' at {_brief(text[max(0, stray[0] - 8) : stray[0] + 10], 30)} "
                "would show as an asterisk: a bold or italic mark needs a space, or "
                "punctuation, on its outer side when punctuation is on its inner side "
                "(write 「**詞**」, not **「詞」**)",
            )
        )
    elif text.count(_BOLD) != s.text.count(_BOLD):
        out.append(
            Finding(
                "markdown",
                s.key,
                *at,
                f"{s.key}: {text.count(_BOLD) // 2} bold spans (**...**), "
                f"the English has {s.text.count(_BOLD) // 2}",
            )
        )
    return out


def _brief(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= width else flat[: width - 1] + "…")


def update(root: Path, src: Sources, catalog: Catalog) -> dict[Path, int]:
    """Add every string that has no entry to its file's translation as a TODO (the English,
    marked `todo: true`), at the end of that file; entries already there, done or not, are
    never touched. Returns how many were added to each file."""
    assert src.world is not None
    new: dict[Path, list[str]] = {}
    for path, s in sources(src):
        if s.key not in catalog.entries:
            target = mirror(root.resolve(), catalog.lang, Path(path).resolve())
            new.setdefault(target, []).append(entry_text(s.key, s.text))
    for target, entries in new.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        before = target.read_text(encoding="utf-8") if target.exists() else _HEADER
        if before and not before.endswith("\n"):
            before += "\n"
        target.write_text(before + "".join(entries), encoding="utf-8")
    return {t: len(e) for t, e in new.items()}


_HEADER = (
    "# Translations of the strings of the world file this mirrors (docs/translating.md).\n"
    "# Replace each `text`, delete its `todo: true`; keep `from`: it says which English you\n"
    "# translated, so a later change to the English shows up in `neuripsquest l10n status`.\n"
)


def summary(lang: str, total: int, findings: list[Finding]) -> str:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    undone = counts.get("missing", 0) + counts.get("todo", 0)
    parts = [f"{lang}: {total - undone:,} of {plural(total, 'string')} translated"]
    for kind in ("missing", "todo", "stale", "orphaned", "placeholders", "markdown"):
        if counts.get(kind):
            parts.append(f"{counts[kind]:,} {kind}")
    return ", ".join(parts)


def run(root: Path, action: str, lang: str, out: IO[str], err: IO[str]) -> int:
    from neuripsquest.tools.facts import load_or_report

    if not is_language_name(lang):
        err.write(f"neuripsquest l10n: '{lang}' is not a language tag (like zh-Hant)\n")
        return 2
    src = load_or_report(root, err, "the translation check")
    if src is None:
        return 1
    # no folder yet: `update` starts the language, `status` reports every string missing
    catalog = read_catalog(root, lang) if lang in languages(root) else Catalog(lang)
    for p in catalog.problems:
        err.write(f"{p.path}:{p.line}:{p.column}: error: {p.message}\n")
    if catalog.problems:
        return 1
    if action == "update":
        added = update(root, src, catalog)
        for target, n in sorted(added.items()):
            out.write(f"{_relative(target)}: {plural(n, 'new string')} (todo)\n")
        if not added:
            out.write(f"{lang}: nothing new to add\n")
        catalog = read_catalog(root, lang)
    findings, total = status(src, catalog)
    if action == "status":
        for f in findings:
            out.write(f.render() + "\n")
    err.write(summary(lang, total, findings) + "\n")
    return 1 if findings and action == "status" else 0


def _relative(path: Path) -> Any:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
