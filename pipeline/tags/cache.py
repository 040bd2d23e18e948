"""A small JSON cache of lemmas, so a rebuild of unchanged input never imports spaCy.

The file carries the sha256 of its own entries: a damaged or edited file (a flipped byte
that still parses) is dropped whole and the lemmas are taken again, never used.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..cache import read_regular_file
from .lemmas import lemmatizer_id

# Bump when the way lemmas are taken changes: older cache files are then ignored.
CACHE_VERSION = "tags-2"
MAX_CACHE_BYTES = 256 << 20


def _checksum(namespace: str, entries: dict[str, Any]) -> str:
    canonical = json.dumps([CACHE_VERSION, namespace, entries], ensure_ascii=False,
                           sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class TagCache:
    """Remembers values by key in one JSON file; entries of another version are dropped.

    ``namespace`` (e.g. the lemmatizer's name and version) is part of the file's identity:
    opening it under a different namespace starts empty.
    """

    def __init__(self, path: Path | str, namespace: str | None = None):
        path = Path(path)
        # A folder (e.g. build/.cache) gets its own tags.json inside.
        self.path = path if path.suffix == ".json" else path / "tags.json"
        self.namespace = lemmatizer_id() if namespace is None else namespace
        self.entries: dict[str, Any] = {}
        self.dirty = False
        self.hits = 0
        self.misses = 0
        raw = read_regular_file(self.path, MAX_CACHE_BYTES)
        try:
            data = json.loads(raw.decode("utf-8")) if raw is not None else None
        except (ValueError, RecursionError):
            return  # missing or damaged: a cache is never worth failing a build for
        if (isinstance(data, dict) and data.get("version") == CACHE_VERSION
                and data.get("namespace") == self.namespace
                and isinstance(data.get("entries"), dict)
                and all(isinstance(v, str) for v in data["entries"].values())
                and data.get("sha256") == _checksum(self.namespace, data["entries"])):
            self.entries = data["entries"]

    def get(self, key: str) -> Any | None:
        """The cached value or None."""
        value = self.entries.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        if self.entries.get(key) != value:
            self.entries[key] = value
            self.dirty = True

    def save(self) -> None:
        """Write the file if anything changed (temp file + rename: never half-written)."""
        if not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entries = dict(sorted(self.entries.items()))
        data = {"version": CACHE_VERSION, "namespace": self.namespace, "entries": entries,
                "sha256": _checksum(self.namespace, entries)}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tags-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=0, sort_keys=True)
        os.replace(tmp, self.path)
        self.dirty = False
