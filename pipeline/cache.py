"""A small content-addressed cache: bytes stored under the sha256 of what produced them.

Any stage can use it: build a key from everything the result depends on (the input's
hash, the producer's version, its options) with ``cache_key`` and ``put`` the result's
bytes under it. Entries are written atomically (temp file + rename), so an interrupted
build leaves either a whole entry or none; a missing, unreadable or unwritable entry only
costs the time to recompute it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Iterable

_KEY = re.compile(r"^[0-9a-f]{64}$")


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
        """The bytes stored under ``key``, or None."""
        try:
            return self.path_for(key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> bool:
        """Store ``data`` under ``key``; False when the cache folder cannot be written."""
        target = self.path_for(key)
        temporary: str | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{key[:8]}.",
                                                 suffix=".tmp", delete=False)
            temporary = handle.name
            with handle:
                handle.write(data)
            os.replace(temporary, target)
            return True
        except OSError:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
            return False
