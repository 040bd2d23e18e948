"""General knowledge of backend terms, from the word lists in ``data/``.

``glossary.txt`` lists established multi-word terms ("connection pool", "write-ahead
log") and ``products.txt`` product, tool and command names ("PostgreSQL", "etcd",
"AWS SQS"). Both were written from general knowledge of backend engineering, not from
any book. The splitter reads a multi-word entry as evidence that the words form one tag,
and a one-word product as a name that stands alone.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..kept import kept
from .grammar import is_english_word
from .lexicon import PRODUCTS
from .words import is_acronym, is_identifier, match_key


def data_lines(name: str) -> list[str]:
    """The entries of one shipped word list (``pipeline/tags/data/NAME``): its lines,
    stripped, without blank lines and ``#`` comments."""
    text = (resources.files(__package__) / "data" / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[frozenset[str], ...]:
    """Groups of words that say one another (``data/synonyms.txt``, one group per line)."""
    return tuple(frozenset(line.split()) for line in data_lines("synonyms.txt"))


@lru_cache(maxsize=1)
def field_synonym_groups() -> tuple[frozenset[str], ...]:
    """Groups of the field's words that say one another (``data/field_synonyms.txt``: one
    group per line, a ``#`` after the words says why)."""
    return tuple(frozenset(line.split("#", 1)[0].split())
                 for line in data_lines("field_synonyms.txt"))


@lru_cache(maxsize=1)
def glossary_keys() -> frozenset[str]:
    """Match keys of every multi-word term and product name (made once per installation,
    ``kept.py``: the lists and ``match_key`` are part of the code it is kept for)."""
    def make() -> frozenset[str]:
        entries = data_lines("glossary.txt") + data_lines("products.txt")
        return frozenset(match_key(e) for e in entries if len(e.split()) > 1)

    return kept("glossary_keys", make)


@lru_cache(maxsize=1)
def product_words() -> frozenset[str]:
    """One-word product names as written ("PostgreSQL", "etcd"), built-in ones included.

    Names in capitals ("SETNX", "EC2") and names from code ("pg_stat_activity") are left
    to their shape: a command or setting after a product belongs to it ("Redis SETNX"),
    which the splitter's rules for acronyms and identifiers know.
    """
    listed = (e for e in data_lines("products.txt") if len(e.split()) == 1)
    return PRODUCTS | frozenset(e for e in listed if not (is_acronym(e) or is_identifier(e)))


@lru_cache(maxsize=1)
def lowercase_products() -> frozenset[str]:
    """Products recognisable in lower case too ("kafka", "postgresql"): no English word."""
    return frozenset(p.casefold() for p in product_words()
                     if len(p) >= 4 and p.isalpha() and not is_english_word(p.casefold()))


@lru_cache(maxsize=1)
def concept_words() -> frozenset[str]:
    """One-word names of techniques, practices and properties (``data/concept_words.txt``:
    "caching", "durability"), folded as the splitter folds a word."""
    from .words import fold_word

    return frozenset(fold_word(line) for line in data_lines("concept_words.txt"))


def is_glossary_term(key: str) -> bool:
    return key in glossary_keys()


@dataclass(frozen=True)
class TermWords:
    """How the words of multi-word terms (glossary and products) sit in them."""

    pairs: frozenset[tuple[str, str]]  # folded words side by side in some term
    before: Counter  # folded word -> terms where another word follows it
    last: Counter  # folded word -> terms it ends
    first: Counter  # folded word -> terms it starts

    def modifier_odds(self, word: str) -> float:
        """Log-odds that ``word`` is followed by another word of its term rather than
        ending it ("connection" pool, "disk" storage: positive; "durability": negative)."""
        return math.log((self.before.get(word, 0) + 0.5) / (self.last.get(word, 0) + 0.5))

    def head_odds(self, word: str) -> float:
        """Log-odds that ``word`` ends a term rather than starting it ("pool": positive)."""
        return math.log((self.last.get(word, 0) + 0.5) / (self.first.get(word, 0) + 0.5))


@lru_cache(maxsize=1)
def term_words() -> TermWords:
    pairs: set[tuple[str, str]] = set()
    before: Counter = Counter()
    last: Counter = Counter()
    first: Counter = Counter()
    for entry in data_lines("glossary.txt") + data_lines("products.txt"):
        words = match_key(entry).split()
        if len(words) < 2:
            continue
        pairs.update(zip(words, words[1:]))
        before.update(set(words[:-1]))
        last[words[-1]] += 1
        first[words[0]] += 1
    return TermWords(frozenset(pairs), before, last, first)
