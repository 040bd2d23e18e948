"""Word-level text helpers for quiz items: content lemmas, masking, paraphrase and overlap tests.

Lemmas come from spaCy's English lookup table (spacy-lookups-data, installed locally), so
"Replicas" in an option and "replica" in a stem count as the same word.
"""
from __future__ import annotations

import functools
import re
from typing import Iterable

from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

# A word: letters and digits, keeping a trailing "++" or "#" ("C++"). Hyphens, slashes, dots,
# underscores and apostrophes split words, so "Exactly-Once" matches "exactly once" and
# "enable.auto.commit" matches "auto-commit".
WORD = re.compile(r"[A-Za-z0-9]+(?:\+\+|#)?")

# spaCy's stop words include words that decide an answer ("full"-text index, "NOT",
# "first", "once", "two"-phase, "before"/"after", "back"-off): those count as content here.
DECIDING = frozenset("""
full empty back front bottom top side first last next call move show name part put give keep
take make made get go see serious amount few many more most less least once one two three four
five six eight nine ten eleven twelve fifteen twenty forty fifty sixty hundred third whole
same other another off out down up over under never always alone together behind before after
again only not no none all both each every except without against above below per via due
enough often well sometimes still
""".split())
# Contractions split at the apostrophe leave these halves ("don't" -> "don", "t").
CONTRACTED = frozenset("don doesn didn isn aren wasn weren won wouldn shouldn couldn can haven "
                       "hasn ll ve re".split())
STOP = (frozenset(STOP_WORDS) - DECIDING) | CONTRACTED

# Words that say how an option is phrased, not what it is about: options that differ
# only by these are paraphrases ("Add Read Replicas" vs "Read Replicas").
GENERIC = frozenset("""
use using add adding implement implementing apply enable introduce consider prefer choose
approach approaches strategy strategies pattern patterns technique techniques method methods
way ways mechanism solution solutions option basic simple proper good best practice practices
based level type kind step steps
""".split())

# Answers that point at other options: never allowed (item-writing guidelines).
ABOVE = re.compile(r"\b(all|none|both|neither)\s+(of\s+)?(the\s+)?(above|these|options|answers)\b"
                   r"|^\s*(both|neither)\b|\b[A-D]\s*(and|&|or|,)\s*[A-D]\b", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _lemma_table() -> tuple[dict[str, str], frozenset[str]]:
    from spacy.lookups import load_lookups

    table = dict(load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup").items())
    return table, frozenset(table.values())


# Inflections the lookup table misses ("queries", "handled", "sharding"), tried in order;
# a candidate is taken when it is a lemma the table knows.
_SUFFIXES = (("ies", "y"), ("ing", "e"), ("ing", ""), ("ed", "e"), ("ed", ""), ("s", ""),
             ("es", ""))


@functools.lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The lowercase lemma of one word ("Replicas" -> "replica", "sharding" -> "shard")."""
    if re.fullmatch(r"[A-Z]{2,}s", word):
        word = word[:-1]  # acronym plurals: "URLs" -> "URL", "APIs" -> "API"
    lower = word.lower()
    table, known = _lemma_table()
    found = table.get(lower)
    if found is not None and len(lower) > 3:
        return found
    if len(lower) <= 4 or lower.endswith(("ss", "is", "us")):
        return lower
    for suffix, replacement in _SUFFIXES:
        if lower.endswith(suffix) and (lower[: -len(suffix)] + replacement) in known:
            return lower[: -len(suffix)] + replacement
    # Domain words the table lacks entirely ("sharded"): strip one common suffix.
    for suffix in ("ing", "ed", "s"):
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 4:
            return lower[: -len(suffix)]
    return lower


def words(text: str) -> list[str]:
    """The words of a text, in order, as written."""
    return WORD.findall(text)


def content_lemmas(text: str) -> frozenset[str]:
    """Lemmas of the words that carry meaning (stop words dropped, numbers kept)."""
    return frozenset(lemma(w) for w in words(text)
                     if (len(w) > 1 or w.isdigit()) and w.lower() not in STOP
                     and lemma(w) not in STOP)


def normalized(text: str) -> str:
    """Lowercase words single-spaced: what "equal after normalization" compares."""
    return " ".join(w.lower() for w in words(text))


def differing_words(a: str, b: str) -> frozenset[str]:
    """Content lemmas only one of two texts has, generic phrasing words left out."""
    return (content_lemmas(a) ^ content_lemmas(b)) - GENERIC


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
    if ABOVE.search(option):
        return True
    mine = content_lemmas(option) - GENERIC
    contained = [o for o in others if (content_lemmas(o) - GENERIC)
                 and (content_lemmas(o) - GENERIC) <= mine]
    return len(contained) >= 2


def _inside(word: str, names: frozenset[str]) -> bool:
    """A word of four letters or more inside a longer name ("captcha" in "hcaptcha")."""
    return len(word) >= 4 and any(word in name and word != name for name in names)


def mask(text: str, lemmas: frozenset[str], blank: str = "___") -> str:
    """Blank every word whose lemma is in ``lemmas`` or inside one of them; blanks merge."""
    if not lemmas:
        return text

    def replace(match: re.Match[str]) -> str:
        found = lemma(match.group(0))
        return blank if found in lemmas or _inside(found, lemmas) else match.group(0)

    masked = WORD.sub(replace, text)
    # "___-___" or "___ ___" read as one gap, so the number of blanks does not hint.
    gap = re.escape(blank)
    return re.sub(rf"{gap}(?:[\s\-/.]+{gap})+", blank, masked)


def stem_cues(stem: str, key: str, distractors: Iterable[str]) -> frozenset[str]:
    """Words the stem shares with the key (or that sit inside a key word) and no distractor."""
    key_words = content_lemmas(key)
    stem_words = content_lemmas(stem)
    shared = (stem_words & key_words) | {w for w in stem_words if _inside(w, key_words)}
    for other in distractors:
        other_words = content_lemmas(other)
        shared = {w for w in shared if w not in other_words and not _inside(w, other_words)}
    return frozenset(shared)


def is_name_like(word: str, capitalized_ratio: dict[str, float]) -> bool:
    """A word shaped like a product or technology name rather than an English word.

    CamelCase ("PostgreSQL", "HAProxy"), acronyms ("AWS"), digits ("S3"), identifiers ("limit_conn"),
    or a word the corpus capitalizes in mid-sentence ("Redis", never "redis").
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
