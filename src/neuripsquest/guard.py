"""Small defences for text and files that come from outside: what a player typed, a save
slot, a cache entry. Each turns hostile input into a plain refusal instead of a traceback or
a hang. Standard library only, so the play path's start-up pays nothing for it.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """The path is a folder, a device, a FIFO or a socket: nothing a program should read."""


class TooLarge(OSError):
    """The file is larger than the reader accepts."""


def shown(text: str, limit: int = 40) -> str:
    """`text` safe to echo in a one-line message: control and other unprintable characters
    (escape sequences, newlines, bidi overrides, lone surrogates) as Python escapes, and cut
    at `limit` characters with an ellipsis."""
    out = []
    size = 0
    for ch in text:
        piece = ch if ch.isprintable() else repr(ch)[1:-1]
        if size + len(piece) > limit:
            out.append("...")
            break
        out.append(piece)
        size += len(piece)
    return "".join(out)


def shown_path(path: object, limit: int = 80) -> str:
    """A path safe to echo: escaped as `shown` does, and when long, cut at the start (its end
    names the file)."""
    text = shown(str(path), 10 * limit)
    return text if len(text) <= limit else "..." + text[-(limit - 3) :]


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file (following symlinks) of at most `limit` bytes.

    A FIFO would block an ordinary open until a writer came, and /dev/zero would never end:
    the file is opened without blocking and checked with fstat before anything is read.
    Raises FileNotFoundError, NotRegularFile, TooLarge or another OSError."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise NotRegularFile(f"it is {kind}")
        if info.st_size > limit:
            raise TooLarge(f"it is larger than {limit // (1 << 20)} MiB")
        chunks = []
        left = limit + 1  # a file that grows while we read is still bounded
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            raise TooLarge(f"it is larger than {limit // (1 << 20)} MiB")
        return b"".join(chunks)
    finally:
        os.close(fd)


# The patterns are compiled when first used (~0.4 ms with the surrogate's): a start that reads
# no JSON file, as a new player's first does, need not pay for them.
@functools.cache
def _json_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a JSON string, a run of anything but brackets)."""
    return re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S), re.compile(r"[^\[\]{}]+")


class TooDeep(ValueError):
    """JSON nested deeper than the reader accepts (json.loads would recurse on it)."""


def check_json_depth(text: str, limit: int) -> None:
    """Raise TooDeep when `text` nests arrays and objects more than `limit` deep, or
    ValueError when its brackets do not balance (so it is not JSON anyway); return otherwise.

    Runs before json.loads, whose recursion a deeply nested file would exhaust. Strings are
    removed first, then the brackets that are left are peeled one level per pass: the number
    of passes is the depth, each pass a C-speed `str.replace`, and no pass runs past `limit`.
    """
    string, not_bracket = _json_patterns()
    brackets = not_bracket.sub("", string.sub("", text))
    depth = 0
    while brackets:
        if depth == limit:
            raise TooDeep(f"nested more than {limit} deep")
        peeled = brackets.replace("[]", "").replace("{}", "")
        if len(peeled) == len(brackets):
            raise ValueError("brackets do not balance")
        brackets = peeled
        depth += 1


def has_surrogate(text: str) -> bool:
    """A lone surrogate (JSON allows "\\ud800") cannot be printed or written as UTF-8."""
    return not text.isascii() and _surrogate().search(text) is not None


@functools.cache
def _surrogate() -> re.Pattern[str]:
    return re.compile("[\ud800-\udfff]")
