"""English word probabilities: spaCy's fixed lexeme table (``en_lexeme_prob`` of
spacy-lookups-data, MIT licensed), read only as far as the cloze ranking needs.

The table maps a million strings to their log probability and takes 1.5 to 2 s to parse
as JSON. The cloze ranking only ever asks about words as ``english.WORD`` finds them,
lowercased (letters and digits, an optional ``++`` or ``#``): those entries (about a third)
are taken from the decompressed file with one regular expression, in a fraction of that
time, with the very same values (``tests/test_word_probability.py`` compares them with a
full parse). Any other string is looked up in the fully parsed table, so every answer is
the one the whole table gives.

The word entries are read from the table once per installation and kept next to the
package's bytecode (``pipeline/kept.py``: reading them back takes about a fifth of the
time); another table (another spacy-lookups-data) is read again.
"""
from __future__ import annotations

import functools
import gzip
import json
import re

from ...english import lookups_file
from ...kept import kept

# A lowercased word as english.WORD finds it; entries of this shape are read by _ENTRY.
WORD_KEY = re.compile(r"[a-z0-9]+(?:\+\+|#)?")
# One entry of the table as the file prints it: a line `  "word":-12.3456`. A key of
# WORD_KEY's shape needs no JSON escape, so its printed form is the string itself.
_ENTRY = re.compile(rb'\n[ \t]*"([a-z0-9]+(?:\+\+|#)?)"[ \t]*:[ \t]*(-?[0-9][0-9.eE+-]*)')


def _table_bytes() -> bytes:
    """The decompressed JSON (empty when spacy-lookups-data or the table is missing). Not
    kept: about 30 MB, read once for the word entries (and again only for the full table,
    which a string no word can be needs)."""
    path = lookups_file("en_lexeme_prob.json.gz")
    if path is None:
        return b""
    try:
        with gzip.open(str(path), "rb") as handle:
            return handle.read()
    except OSError:
        return b""


@functools.lru_cache(maxsize=1)
def _word_entries() -> dict[bytes, bytes]:
    """The entries whose key has WORD_KEY's shape: key -> the number as printed (read
    once per installation, ``pipeline/kept.py``)."""
    path = lookups_file("en_lexeme_prob.json.gz")
    if path is None:
        return {}
    return kept("en_lexeme_prob_words", lambda: dict(_ENTRY.findall(_table_bytes())),
                depends=[path])


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
