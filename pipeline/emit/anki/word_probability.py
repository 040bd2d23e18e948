"""English word probabilities: spaCy's fixed lexeme table (``en_lexeme_prob`` of
spacy-lookups-data, MIT licensed), read only as far as the cloze ranking needs.

The table maps a million strings to their log probability and takes 1.5 to 2 s to parse
as JSON. The cloze ranking only ever asks about words as ``english.WORD`` finds them,
lowercased (letters and digits, an optional ``++`` or ``#``): those entries (about a third)
are taken from the decompressed file with one regular expression, in a fraction of that
time, with the very same values (``tests/test_word_probability.py`` compares them with a
full parse). Any other string is looked up in the fully parsed table, so every answer is
the one the whole table gives.

The word entries are read from the table once per installation and kept, as a marshalled
dict, next to the package's bytecode (``INDEX_FOLDER``; about a fifth of the time): the
file's name carries the table's path, size and modification time and this module's format
version, so a changed table (another spacy-lookups-data) is read again. Where the folder
cannot be written, the table is read each run, as before.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import json
import marshal
import os
import re
import tempfile
from importlib import resources
from pathlib import Path

# A lowercased word as english.WORD finds it; entries of this shape are read by _ENTRY.
WORD_KEY = re.compile(r"[a-z0-9]+(?:\+\+|#)?")
# One entry of the table as the file prints it: a line `  "word":-12.3456`. A key of
# WORD_KEY's shape needs no JSON escape, so its printed form is the string itself.
_ENTRY = re.compile(rb'\n[ \t]*"([a-z0-9]+(?:\+\+|#)?)"[ \t]*:[ \t]*(-?[0-9][0-9.eE+-]*)')


# Where the word entries are kept once read (with the package's own bytecode).
INDEX_FOLDER = Path(__file__).resolve().parents[2] / "__pycache__"
# Bump when what the index holds changes.
INDEX_FORMAT = 1


def _table_path() -> Path | None:
    try:
        path = Path(str(resources.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


def _table_bytes() -> bytes:
    """The decompressed JSON (empty when spacy-lookups-data or the table is missing). Not
    kept: about 30 MB, read once for the word entries (and again only for the full table,
    which a string no word can be needs)."""
    path = _table_path()
    if path is None:
        return b""
    try:
        with gzip.open(str(path), "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def index_file(folder: Path | None = None) -> Path | None:
    """Where the word entries of the installed table are kept (None: no table)."""
    path = _table_path()
    if path is None:
        return None
    found = path.stat()
    stamp = hashlib.sha1(f"{INDEX_FORMAT}:{path}:{found.st_size}:{found.st_mtime_ns}"
                         .encode("utf-8")).hexdigest()[:16]
    return (folder or INDEX_FOLDER) / f"en_lexeme_prob.words.{stamp}.marshal"


@functools.lru_cache(maxsize=1)
def _word_entries() -> dict[bytes, bytes]:
    """The entries whose key has WORD_KEY's shape: key -> the number as printed."""
    kept = index_file()
    if kept is not None:
        try:
            entries = marshal.loads(kept.read_bytes())
            if isinstance(entries, dict):
                return entries
        except (OSError, ValueError, EOFError, TypeError):
            pass  # not there yet (or unreadable): read the table
    entries = dict(_ENTRY.findall(_table_bytes()))
    if kept is not None and entries:
        _keep(kept, marshal.dumps(entries))
    return entries


def _keep(path: Path, data: bytes) -> None:
    """Write the index whole or not at all (a temporary file renamed); a folder that cannot
    be written only means the table is read again next run."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp",
                                         delete=False) as handle:
            handle.write(data)
        os.chmod(handle.name, 0o644)  # as readable as the bytecode beside it
        os.replace(handle.name, path)
    except OSError:
        try:
            os.unlink(handle.name)
        except (OSError, UnboundLocalError):
            pass


@functools.lru_cache(maxsize=1)
def _full_table() -> dict[str, float]:
    """Every entry, parsed as JSON (asked only for a string that is no WORD_KEY)."""
    try:
        table = json.loads(_table_bytes() or b"{}")
    except ValueError:
        return {}
    return table if isinstance(table, dict) else {}


def log_probability(key: str) -> float | None:
    """The table's log probability of ``key`` (compared as given), or None when the table
    does not list it."""
    if WORD_KEY.fullmatch(key):
        found = _word_entries().get(key.encode("ascii"))
        return None if found is None else float(found)
    value = _full_table().get(key)
    return None if value is None else float(value)
