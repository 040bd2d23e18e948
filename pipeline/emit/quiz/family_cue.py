"""The family cue: a stem that names a technology, and a key that alone says its family.

"Which idea does this example illustrate: … PostgreSQL streams to two replicas …" with
options about a database, a network, a cache and a queue is answered by matching
PostgreSQL to "Database", knowing nothing. The families come from the reviewed list of
kinds and families (``tags/data/families.txt``: PostgreSQL is a relational database);
the words that say a family from ``tags/data/family_words.txt`` (a relational database
is said by "database", "DB", "SQL", "relational"). Both are written from general
knowledge, never from the book.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ...english import lemma
from ...tags.families import family_list
from .text import near_form, plain, words

DATA_FILE = "family_words.txt"
# The longest technology name looked up, in words ("Amazon ElastiCache for Redis").
MAX_NAME_WORDS = 4
_NAME_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_-]*[A-Za-z0-9+]|[A-Za-z0-9]")


@dataclass(frozen=True)
class FamilyWords:
    """The table: the words that say each family in an option, and for subjects a stem
    names by words rather than by a technology, the stem words that name them."""

    said_by: dict[str, frozenset[str]]
    named_by: dict[str, frozenset[str]]


def parse_family_words(text: str, known_families: frozenset[str],
                       source: str = DATA_FILE) -> FamilyWords:
    """Read the table; a malformed line, an unknown family (a line without stem words must
    name a family of families.txt) or a name listed twice raises ValueError naming the
    line."""
    said: dict[str, frozenset[str]] = {}
    named: dict[str, frozenset[str]] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        family, colon, rest = line.partition(":")
        family = family.strip()
        option_part, bar, stem_part = rest.partition("|")
        found = frozenset(w.strip() for w in option_part.split(",") if w.strip())
        by_stem = frozenset(w.strip() for w in stem_part.split(",") if w.strip())
        if not colon or not found or (bar and not by_stem):
            raise ValueError(f"{source}:{number}: a line reads 'family: word, word' or "
                             f"'subject: word, word | stem word, stem word'")
        if not bar and family not in known_families:
            raise ValueError(f"{source}:{number}: {family!r} is no family of families.txt")
        if family in said:
            raise ValueError(f"{source}:{number}: {family!r} is listed twice")
        said[family] = found
        if by_stem:
            named[family] = by_stem
    return FamilyWords(said, named)


@lru_cache(maxsize=1)
def family_words() -> FamilyWords:
    """The shipped table (``pipeline/tags/data/family_words.txt``)."""
    data = resources.files("pipeline.tags") / "data" / DATA_FILE
    return parse_family_words(data.read_text(encoding="utf-8"),
                              frozenset(family_list().families))


# A message the example quotes, as a user would read it: straight double quotes around
# four words or more ('"Data is 5 minutes old" banner'; not the keys of a JSON object).
_QUOTED_MESSAGE = re.compile(r'"([^"]+)"')
QUOTED = '"quoted"'  # the stem word of the table standing for such a message


def _quotes_a_message(text: str) -> bool:
    return any(len(words(m)) >= 4 for m in _QUOTED_MESSAGE.findall(plain(text)))


def named_subjects(text: str) -> dict[str, str]:
    """subject -> the stem word naming it, for the table's subjects named by words
    ("banner", "button": the user interface); a word counts in any inflection."""
    printed = {lemma(w.lower()): w for w in words(plain(text))}
    found: dict[str, str] = {}
    for subject, stem_words in sorted(family_words().named_by.items()):
        for word in sorted(stem_words):
            if word == QUOTED:
                if _quotes_a_message(text):
                    found[subject] = "a quoted message"
                    break
            elif lemma(word.lower()) in printed:
                found[subject] = printed[lemma(word.lower())]
                break
    return found


@lru_cache(maxsize=1 << 14)
def named_families(text: str) -> dict[str, tuple[str, ...]]:
    """family -> the technologies of it the text names (runs of up to MAX_NAME_WORDS words
    looked up in the list; only technologies: "GET" the command says nothing; a name that
    is part of a longer one found, "Lambda" beside "AWS Lambda", is not counted again)."""
    tokens = _NAME_TOKEN.findall(plain(text))
    names = family_list()
    spans: list[tuple[int, int, str, str]] = []
    for first in range(len(tokens)):
        for last in range(first + 1, min(first + MAX_NAME_WORDS, len(tokens)) + 1):
            name = " ".join(tokens[first:last])
            spans += [(first, last, entry.family, name) for entry in names.lookup(name)
                      if entry.kind == "technology"]
    found: dict[str, list[str]] = {}
    for _, _, family, name in spans:
        if name.casefold() not in (n.casefold() for n in found.get(family, [])):
            found.setdefault(family, []).append(name)
    return {family: tuple(n for n in names if not any(_part_of(n, m) for m in names))
            for family, names in sorted(found.items())}


def _part_of(name: str, other: str) -> bool:
    """``name`` is a run of words of the longer ``other`` ("Lambda" of "AWS Lambda")."""
    a, b = name.casefold().split(), other.casefold().split()
    return len(a) < len(b) and any(b[i:i + len(a)] == a for i in range(len(b) - len(a) + 1))


def says_family(option: str, family: str) -> bool:
    """The option prints a word that says the family, in any near form no shorter than the
    word itself ("Caching" says "cache"; "Data" is only the start of "database")."""
    said = family_words().said_by.get(family, frozenset())
    return any(len(w) >= len(s) and near_form(w, s) for w in words(plain(option)) for s in said)


def family_cue(stem: str, key: str, distractors: tuple[str, ...] | list[str]) -> str | None:
    """What gives the key away, "PostgreSQL (relational database) / 'Database HA'", when
    the stem names a technology and the key is the only option saying its family; else
    None. A distractor saying the family too, or the key not saying it, is no cue; nor is
    a family the stem names two members of ("Kafka or RabbitMQ?"): the family word then
    says nothing about which one is meant, and every option is on that family anyway."""
    for family, named in named_families(stem).items():
        if len(named) == 1 and says_family(key, family) and \
                not any(says_family(d, family) for d in distractors):
            return f"{named[0]} ({family}) / {plain(key)!r}"
    for subject, word in named_subjects(stem).items():
        if says_family(key, subject) and not any(says_family(d, subject) for d in distractors):
            return f"{word} ({subject}) / {plain(key)!r}"
    return None
