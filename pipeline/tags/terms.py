"""General knowledge of backend terms, from the word lists in ``data/``.

``glossary.txt`` lists established multi-word terms ("connection pool", "write-ahead
log") and ``products.txt`` product, tool and command names ("PostgreSQL", "etcd",
"AWS SQS"). Both were written from general knowledge of backend engineering, not from
any book. The splitter reads a multi-word entry as evidence that the words form one tag,
and a one-word product as a name that stands alone.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .grammar import is_english_word
from .lexicon import PRODUCTS
from .words import is_acronym, is_identifier, match_key


def _entries(name: str) -> list[str]:
    text = (resources.files(__package__) / "data" / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def glossary_keys() -> frozenset[str]:
    """Match keys of every multi-word term and product name."""
    entries = _entries("glossary.txt") + _entries("products.txt")
    return frozenset(match_key(e) for e in entries if len(e.split()) > 1)


@lru_cache(maxsize=1)
def product_words() -> frozenset[str]:
    """One-word product names as written ("PostgreSQL", "etcd"), built-in ones included.

    Names in capitals ("SETNX", "EC2") and names from code ("pg_stat_activity") are left
    to their shape: a command or setting after a product belongs to it ("Redis SETNX"),
    which the splitter's rules for acronyms and identifiers know.
    """
    listed = (e for e in _entries("products.txt") if len(e.split()) == 1)
    return PRODUCTS | frozenset(e for e in listed if not (is_acronym(e) or is_identifier(e)))


@lru_cache(maxsize=1)
def lowercase_products() -> frozenset[str]:
    """Products recognisable in lower case too ("kafka", "postgresql"): no English word."""
    return frozenset(p.casefold() for p in product_words()
                     if len(p) >= 4 and p.isalpha() and not is_english_word(p.casefold()))


def is_glossary_term(key: str) -> bool:
    return key in glossary_keys()
