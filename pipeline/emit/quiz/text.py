"""Word-level text helpers for quiz items: masking, paraphrase, overlap and cue tests.

The words themselves (tokens, stop words, lemmas) are in pipeline/english.py.
"""
from __future__ import annotations

import functools
import re
from typing import Iterable

from rapidfuzz import fuzz

from ...english import (GENERIC, HYPHENATED_NEGATING, NEGATING_PREFIXES, NEGATING_WORDS, STOP,
                       WORD, content_lemmas, lemma, words)
from ...inline import parse, plain_text, to_markdown

__all__ = ["ABOVE", "BLANK", "GENERIC", "NEGATED_WORD", "STOP", "WORD", "blanks",
           "capitalization_ratios", "content_lemmas", "differing_words", "echo_even", "echoed",
           "echoes", "initialisms", "is_combined", "is_name_like", "is_nested", "is_paraphrase",
           "lemma", "mask", "near_form", "negated", "normalized", "plain", "prefixed", "similarity",
           "stem_cues", "words"]

# Answers that point at other options: never allowed (item-writing guidelines).
ABOVE = re.compile(r"\b(all|none|both|neither)\s+(of\s+)?(the\s+)?(above|these|options|answers)\b"
                   r"|^\s*(both|neither)\b|\b[A-D]\s*(and|&|or|,)\s*[A-D]\b", re.IGNORECASE)


def normalized(text: str) -> str:
    """Lowercase words single-spaced: what "equal after normalization" compares."""
    return " ".join(w.lower() for w in words(plain_text(text)))


def differing_words(a: str, b: str) -> frozenset[str]:
    """Content lemmas only one of two texts has, generic phrasing words left out."""
    return (content_lemmas(plain_text(a)) ^ content_lemmas(plain_text(b))) - GENERIC


def is_nested(a: str, b: str) -> bool:
    """One option's telling words all inside the other's: "Distributed Rate Limiting" and
    "Distributed Rate Limiting with Redis" (the longer is a case of the shorter, so both
    can be right), "Vertical Scaling" and "Vertical Scaling as Quick Fix"."""
    mine = content_lemmas(plain_text(a)) - GENERIC
    theirs = content_lemmas(plain_text(b)) - GENERIC
    return bool(mine and theirs) and (mine <= theirs or theirs <= mine)


def is_paraphrase(a: str, b: str) -> bool:
    """Two options that say the same thing: equal words, or only generic words differ.

    The differing words decide, not a fuzzy score: "Horizontal Scaling" and "Vertical
    Scaling" score high but differ by the word that decides the answer.
    """
    return normalized(a) == normalized(b) or not differing_words(a, b)


def similarity(a: str, b: str) -> float:
    """A 0-100 fuzzy score of two options (reported, never decisive on its own)."""
    return fuzz.token_set_ratio(normalized(a), normalized(b))


def is_combined(option: str, others: Iterable[str]) -> bool:
    """An option that refers to other options or joins two of them ("A and C", "X and Y")."""
    if ABOVE.search(plain_text(option)):
        return True
    mine = content_lemmas(plain_text(option)) - GENERIC
    contained = [o for o in others if (content_lemmas(plain_text(o)) - GENERIC)
                 and (content_lemmas(plain_text(o)) - GENERIC) <= mine]
    return len(contained) >= 2


def _inside(word: str, names: frozenset[str]) -> bool:
    """A word of four letters or more inside a longer name ("captcha" in "hcaptcha")."""
    return len(word) >= 4 and any(word in name and word != name for name in names)


def plain(text: str) -> str:
    """What a reader sees of a stem or option (the book's Markdown and TeX resolved)."""
    return plain_text(text)


# Short words a reader takes for the start of a longer one ("app" for "application").
ABBREVIATIONS = frozenset("""
app auth config db repo info admin async sync msg req res conn env prod dev ops stat perf min
max log doc spec impl func param arg var tx id ack pub sub
""".split())


def _name_shaped(word: str) -> bool:
    """Printed like a product or command rather than an English word: "BRPOP", "hCaptcha"."""
    return bool(re.search(r"[a-z][A-Z]|[A-Z]{2}|[0-9]", word))


@functools.lru_cache(maxsize=1 << 16)
def near_form(a: str, b: str) -> bool:
    """Two words (as printed) a reader takes for forms of one word.

    The same lemma ("Replicas"/"replica"); one the start of the other ("log"/"logging",
    "proxy"/"ProxySQL", "app"/"Application": four letters or more, or a common
    abbreviation); one behind a prefix ("connection"/"Reconnection", "healthy"/"unhealthy");
    a long shared run at the start of one of them ("Expiration"/"EXPIRE", "consistent"/
    "consistency", "membership"/"SISMEMBER": five letters or more and most of
    the shorter word); or one inside a name-shaped other ("captcha"/"hCaptcha",
    "pop"/"BRPOP", "SQL"/"NoSQL"); or one derived from the other ("retrieve"/"Retrieval",
    "retain"/"Retention", "apply"/"Application": ``_derived``).
    """
    x, y = a.lower(), b.lower()
    if x == y:
        return True
    if _letter_pairs(x).isdisjoint(_letter_pairs(y)):
        return False  # most pairs: every rule below needs two adjacent letters both share
    return _near_form_rules(a, b, x, y)


@functools.lru_cache(maxsize=1 << 14)
def _letter_pairs(word: str) -> frozenset[str]:
    """The runs of two adjacent letters of a word ("log" -> "lo", "og")."""
    return frozenset(word[i:i + 2] for i in range(len(word) - 1))


def _near_form_rules(a: str, b: str, x: str, y: str) -> bool:
    """``near_form`` of two different words, printed ``a``/``b``, lowercase ``x``/``y``.

    Each rule needs a run of two letters both words share: a common lemma or stem keeps
    the first two or three letters of each word (``lemma`` and ``_stem`` only swap a
    suffix of a longer word), a derivation a base of five letters, a prefix rule a root of
    six, and every ``_near`` rule a shared start, a word inside the other or a shared run
    of four letters or more. ``near_form`` rejects the rest before trying them (a test
    checks the claim on generated words).
    """
    if lemma(x) == lemma(y) or _stem(x) == _stem(y):
        return True
    if _derived(_stem(x), _stem(y)):
        return True
    if len(x) == len(y) and _near(b, a):
        return True
    if prefixed(x, y) or prefixed(y, x):
        return True
    return _near(a, b) if len(x) <= len(y) else _near(b, a)


# Prefixes that make a word of another ("Reconnection" / "connection", "unhealthy" /
# "health", "deduplicate" / "duplicate"): a reader sees the word inside.
_PREFIXES = ("re", "un", "de", "pre", "non", "dis", "auto", "multi", "sub", "over", "under")


# The negating prefixes of ``english.NEGATING_PREFIXES`` as they are written before a word.
_NEGATING_FORMS = (*NEGATING_PREFIXES, *(f"{prefix}-" for prefix in HYPHENATED_NEGATING))


def negated(a: str, b: str) -> bool:
    """One word the other behind a negating prefix ("Committed" / "Uncommitted"): forms of
    one word to the eye, but opposite ideas."""
    x, y = a.lower(), b.lower()
    return any(y == p + x or x == p + y for p in _NEGATING_FORMS)


# A word negated in running text, group 1: behind a negating prefix written with a hyphen
# or after a negating word ("Non-Refundable", "Un-Retryable", "No Persistence", "Not
# Idempotent"; not "In-Memory", nor "in Production", where "in" is a preposition).
NEGATED_WORD = re.compile(rf"\b(?:(?:{'|'.join(HYPHENATED_NEGATING)})-|"
                          rf"(?:{'|'.join(NEGATING_WORDS)})\s+)([A-Za-z]+)", re.IGNORECASE)


def prefixed(short: str, long_: str) -> bool:
    """``long_`` is ``short`` (or its stem, six letters or more) behind a prefix
    ("health" / "unhealthy"); both lowercase."""
    root = _stem(short)
    return len(root) >= 6 and any(
        long_.startswith(prefix) and (long_[len(prefix):].startswith(root))
        for prefix in _PREFIXES)


def _near(short_printed: str, long_printed: str) -> bool:
    """``near_form`` for a word no longer than the other."""
    short, long_ = short_printed.lower(), long_printed.lower()
    x, y, a, b = short, long_, short_printed, long_printed
    if len(short) < 2 or short.isdigit() or long_.isdigit():
        return False
    if len(short) == 2 and short_printed.isupper() and _name_shaped(long_printed):
        return long_.startswith(short) or long_.endswith(short)  # "NX" in "SETNX"
    if len(short) < 3:
        return False
    root = _stem(short)
    if long_.startswith(short) or (len(root) >= 3 and long_.startswith(root)):
        # "logs"/"logging" by their roots; "exp"/"expiration", "iss"/"issuer": a short
        # form that is no English word is an abbreviation
        return len(short) >= 4 or short in ABBREVIATIONS or root in ABBREVIATIONS or \
            _name_shaped(long_printed) or not _english(short)
    if short in long_ or (len(root) >= 3 and root in long_):  # "ACLs" in "NACL"
        return _name_shaped(long_printed) or _name_shaped(short_printed)
    for word, printed, name, name_printed in ((x, a, y, b), (y, b, x, a)):
        if len(word) >= 4 and word[:4] in name and _name_shaped(name_printed) and \
                not _name_shaped(printed):
            return True  # "Increment" in "ZINCRBY": a command spells its word short
    # A long run both words share, at the start of one of them: "expiration"/"expire",
    # "membership"/"sismember" (but not "replication"/"application").
    for word, other in ((x, y), (y, x)):
        run = 0
        while run < len(word) and word[:run + 1] in other:
            run += 1
        if run >= 5 and run >= 0.6 * len(short):
            return True
    return False


# Derivational suffixes: a word and its derivative share the rest ("retrieve"/"Retrieval",
# "define"/"definition", "product"/"Production"). Longest first; a trailing "e" or "y" of the
# base goes too ("scale" -> "scal").
_DERIVATIONAL = ("ization", "isation", "ability", "ibility", "ation", "ition", "ment", "ance",
                 "ence", "ness", "able", "ible", "ion", "ive", "ity", "ure", "age", "al", "e",
                 "y")
# A shared base at least this long: shorter ones pair false friends ("part"/"partition",
# "port"/"portion", "form"/"formal", "vers"/"version").
MIN_BASE = 5
# Stems whose last letters change between the verb and the noun (Latin alternations):
# "retain"/"Retention", "receive"/"reception", "reduce"/"reduction", "apply"/"application".
_ALTERNATIONS = (("tain", "tention"), ("tain", "tenance"), ("ceive", "ception"),
                 ("sume", "sumption"), ("duce", "duction"), ("mit", "mission"),
                 ("scribe", "scription"), ("solve", "solution"), ("ide", "ision"),
                 ("ude", "usion"), ("end", "ension"), ("ply", "plication"),
                 ("ify", "ification"), ("y", "iance"), ("y", "iability"))
# Pairs the alternations would join that a reader keeps apart (contention is from
# "contend", attention from "attend"; a reply is no replication, a complication no comply).
_FALSE_FRIENDS = frozenset({("contain", "contention"), ("attain", "attention"),
                            ("commit", "commission"), ("reply", "replication"),
                            ("comply", "complication")})
_ALTERNATION_MIN = 5


@functools.lru_cache(maxsize=1 << 14)
def _bases(word: str) -> frozenset[str]:
    """A word's possible bases under one derivational suffix (itself included)."""
    found = {word}
    for suffix in _DERIVATIONAL:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_BASE:
            found.add(word[: -len(suffix)])
    return frozenset(found)


def _derived(x: str, y: str) -> bool:
    """Two (inflection-stripped) words one of which derives from the other or both from
    one base: a shared base of ``MIN_BASE`` letters or more after a derivational suffix,
    or a Latin alternation of the stem's end ("retain"/"retention")."""
    if min(len(x), len(y)) < MIN_BASE:
        return False
    if {b for b in _bases(x) if len(b) >= MIN_BASE} & _bases(y) or \
            {b for b in _bases(y) if len(b) >= MIN_BASE} & _bases(x):
        return True
    for short, long_ in ((x, y), (y, x)):
        if (short, long_) in _FALSE_FRIENDS or len(short) < _ALTERNATION_MIN:
            continue
        for verb, noun in _ALTERNATIONS:
            if short.endswith(verb) and long_.endswith(noun) and \
                    short[: -len(verb)] == long_[: -len(noun)]:
                return True
    return False


@functools.lru_cache(maxsize=1 << 14)
def _stem(word: str) -> str:
    """A word without its inflection: "retried" and "retries" -> "retry", "logs" -> "log"."""
    for suffix, replacement in (("ied", "y"), ("ies", "y"), ("ing", ""), ("ed", ""),
                                ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


def _english(word: str) -> bool:
    from ...tags.grammar import is_english_word

    return is_english_word(word)


def _tokens(text: str) -> list[str]:
    """The words of plain text as printed (case kept), markup and math resolved."""
    return words(plain(text))


def _content(tokens: Iterable[str]) -> list[str]:
    """Content words as printed: stop words dropped, unless printed in capitals (the SQL
    "IN" of a query is no preposition)."""
    return [t for t in tokens if (len(t) > 1 or t.isdigit()) and (
        (t.isupper() and len(t) >= 2) or (t.lower() not in STOP and lemma(t) not in STOP))]


def initialisms(tokens: list[str]) -> set[str]:
    """Acronyms a run of two to six words spells ("Change Data Capture" -> "cdc")."""
    letters = [t[0].lower() for t in tokens if t[:1].isalpha()]
    return {"".join(letters[i:j]) for i in range(len(letters))
            for j in range(i + 2, min(len(letters), i + 6) + 1)}


def _acronyms(tokens: list[str]) -> set[str]:
    return {t.lower().rstrip("s") if t.endswith("s") and t[:-1].isupper() else t.lower()
            for t in tokens if 2 <= len(t) <= 7 and t.rstrip("s").isupper() and t.isalpha()}


@functools.lru_cache(maxsize=1 << 14)
def _synonyms(word: str) -> frozenset[str]:
    """The other words of ``word``'s synonym groups (``tags/data/synonyms.txt``)."""
    from ...tags.terms import synonym_groups

    return frozenset().union(*(g for g in synonym_groups() if word in g)) - {word}


@functools.lru_cache(maxsize=1 << 14)
def echoes(stem: str, option: str) -> frozenset[str]:
    """Content words of ``stem`` (lowercase) that ``option`` repeats in a near form or a
    synonym ("convert" in the stem, "Transformation" in the option), or spells as an
    acronym ("CDC" in the stem, "Change Data Capture" in the option, or the other way
    round)."""
    stem_tokens, option_tokens = _tokens(stem), _tokens(option)
    option_words = set(_content(option_tokens))
    found = {w.lower() for w in _content(stem_tokens)
             if any(near_form(w, o) for o in option_words)}
    # ... or says in another word of one synonym group, in a near form ("outdated" and
    # "Staleness").
    found |= {w.lower() for w in _content(stem_tokens)
              if any(near_form(s, o) for s in _synonyms(w.lower()) | _synonyms(lemma(w))
                     for o in option_words)}
    found |= _acronyms(stem_tokens) & initialisms(option_tokens)
    spelled = _acronyms(option_tokens)
    if spelled:
        content = [t for t in stem_tokens if t.lower() not in STOP]
        for i in range(len(content)):
            for j in range(i + 2, min(len(content), i + 6) + 1):
                if "".join(t[0].lower() for t in content[i:j]) in spelled:
                    found |= {t.lower() for t in content[i:j]}
    return frozenset(found)


BLANK = "___"
# Blanks separated only by these read as one gap, so the number of blanks does not hint.
_BLANK_GAP = re.compile(r"[\s\-/.]+")


def mask(text: str, lemmas: frozenset[str], blank: str = BLANK) -> str:
    """Blank every word whose lemma is in ``lemmas`` or inside one of them; blanks merge.

    ``text`` and the result are the book's Markdown (``pipeline/inline.py``). A code span
    or formula is an atom: one holding such a word is blanked whole, never cut.
    """
    if not lemmas:
        return text
    parsed = parse(text)
    plain = parsed.plain

    def telling(word: str) -> bool:
        found = lemma(word)
        return found in lemmas or _inside(found, lemmas)

    ranges = [(m.start(), m.end()) for m in WORD.finditer(plain)
              if not parsed.overlaps_atom(m.start(), m.end()) and telling(m.group(0))]
    ranges += [(start, end) for start, end in parsed.atoms
               if any(telling(word) for word in WORD.findall(plain[start:end]))]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and _BLANK_GAP.fullmatch(plain[merged[-1][1]:start]) and \
                not parsed.cuts(merged[-1][0], end):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    if not merged:
        return text
    return to_markdown(parsed.replace(merged, blank))


def blank_name(text: str, name: str, blank: str = BLANK) -> str:
    """``text`` (Markdown) with every mention of ``name`` blanked, however it is spaced
    ("SET NX" for SETNX; a name in capitals only where printed in capitals); a code span
    or formula holding one is blanked whole."""
    letters = [c for c in name if c.isalnum()]
    if not letters:
        return text
    capitals = any(c.isupper() for c in letters) and not any(c.islower() for c in letters)
    pattern = re.compile(r"(?<![A-Za-z0-9])" + r"[\s._=-]*".join(map(re.escape, letters))
                         + r"(?![A-Za-z0-9])", 0 if capitals else re.IGNORECASE)
    parsed = parse(text)
    ranges: list[tuple[int, int]] = []
    for match in pattern.finditer(parsed.plain):
        start, end = match.start(), match.end()
        for a_start, a_end in parsed.atoms:
            if start < a_end and a_start < end:
                start, end = min(start, a_start), max(end, a_end)
        if ranges and start < ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(end, ranges[-1][1]))
        else:
            ranges.append((start, end))
    if not ranges:
        return text
    return to_markdown(parsed.replace(ranges, blank))


def blanks(masked: str, blank: str = BLANK) -> int:
    """How many blanks a masked (Markdown) text shows."""
    return plain_text(masked).count(blank)


def stem_cues(stem: str, key: str, distractors: Iterable[str]) -> frozenset[str]:
    """Stem words the key repeats (in a near form, or as an acronym) and no distractor does.

    Compared on plain text, as a reader sees it: "Expiration" cues "EXPIRE", "proxy" cues
    "ProxySQL", "app" cues "Application-Level", "CDC" cues "Change Data Capture".
    """
    shared = set(echoes(stem, key))
    for other in distractors:
        shared -= echoes(stem, other)
    return frozenset(shared)


def echoed(stem: str, options: Iterable[str]) -> list[bool]:
    """Which options the stem echoes (repeats a word of, in a near form)."""
    return [bool(echoes(stem, option)) for option in options]


def echo_even(stem: str, options: Iterable[str]) -> bool:
    """The stem echoes none of the options or all of them: an echoed option draws the eye,
    towards the key (a cue) or away from it (the reader rules it out as too easy)."""
    found = echoed(stem, options)
    return not any(found) or all(found)


def is_name_like(word: str, capitalized_ratio: dict[str, float]) -> bool:
    """A word shaped like a product or technology name rather than an English word.

    CamelCase ("PostgreSQL", "HAProxy"), acronyms ("AWS"), digits ("S3"), identifiers
    ("limit_conn"), or a word the corpus capitalizes in mid-sentence ("Redis", never "redis").
    """
    if re.search(r"[a-z][A-Z]|[A-Z]{2,}[a-z]|[0-9]|_|\.[a-z]", word) or \
            re.fullmatch(r"[A-Z]{2,}s?", word):
        return True
    return capitalized_ratio.get(word.lower(), 0.0) >= 0.8 and word[:1].isupper()


def capitalization_ratios(texts: Iterable[str]) -> dict[str, float]:
    """For each lowercase word, the share of its mid-sentence uses that are capitalized."""
    upper: dict[str, int] = {}
    total: dict[str, int] = {}
    for text in texts:
        for sentence in re.split(r"(?<=[.!?:→])\s+|\s[→\-–—]\s|[(\"'“]", text):
            for word in words(sentence)[1:]:
                key = word.lower()
                total[key] = total.get(key, 0) + 1
                if word[:1].isupper():
                    upper[key] = upper.get(key, 0) + 1
    return {w: upper.get(w, 0) / n for w, n in total.items()}
