"""What part of speech a tag word can be, from WordNet's word lists, offline.

``spacy-lookups-data`` ships WordNet's index of English lemmas by part of speech
(nouns, verbs, adjectives, adverbs) and a form -> lemma table for its lookup lemmatizer.
Reading those two files directly gives a part-of-speech signal without a model or spaCy
start-up. The splitter only needs a coarse class per word:

* ``modifier``: can only describe something (adjectives, comparatives, past participles:
  "eventual", "better", "materialized"): it starts a phrase and the noun after it
  belongs with it;
* ``compound``: a hyphenated word ("cache-aside", "short-lived"): mostly starts a phrase,
  often stands alone;
* ``verb``: a bare verb that is no noun ("avoid", "prevent"): it starts a phrase that
  runs on to its object; ``verb-s``: its third person ("avoids"), which opens a clause
  at the start of a row;
* ``gerund``: an -ing form ("caching"), a noun for the splitter;
* ``adverb``: says nothing about tag edges ("indefinitely");
* ``noun``: anything else, including words WordNet does not know ("idempotency").
"""
from __future__ import annotations

import gzip
import json
from functools import lru_cache

from ..english import lemma_table, lookups_file
from ..kept import kept
from .lexicon import COMMON_ADJECTIVES

MODIFIER, VERB, GERUND, NOUN, ADVERB = "modifier", "verb", "gerund", "noun", "adverb"
COMPOUND, VERB_S = "compound", "verb-s"
# Adjective endings for words WordNet does not list ("stateful", "resumable").
_ADJECTIVE_ENDINGS = ("ful", "less", "ous", "ive", "able", "ible")
# A word that is both noun and adjective is read as an adjective when it ends like one
# ("external", "static", "independent"); otherwise as a noun ("key", "content").
_ADJECTIVE_LIKE = _ADJECTIVE_ENDINGS + ("al", "ic", "ent", "ant", "ary", "ple", "ar", "ile")
_IRREGULAR_DEGREES = frozenset({"better", "best", "worse", "worst"})
_EDGE = "'\"()“”‘’.,;:!?"


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """WordNet's lemmas by part of speech and form -> lemma ({} if the data is missing);
    read once per installation (``kept.py``), the lookup shared with ``english``."""
    path = lookups_file("en_lemma_index.json.gz")
    if path is None:
        return {}, {}

    def read() -> dict[str, frozenset[str]]:
        with gzip.open(str(path), "rt", encoding="utf-8") as f:
            return {pos: frozenset(words) for pos, words in json.load(f).items()}

    try:
        return kept("en_lemma_index", read, depends=[path]), lemma_table()
    except (OSError, ValueError):
        return {}, {}


def _senses(word: str) -> set[str]:
    """Parts of speech of ``word`` or of its lemma: {"noun", "verb", "adj", "adv"}."""
    index, lookup = _tables()
    forms = {word, lookup.get(word, word)}
    senses = {pos for pos, words in index.items() if forms & words}
    if word.endswith("s") and len(word) > 3:  # plural or third person: "queues", "uses"
        stems = {word[:-1], word[:-2] if word.endswith("es") else word[:-1]}
        # only nouns and verbs take an -s: "analytics" is no adjective
        senses |= {pos for pos in ("noun", "verb") if stems & index.get(pos, frozenset())}
    return senses


def _is_verb_form(word: str, suffix: str) -> bool:
    """``word`` is ``stem + suffix`` for a verb stem ("cached", "sorted", "mapping")."""
    index, lookup = _tables()
    return bool(_stems(word, suffix, lookup) & index.get("verb", frozenset()))


def _stems(word: str, suffix: str, lookup: dict[str, str]) -> set[str]:
    """What ``word`` minus ``suffix`` may have been: "mapped" -> map, "easier" -> easy."""
    stem = word[: -len(suffix)]
    candidates = {lookup.get(word, ""), stem, stem + "e"}
    if len(stem) > 2 and stem[-1] == stem[-2]:
        candidates.add(stem[:-1])  # "mapped" -> "map"
    if stem.endswith("i"):
        candidates.add(stem[:-1] + "y")  # "applied" -> "apply"
    return candidates


def _is_comparative(word: str) -> bool:
    """"better", "faster", "easiest": a degree of an adjective, so a modifier."""
    index, lookup = _tables()
    if word in _IRREGULAR_DEGREES:
        return True
    if word in index.get("noun", frozenset()):
        return False  # "layer", "server"
    adjectives = index.get("adj", frozenset())
    return any(word.endswith(suffix) and len(word) > len(suffix) + 2
               and bool(_stems(word, suffix, lookup) & adjectives) for suffix in ("er", "est"))


@lru_cache(maxsize=65536)
def word_class(word: str) -> str:
    """The coarse class of one tag word: modifier, verb, gerund or noun (see module doc)."""
    w = word.casefold().strip(_EDGE)
    if not w.isascii() or not any(c.isalpha() for c in w):
        return NOUN
    if "-" in w.strip("-"):
        return COMPOUND
    if not w.isalpha():
        return NOUN
    index, _ = _tables()
    senses = _senses(w)
    if w.endswith("ing") and len(w) > 5 and (_is_verb_form(w, "ing") or not senses):
        own = {pos for pos, words in index.items() if w in words}
        return MODIFIER if own == {"adj"} else GERUND  # "sliding expiration"
    own_noun = w in index.get("noun", frozenset())  # "speed", "seed"; not "sorted" via "sort"
    if w.endswith("ed") and len(w) > 4 and not own_noun and (
            _is_verb_form(w, "ed") or not senses):
        return MODIFIER
    if _is_comparative(w):
        return MODIFIER
    if not senses:
        return MODIFIER if w.endswith(_ADJECTIVE_ENDINGS) else NOUN
    if senses == {"adv"} or (w.endswith("ly") and senses <= {"adj", "adv"}):
        return ADVERB
    if senses <= {"adj", "adv"} or w in COMMON_ADJECTIVES:
        return MODIFIER
    plain = w in index.get("adj", frozenset())  # the word itself, not a plural
    if "adj" in senses and plain and w.endswith(_ADJECTIVE_LIKE):
        return MODIFIER
    if senses == {"verb"}:
        # the bare verb; "avoids" too, a verb that no noun shares ("writes" does)
        return VERB if w in index.get("verb", frozenset()) else VERB_S
    return NOUN


def is_bare_verb(word: str) -> bool:
    """The word as printed is a verb's base form ("trade", "cache"), whatever else it is."""
    index, _ = _tables()
    return word.casefold() in index.get("verb", frozenset())


def is_english_word(word: str) -> bool:
    """WordNet lists the word (or its lemma) under any part of speech."""
    return bool(_senses(word.casefold()))


def third_person_verb(word: str) -> str | None:
    """"allows" -> "verb" (only a verb's third person), "builds" -> "either" (a plural
    noun as well), None: no verb form ("replicas", "Allows" capitalised mid-row too)."""
    w = word.strip(_EDGE)
    if not w.islower() or not w.isalpha() or not w.endswith("s") or len(w) < 4:
        return None
    index, lookup = _tables()
    verbs = index.get("verb", frozenset())
    stems = {w[:-1], w[:-2] if w.endswith("es") else w[:-1], lookup.get(w, "")}
    if w.endswith("ies"):
        stems.add(w[:-3] + "y")
    if not stems & verbs or w.endswith("ss"):
        return None
    return "verb" if word_class(w) == VERB_S else "either"
