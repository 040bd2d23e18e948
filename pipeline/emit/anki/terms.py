"""What a card may ask about: point titles that are recognized terms, asides in parentheses,
acronyms and their expansions, and words that define each other.

The recognized terms themselves (the general-knowledge word lists and the corpus's
classified tags) are ``pipeline/tags/recognized.py``, shared with the quiz.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...tags.recognized import TOKEN, Known, Lexicon, initials
from ...tags.terms import field_synonym_groups, synonym_groups

# Words that define each other: the front prints one, the blank or the back says the other.
# The field's own synonyms (``pipeline/tags/data/field_synonyms.txt``) and plain English
# ones (``synonyms.txt``).
NEAR = (*field_synonym_groups(), *synonym_groups())


_PARENTHESIS = re.compile(r"^(?P<name>.*?)\s*\((?P<aside>[^()]*)\)\s*$")
# Words that only say what sort of thing a name is: "Bulkhead Pattern" names "Bulkhead".
_SORT_WORDS = ("pattern", "algorithm", "strategy", "technique", "approach")


@dataclass(frozen=True, slots=True)
class TitleTerm:
    """A point title that is a recognized term: the name to recall, what it is, and the
    title's aside in parentheses when that is no part of the name ("Default in X")."""

    name: str
    known: Known
    aside: str = ""


def is_expansion(short: str, long_: str) -> bool:
    """One is the acronym of the other: "AOF" / "Append-Only File", "2PC" / "Two-Phase
    Commit", "CQRS" / "Command Query Responsibility Segregation"."""
    tokens = [t.group(0) for t in TOKEN.finditer(long_)]
    acronym = short.replace(" ", "")
    if not acronym or not tokens or not any(c.isupper() for c in acronym):
        return False
    heads = initials([p for t in tokens for p in re.split(r"[-]", t) if p])
    return acronym.lower() in (heads, initials(tokens)) or (
        acronym[0].isdigit() and acronym[1:].lower() == heads[1:])


def split_aside(title: str) -> tuple[str, str]:
    """(the title without a trailing aside in parentheses, the aside); an acronym and its
    expansion stay together ("AOF (Append-Only File)" has no aside)."""
    found = _PARENTHESIS.match(title.strip())
    if not found or not found["name"]:
        return title.strip(), ""
    name, aside = found["name"].strip(), found["aside"].strip()
    if is_expansion(aside, name) or is_expansion(name, aside):
        return title.strip(), ""
    return name, aside


def title_term(title: str, lexicon: Lexicon) -> TitleTerm | None:
    """The title as a recognized term, or None (a heading, a claim, an instruction...).

    Tried as printed, without its aside ("Read Committed (Default in PostgreSQL)"), either
    half of an acronym and its expansion, and without a last word that only names the sort
    of thing ("Semaphore Pattern")."""
    name, aside = split_aside(title)
    tries = [title.strip(), name]
    expanded = _PARENTHESIS.match(title.strip())
    if expanded and not aside:
        tries += [expanded["name"].strip(), expanded["aside"].strip()]
    words = name.split()
    if len(words) > 1 and words[-1].lower() in _SORT_WORDS:
        tries.append(" ".join(words[:-1]))
    for phrase in tries:
        known = lexicon.lookup(phrase) if phrase else None
        if known is not None:
            return TitleTerm(name, known, aside)
    purpose = _PURPOSE.match(name)
    # "for RBAC" names the system the thing is for, not its purpose: "Database Schema for
    # RBAC" is a design's heading, no term
    if purpose and not aside and not _ACRONYMS_ONLY.match(purpose["purpose"]):
        # "Virtual Nodes for Even Distribution": the name, then what it is for (the back
        # prints that as its aside)
        found = title_term(purpose["name"], lexicon)
        if found is not None and not found.aside:
            return TitleTerm(found.name, found.known, purpose["purpose"])
    return None


# A title that names a term, then what it is for: "Prefetch Count for Flow Control".
_PURPOSE = re.compile(r"^(?P<name>\S.*?\S)\s+(?P<purpose>for\s+\S.*)$")
_ACRONYMS_ONLY = re.compile(r"^for(?:\s+[A-Z][A-Z0-9]+s?)+$")
