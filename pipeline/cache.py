"""A small content-addressed cache: bytes stored under the sha256 of what produced them.

Any stage can use it: build a key from everything the result depends on (the input's
hash, the producer's version, its options) with ``cache_key`` and ``put`` the result's
bytes under it. Entries are written atomically (temp file + rename), so an interrupted
build leaves either a whole entry or none; a missing, unreadable or unwritable entry only
costs the time to recompute it.

A cache folder may come from anywhere (a shared or downloaded ``build/``), so nothing in it
is trusted: each entry is framed as ``MAGIC``, the frame version and the sha256 of its key
and payload, and ``get`` returns the payload only when all three check out. Only regular
files are read (a FIFO or a device planted in the folder cannot block a build), and never
more than ``MAX_ENTRY_BYTES``. Callers decode payloads with parsers that cannot run code
(JSON, msgspec): see ``incremental.py``.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import Any, Iterable

from .files import write_whole

_KEY = re.compile(r"^[0-9a-f]{64}$")
MAGIC = b"drillbook-cache\n"
FRAME_VERSION = b"\x02"
_HEADER = len(MAGIC) + len(FRAME_VERSION) + 32
MAX_ENTRY_BYTES = 1 << 30  # no stage result of a book comes near this


def _entry_digest(key: str, payload: bytes) -> bytes:
    # The key is part of the digest: an entry copied under another key is a miss too.
    return hashlib.sha256(key.encode("ascii") + b"\0" + payload).digest()


def frame(key: str, payload: bytes) -> bytes:
    """An entry as stored: magic, frame version, checksum of key and payload, payload."""
    return MAGIC + FRAME_VERSION + _entry_digest(key, payload) + payload


def unframe(key: str, data: bytes) -> bytes | None:
    """The payload of a stored entry, or None when anything about it does not check out."""
    if (len(data) < _HEADER or not data.startswith(MAGIC + FRAME_VERSION)):
        return None
    payload = data[_HEADER:]
    if data[len(MAGIC) + len(FRAME_VERSION):_HEADER] != _entry_digest(key, payload):
        return None
    return payload


def read_regular_file(path: Path, limit: int = MAX_ENTRY_BYTES) -> bytes | None:
    """A regular file's bytes (at most ``limit``), or None for anything else.

    Opened without blocking and without following a final symlink, then checked with
    fstat, so a FIFO, a device or a link planted where a cache file should be is ignored
    instead of hanging or feeding the build endless bytes.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _sha256_of_chunks(chunks: Iterable[bytes]) -> str:
    # Each chunk is length-prefixed so ("ab", "c") and ("a", "bc") hash differently.
    digest = hashlib.sha256()
    for data in chunks:
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def cache_key(*parts: str | bytes | int | float | None) -> str:
    """The sha256 of ``parts`` (bytes as they are, anything else by its repr)."""
    return _sha256_of_chunks(part if isinstance(part, bytes) else repr(part).encode("utf-8")
                             for part in parts)


def hash_parts(parts: Iterable[Any]) -> str:
    """The sha256 of JSON-able parts; bytes as they are, a Path by its file's content."""
    def chunk(part: Any) -> bytes:
        if isinstance(part, bytes):
            return part
        if isinstance(part, Path):
            return part.read_bytes() if part.is_file() else b"<missing>"
        return json.dumps(part, sort_keys=True, default=str).encode()

    return _sha256_of_chunks(chunk(part) for part in parts)


class Cache:
    """Bytes by key under ``root`` (for a build: ``build/.cache``)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def path_for(self, key: str) -> Path:
        """Where an entry lives: two-level fan-out keeps folders small."""
        if not _KEY.match(key):
            raise ValueError(f"cache keys are sha256 hex digests, got {key!r}")
        return self.root / key[:2] / key

    def get(self, key: str) -> bytes | None:
        """The bytes stored under ``key``, or None (missing, damaged or not ours)."""
        data = read_regular_file(self.path_for(key))
        return unframe(key, data) if data is not None else None

    def put(self, key: str, data: bytes) -> bool:
        """Store ``data`` under ``key``; False when the cache folder cannot be written."""
        target = self.path_for(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_whole(target, frame(key, data), prefix=f".{key[:8]}.")
            return True
        except OSError:
            return False
