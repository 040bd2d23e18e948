"""Cloze deletions: the term of a point's explanation worth recalling, and the marked-up text.

A term is a run of one to four adjacent content words of the explanation (joined by
spaces, hyphens or slashes) that ends in a noun or a name. It is chosen, not found in the
title: the card prints the title, the question and the topic on its front, so a term that
shares a word with any of them (compared by lemma) is never blanked. Among the rest the
most specific wins: a technology or command the corpus names, an acronym or a code-like
name, a number with its unit, else the phrase whose rarest word is rarest in English
(spaCy's lexeme probabilities, a fixed table: the choice depends on the point alone).
Generic words of the field (data, cache, database, server...) never stand alone as a term.
No such term: no cloze card.

Terms are found in the explanation's plain text (``pipeline/inline.py``), so Markdown marks
never split a term, and a term never cuts a code span or a formula (a whole code span may
be the term).
"""
from __future__ import annotations

import functools
import gzip
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Callable, Iterable

from markupsafe import Markup

from ...english import GENERIC, STOP, WORD, lemma
from ...inline import Mark, parse, render_html
from ...tags.grammar import (ADVERB, COMPOUND, GERUND, NOUN, is_bare_verb, third_person_verb,
                             word_class)

CLOZE_OPEN = '<span class="cloze-term">'
CLOZE_CLOSE = "</span>"
BLANK = '<span class="cloze-blank">[...]</span>'

# Words of a multi-word term may be joined by spaces, hyphens or slashes, nothing else.
_JOINER = re.compile(r"[ \-/]{1,2}")
MAX_WORDS = 4
# A term must leave enough of the explanation to be a question.
MAX_TERM_SHARE = 0.45
# Below this rarity (minus log probability in English) a lone word is too guessable.
MIN_RARITY = 11.0
# A lone abstract noun must be rarer still ("idempotency" is, "availability" is not).
ABSTRACT_RARITY = 14.0
_ABSTRACT = ("tion", "sion", "ity", "ment", "ness", "ance", "ence", "ism", "ure")
UNKNOWN_RARITY = 20.0  # a word the table does not know ("idempotency", "PgBouncer")
# Words of the field too general to be the answer on their own.
FIELD_GENERIC = frozenset("""
data database databases cache caches caching server servers service services request
requests response responses application applications app apps user users client clients
system systems connection connections query queries table tables key keys value values
record records message messages event events time times error errors load traffic
performance latency storage memory resource resources operation operations update updates
change changes process processing job jobs task tasks item items row rows column columns
field fields call calls result results instance instances node nodes network file files
code state version versions information info content api apis endpoint endpoints
failure failures issue issues problem problems access control layer level side part
number size limit limits rate rates cost costs logic flow system get make set need entry entries thing things
algorithm algorithms format formats feature features
""".split())
# A word of a term: WORD's words, but "N+1" and "enable.auto.commit" stay one word.
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[+.][A-Za-z0-9]+)*(?:\+\+|#)?")


@dataclass(frozen=True, slots=True)
class Term:
    start: int
    end: int
    score: float


@functools.lru_cache(maxsize=1)
def _rarity_table() -> dict[str, float]:
    try:
        data = resources.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
        with gzip.open(str(data), "rt", encoding="utf-8") as handle:
            return json.load(handle)
    except (ModuleNotFoundError, FileNotFoundError, OSError, ValueError):
        return {}


def rarity(word: str) -> float:
    """How rare a word is in English: minus its log probability (20 when unknown)."""
    found = _rarity_table().get(word.lower())
    return UNKNOWN_RARITY if found is None else -found


def _is_name(word: str) -> bool:
    """An acronym, a code-like or inner-capital name, a number: "TTL", "PgBouncer", "5xx"."""
    return (any(c.isdigit() for c in word) or sum(c.isupper() for c in word) >= 2
            or (word[:1].islower() and any(c.isupper() for c in word)))


def _content(word: str) -> bool:
    if len(word) < 2 and not word.isdigit():
        return False
    lower = word.lower()
    return lower not in STOP and lemma(word) not in STOP and lemma(word) not in GENERIC


def _can_end(word: str) -> bool:
    """A term ends in a noun or a name, never a verb, adjective or adverb ("reduce",
    "intercepted", "smoother", "fast")."""
    return _is_name(word) or word_class(word) in (NOUN, GERUND, COMPOUND)


# Words that count as content elsewhere (english.DECIDING) but never belong in a term.
_NOT_IN_TERM = frozenset("""
each every all both same other another only not no none more most less least few many enough
often well sometimes still again always never per via due once before after without against
above below over under off out down up together alone behind except whole amount serious
""".split())


# Describing words a term never starts with: "multiple Lambda functions" is "Lambda functions".
_NOT_FIRST = frozenset("""
multiple several various different specific certain new old existing additional separate
simple single common proper entire full faster better smaller larger higher lower bigger plain
extra whole main actual
""".split())


def _inside(word: str) -> bool:
    """A word a noun phrase may hold: no verb, adverb or quantifier ("Automatically
    capture", "each key")."""
    if word.lower() in _NOT_IN_TERM or (word.lower().endswith("ly") and len(word) > 4
                                        and not _is_name(word)):
        return False
    return _is_name(word) or word_class(word) in (NOUN, GERUND, COMPOUND, "modifier")


# Words after which a bare verb is a verb: "to retry", "can fetch", "must validate".
_VERB_CUES = frozenset("to can could will would must should may might cannot don't".split())


def _starts_as_verb(text: str, start: int, word: str) -> bool:
    """The word opens an instruction or a clause, or follows a modal: "Fetch N items",
    "Reusing connections", "can get", "…, routes requests", "and uses PUT"."""
    if _is_name(word):
        return False
    before = text[:start].rstrip()
    opens = not before or before[-1] in ".:;—–-(!?"
    if word_class(word) == GERUND and opens:
        return True
    if third_person_verb(word) is not None and (before.endswith(",") or (
            before and before.split()[-1].lower() in ("and", "or", "then"))):
        return True
    if not is_bare_verb(word):
        return False
    return opens or before.split()[-1].lower() in _VERB_CUES


_PREPOSITIONS = frozenset("by before after when while without for of in on from via during "
                          "into through".split())


def _verb_after_subject(words: list[str], previous: str | None, gap: str = " ") -> bool:
    """An "-s" word after a noun is its verb: "Gateway exposes", "leader (handles
    reads)", "two environments doubles"; a lone -ing word after a preposition too
    ("by replaying", "before executing")."""
    if any(third_person_verb(w) is not None for w in words[1:-1]):
        return True  # "usage crosses threshold": a plural never sits inside a term
    if any(third_person_verb(w) is not None and word_class(b) in (NOUN, COMPOUND)
           and b.lower().endswith("s") for b, w in zip(words, words[1:])):
        return True
    if previous is None:
        return False
    if word_class(words[0]) == GERUND and (previous.lower() in _PREPOSITIONS or "," in gap):
        return True  # "before confirming success", "by replaying events"
    if is_bare_verb(words[0]) and not _is_name(words[0]) and (
            previous.lower().endswith("ly") or (previous.lower().endswith("s")
                                                and word_class(previous) == NOUN
                                                and third_person_verb(words[0]) is None)):
        return True  # "Automatically capture", "formats see"
    if third_person_verb(words[0]) is None:
        return False
    return previous.lower() in ("it", "this", "that", "which") or _is_name(previous) \
        or word_class(previous) in (NOUN, COMPOUND, ADVERB) or previous.lower().endswith("ly")


def _cuts_phrase(text: str, end: int, word: str, tokens: list[re.Match[str]],
                 last: int) -> bool:
    """The noun phrase goes on after the term ("automatic transaction | tracing",
    "503 Service | Unavailable"): blanking part of it would be a guessing game."""
    if last + 1 >= len(tokens) or text[end:tokens[last + 1].start()] not in (" ", "-"):
        return False
    following = tokens[last + 1].group(0)
    if word[:1].isupper() and following[:1].isupper():
        return True
    return _content(following) and following.lower() not in _NOT_IN_TERM \
        and word_class(following) in (NOUN, GERUND, COMPOUND)


def _gerund_ok(word: str) -> bool:
    """An -ing word in a term must be a term itself ("pooling", "sharding"), not an everyday
    participle ("showing", "reaching")."""
    return word_class(word) != GERUND or rarity(word) >= 12.0 or _is_name(word)


def _score(words: list[str], names: frozenset[str]) -> float | None:
    phrase = " ".join(w.lower() for w in words)
    named = phrase in names or any(_is_name(w) for w in words)
    if len(words) == 1 and not named and (words[0].lower() in FIELD_GENERIC
                                          or lemma(words[0]) in FIELD_GENERIC):
        return None
    specific = [rarity(w) for w in words if w.lower() not in FIELD_GENERIC]
    top = max(specific, default=0.0)
    if not named and top < MIN_RARITY:
        return None
    if len(words) == 1 and not named and words[0].lower().endswith(_ABSTRACT) \
            and top < ABSTRACT_RARITY:
        return None  # "transition", "verification", "availability": guessable, vague
    score = min(top, UNKNOWN_RARITY) + 1.5 * (len(words) - 1)
    if phrase in names:
        score += 6.0
    elif named:
        score += 3.0
    return score


def related(word: str, others: Iterable[str]) -> bool:
    """The word is one of ``others`` in another form: the same lemma, a shared stem
    ("acknowledgement" / "acknowledge", "replica" / "replication") or inside it
    ("Autoescape" holds "escape")."""
    lower = word.lower()
    for other in others:
        if lemma(word) == other or lower == other:
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


_OPENING = " (\"'“‘"
_CLOSING = " .,;!?)\"'”’"


def _plain_edges(text: str, start: int, end: int) -> bool:
    """The term stands in prose, not inside code-like text ("{{c2::raw}}", "a=b", "<x>")."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if after == ":":
        after = text[end + 1] if end + 1 < len(text) else " "
    return before in _OPENING and after in _CLOSING


def _elsewhere(text: str, start: int, end: int, words: list[str]) -> bool:
    """A word of the term is printed elsewhere in the explanation in another form
    ("chunks … each [chunk]"): the blank would be filled from the same sentence. The same
    surface is blanked with it, so it does not count."""
    surface = text[start:end].lower()
    rest = text[:start] + " " + text[end:]
    others = [w for w in _TOKEN.findall(rest)]
    # a multi-word term is given away by its specific words, not by a common one
    # ("their count … the [partition count]" keeps "partition" hidden)
    wanted = {lemma(w) for w in words if _content(w) and (
        len(words) == 1 or (rarity(w) >= MIN_RARITY and w.lower() not in FIELD_GENERIC))}
    for other in others:
        if other.lower() == surface or not _content(other):
            continue
        if lemma(other) in wanted or related(other, wanted):
            if len(words) > 1 and re.search(r"(?<![A-Za-z0-9])" + re.escape(surface)
                                            + r"(?![A-Za-z0-9])", rest.lower()):
                continue  # part of an exact repeat of the whole term, blanked too
            return True
    return False


def _subject_and_verb(text: str, start: int, words: list[str]) -> bool:
    """A sentence that opens "Autoescape turns …": its subject and verb, no term."""
    before = text[:start].rstrip()
    opens = not before or before[-1] in ".:;—–(!?"
    return opens and len(words) >= 2 and third_person_verb(words[-1]) is not None


def key_term(explanation: str, shown: Iterable[str],
             names: Iterable[str] = ()) -> tuple[int, int] | None:
    """(start, end) of the term to blank in the explanation's plain text, or None.

    ``shown`` are the other texts on the card's front (title, question, topic): a term
    sharing a content word with them is never chosen. ``names`` are technology and
    command labels the corpus knows (a term equal to one is preferred).
    """
    parsed = parse(explanation)
    text = parsed.plain
    banned = {lemma(w) for s in shown for w in WORD.findall(parse(s).plain) if _content(w)}
    banned |= {w.lower() for s in shown for w in WORD.findall(parse(s).plain) if _content(w)}
    known = frozenset(" ".join(WORD.findall(n.lower())) for n in names)
    # an acronym of the front's words gives them away too ("DLQ" for "Dead Letter Queue")
    initials: set[str] = set()
    for shown_text in shown:
        heads = [w[0].lower() for w in WORD.findall(parse(shown_text).plain) if _content(w)]
        initials |= {"".join(heads[i:j]) for i in range(len(heads))
                     for j in range(i + 2, len(heads) + 1)}
    tokens = list(_TOKEN.finditer(text))
    best: Term | None = None
    for first in range(len(tokens)):
        for last in range(first, min(first + MAX_WORDS, len(tokens))):
            if last > first and not _JOINER.fullmatch(
                    text[tokens[last - 1].end():tokens[last].start()]):
                break
            run = tokens[first:last + 1]
            words = [m.group(0) for m in run]
            if not all(_content(w) for w in words) or related(words[-1], banned):
                break
            if not all(_inside(w) and _gerund_ok(w) for w in words):
                break
            start, end = run[0].start(), run[-1].end()
            joined_before = start > 0 and text[start - 1] in "/-" and first > 0 \
                or not _plain_edges(text, start, end)
            if words[0].lower() in _NOT_FIRST or joined_before \
                    or _cuts_phrase(text, end, words[-1], tokens, last):
                continue
            if parsed.cuts(start, end) or not _can_end(words[-1]) \
                    or _starts_as_verb(text, start, words[0]) \
                    or _subject_and_verb(text, start, words) \
                    or (first and _verb_after_subject(
                        words, tokens[first - 1].group(0), text[tokens[first - 1].end():start])):
                continue
            if _elsewhere(text, start, end, words) or (
                    len(words) == 1 and len(words[0]) >= 2 and words[0].lower().rstrip("s")
                    in {i for i in initials if len(i) >= 2}):
                continue
            score = _score(words, known)
            if score is None or (end - start) > MAX_TERM_SHARE * len(text.strip()):
                continue
            if best is None or score > best.score:
                best = Term(start, end, score)
    return None if best is None else (best.start, best.end)


def _occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    pattern = re.compile(r"(?<![A-Za-z0-9])" + re.escape(surface) + r"(?![A-Za-z0-9])",
                         re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def cloze_sides(explanation: str, term: tuple[int, int],
                escape: Callable[[str], str]) -> tuple[Markup, Markup]:
    """(front, back) field HTML: every occurrence of the term as a blank, then marked.

    ``term`` is a plain-text range (from ``key_term``); occurrences that would cut a code
    span or a formula are left alone. ``escape`` escapes the book's characters for Anki.
    """
    parsed = parse(explanation)
    text = parsed.plain
    ranges = [r for r in _occurrences(text, text[term[0]:term[1]]) if not parsed.cuts(*r)]
    front = render_html(parsed.replace(ranges, "\x00"), math="mathjax", escape=escape)
    back = render_html(parsed, math="mathjax", escape=escape,
                       marks=[Mark(s, e, CLOZE_OPEN, CLOZE_CLOSE) for s, e in ranges])
    return Markup(str(front).replace("\x00", BLANK)), back
