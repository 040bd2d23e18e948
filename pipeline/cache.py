"""A small content-addressed cache: bytes stored under the sha256 of what produced them.

Any stage can use it: build a key from everything the result depends on (the input's
hash, the producer's version, its options) with ``cache_key`` and ``put`` the result's
bytes under it. Entries are written atomically (temp file + rename), so an interrupted
build leaves either a whole entry or none; a missing, unreadable or unwritable entry only
costs the time to recompute it.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

_KEY = re.compile(r"^[0-9a-f]{64}$")


def cache_key(*parts: str | bytes | int | float | None) -> str:
    """The sha256 of ``parts``; each part is length-prefixed so ("ab", "c") != ("a", "bc")."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


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
