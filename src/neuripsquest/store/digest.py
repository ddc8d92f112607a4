"""Digests for the caches, without hashlib: importing hashlib starts OpenSSL, about 3 ms of
every start of the game, which then hashed only a few names and one checksum with it.

- `name` and `running` (blake2b, the very type hashlib hands out) name cache entries and
  stamp the code that wrote them: 128 bits, so no two world folders share an entry;
- `checksum` tells a damaged entry (torn, truncated, a flipped bit) from a whole one: CRC-32
  with the length, at memory speed (a 10,000-scene world's entry is 10 MB: 2.4 ms against
  sha256's 9 ms). It is no defence against a hostile writer, who could write a matching
  checksum as easily as a matching sha256; the reader's own checks of what it reads are.

What leaves the cache keeps sha256: a world's fingerprint, which saves record, made on the cold
path by `sha256` below; a translation's `from:` hash (format/localefile.py)."""

from __future__ import annotations

import importlib
import zlib
from collections.abc import Callable
from typing import Any

__all__ = ["checksum", "name", "running", "sha256"]

try:
    from _blake2 import blake2b
except ImportError:  # a Python built without it: hashlib's, the same algorithm
    from hashlib import blake2b


# sha256 from the module hashlib falls back to when OpenSSL is missing: the same digests,
# without loading OpenSSL, which added 3.7 MiB to the cold check's peak memory (compared with
# the warm start's, which no longer loads it) and 3 ms to its start. Slower to hash (about
# 250 MB/s), which the cold path can afford.
def _sha256() -> Callable[..., Any]:
    for module in ("_sha256", "_sha2"):  # its name in Python 3.11; from 3.12 on
        try:
            return importlib.import_module(module).sha256
        except (ImportError, AttributeError):
            continue
    import hashlib

    return hashlib.sha256


sha256 = _sha256()


def running(data: bytes = b"") -> blake2b:
    """A running digest (`update`, `hexdigest`) of 32 hex digits."""
    return blake2b(data, digest_size=16)


def name(text: str) -> str:
    """32 hex digits naming a cache entry by what it is for."""
    return running(text.encode()).hexdigest()


def checksum(payload: bytes | memoryview) -> str:
    return f"{zlib.crc32(payload):08x}-{len(payload):x}"
