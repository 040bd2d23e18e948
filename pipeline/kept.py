"""What a run works out from the installed package alone, kept next to the package's bytecode.

Some of drillbook's lookups are made from its own word lists and from the data files of
installed packages, never from a book: the glossary's match keys, WordNet's parts of
speech and spaCy's lemma table (spacy-lookups-data), the word-probability table's word
entries. Every run used to make them again (a few tenths of a second of every build).
``kept(name, make, depends)`` makes one once per installation and keeps it, marshalled,
in ``pipeline/__pycache__/kept/``, where Python keeps the package's own bytecode:

- the file's name carries a hash of drillbook's code and word lists (``code_hash``, so a
  change of the code that makes it, or of a list, makes it again), of the marshal format
  and Python version, of ``FORMAT``, and of each file in ``depends`` (its path, size and
  modification time: another version of spacy-lookups-data is read again);
- it is written whole or not at all (a temporary file renamed), replacing the file kept
  by another version of the code, and a file that cannot be read back is made again;
  where the folder cannot be written, every run makes it, with the same result. Only
  plain values are kept (what ``marshal`` writes: str, bytes, numbers, tuples, lists,
  dicts, sets and frozensets of them).

Like the bytecode beside it, a kept file is as trusted as the package; the build cache
under an output folder, which may come from elsewhere, never holds anything like it.
"""
from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path
from typing import Callable, Sequence, TypeVar

from .files import write_whole

T = TypeVar("T")

KEPT_FOLDER = Path(__file__).resolve().parent / "__pycache__" / "kept"
FORMAT = 1  # bump when what a kept file holds changes in a way code_hash would miss


def kept(name: str, make: Callable[[], T], depends: Sequence[Path] = (),
         folder: Path | None = None) -> T:
    """``make()``, read from its kept file when one matches, else made and kept."""
    path = kept_file(name, depends, folder)
    try:
        found: T = marshal.loads(path.read_bytes())
        return found
    except (OSError, ValueError, EOFError, TypeError):
        pass  # not kept yet, or unreadable: make it
    value = make()
    try:
        data = marshal.dumps(value)  # type: ignore[arg-type]  # T is any plain value
    except ValueError:
        return value  # not a plain value: nothing to keep
    if _write_whole(path, data):
        _drop_others(name, path)
    return value


def _drop_others(name: str, current: Path) -> None:
    """Remove the files kept for ``name`` by other versions of the code (one per edit of
    it, during development), so the folder holds one of each."""
    for other in current.parent.glob(f"{name}.*.marshal"):
        if other != current:
            try:
                other.unlink()
            except OSError:
                pass


def kept_file(name: str, depends: Sequence[Path] = (), folder: Path | None = None) -> Path:
    """Where ``kept(name, ...)`` keeps its value for this code and these files."""
    from .incremental import code_hash

    digest = hashlib.sha256(f"{FORMAT}:{name}:{marshal.version}:{sys.version_info[:2]}:"
                            f"{code_hash()}".encode("utf-8"))
    for dependency in depends:
        try:
            found = dependency.stat()
            digest.update(f":{dependency}:{found.st_size}:{found.st_mtime_ns}".encode("utf-8"))
        except OSError:
            digest.update(f":{dependency}:missing".encode("utf-8"))
    return (folder or KEPT_FOLDER) / f"{name}.{digest.hexdigest()[:20]}.marshal"


def _write_whole(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` whole or not at all (True: written); a folder that cannot
    be written only means the value is made again next run."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_whole(path, data, prefix=path.name, mode=0o644)  # as readable as the bytecode
        return True
    except OSError:
        return False
