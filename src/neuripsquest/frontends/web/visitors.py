"""Who a visitor is: an unguessable id kept in their browser's cookie, and the saves folder
it names. The id is checked for its exact shape before any use, and the folder is named by a
hash of it, so nothing a browser sends ever becomes part of a path, and someone who can list
the saves folder learns no id that would let them take over a visitor's run."""

from __future__ import annotations

import hashlib
import re
import secrets
from pathlib import Path

COOKIE = "nq_visitor"
ID_BYTES = 32  # 256 random bits: token_urlsafe gives 43 characters
_ID = re.compile(r"[A-Za-z0-9_-]{43}")
FOLDER = "visitors"  # under the server's saves root


def new_id() -> str:
    return secrets.token_urlsafe(ID_BYTES)


def valid(text: str | None) -> str | None:
    """The id if `text` has exactly the shape new_id makes, else None."""
    if text is not None and _ID.fullmatch(text):
        return text
    return None


def folder(root: Path, visitor: str) -> Path:
    """The visitor's saves folder: one level under root/visitors, named by the id's hash."""
    if valid(visitor) is None:  # callers validate first; this keeps a slip from naming a path
        raise ValueError("not a visitor id")
    name = hashlib.sha256(visitor.encode("ascii")).hexdigest()[:32]
    return root / FOLDER / name


def short(visitor: str) -> str:
    """A name for the server's log that does not give the id away."""
    return hashlib.sha256(visitor.encode("ascii")).hexdigest()[:8]
