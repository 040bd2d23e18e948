"""Cloze deletions: the one term of a point's explanation worth recalling, and the marked text.

Only a recognized backend term is ever blanked (``terms.py``: the general-knowledge word
lists and the corpus's technology, command and family tags), never a word picked for being
rare. Among the terms the explanation prints, a term is refused when:

- the front gives it away: a word of it is printed elsewhere on the front (title,
  question, problem, topic) in any form (same lemma, shared stem), it is the acronym of
  front words or its words' initials are a front word ("availability zones" under
  "Multi-AZ"), or the explanation prints one of its words elsewhere in another form;
- it is guessable or vague: a generic word of the field alone (data, cache, server...),
  a name every reader fills in (HTTP, API, JSON...), or a listed phrase that only
  describes ("stale data", "traffic spikes": a generic head and plain modifiers);
- it has several reasonable fillings: it sits in a question (which states nothing to
  recall), it is one item of an enumeration (joined by a comma, "and", "or", a slash, or
  inside a parenthesised list), an aside in parentheses, an open slot closing its
  sentence ("replicas with [...].", "bursts to test [...]."), or the object of a choice
  in the frame of a heading that names another ("Prefer X for …" over "move to [...] for
  …");
- it is cut from a longer noun phrase ("cache miss | rate"), sits in code-like text, or
  would cut a code span or a formula;
- the corpus says it is broad (printed under many topics) or, shown with its family's
  hint on a card about that family, the only member of the family the book names
  ("Lambda" as "[...] (serverless platform)" under "Serverless …"): ``corpus_terms.py``.

The most specific of the rest wins (a named technique or product of a known family, then
longer terms, then rarer words: spaCy's fixed lexeme table, so the choice depends on the
point alone). A point with no such term gets no cloze. When the reviewed list knows the
term's family ("SQL clause", "isolation level") and the family does not name the term,
the blank shows it as a hint, the way Anki's own ``{{c1::answer::hint}}`` does.

Terms are found in the explanation's plain text (``pipeline/inline.py``), so Markdown marks
never split a term, and a term never cuts a code span or a formula.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from markupsafe import Markup

from ...english import WORD, lemma
from ...inline import Inline, Mark, parse, render_html
from ...tags.grammar import (COMPOUND, MODIFIER, NOUN, is_bare_verb, third_person_verb,
                             word_class)
from ...tags.words import match_key
from ...tags.recognized import Found, Known, Lexicon, initials
from .corpus_terms import NO_CORPUS_TERMS, CorpusTerms
from .terms import NEAR, TitleTerm
from .word_forms import UNKNOWN_RARITY, content, is_name, rarity, related

CLOZE_OPEN = '<span class="cloze-term">'
CLOZE_CLOSE = "</span>"
BLANK = '<span class="cloze-blank">[...]</span>'
HINT = '<span class="hint">{}</span>'

# A term must leave enough of the explanation to be a question.
MAX_TERM_SHARE = 0.45
# A modifier this rare (minus log probability in English) makes a listed phrase specific
# even with a generic head ("parameterized queries", "sequential scans").
SPECIFIC_RARITY = 13.0
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
number size limit limits rate rates cost costs logic flow get make set need entry entries
thing things algorithm algorithms format formats feature features microservice microservices
""".split())
# The head of a phrase that only describes ("traffic spikes", "use cases", "stale data").
_GENERIC_HEADS = FIELD_GENERIC | frozenset("""
structure structures case cases effect effects spike spikes pattern patterns transfer body
complexity utilization usage address addresses guarantee guarantees growth outage
outages tier tiers
""".split())
# Names every reader fills in from any sentence about a backend (GET and POST: "[...] for
# creating" is no question for anyone who wrote a form).
_EVERYDAY_NAMES = frozenset("""
http https ip api apis url urls uri json xml html css js sql nosql aws cpu cpus ram tcp
rest crud id ids os ui get post
""".split())

# Coordinated with another item: "memory and [CPU usage]", "[LPUSH]/RPOP", "A, [B]".
_JOINED_BEFORE = re.compile(r"(?:\band|\bor|\bnor|/|\+|&|\bvs\.?|\bversus)"
                            r"(?:\s+(?:the|a|an|its|their))?\s*$", re.IGNORECASE)
# Words that open a clause after a comma, not another item of a list.
_CLAUSE_OPENERS = frozenset("""
after before then so which who that but never not without with for when while because
unless until since though although or and
""".split())
_COMMA_BEFORE = re.compile(r",\s*$")
_JOINED_AFTER = re.compile(r"^\s*(?:/|\+|&|\band\b|\bor\b|\bnor\b|\bvs\b|\bversus\b)",
                           re.IGNORECASE)
# An item of a list that says what it is for is pinned by it: "[GET] for reading, POST
# for creating", "[LPUSH] to enqueue, RPOP to dequeue".
_PINNED = re.compile(r"^\s*(?:for|to|=|→|->|:)(?:\s|$)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)|\s[—–]\s|$")
# The mark that ends a sentence (a dash does not: a question may go on after one).
_SENTENCE_MARK = re.compile(r"[.;!?](?:\s|$)")


@dataclass(frozen=True, slots=True)
class Front:
    """What the card's front prints besides the explanation, as the checks need it."""

    lemmas: frozenset[str]  # content words, by lemma and as printed (lower case)
    words: frozenset[str]  # every word, lower case
    acronyms: frozenset[str]  # initials of runs of content words ("dlq")
    families: frozenset[str] = frozenset()  # content words of the front terms' families
    spelled: frozenset[str] = frozenset()  # acronyms a front word spells out ("ci")
    chosen: bool = False  # the title (the first text) is "Use X for …", X a listed term

    @classmethod
    def of(cls, shown: Iterable[str], lexicon: Lexicon | None = None) -> "Front":
        shown = list(shown)
        lemmas: set[str] = set()
        every: set[str] = set()
        acronyms: set[str] = set()
        for text in shown:
            found = WORD.findall(parse(text).plain)
            every |= {w.lower() for w in found}
            kept = [w for w in found if content(w)]
            lemmas |= {lemma(w) for w in kept} | {w.lower() for w in kept}
            heads = initials(kept)
            acronyms |= {heads[i:j] for i in range(len(heads))
                         for j in range(i + 2, len(heads) + 1)}
        lemmas |= {other for group in NEAR if group & lemmas for other in group}
        families: set[str] = set()
        for text in shown if lexicon is not None else ():
            for term in lexicon.find(parse(text).plain):  # type: ignore[union-attr]
                if term.known.family:
                    families |= {lemma(w) for w in WORD.findall(term.known.family)
                                 if content(w)}
        spelled = lexicon.spelled_by(lemmas) if lexicon is not None else frozenset()
        choice = _CHOICE_TITLE.match(parse(shown[0]).plain) if shown else None
        chosen = bool(choice and lexicon is not None and lexicon.lookup(choice[1]))
        return cls(frozenset(lemmas), frozenset(every), frozenset(acronyms),
                   frozenset(families), spelled, chosen)


# A title that names a choice and what it is for ("Prefer Quorum Writes for Payments")
_CHOICE_TITLE = re.compile(r"(?:use|choose|prefer|pick|adopt)\s+(.+?)\s+for\s", re.IGNORECASE)
# ... and a blank in the same frame: the choice's object, then what it is for
_CHOICE_BEFORE = re.compile(r"\b(?:(?:switch(?:ing)?|mov(?:e|ing))\s+to|use|using|choose|prefer"
                            r"|pick|adopt)\s+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Blank:
    """The term to blank (plain-text range of the explanation) and the hint to show."""

    start: int
    end: int
    hint: str = ""


def refusal(text: str, found: Found, front: Front,
            terms: CorpusTerms = NO_CORPUS_TERMS) -> str | None:
    """Why the term may not be blanked in this explanation, or None.

    ``terms``: what the whole corpus says of its terms (``corpus_terms.py``)."""
    words = [w for w in WORD.findall(found.text)]
    meaning = [w for w in words if content(w)]
    if not meaning:
        return "generic"
    if any(related(w, front.lemmas) for w in meaning):
        return "front"
    if front.families and all(lemma(w) in front.families for w in meaning):
        return "front"  # "[probabilistic data structure]" under "Bloom Filters"
    if (len(words) == 1 and words[0].lower().rstrip("s") in front.acronyms) \
            or (len(words) > 1 and initials(words) in front.words) \
            or any(w.isupper() and w.lower() in front.spelled for w in words):
        return "front"  # "[CI/CD pipeline]" under "Continuous …" (continuous integration)
    if front.chosen and _CHOICE_BEFORE.search(text[:found.start]) \
            and re.match(r"\s+for\b", text[found.end:]):
        return "heading"  # "Prefer Quorum Writes for …": "move to [...] for …"
    if _in_list(text, found.start, found.end):
        return "list"
    if _in_question(text, found.end):
        return "question"
    if _guessable(found, words):
        return "generic"
    if _aside(text, found.start, found.end) or _glossed(text, found.end):
        return "aside"
    if not found.known.family and not any(is_name(w) for w in words) and (
            match_key(found.text) in terms.broad or _open_slot(text, found.start, found.end)):
        return "open"
    if match_key(found.text) in terms.sole and hint_for(found, front) \
            and any(lemma(w) in front.lemmas for w in WORD.findall(found.known.family or "")
                    if content(w)):
        return "sole"  # "[...] (serverless platform)" under "Serverless …": Lambda
    if not _plain_edges(text, found.start, found.end):
        return "code"
    if _cuts_phrase(text, found.start, found.end):
        return "cut"
    if _elsewhere(text, found.start, found.end, words):
        return "elsewhere"
    if (found.end - found.start) > MAX_TERM_SHARE * len(text.strip()):
        return "too long"
    return None


def _guessable(found: Found, words: list[str]) -> bool:
    lowered = found.text.lower()
    if lowered in _EVERYDAY_NAMES or lemma(found.text) in _EVERYDAY_NAMES:
        return True
    if len(words) == 1:
        return not is_name(words[0]) and (words[0].lower() in FIELD_GENERIC
                                          or lemma(words[0]) in FIELD_GENERIC)
    return describes_words(found.known, words)


def describes(term: "TitleTerm") -> bool:
    """A listed title that only describes ("Use Cases", "Stale Data"): no name to recall."""
    words = WORD.findall(term.name)
    return len(words) == 1 and words[0].lower() in FIELD_GENERIC \
        or describes_words(term.known, words)


def describes_words(known: "Known", words: list[str]) -> bool:
    """A glossary phrase with a generic head and plain modifiers ("traffic spikes")."""
    if len(words) < 2 or known.source != "glossary" or known.family:
        return False  # a named technique or product of the reviewed lists
    head = words[-1]
    if head.lower() not in _GENERIC_HEADS and lemma(head) not in _GENERIC_HEADS:
        return False
    # a rare plain modifier makes it a term ("parameterized queries"); a name does not
    # ("POST requests", "gRPC calls": the name alone is what a learner recalls)
    return not any(rarity(w) >= SPECIFIC_RARITY and not is_name(w) for w in words[:-1])


def _in_list(text: str, start: int, end: int) -> bool:
    """The term is one item of an enumeration, with several reasonable fillings: "memory
    and [CPU usage]", "[LPUSH]/RPOP", "[WebSockets], connection pools…", or a clause of
    "do A, do B, do C" that ends with it. An item that says what it is for is pinned by
    that and stays ("[GET] for reading, POST for creating")."""
    before, after = text[:start], text[end:]
    if _JOINED_BEFORE.search(before) or _JOINED_AFTER.search(after):
        return True
    if _COMMA_BEFORE.search(before) and not _PINNED.match(after):
        return True
    comma = re.match(r"^\s*,\s*(?P<next>[A-Za-z0-9]+)", after)
    following = comma["next"] if comma else ""
    if comma and following.lower() not in _CLAUSE_OPENERS and (is_name(following) or (
            content(following) and word_class(following) in (NOUN, COMPOUND, MODIFIER))):
        return True  # "[WebSockets], database connection pools don't…"
    sentence_start = max(before.rfind(". "), before.rfind("; "), before.rfind(" — "))
    found_end = _SENTENCE_END.search(text, end)
    sentence_end = found_end.start() if found_end else len(text)
    sentence = text[sentence_start + 1:sentence_end]
    ends_clause = re.match(r"^\s*(?:,|$)", text[end:sentence_end]) is not None
    # "Check the [JWT signature], look at expiry, compare scopes."
    return sentence.count(",") >= 2 and ends_clause


def _in_question(text: str, end: int) -> bool:
    """The term is in a question ("Do you need X or is it [...]?"): a question states
    nothing to recall, and its blank takes any answer a reader would give."""
    closing = _SENTENCE_MARK.search(text, end)
    return closing is not None and closing.group().startswith("?")


def _aside(text: str, start: int, end: int) -> bool:
    """Inside parentheses: an aside, or a list ("metadata (URL, size, owner)")."""
    return text.rfind("(", 0, start) > text.rfind(")", 0, start)


def _glossed(text: str, end: int) -> bool:
    """Followed by its own parenthesis: examples or a gloss that give it away ("[static
    assets] (logos, fonts)")."""
    return re.match(r"\s*\(", text[end:]) is not None


# The blank closes its sentence (but for what it is for or where it leads: "for locks",
# "to the standby", "for writes that must never clash") after an open "with", "for", "to",
# "need", "across", "instead of", a verb of checking (test, check, verify, validate,
# measure: what is tested is open) or a dash: "replicas with [...].", "same server for
# [...].", "— need [...].", "switch to [...] for writes.", "bursts to test [...]." take
# many fair fillings.
_OPEN_BEFORE = re.compile(r"(?:\b(?:with|for|to|need|needs|across|instead of"
                          r"|test|check|verify|validate|measure)|[—–])"
                          r"(?:\s+(?:a|an|the|full))?\s+$", re.IGNORECASE)
_TRAILING_PURPOSE = re.compile(r"\s+(?:for|to)\s+[A-Za-z][^.;!?—–]*")


def _open_slot(text: str, start: int, end: int) -> bool:
    """An unnamed means or goal closing its sentence (see ``_OPEN_BEFORE``)."""
    if _OPEN_BEFORE.search(text[:start]) is None:
        return False
    purpose = _TRAILING_PURPOSE.match(text, end)
    return _SENTENCE_END.match(text, purpose.end() if purpose else end) is not None


_OPENING = " (\"'“‘"
_CLOSING = " .,;!?)\"'”’"


def _plain_edges(text: str, start: int, end: int) -> bool:
    """The term stands in prose, not inside code-like text ("{{c2::raw}}", "a=b", "<x>")."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if after == ":":
        after = text[end + 1] if end + 1 < len(text) else " "
    return before in _OPENING and after in _CLOSING


# Describing words a phrase may start with that are no part of the term ("multiple").
_DESCRIBING = frozenset("""
multiple several various different specific certain new old existing additional separate
simple single common proper entire full faster better smaller larger higher lower bigger
plain extra whole main actual one two three four five six seven eight nine ten
""".split())
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[+.][A-Za-z0-9]+)*(?:\+\+|#)?")


def _cuts_phrase(text: str, start: int, end: int) -> bool:
    """The noun phrase goes on around the term ("cache miss | rate", "distributed |
    connection pool"): blanking part of it would be a guessing game."""
    after = _TOKEN.match(text, end + 1) if text[end:end + 1] in (" ", "-") else None
    if after is not None:
        following = after.group(0)
        if following[:1].isupper() and text[start:start + 1].isupper() and not is_name(
                following) and len(following) > 1:
            return True
        if content(following) and word_class(following) in (NOUN, COMPOUND) \
                and not following.lower().endswith("ly"):
            return True
    if start >= 2 and text[start - 1] in (" ", "-"):
        previous = [m for m in _TOKEN.finditer(text, 0, start - 1)
                    if m.end() == start - 1]
        if previous:
            word = previous[-1].group(0)
            if text[start - 1] == "-" or (
                    content(word) and word.lower() not in _DESCRIBING
                    and word_class(word) in (NOUN, COMPOUND) and not is_name(word)
                    and word[:1].islower() and not is_bare_verb(word)
                    and third_person_verb(word) is None):
                return True
    return False


def _elsewhere(text: str, start: int, end: int, words: list[str]) -> bool:
    """A word of the term is printed elsewhere in the explanation in another form
    ("chunks … each [chunk]"): the blank would be filled from the same sentence. Exact
    repeats of the whole term are blanked with it, so they do not count."""
    surface = text[start:end].lower()
    rest = text[:start] + " " + text[end:]
    printed = {lemma(w) for w in _TOKEN.findall(rest) if content(w)}
    meaning = [w for w in words if content(w)]
    if len(meaning) > 1 and all(related(w, printed) for w in meaning) and not re.search(
            r"(?<![A-Za-z0-9])" + re.escape(surface) + r"(?![A-Za-z0-9])", rest.lower()):
        return True  # "Split read and write models; events refresh the [read models]"
    wanted = {lemma(w) for w in words if content(w) and (
        len(words) == 1 or (rarity(w) >= 11.0 and w.lower() not in FIELD_GENERIC))}
    for other in _TOKEN.findall(rest):
        if other.lower() == surface or not content(other):
            continue
        if lemma(other) in wanted or related(other, wanted):
            if len(words) > 1 and re.search(r"(?<![A-Za-z0-9])" + re.escape(surface)
                                            + r"(?![A-Za-z0-9])", rest.lower()):
                continue
            return True
    return False


def _score(found: Found) -> float:
    words = WORD.findall(found.text)
    top = max((min(rarity(w), UNKNOWN_RARITY) for w in words), default=0.0)
    score = top + 1.5 * (len(words) - 1)
    if found.known.family:
        score += 6.0
    elif found.known.source in ("family", "product", "tag"):
        score += 3.0
    return score


def hint_for(found: Found, front: Front) -> str:
    """The term's family as a hint, unless it names the term ("locking strategy" for
    "distributed locks")."""
    family = found.known.family
    if not family:
        return ""
    words = {lemma(w) for w in WORD.findall(found.text) if content(w)}
    if any(related(w, words) for w in WORD.findall(family) if content(w)):
        return ""
    return family


def key_term(explanation: str, shown: Iterable[str], lexicon: Lexicon,
             terms: CorpusTerms = NO_CORPUS_TERMS) -> Blank | None:
    """The term to blank in the explanation's plain text, or None.

    ``shown`` are the other texts on the card's front (title, question, problem, topic);
    ``terms`` what the corpus says of its terms (``corpus_terms.py``).
    """
    parsed = parse(explanation)
    text = parsed.plain
    front = Front.of(shown, lexicon)
    best: tuple[float, Found] | None = None
    for found in lexicon.find(text):
        if _by_code(parsed, found) or refusal(text, found, front, terms) is not None:
            continue
        score = _score(found)
        if best is None or score > best[0]:
            best = (score, found)
    if best is None:
        return None
    hint = hint_for(best[1], front)
    following = re.match(r"\s+([A-Za-z]+)", text[best[1].end:])
    if hint and following and lemma(following[1]) == lemma(hint.split()[-1]):
        hint = ""  # "[...] pattern" says it already: no "(architecture pattern) pattern"
    return Blank(best[1].start, best[1].end, hint)


def _by_code(parsed: Inline, found: Found) -> bool:
    """The term is in code, or right after it: then it only names what the code is
    ("`cursor` and `size` [query parameters]"), which the sentence already says."""
    return parsed.overlaps_atom(found.start, found.end) or any(
        end < found.start and not parsed.plain[end:found.start].strip()
        for _, end in parsed.atoms)


def refusals(explanation: str, shown: Iterable[str], lexicon: Lexicon,
             terms: CorpusTerms = NO_CORPUS_TERMS) -> list[tuple[str, str]]:
    """(term, why) for every recognized term of the explanation: what the report counts."""
    parsed = parse(explanation)
    front = Front.of(shown, lexicon)
    return [(found.text, "code" if _by_code(parsed, found)
             else refusal(parsed.plain, found, front, terms) or "chosen")
            for found in lexicon.find(parsed.plain)]


def _occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    pattern = re.compile(r"(?<![A-Za-z0-9])" + re.escape(surface) + r"(?![A-Za-z0-9])",
                         re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def cloze_sides(explanation: str, term: tuple[int, int],
                escape: Callable[[str], str], hint: str = "") -> tuple[Markup, Markup]:
    """(front, back) field HTML: every occurrence of the term as a blank, then marked.

    ``term`` is a plain-text range (from ``key_term``); occurrences that would cut a code
    span or a formula are left alone. ``escape`` escapes the book's characters for Anki;
    ``hint`` is shown after the blank.
    """
    parsed = parse(explanation)
    text = parsed.plain
    ranges = [r for r in _occurrences(text, text[term[0]:term[1]]) if not parsed.cuts(*r)]
    front = render_html(parsed.replace(ranges, "\x00"), math="mathjax", escape=escape)
    back = render_html(parsed, math="mathjax", escape=escape,
                       marks=[Mark(s, e, CLOZE_OPEN, CLOZE_CLOSE) for s, e in ranges])
    blank = BLANK + (" " + HINT.format(escape(f"({hint})")) if hint else "")
    return Markup(str(front).replace("\x00", blank)), back


__all__ = ["BLANK", "Blank", "CLOZE_CLOSE", "CLOZE_OPEN", "FIELD_GENERIC", "Front", "NEAR",
           "cloze_sides", "key_term", "refusal", "refusals"]
