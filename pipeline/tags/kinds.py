"""What a tag names: its kind (technology, command, concept, note) and its family.

Decided in this order, and the first rule that applies wins:

1. the curator's ``tags.toml`` (``[kinds]``, ``[families]``);
2. the reviewed list ``data/families.txt``: the whole tag ("Memcached": technology, cache),
   the tag without its vendor ("AWS ALB": ALB), or a listed technology followed by more
   words: a listed command of it ("Redis SETNX": command, Redis command), a named part
   ("Redis Cluster": technology, cache), a code name ("HikariCP validationQuery": command),
   or ordinary words ("Kafka transactions": a concept about Kafka);
3. the tag's shape: a run of SQL keywords (command, SQL statement or clause), an HTTP
   status code, an ``X-`` header, a name from code (command, family unknown), a sentence
   fragment (note), a name the book capitalises (technology, family unknown);
4. otherwise a concept.

A name the list files under two families ("GET": Redis command and HTTP method) takes
the family its neighbours point to (the other tags of the points that print it); with
no such evidence its family stays unknown. Unknown stays unknown: nothing is guessed
from a name's sound. See ``TagKinds`` for the small API other stages use.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .families import KINDS, Entry, FamilyList, family_list
from .grammar import ADVERB, MODIFIER, NOUN, VERB_S, third_person_verb, word_class
from .lexicon import AUXILIARIES, CLAUSE_CONJUNCTIONS, CONCEPT_ACRONYMS, SQL_KEYWORDS, VENDORS
from .terms import concept_words
from .words import fold_word, is_acronym, is_identifier

SQL_STATEMENTS = frozenset("""
SELECT INSERT UPDATE DELETE MERGE UPSERT CREATE DROP ALTER TRUNCATE EXPLAIN ANALYZE VACUUM
BEGIN COMMIT ROLLBACK SAVEPOINT GRANT REVOKE REINDEX OPTIMIZE
""".split())
# Words that judge rather than name: a tag of nothing but these and other describing
# words is a remark ("simple", "rarely used", "more accurate"), not a concept.
EVALUATIVE = frozenset("""
simple simpler simplest complex complicated easy easier hard harder fast faster fastest slow
slower slowest cheap cheaper expensive costly flexible accurate inaccurate efficient
inefficient reliable unreliable robust safe safer unsafe good better best bad worse worst
limited useful common rare rarely popular standard typical typically optional required
recommended possible impossible necessary important acceptable unacceptable risky
predictable unpredictable quick quicker heavy lightweight powerful weak strong stronger
often usually always never sometimes more most less least very
""".split())
NOTE_OPENERS = frozenset("no not never don't doesn't can't cannot without".split())
# Verbs that open an instruction or a claim ("avoid hotspots", "reduce latency"): a tag
# that starts with one is a note. Verbs that also name a thing ("retry budget", "write
# model", "cache layer") are left out on purpose.
NOTE_VERBS = frozenset("""
avoid prevent reduce eliminate choose prefer maintain identify protect ensure enable allow
minimize maximize keep let sanitize diagnose optimize measure improve increase decrease
simplify support provide require need help skip balance give guarantee handle detect
""".split())
# Words after a command that say what it is ("Cache-Control headers"): the same command.
COMMAND_HEADS = frozenset("""
header headers command commands directive directives statement statements clause clauses
setting settings option options flag flags parameter parameters call calls operation
operations function functions keyword keywords config configuration
""".split())
# Families whose named parts are other things ("Java Flight Recorder" is no language).
PLATFORM_FAMILIES = frozenset({"programming language", "runtime"})
_NUMBER = re.compile(r"^[~<>≈+]?\d[\d,.]*(?:[-–/]\d[\d,.]*)?(?:%|x|k|ms|s|m|h|gb|mb|kb)?$",
                     re.IGNORECASE)
_STATUS = re.compile(r"^(?:HTTP )?[1-5]\d\d(?: [A-Z][A-Za-z-]*)*$")
_CUSTOM_HEADER = re.compile(r"^X-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
_LOWER_CAMEL = re.compile(r"^[a-z]+[A-Z][A-Za-z0-9]*$")


@dataclass(frozen=True, slots=True)
class TagKind:
    """A tag's kind and family, the technology it names or is about, and why."""

    kind: str
    family: str | None = None
    technology: str | None = None
    reason: str = ""
    candidates: tuple[str, ...] = ()  # families an ambiguous name may belong to


def reads_as_note(words: list[str]) -> str | None:
    """Why the words read as a remark rather than a name (None: they do not)."""
    lower = [w.casefold().strip(".,;:!?") for w in words]
    if not lower:
        return None
    if any(w in AUXILIARIES or w in CLAUSE_CONJUNCTIONS for w in lower[1:]):
        return "a verb or conjunction makes it a sentence"
    if lower[0] in NOTE_OPENERS or "than" in lower:
        return "a negation or comparison"
    if len(words) > 1 and (lower[0] in NOTE_VERBS or word_class(lower[0]) == VERB_S):
        return "it opens with a verb"
    for k, word in enumerate(words[1:], 1):
        third = third_person_verb(word)
        subject = word_class(lower[k - 1]) == NOUN and not lower[k - 1].endswith("s")
        if subject and third and k + 1 < len(words):
            return "a subject and its verb"  # "token bucket allows", "mulch keeps weeds"
    if any(_NUMBER.match(w) and not (k and _is_name(words[k - 1]))
           for k, w in enumerate(words)):
        return "it states a number"  # not "RFC 8594", "HTTP 429"
    described = all(w in EVALUATIVE or word_class(w) in (MODIFIER, ADVERB) for w in lower)
    if described and any(w in EVALUATIVE for w in lower) and not lower[-1].endswith("ing"):
        return "it only describes"
    return None


def _is_name(word: str) -> bool:
    return is_acronym(word) or word[:1].isupper()


def _family_of(entries: list[Entry]) -> tuple[str | None, tuple[str, ...]]:
    families = tuple(sorted({e.family for e in entries}))
    return (families[0] if len(families) == 1 else None), families


def _from_entries(entries: list[Entry], reason: str, technology: str | None = None) -> TagKind:
    kinds = {e.kind for e in entries}
    kind = kinds.pop() if len(kinds) == 1 else "command" if "command" in kinds else "technology"
    family, families = _family_of(entries)
    if kind == "technology" and technology is None:
        technology = entries[0].name
    return TagKind(kind, family, technology, reason, families if family is None else ())


def _prefer(entries: list[Entry], words: str) -> list[Entry]:
    """Of an ambiguous name's entries, those whose family names one of ``words``
    ("GET" after "Redis": the Redis command)."""
    wanted = {w.casefold() for w in words.split()}
    chosen = [e for e in entries if wanted & {w.casefold() for w in e.family.split()}]
    return chosen or entries


def _shape(label: str, words: list[str], names: FamilyList) -> TagKind | None:
    """Kinds told by the tag's shape alone."""
    if all(w in SQL_KEYWORDS for w in words):
        family = "SQL statement" if words[0] in SQL_STATEMENTS else "SQL clause"
        return TagKind("command", family, None, "a run of SQL keywords")
    if _STATUS.match(label):
        return TagKind("command", "HTTP status code", None, "an HTTP status code")
    if len(words) == 1 and _CUSTOM_HEADER.match(label):
        return TagKind("command", "HTTP header", None, "an X- header")
    if len(words) == 1 and (is_identifier(label) or _LOWER_CAMEL.match(label)):
        return TagKind("command", None, None, "a name from code")
    note = reads_as_note(words)
    if note:
        return TagKind("note", None, None, note)
    return None


def _qualified(product: list[Entry], prefix: str, rest: list[str],
               names: FamilyList) -> TagKind:
    """A listed technology followed by more words ("Redis SETNX", "Kafka transactions")."""
    text = " ".join(rest)
    listed = names.lookup(text)
    if listed:
        chosen = _prefer(listed, prefix + " " + " ".join(e.family for e in product))
        found = _from_entries(chosen, f"'{text}' of {prefix}", technology=prefix)
        return TagKind(found.kind, found.family, prefix, found.reason, found.candidates)
    if all(w in SQL_KEYWORDS for w in rest):
        sql_family = "SQL statement" if rest[0] in SQL_STATEMENTS else "SQL clause"
        return TagKind("command", sql_family, prefix, f"SQL keywords of {prefix}")
    if len(rest) == 1 and (is_identifier(rest[0]) or _LOWER_CAMEL.match(rest[0])):
        return TagKind("command", None, prefix, f"a code name of {prefix}")
    if all(w[:1].isupper() or w[:1].isdigit() for w in rest):
        family, families = _family_of([e for e in product if e.kind == "technology"
                                       and e.family not in PLATFORM_FAMILIES])
        return TagKind("technology", family, prefix, f"a named part of {prefix}",
                       families if family is None else ())
    note = reads_as_note(rest)
    if note:
        return TagKind("note", None, prefix, note)
    return TagKind("concept", None, prefix, f"about {prefix}")


def classify_label(label: str, names: FamilyList | None = None) -> TagKind:
    """The kind and family of one tag, from its label alone (no neighbours, no curator).

    The label is the tags stage's: names keep their case ("Redis", "SETNX"), ordinary
    words are lower case.
    """
    names = names or family_list()
    words = label.split()
    if not words:
        return TagKind("concept", reason="empty")
    listed = names.lookup(label)
    if listed:
        return _from_entries(listed, "listed")
    if len(words) > 1 and words[0] in VENDORS:
        listed = [e for e in names.lookup(" ".join(words[1:])) if e.kind == "technology"]
        if listed:
            found = _from_entries(listed, f"listed, by {words[0]}", technology=label)
            return TagKind(found.kind, found.family, label, found.reason, found.candidates)
    for size in range(min(3, len(words) - 1), 0, -1):
        prefix = " ".join(words[:size])
        product = [e for e in names.lookup(prefix) if e.kind == "technology"]
        if product:
            return _qualified(product, prefix, words[size:], names)
    for size in range(min(3, len(words) - 1), 0, -1):
        prefix = " ".join(words[:size])
        head = names.lookup(prefix)
        rest = words[size:]
        if head and all(e.kind == "command" for e in head):
            if len(rest) == 1 and rest[0].casefold() in COMMAND_HEADS:
                return _from_entries(head, f"the {prefix} {rest[0]}")
            if all(w.islower() for w in rest):
                return TagKind("concept", None, None, f"about {prefix}")
        if head and all(e.kind == "concept" for e in head):
            return TagKind("concept", None, None, f"a kind of {prefix}")
    shaped = _shape(label, words, names)
    if shaped:
        return shaped
    if words[0] in CONCEPT_ACRONYMS or words[0].rstrip("s") in CONCEPT_ACRONYMS:
        return TagKind("concept", None, None, "an acronym of a concept")
    if len(words) == 1 and is_acronym(label):
        if label in CONCEPT_ACRONYMS or label.rstrip("s") in CONCEPT_ACRONYMS:
            return TagKind("concept", None, None, "an acronym of a concept")
        return TagKind("concept", None, None, "an acronym the list does not know")
    if is_acronym(words[0]):
        return TagKind("concept", None, None, f"a term led by the acronym {words[0]}")
    if len(words) == 1 and fold_word(label) in concept_words():
        return TagKind("concept", None, None, "a technique or property (concept_words.txt)")
    capitalised = [w[:1].isupper() or is_acronym(w) for w in words]
    if all(capitalised) and words[0] not in VENDORS and sum(
            c.isalpha() for c in words[0]) >= 2:
        return TagKind("technology", None, label, "a name the list does not know")
    if words[0] in VENDORS:
        return TagKind("technology", None, label, f"a name of {words[0]}")
    return TagKind("concept", None, None, "an ordinary term")


def kind_names() -> tuple[str, ...]:
    return KINDS


# ----- the corpus: neighbours, the curator, and the API other stages call ---------------

# Words of a family's name that say what sort of thing it is, not whose ("Redis command").
_GENERIC_FAMILY_WORDS = frozenset("""
command commands setting settings method header statement clause api tool function view
system status code directive operation level and of
""".split())
UNCERTAIN_REASONS = ("an acronym the list does not know", "a name the list does not know")


@dataclass(frozen=True, slots=True)
class KindChoice:
    """A tag's kind as decided for a corpus, and whether a person should look at it."""

    tag: str
    kind: TagKind
    label: str | None = None  # the list's spelling, when the book's differs only in case
    unknown: bool = False


def _distinctive(family: str) -> set[str]:
    return {w.casefold() for w in family.split()} - _GENERIC_FAMILY_WORDS


def _resolve(found: TagKind, neighbours: list[TagKind], labels: list[str]) -> TagKind:
    """An ambiguous name's family from the tags printed next to it, if they agree."""
    scores = {}
    for family in found.candidates:
        words = _distinctive(family)
        score = 0
        for other, label in zip(neighbours, labels):
            seen = {w.casefold() for w in label.split()}
            seen |= {w.casefold() for w in (other.technology or "").split()}
            if other.family == family or words & seen or (
                    other.family and words & _distinctive(other.family)):
                score += 1
        scores[family] = score
    best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if best and best[0][1] > 0 and (len(best) == 1 or best[1][1] < best[0][1]):
        return TagKind(found.kind, best[0][0], found.technology,
                       f"{found.reason}; its neighbours are {best[0][0]}s")
    return found


def assign_kinds(labels: dict[str, str], forms: dict[str, tuple[str, ...]],
                 neighbours: dict[str, set[str]], kinds: dict[str, str] | None = None,
                 families: dict[str, str] | None = None,
                 names: FamilyList | None = None) -> dict[str, KindChoice]:
    """Every tag's kind: ``labels`` and ``forms`` by tag id, ``neighbours`` the ids of the
    tags printed on the same points, ``kinds``/``families`` the curator's choices by tag
    id (see ``aliases.py``)."""
    names = names or family_list()
    spelled = {tag: _list_spelling(label, forms.get(tag, ()), names)
               for tag, label in labels.items()}
    first = {tag: classify_label(spelled[tag] or label, names) for tag, label in labels.items()}
    chosen: dict[str, KindChoice] = {}
    for tag, found in first.items():
        if found.candidates:
            around = sorted(neighbours.get(tag, set()) - {tag})
            found = _resolve(found, [first[t] for t in around], [labels[t] for t in around])
        kind, family = found.kind, found.family
        if families and tag in families:
            family = families[tag]
            kind = names.family_kind(family) or kind
            found = TagKind(kind, family, found.technology, "set in tags.toml")
        if kinds and tag in kinds:
            kind = kinds[tag]
            technology = found.technology
            if kind in ("concept", "note"):
                if not (families and tag in families):
                    family = None
                if technology == labels[tag]:
                    technology = None  # it names no technology after all
            found = TagKind(kind, family, technology, "set in tags.toml")
        unknown = (found.reason != "set in tags.toml" and (
            (found.kind in ("technology", "command") and found.family is None)
            or found.reason in UNCERTAIN_REASONS))
        chosen[tag] = KindChoice(tag, found, spelled[tag], unknown)
    return chosen


def _list_spelling(label: str, forms: tuple[str, ...], names: FamilyList) -> str | None:
    """The list's spelling of a name the book printed with an inner capital that the label
    lost ("chaos Monkey" -> "Chaos Monkey"), else None."""
    if label[:1].isupper() or not any(any(c.isupper() for w in f.split()[1:] for c in w[:1])
                                      for f in forms):
        return None
    listed = names.spelled(label)
    return listed if listed and listed != label else None


class TagKinds:
    """What other stages ask about tags: a tag's kind and family, and its family's other
    members (quiz distractors: a cache for a cache), from a built corpus.

        kinds = TagKinds(corpus.tags)
        kinds.kind("memcached"), kinds.family("memcached")   # "technology", "cache"
        kinds.siblings("memcached")                          # ("redis", ...) same family
        kinds.about("kafka")                                 # every tag about Kafka
    """

    def __init__(self, tags):
        self._tags = {t.id: t for t in tags}
        self._families: dict[str, list[str]] = {}
        self._technology: dict[str, list[str]] = {}
        for tag in tags:
            if tag.family:
                self._families.setdefault(tag.family, []).append(tag.id)
            if tag.technology:
                self._technology.setdefault(tag.technology.casefold(), []).append(tag.id)

    def kind(self, tag_id: str) -> str | None:
        tag = self._tags.get(tag_id)
        return tag.kind if tag else None

    def family(self, tag_id: str) -> str | None:
        tag = self._tags.get(tag_id)
        return tag.family if tag else None

    def families(self) -> dict[str, tuple[str, ...]]:
        """Every family and its tag ids, A-Z."""
        return {f: tuple(sorted(ids)) for f, ids in sorted(self._families.items())}

    def members(self, family: str) -> tuple[str, ...]:
        return tuple(sorted(self._families.get(family, ())))

    def siblings(self, tag_id: str) -> tuple[str, ...]:
        """The other tags of the tag's family (none when its family is unknown)."""
        family = self.family(tag_id)
        return tuple(t for t in self.members(family) if t != tag_id) if family else ()

    def about(self, technology: str) -> tuple[str, ...]:
        """Every tag that names or is about a technology ("Kafka": Kafka, Kafka Streams,
        Kafka transactions)."""
        return tuple(sorted(self._technology.get(technology.casefold(), ())))

    def of_kind(self, kind: str) -> tuple[str, ...]:
        return tuple(sorted(t.id for t in self._tags.values() if t.kind == kind))


def kind_summary(tags, choices: dict[str, KindChoice]) -> dict[str, Any]:
    """report.json's tags.kinds: tags per kind and per family, and the tags a curator
    should look at (a technology or command whose family is unknown, a name the list
    does not know), most used first."""
    per_kind = Counter(t.kind for t in tags)
    per_family = Counter(t.family for t in tags if t.family)
    unknown = [{"id": t.id, "label": t.label, "kind": t.kind, "count": t.count,
                "reason": choices[t.id].kind.reason,
                "candidates": list(choices[t.id].kind.candidates) or None}
               for t in tags if choices[t.id].unknown]
    unknown.sort(key=lambda u: (-u["count"], u["id"]))
    return {"tags_per_kind": {k: per_kind.get(k, 0) for k in KINDS},
            "tags_per_family": dict(sorted(per_family.items(), key=lambda kv: (-kv[1], kv[0]))),
            "unknown": unknown}
