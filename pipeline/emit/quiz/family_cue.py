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
from types import MappingProxyType
from typing import Mapping, Sequence

from ...english import lemma
from ...tags.families import family_list
from ...tags.recognized import Lexicon
from .text import plain, words

DATA_FILE = "family_words.txt"


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


@lru_cache(maxsize=1)
def _lexicon() -> Lexicon:
    """The shipped lists' names (the Anki cards' term finder, without the corpus's tags:
    only the reviewed list says a family)."""
    return Lexicon()


@lru_cache(maxsize=1 << 14)
def named_families(text: str) -> Mapping[str, tuple[str, ...]]:
    """family -> the technologies of it the text names, found as the cards find terms
    (runs of words joined by a space, a hyphen or a slash: "Redis Pub/Sub" is a broker,
    "Redis-backed" names Redis). Only technologies count ("GET" the command says nothing),
    and a name that is part of a longer one found ("Lambda" beside "AWS Lambda") is not
    counted again."""
    found: dict[str, list[str]] = {}
    spans = [f for f in _lexicon().find(plain(text))
             if f.known.kind == "technology" and f.known.family]
    for f in spans:
        if any(g.start <= f.start and f.end <= g.end and (g.start, g.end) != (f.start, f.end)
               for g in spans):
            continue  # "Pub" inside "Redis Pub/Sub"
        family = f.known.family or ""
        if f.text.casefold() not in (n.casefold() for n in found.get(family, [])):
            found.setdefault(family, []).append(f.text)
    return MappingProxyType({
        family: tuple(n for n in names if not any(_part_of(n, m) for m in names))
        for family, names in sorted(found.items())})


def _part_of(name: str, other: str) -> bool:
    """``name`` is a run of words of the longer ``other`` ("Lambda" of "AWS Lambda")."""
    a, b = name.casefold().split(), other.casefold().split()
    return len(a) < len(b) and any(b[i:i + len(a)] == a for i in range(len(b) - len(a) + 1))


def _says(word: str, family_word: str) -> bool:
    """One printed word says one family word: the same word or lemma, an inflection
    ("Caches", "Caching", "Logging"), or an acronym inside a name ("SQL" in "NoSQL"). Not
    a shared start: "Broken" says no broker, "Correlation" nothing relational."""
    w, f = word.lower(), family_word.lower()
    if w == f or lemma(w) == lemma(f):
        return True
    if w in _inflections(f):
        return True
    return family_word.isupper() and len(family_word) >= 2 and family_word in word \
        and word != family_word


@lru_cache(maxsize=1024)
def _inflections(word: str) -> frozenset[str]:
    stems = {word, word[:-1]} if word.endswith("e") else {word, word + word[-1]}
    return frozenset(f"{stem}{ending}" for stem in stems for ending in ("s", "es", "ing", "ed"))


def says_family(option: str, family: str) -> bool:
    """The option prints a word that says the family (``_says``)."""
    said = family_words().said_by.get(family, frozenset())
    return any(_says(w, s) for w in words(plain(option)) for s in said)


def stem_families(stem: str, contrast: bool = False) -> list[tuple[str, str]]:
    """(family or subject, what in the stem names it) for every family whose word would
    cue an option: the technologies' families (in a contrast, not a family the stem names
    two members of; see ``family_cue``), then the subjects named by words."""
    named = [(family, names[0]) for family, names in named_families(stem).items()
             if not (contrast and len(names) > 1)]
    return named + list(named_subjects(stem).items())


def family_cue(stem: str, key: str, distractors: Sequence[str],
               contrast: bool = False) -> str | None:
    """What gives an option away, "PostgreSQL (relational database) / 'Database HA'", when
    the stem names a technology (or a subject by its words) and that option is the only one
    saying its family; else None. The lone option is the key's cue, or a cue pointing away
    from a distractor. In a contrast ("Kafka or RabbitMQ?", ``contrast``) a family the stem
    names two members of is no cue: the family word says nothing about which side is
    meant, and every option is about that family anyway."""
    options = (key, *distractors)
    for family, name in stem_families(stem, contrast):
        saying = [o for o in options if says_family(o, family)]
        if len(saying) == 1:
            return f"{name} ({family}) / {plain(saying[0])!r}"
    return None
