"""Words as the card checks compare them: how rare, whether a name, whether it carries
meaning, and whether two words are forms of one word.

``related`` is the cards' test of "the same word in another form" (a shared lemma, Snowball
stem or long beginning), used by the Cloze, Explain, Name and Outline checks. The quiz
compares its option texts with a test of its own, ``quiz.text.near_form``; the two have
not been merged, as each output's panels judged the one it has.
"""
from __future__ import annotations

import functools
from typing import Iterable

import snowballstemmer

from ...english import GENERIC, STOP, lemma
from .word_probability import log_probability

UNKNOWN_RARITY = 20.0  # a word the table does not know ("idempotency", "PgBouncer")


def rarity(word: str) -> float:
    """How rare a word is in English: minus its log probability (20 when unknown)."""
    found = log_probability(word.lower())
    return UNKNOWN_RARITY if found is None else -found


def is_name(word: str) -> bool:
    """An acronym, a code-like or inner-capital name, a number: "TTL", "PgBouncer", "5xx"."""
    return (any(c.isdigit() for c in word) or sum(c.isupper() for c in word) >= 2
            or (word[:1].islower() and any(c.isupper() for c in word)))


def content(word: str) -> bool:
    """A word that carries meaning (not a stop word nor a word of phrasing)."""
    if len(word) < 2 and not word.isdigit():
        return False
    return word.lower() not in STOP and lemma(word) not in STOP and lemma(word) not in GENERIC


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a word: "rotation" and "rotate" are "rotat"."""
    return _STEMMER.stemWord(word.lower())


_STEMMER = snowballstemmer.stemmer("english")


def related(word: str, others: Iterable[str]) -> bool:
    """The word is one of ``others`` in another form: the same lemma, the same Snowball
    stem ("rotation" / "rotate"), a shared beginning ("acknowledgement" / "acknowledge",
    "replica" / "replication") or inside it ("Autoescape" holds "escape")."""
    lower = word.lower()
    own = stem(lower)
    for other in others:
        if lemma(word) == other or lower == other or (len(own) >= 4 and stem(other) == own):
            return True
        short, long_ = sorted((lower, other), key=len)
        if len(short) >= 5 and (long_.startswith(short) or long_.endswith(short)):
            return True
        common = len(_common_prefix(lower, other))
        if common >= 6 and common >= min(len(lower), len(other)) - 3:
            return True
    return False


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


__all__ = ["UNKNOWN_RARITY", "content", "is_name", "rarity", "related", "stem"]
