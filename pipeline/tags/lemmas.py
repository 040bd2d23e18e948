"""Lemmas from spaCy, imported only when a word is not in the cache.

A trained English pipeline (``en_core_web_sm``) is used when installed; otherwise a blank
English pipeline with the lookup lemmatizer of ``spacy-lookups-data``, which works offline.
Either way only plural folding is taken from the lemma ("balancers" -> "balancer");
the rest of a word stays as printed, so a lookup quirk cannot rename a tag.
"""
from __future__ import annotations

import importlib.util
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


@lru_cache(maxsize=1)
def lemmatizer_id() -> str:
    """Which lemmatizer a miss would use, found without importing spaCy (a cache key part)."""
    if importlib.util.find_spec(TRAINED_PIPELINE) is not None:
        return f"{TRAINED_PIPELINE}-{_version(TRAINED_PIPELINE.replace('_', '-'))}"
    return f"spacy-lookup-{_version('spacy-lookups-data')}"


@lru_cache(maxsize=1)
def _pipeline() -> Language:
    import spacy  # deliberately late: about 2 s of start-up, paid only on a cache miss

    if importlib.util.find_spec(TRAINED_PIPELINE) is not None:
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
    nlp = _pipeline()
    result: dict[str, str] = {}
    for word, doc in zip(unique, nlp.pipe(unique)):
        result[word] = doc[0].lemma_.lower() if len(doc) == 1 else word
    return result


def plural_fold(word: str, lemma: str) -> str:
    """The lemma when it only removes a plural or -s ending; else the word as printed."""
    if lemma == word or not word.endswith("s"):
        return word
    if word in (lemma + "s", lemma + "es") or (word.endswith("ies") and lemma == word[:-3] + "y"):
        return lemma
    return word
