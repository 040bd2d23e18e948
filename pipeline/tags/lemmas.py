"""Lemmas from spaCy, imported only when a word is not in the cache.

A trained English pipeline (``en_core_web_sm``) is used when installed; otherwise a blank
English pipeline with the lookup lemmatizer of ``spacy-lookups-data``, which works offline.
Either way only plural folding is taken from the lemma ("balancers" -> "balancer");
the rest of a word stays as printed, so a lookup quirk cannot rename a tag.

Starting spaCy takes seconds. A build that will need it (its tag cache is empty: a cold
build) calls ``start_lemmatizer`` first: a process forked then imports spaCy on the other
core while the build reads, segments, dedupes and splits tag rows, and ``spacy_lemmas``
asks it. It runs the same code on the same words as this process would, so the lemmas are
the same; if it is gone, the lemmas are taken here.
"""
from __future__ import annotations

import importlib.util
import multiprocessing
from functools import lru_cache
from importlib import metadata
from typing import TYPE_CHECKING, Any, Iterable

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
    if _background:
        answer = _ask_background(unique)
        if answer is not None:
            return answer
    return _lemmas_here(unique)


def _lemmas_here(unique: list[str]) -> dict[str, str]:
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


# The lemmatizer process started by ``start_lemmatizer``: (process, connection).
_background: list[tuple[Any, Any]] = []


def start_lemmatizer() -> None:
    """Fork a process that starts spaCy now, for ``spacy_lemmas`` to ask later. Does nothing
    on one core, without ``fork``, or when one is running."""
    from ..cores import can_fork, usable_cores

    if _background or usable_cores() < 2 or not can_fork():
        return
    context = multiprocessing.get_context("fork")
    here, there = context.Pipe()
    process = context.Process(target=_serve, args=(there, here), name="drillbook-lemmas",
                              daemon=True)
    process.start()
    there.close()
    _background.append((process, here))


def stop_lemmatizer() -> None:
    """End the lemmatizer process (still starting spaCy, if it was never asked)."""
    while _background:
        process, connection = _background.pop()
        connection.close()
        if process.is_alive():
            process.terminate()
        process.join()


def _ask_background(unique: list[str]) -> dict[str, str] | None:
    _, connection = _background[0]
    try:
        connection.send(unique)
        answer: dict[str, str] = connection.recv()
    except (EOFError, OSError):
        stop_lemmatizer()  # gone (killed?): the lemmas are taken here
        return None
    return answer


def _serve(connection: Any, parents_end: Any) -> None:
    """The lemmatizer process: start spaCy, then answer each list of words until EOF.

    Ctrl-C reaches the whole process group: the build handles it, this process ignores it.
    Anything that goes wrong here ends the process quietly (no traceback on the user's
    terminal): the build sees the pipe close and takes the lemmas itself."""
    import os
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parents_end.close()
    try:
        _pipeline()
        while True:
            try:
                unique = connection.recv()
            except (EOFError, OSError):
                return
            connection.send(_lemmas_here(unique))
    except BaseException:  # noqa: BLE001 - the build falls back to lemmas of its own
        connection.close()
        os._exit(1)
