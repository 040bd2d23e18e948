"""Recognized backend terms: the names general knowledge of backend engineering gives,
found in a text.

A term is recognized when general knowledge names it, never because the book prints it
often:

- the word lists of ``pipeline/tags/data/`` (written from general knowledge, not from any
  book): ``glossary.txt`` (multi-word terms: "connection pool", "write-ahead log"),
  ``products.txt`` (products, tools, commands: "PostgreSQL", "SETNX") and
  ``families.txt`` (techniques, algorithms, commands, products by family: "token bucket",
  a rate limiting algorithm; "Read Committed", an isolation level);
- the corpus's own tags that the tag stage classified from those lists or by shape: a
  technology, a command, or a concept with a family (``pipeline/tags/kinds.py``).

Matching folds case, plural -s and hyphens ("Connection pools", "connection-pool"), except
for names that keep their case (``families.keeps_case``: "SET" is no "set", "Vault" no
"vault"); those match only as printed.

The Anki cards ask about these terms (what a Cloze may blank, what a Name card may ask
for) and the quiz reads them to see which technology a stem names (``quiz.family_cue``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from ..english import lemma
from ..models import Tag
from .families import exact_key, family_list, keeps_case
from .terms import data_lines
from .words import match_key

# A word of a term: "N+1", "HTTP/2", "enable.auto.commit" and "C++" stay one word.
TOKEN = re.compile(r"[A-Za-z0-9]+(?:[+.][A-Za-z0-9]+)*(?:/[0-9](?:\.[0-9])?)?(?:\+\+|#)?")
MAX_WORDS = 5

@dataclass(frozen=True, slots=True)
class Known:
    """What a recognized term is: where it is listed, its family if the lists give one."""

    source: str  # "glossary", "product", "family" or "tag"
    kind: str  # "term", "technology", "command" or "concept"
    family: str | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """A recognized term printed in a text (plain-text offsets)."""

    start: int
    end: int
    text: str
    known: Known
    words: tuple[str, ...]


class Lexicon:
    """Every recognized term, by match key (or by its exact words for names that keep
    their case)."""

    def __init__(self, tags: Sequence[Tag] = ()):
        self._folded: dict[str, Known] = {}
        self._exact: dict[str, Known] = {}
        self._modifiers: dict[str, set[str]] | None = None
        # find() is asked about the same texts many times (each point's fields, by every
        # card kind and refusal reason): its answer depends on the text only.
        self._found: dict[str, tuple[Found, ...]] = {}
        # Family names ("wide-column store"): a class whose listed members all fit a blank.
        self.families: set[str] = {match_key(f) for f in family_list().families}
        self.families |= {match_key(tag.family) for tag in tags if tag.family}
        base = _base_entries()
        for name, known in base:
            self._add(name, known)
        for tag in tags:
            if tag.kind == "technology" or (tag.kind == "concept" and tag.family):
                known = Known("tag", tag.kind, tag.family)
            elif tag.kind == "command":
                known = Known("tag", "command", tag.family)
            else:
                continue
            for form in dict.fromkeys((tag.label, *tag.forms)):
                self._add(form, known)

    def _add(self, name: str, known: Known) -> None:
        if keeps_case(name, "concept" if known.kind == "term" else known.kind):
            self._exact.setdefault(exact_key(name), known)
        else:
            key = match_key(name)
            if key:
                self._folded.setdefault(key, known)

    def spelled_by(self, printed: Iterable[str]) -> frozenset[str]:
        """Acronyms (lower case) of listed multi-word terms with a modifying word among
        ``printed`` (lemmas): "continuous" spells out the "c" of CI and CD ("continuous
        integration", "continuous delivery"). The head word only says what sort of
        thing it is ("protocol" of UDP) and gives nothing away."""
        if self._modifiers is None:
            index: dict[str, set[str]] = {}
            for key in self._folded:
                parts = [w for w in re.split(r"[ -]", key) if w]
                if len(parts) < 2:
                    continue
                for word in parts[:-1]:
                    index.setdefault(lemma(word), set()).add(initials(parts))
            self._modifiers = index
        return frozenset(a for word in printed for a in self._modifiers.get(word, ()))

    def lookup(self, phrase: str) -> Known | None:
        """What the phrase is, if it is a recognized term as printed."""
        return self._exact.get(exact_key(phrase)) or self._folded.get(match_key(phrase))

    def find(self, text: str) -> list[Found]:
        """Every recognized term in the text: runs of up to five words joined by a space,
        a hyphen or a slash, each one as printed (overlapping runs included)."""
        if text not in self._found:
            self._found[text] = tuple(self._find(text))
        return list(self._found[text])

    def _find(self, text: str) -> list[Found]:
        tokens = list(TOKEN.finditer(text))
        found: list[Found] = []
        for first in range(len(tokens)):
            for last in range(first, min(first + MAX_WORDS, len(tokens))):
                if last > first and text[tokens[last - 1].end():tokens[last].start()] \
                        not in (" ", "-", "/"):
                    break
                start, end = tokens[first].start(), tokens[last].end()
                known = self.lookup(text[start:end])
                if known is not None:
                    found.append(Found(start, end, text[start:end], known,
                                       tuple(t.group(0) for t in tokens[first:last + 1])))
        return found


@lru_cache(maxsize=1)
def _base_entries() -> tuple[tuple[str, Known], ...]:
    """The shipped lists' names: families first (they know the family), then the rest."""
    entries: list[tuple[str, Known]] = []
    names = family_list()
    for table in (names.by_exact, names.by_key):
        for listed in table.values():
            entry = listed[0]
            family = entry.family if len(listed) == 1 else None
            entries.append((entry.name, Known("family", entry.kind, family)))
    entries += [(name, Known("glossary", "term")) for name in data_lines("glossary.txt")]
    entries += [(name, Known("product", "technology")) for name in data_lines("products.txt")]
    return tuple(entries)


def initials(words: Sequence[str]) -> str:
    return "".join(w[0].lower() for w in words if w)
