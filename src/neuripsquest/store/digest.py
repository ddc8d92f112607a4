"""Digests for the caches, without hashlib: importing hashlib starts OpenSSL, about 3 ms of
every start of the game, which then hashed only a few names and one checksum with it.

- `Digest` (blake2b, the very type hashlib hands out) names cache entries and stamps the code
  that wrote them: 128 bits, so no two world folders share an entry;
- `checksum` tells a damaged entry (torn, truncated, a flipped bit) from a whole one: CRC-32
  with the length, at memory speed (a 10,000-scene world's entry is 10 MB: 2.4 ms against
  sha256's 9 ms). It is no defence against a hostile writer, who could write a matching
  checksum as easily as a matching sha256; the reader's own checks of what it reads are.

What leaves the cache keeps sha256 (a world's fingerprint, which saves record; a
translation's `from:` hash): those are made on the cold path, where hashlib's start does not
show."""

from __future__ import annotations

import zlib

try:
    from _blake2 import blake2b
except ImportError:  # a Python built without it: hashlib's, the same algorithm
    from hashlib import blake2b


def Digest(data: bytes = b"") -> blake2b:  # noqa: N802  # stands for the type it makes
    """A running digest (`update`, `hexdigest`) of 32 hex digits."""
    return blake2b(data, digest_size=16)


def name(text: str) -> str:
    """32 hex digits naming a cache entry by what it is for."""
    return blake2b(text.encode(), digest_size=16).hexdigest()


def checksum(payload: bytes | memoryview) -> str:
    return f"{zlib.crc32(payload):08x}-{len(payload):x}"
