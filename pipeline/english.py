"""Content words of English text: word tokens, stop words, lookup lemmas.

Shared by the quiz items (paraphrase, overlap and cue tests) and the Anki cloze notes
(key terms). Lemmas come from spaCy's English lookup table (spacy-lookups-data, installed
locally), so "Replicas" and "replica" count as the same word. The tag stage folds words
differently on purpose (tags/words.py, tags/lemmas.py): only plurals, keeping labels as printed.
"""
from __future__ import annotations

import functools
import gzip
import importlib.util
import json
import re
from importlib import resources
from pathlib import Path

from .kept import kept


def _spacy_stop_words() -> frozenset[str]:
    """spaCy's English stop words, read from spaCy's own ``lang/en/stop_words.py`` without
    importing spaCy (its package import takes seconds and a build that only needs this list
    should not pay it). The file is plain Python with no imports; when spaCy's layout is
    not the one expected, the ordinary import is used instead."""
    spec = importlib.util.find_spec("spacy")  # a top-level spec: spaCy is not imported
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder) / "lang" / "en" / "stop_words.py"
        loaded = importlib.util.spec_from_file_location("_drillbook_spacy_en_stop_words", path)
        if path.is_file() and loaded is not None and loaded.loader is not None:
            module = importlib.util.module_from_spec(loaded)
            loaded.loader.exec_module(module)
            return frozenset(module.STOP_WORDS)
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


STOP_WORDS = _spacy_stop_words()

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

# Prefixes that negate the word they are joined to ("Uncommitted", "Inconsistent",
# "Disallowed", "non-blocking"): a reader sees the word inside, but the opposite idea. The
# one table the quiz (``quiz.text.negated`` and ``NEGATED_WORD``, what naming items undo on
# top of ``near_form``) and the cards (``anki.directions``: a hyphenated prefix is no new
# word) read. The value: whether the prefix negates written with a hyphen too; "in-" does
# not ("in-memory", "in-flight", "in-place").
NEGATING_PREFIXES = {"un": True, "non": True, "dis": True, "in": False}
HYPHENATED_NEGATING = tuple(prefix for prefix, hyphen in NEGATING_PREFIXES.items() if hyphen)
# Words that negate the word after them ("no persistence", "not idempotent").
NEGATING_WORDS = ("non", "not", "no")


def lookups_file(name: str) -> Path | None:
    """One data file of spacy-lookups-data (``name`` under its ``data/``), or None when the
    package or the file is missing."""
    try:
        path = Path(str(resources.files("spacy_lookups_data") / "data" / name))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


@functools.lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """spaCy's English lookup table (spacy-lookups-data's ``en_lemma_lookup``: form ->
    lemma), read from its file without importing spaCy, once per installation
    (``kept.py``)."""
    data = lookups_file("en_lemma_lookup.json.gz")
    if data is None:
        raise FileNotFoundError("spacy-lookups-data's en_lemma_lookup.json.gz is missing")

    def read() -> dict[str, str]:
        with gzip.open(str(data), "rt", encoding="utf-8") as handle:
            entries: dict[str, str] = json.load(handle)
        return entries

    return kept("en_lemma_lookup", read, depends=[data])


@functools.lru_cache(maxsize=1)
def _known_lemmas() -> frozenset[str]:
    # The lemmas of spaCy's English lookup table. Only the set of lemmas is used: this used
    # to look words up in ``dict(load_lookups(...).get_table(...).items())``, but a spaCy
    # ``Table`` keys its entries by the string's 64-bit hash, so the lookup never matched.
    # Using the table's word -> lemma entries would change cards and quiz items, a change
    # of its own.
    return frozenset(lemma_table().values())


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
    known = _known_lemmas()
    if len(lower) <= 4 or lower.endswith(("ss", "is", "us")):
        return lower
    for suffix, replacement in _SUFFIXES:
        if lower.endswith(suffix) and (lower[: -len(suffix)] + replacement) in known:
            return lower[: -len(suffix)] + replacement
    for suffix in ("ing", "ed"):
        # A doubled final consonant ("logging", "committed" -> "log", "commit").
        stem = lower[: -len(suffix)]
        if lower.endswith(suffix) and len(stem) >= 3 and stem[-1] == stem[-2] and \
                stem[-1] not in "aeiouls" and stem[:-1] in known:
            return stem[:-1]
    if lower.endswith("ied") and lower[:-3] + "y" in known:
        return lower[:-3] + "y"  # "retried", "queried" -> "retry", "query"
    if lower in known:
        return lower  # a lemma itself ("exceed", "succeed", "chaos"): nothing to strip
    # Domain words the table lacks entirely ("sharded"): strip one common suffix.
    for suffix in ("ing", "ed", "s"):
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 4:
            return lower[: -len(suffix)]
    return lower


def words(text: str) -> list[str]:
    """The words of a text, in order, as written."""
    return WORD.findall(text)


@functools.lru_cache(maxsize=1 << 16)  # the quiz asks again for the same stems and options
def content_lemmas(text: str) -> frozenset[str]:
    """Lemmas of the words that carry meaning (stop words dropped, numbers kept)."""
    return frozenset(lemma(w) for w in words(text)
                     if (len(w) > 1 or w.isdigit()) and w.lower() not in STOP
                     and lemma(w) not in STOP)
