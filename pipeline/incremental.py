"""Incremental builds: skip work whose inputs and code have not changed.

Two levels, both under ``<out>/.cache``:

- a build stamp: the hash of everything a build reads (each source's content, the
  settings, the tag aliases and overrides, user templates) plus the code's own hash.
  When it matches and every output (the previous corpus and Anki manifest among them) is
  still as written, the build is up to date and does nothing else: no PDF parse, no spaCy
  import.
- per-source segment results, keyed by the source's content hash, the reader version and
  the code hash, so a change to one source re-reads and re-segments only that source.

Nothing here is ever unpickled. Stage results are records of ``models.py`` (dataclasses)
written as msgpack by msgspec and read back against their declared type, so a cache entry
can only ever become those records, never code; every entry is also checksummed (see
``cache.py``). An entry that does not decode, or decodes to the wrong shape, is a miss: the
stage runs again and the entry is rewritten.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, TypeVar

import msgspec

from .cache import Cache, cache_key, hash_parts, read_regular_file

T = TypeVar("T")
# Bump when the layout of a cached stage result changes in a way the code hash would miss.
RESULT_SCHEMA = "stage-result-1"

PACKAGE = Path(__file__).resolve().parent
STAMP_KEY = cache_key("drillbook build stamp")


@lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of drillbook's own code and default templates: a code change invalidates caches."""
    digest = hashlib.sha256()
    roots = [PACKAGE, PACKAGE / "templates"]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in {".py", ".json", ".html", ".css", ".xml",
                                                  ".txt", ".j2", ".gift", ".toml",
                                                  ".js", ".md"}:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def hash_folder(folder: Path | None) -> str:
    """The hash of every file's name and content under ``folder`` ("-" when there is none)."""
    if folder is None or not folder.is_dir():
        return "-"
    return hash_parts([(str(p.relative_to(folder)), p.read_bytes())
                       for p in sorted(folder.rglob("*")) if p.is_file()])


class BuildCache:
    """The cache folder of one output folder."""

    def __init__(self, out_dir: Path, enabled: bool = True):
        self.root = out_dir / ".cache"
        self.enabled = enabled
        self.store_ = Cache(self.root)

    # ----- build stamp ----------------------------------------------------------------------

    def is_up_to_date(self, stamp: str, out_dir: Path) -> bool:
        """True when the last build had this stamp and its outputs are untouched."""
        if not self.enabled:
            return False
        try:
            recorded = json.loads(self.store_.get(STAMP_KEY) or b"")
        except ValueError:
            return False
        if not isinstance(recorded, dict) or recorded.get("stamp") != stamp:
            return False
        outputs = recorded.get("outputs")
        if not isinstance(outputs, dict):
            return False
        for name, sha in outputs.items():
            data = read_regular_file(out_dir / name) if isinstance(name, str) else None
            if data is None or hashlib.sha256(data).hexdigest() != sha:
                return False
        return True

    def record(self, stamp: str, files: Mapping[str, bytes]) -> None:
        """Remember the stamp and the hash of every output just written."""
        outputs = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}
        self.store_.put(STAMP_KEY, json.dumps({"stamp": stamp, "outputs": outputs}).encode())

    # ----- stage results --------------------------------------------------------------------
    def load(self, key: str, kind: type[T]) -> T | None:
        """The stage result of type ``kind`` stored under ``key`` (see ``hash_parts``), or
        None when there is none or it is damaged, of another schema or of another shape."""
        data = self.store_.get(key) if self.enabled else None
        if data is None:
            return None
        try:
            schema, value = msgspec.msgpack.decode(data, type=tuple[str, kind])  # type: ignore[valid-type]
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError,
                RecursionError):
            return None  # recomputed and rewritten
        return value if schema == RESULT_SCHEMA else None

    def store(self, key: str, value: Any) -> None:
        if self.enabled:
            self.store_.put(key, msgspec.msgpack.encode((RESULT_SCHEMA, value)))
