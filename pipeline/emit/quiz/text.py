"""Word-level text helpers for quiz items: masking, paraphrase, overlap and cue tests.

The words themselves (tokens, stop words, lemmas) are in pipeline/english.py.
"""
from __future__ import annotations

import re
from typing import Iterable

from rapidfuzz import fuzz

from ...english import GENERIC, STOP, WORD, content_lemmas, lemma, words
from ...inline import parse, plain_text, to_markdown

__all__ = ["ABOVE", "BLANK", "GENERIC", "STOP", "WORD", "blanks", "capitalization_ratios",
           "content_lemmas",
           "differing_words", "is_combined", "is_name_like", "is_paraphrase", "lemma", "mask",
           "normalized", "similarity", "stem_cues", "words"]

# Answers that point at other options: never allowed (item-writing guidelines).
ABOVE = re.compile(r"\b(all|none|both|neither)\s+(of\s+)?(the\s+)?(above|these|options|answers)\b"
                   r"|^\s*(both|neither)\b|\b[A-D]\s*(and|&|or|,)\s*[A-D]\b", re.IGNORECASE)


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


def blanks(masked: str, blank: str = BLANK) -> int:
    """How many blanks a masked (Markdown) text shows."""
    return plain_text(masked).count(blank)


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
