"""The reviewed word list of kinds and families (``data/families.txt``) and its lookup.

The list is written from general knowledge of backend engineering, not from any book:
under a ``[kind: family]`` header, one name per line ("Redis" under ``[technology:
cache]``, "SETNX" under ``[command: Redis command]``). A name matches a tag whatever its
case, plural -s or hyphens, except names that must keep their case: a command written in
capitals ("SET", "GET" are English words in lower case) and a one-word technology that is
an English word ("Vault", "Spring", "Temporal" match only with their capital).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .grammar import is_english_word
from .words import match_key

KINDS = ("technology", "command", "concept", "note")
LISTED_KINDS = ("technology", "command", "concept")  # the list never names a note
DATA_FILE = "families.txt"
_HEADER = re.compile(r"^\[(?P<kind>[a-z]+):\s*(?P<family>[^\]]+?)\s*\]$")


@dataclass(frozen=True, slots=True)
class Entry:
    """One name of the list: its kind and family, and the line it is on."""

    name: str
    kind: str
    family: str
    line: int


@dataclass
class FamilyList:
    """Every name of the list, found by match key (or, for names that keep their case,
    by their exact words)."""

    by_key: dict[str, list[Entry]] = field(default_factory=dict)
    by_exact: dict[str, list[Entry]] = field(default_factory=dict)
    families: dict[str, str] = field(default_factory=dict)  # family -> its kind
    spellings: dict[str, str] = field(default_factory=dict)  # casefold -> name, built on use

    def add(self, entry: Entry) -> None:
        self.families.setdefault(entry.family, entry.kind)
        if keeps_case(entry.name, entry.kind):
            table, key = self.by_exact, exact_key(entry.name)
        else:
            table, key = self.by_key, match_key(entry.name)
        found = table.setdefault(key, [])
        if all(e.family != entry.family for e in found):
            found.append(entry)

    def lookup(self, text: str) -> list[Entry]:
        """Every entry naming ``text`` (one per family; several: an ambiguous name)."""
        found = list(self.by_exact.get(exact_key(text), []))
        for entry in self.by_key.get(match_key(text), []):
            if all(e.family != entry.family for e in found):
                found.append(entry)
        return found

    def spelled(self, text: str) -> str | None:
        """The list's spelling of ``text`` if the list names it in any case, else None."""
        if not self.spellings:
            for table in (self.by_exact, self.by_key):
                for entries in table.values():
                    for entry in entries:
                        self.spellings.setdefault(entry.name.casefold(), entry.name)
        return self.spellings.get(text.casefold())

    def family_kind(self, family: str) -> str | None:
        return self.families.get(family)


def keeps_case(name: str, kind: str) -> bool:
    """Whether a name matches only as written: a name in capitals, a header, or a
    technology whose words are all English words ("Vault"; "Delayed Job" is no
    "delayed job")."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True  # "SET", "NATS", "SQS": in lower case another word, or a plural
    if "-" in name and " " not in name.strip() and any(
            c.isupper() for part in name.split("-")[1:] for c in part[:1]):
        return True  # a header: "Idempotency-Key" is not the idea "idempotency key"; a
        # phrase ("multi-AZ deployment", "Server-Sent Events") is no header and folds case
    words = name.split()
    return (kind == "technology" and all(w.isalpha() and is_english_word(w.casefold())
                                         for w in words))  # "Vault", "Delayed Job"


def exact_key(text: str) -> str:
    """Words as printed, a plural -s of the last word off ("Sidekiqs" stays as it is)."""
    words = text.split()
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and words[-1][:-1].isupper():
        words[-1] = words[-1][:-1]  # "MGETs" -> "MGET"
    return " ".join(words)


def parse_family_list(text: str, source: str = DATA_FILE) -> FamilyList:
    """Read the list's text; a malformed header raises ValueError naming the line."""
    result = FamilyList()
    kind = family = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _HEADER.match(line)
        if header:
            kind, family = header["kind"], header["family"]
            if kind not in LISTED_KINDS:
                raise ValueError(f"{source}:{number}: unknown kind {kind!r} "
                                 f"(expected one of {', '.join(LISTED_KINDS)})")
            continue
        if line.startswith("["):
            raise ValueError(f"{source}:{number}: a header reads [kind: family]")
        if kind is None or family is None:
            raise ValueError(f"{source}:{number}: a name before the first [kind: family]")
        result.add(Entry(name=line, kind=kind, family=family, line=number))
    return result


@lru_cache(maxsize=1)
def family_list() -> FamilyList:
    """The shipped list (``pipeline/tags/data/families.txt``)."""
    text = (resources.files(__package__) / "data" / DATA_FILE).read_text(encoding="utf-8")
    return parse_family_list(text)
