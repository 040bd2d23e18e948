"""The point's own text as evidence for splitting its tag row.

A tag often repeats words that the point's title, explanation or example use together
("connection timeout" in a point whose example sets a connection timeout), and two words
its text uses only apart are likelier two tags. A row's context is the text of every
point that prints the row (a copy of the problem prints it again), read the way the
prose statistics of ``vocabulary.py`` read the book: broken at punctuation, words folded.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from ..models import Corpus, Point, Problem
from .vocabulary import CLAUSE_BREAK, PROSE_WORD
from .words import fold_word, match_key

RUN_MAX = 4  # the longest word run remembered


@dataclass(frozen=True)
class RowContext:
    """Folded words and word runs (2 to ``RUN_MAX``) of the text around one tag row."""

    words: frozenset[str] = frozenset()
    runs: frozenset[tuple[str, ...]] = frozenset()

    def has_run(self, folded: tuple[str, ...]) -> bool:
        return folded in self.runs

    def has_word(self, folded: str) -> bool:
        return folded in self.words


EMPTY = RowContext()


def context_of(texts: Iterable[str]) -> RowContext:
    """The context made of ``texts`` (a point's title, explanation, example...)."""
    words: set[str] = set()
    runs: set[tuple[str, ...]] = set()
    for text in texts:
        for chunk in CLAUSE_BREAK.split(text or ""):
            folded = [fold_word(w) for w in PROSE_WORD.findall(chunk)]
            words.update(folded)
            for n in range(2, RUN_MAX + 1):
                runs.update(tuple(folded[k:k + n]) for k in range(len(folded) - n + 1))
    return RowContext(words=frozenset(words), runs=frozenset(runs))


def point_texts(problem: Problem, point: Point) -> tuple[str, ...]:
    """The texts of a point that its tags may repeat: its title, explanation and example."""
    return (point.title, point.explanation, point.example)


def row_contexts(corpus: Corpus) -> dict[str, RowContext]:
    """Match key of each joined row -> the context of every point that prints it."""
    texts: dict[str, list[str]] = defaultdict(list)
    for problem in corpus.problems:
        for point in problem.points:
            for raw in point.raw_tags:
                if raw.layout == "joined":
                    texts[match_key(raw.text)].extend(point_texts(problem, point))
    return {key: context_of(found) for key, found in texts.items()}
