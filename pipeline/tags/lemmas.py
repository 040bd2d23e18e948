"""Lemmas of tag words: spaCy's, taken only when a word is not in the cache.

A trained English pipeline (``en_core_web_sm``) is used when installed; otherwise spaCy's
lookup lemmatizer with the table of ``spacy-lookups-data``, which works offline. Either
way only plural folding is taken from the lemma ("balancers" -> "balancer"); the rest of a
word stays as printed, so a lookup quirk cannot rename a tag.

The lookup lemmatizer needs no spaCy at run time: a blank English pipeline gives a word
the table's lemma when its tokenizer keeps the word as one token, else the word itself.
``lookup_lemmas`` does the same from the table's file (importing spaCy took 2-3 s of a cold
build): ``_one_token`` says which words the tokenizer keeps whole, and a test runs both
on every form of the table and its plurals. Only a trained pipeline starts spaCy.
"""
from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from importlib import metadata
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # spaCy is imported late at run time (see _pipeline)
    from spacy.language import Language

TRAINED_PIPELINE = "en_core_web_sm"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


def _trained() -> bool:
    return importlib.util.find_spec(TRAINED_PIPELINE) is not None


@lru_cache(maxsize=1)
def lemmatizer_id() -> str:
    """Which lemmatizer a miss would use, found without importing spaCy (a cache key part)."""
    if _trained():
        return f"{TRAINED_PIPELINE}-{_version(TRAINED_PIPELINE.replace('_', '-'))}"
    return f"spacy-lookup-{_version('spacy-lookups-data')}"


@lru_cache(maxsize=1)
def _pipeline() -> Language:
    """The trained pipeline when installed, else the blank English one with the lookup
    lemmatizer (which ``lookup_lemmas`` stands in for; the tests compare the two)."""
    import spacy  # deliberately late: seconds of start-up

    if _trained():
        return spacy.load(TRAINED_PIPELINE, exclude=["parser", "ner"])
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def spacy_lemmas(words: Iterable[str]) -> dict[str, str]:
    """Each word's lemma (lowercase words in, lowercase lemmas out), one word per doc."""
    unique = sorted(set(words))
    if not unique:
        return {}
    return _pipeline_lemmas(unique) if _trained() else lookup_lemmas(unique)


def _pipeline_lemmas(unique: list[str]) -> dict[str, str]:
    nlp = _pipeline()
    result: dict[str, str] = {}
    for word, doc in zip(unique, nlp.pipe(unique)):
        result[word] = doc[0].lemma_.lower() if len(doc) == 1 else word
    return result


# The words of the lookup table that spaCy's English tokenizer treats as exceptions: these
# without an apostrophe it splits as contractions ("dont" -> "do", "nt"; "hows" -> "how",
# "s"), these with a leading one it keeps whole ("'cause"; but "'ve" -> "'", "ve").
_CONTRACTIONS = frozenset({"dont", "hows", "wheres", "whys"})
_APOSTROPHE_WORDS = frozenset({"'cause", "'d", "'em", "'ll", "'s"})
# Letters (any script), with inner apostrophes ("bo'sun").
_LETTERS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def _one_token(word: str) -> bool:
    """Whether spaCy's English tokenizer keeps a lowercase word as one token: letters and
    inner apostrophes only, not a possessive ("c's" -> "c", "'s"), not a contraction."""
    if word in _APOSTROPHE_WORDS:
        return True
    return bool(_LETTERS.fullmatch(word)) and word not in _CONTRACTIONS and \
        not word.endswith("'s")


def lookup_lemmas(words: Iterable[str]) -> dict[str, str]:
    """The lemmas a blank English spaCy pipeline with the lookup lemmatizer gives, one word
    per doc, without spaCy: the table's lemma of a word kept as one token, else the word."""
    from ..english import lemma_table

    table = lemma_table()
    return {word: table.get(word, word).lower() if _one_token(word) else word
            for word in sorted(set(words))}


def plural_fold(word: str, lemma: str) -> str:
    """The lemma when it only removes a plural or -s ending; else the word as printed."""
    if lemma == word or not word.endswith("s"):
        return word
    if word in (lemma + "s", lemma + "es") or (word.endswith("ies") and lemma == word[:-3] + "y"):
        return lemma
    return word
