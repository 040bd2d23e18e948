"""Words of a tag: cleaning markup residue, match keys, and what kind of word each is."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .lexicon import CONCEPT_ACRONYMS, GLUE_NEXT

# Markup the segmenter should already have stripped; stripped again so no residue can
# reach a label even from a hand-written alias file or a new reader.
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_RESIDUE = re.compile(r"\*\*|`|\]\(#?\)|[\[\]]|\\n")
_EDGE = re.compile(r"^[\s,;:.*_\-–—•👉]+|[\s,;:.*_\-–—]+$")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)  # asked about the same rows and phrases many times
def clean_tag_text(text: str) -> str:
    """Tag text with link syntax, bold/backtick markers, brackets and edge punctuation gone."""
    text = unicodedata.normalize("NFKC", text)
    text = _LINK.sub(r"\1", text)
    text = _RESIDUE.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return _EDGE.sub("", text)


def tag_words(text: str) -> list[str]:
    """The words of a cleaned tag row, split on white space (hyphenated words stay whole)."""
    return clean_tag_text(text).split()


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """A cheap match key for one word: case-folded, edge punctuation off, plural -s off.

    Only used to *match* phrases while splitting; labels and tag ids use the spaCy
    lemmas of ``normalize.py``.
    """
    w = word.casefold().strip("'\"()“”‘’.,;:!?")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "xes", "ches", "shes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")):
        return w[:-1]
    return w


def match_key(words: list[str] | tuple[str, ...] | str) -> str:
    """The match key of a phrase: folded words, hyphens read as spaces."""
    if isinstance(words, str):
        return _text_key(words)
    return _words_key(tuple(words))


@lru_cache(maxsize=1 << 16)
def _text_key(text: str) -> str:
    return _words_key(tuple(tag_words(text)))


@lru_cache(maxsize=1 << 16)
def _words_key(words: tuple[str, ...]) -> str:
    """``match_key`` of words (the splitter asks about the same phrases again and again)."""
    parts: list[str] = []
    for word in words:
        parts.extend(fold_word(p) for p in word.split("-") if p)
    return " ".join(p for p in parts if p)


def is_glue_next(word: str) -> bool:
    """A word that starts a phrase but cannot end one ("no", "the", "use")."""
    return word.casefold() in GLUE_NEXT and (word.islower() or word[:1].isupper())


def is_acronym(word: str) -> bool:
    """All capitals (digits and / allowed), at least two letters: "ACID", "HTTP/2", "IDs"."""
    core = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
    letters = [c for c in core if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def is_concept_acronym(word: str) -> bool:
    return word in CONCEPT_ACRONYMS


def has_inner_capital(word: str) -> bool:
    """CamelCase or mixed case after the first letter: "PgBouncer", "reCAPTCHA", "gRPC"."""
    return any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)


_IDENTIFIER = re.compile(r"^[A-Za-z]\w*(?:[._]\w{2,})+$")


def is_identifier(word: str) -> bool:
    """A name from code: "pg_stat_activity", "Socket.io", "max.poll.records"."""
    return bool(_IDENTIFIER.match(word.rstrip(".,;:"))) and any(c.isalpha() for c in word)


def is_titlecase(word: str) -> bool:
    """Capital first letter, nothing else capital: "Redis", "Monitoring"."""
    return word[:1].isupper() and not any(c.isupper() for c in word[1:])
