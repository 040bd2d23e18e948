"""What the item builders look up, computed once per corpus: points by problem and topic,
their words and shapes, the tags' kinds and families, the book's contrasts."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Iterable

from ...english import GENERIC, content_lemmas
from ...inline import plain_text
from ...models import Corpus, Point, Problem
from ...tags.kinds import TagKinds
from .shapes import title_shape
from .text import capitalization_ratios

if TYPE_CHECKING:
    from .contrast import Contrast
    from .meaning import MeaningModel

# Words in more than this share of problems do not make two texts "about the same thing".
COMMON_SHARE = 0.35


@dataclass(frozen=True)
class PointRef:
    """A point with its problem, its title's shape and the word sets the builders compare."""

    problem: Problem
    point: Point
    shape: str  # see shapes.py
    title_words: frozenset[str]  # content lemmas of the title, generic words removed
    text_words: frozenset[str]  # content lemmas of explanation and example


def problem_text(problem: Problem) -> str:
    """Everything a problem says, as plain text."""
    return plain_text(" ".join([
        problem.title, problem.question, problem.summary,
        *(f"{pt.title} {pt.explanation} {pt.example}" for pt in problem.points)]))


class Bank:
    """Lookups over one corpus; ``topics`` limits which problems items are made from (the
    whole corpus still supplies distractors and evidence)."""

    def __init__(self, corpus: Corpus, topics: Iterable[str] | None = None,
                 meaning: "MeaningModel | None" = None):
        self.corpus = corpus
        self._meaning = meaning  # the cue solver's model of the same corpus, when given
        self.topic_order = {t.id: t.order for t in corpus.topics}
        self.topic_title = {t.id: t.title for t in corpus.topics}
        self.refs = [PointRef(p, pt, title_shape(pt.title),
                              content_lemmas(plain_text(pt.title)) - GENERIC,
                              content_lemmas(plain_text(f"{pt.explanation} {pt.example}")))
                     for p in corpus.problems for pt in p.points if pt.title.strip()]
        self.by_problem: dict[str, list[PointRef]] = {}
        self.by_topic: dict[str, list[PointRef]] = {}
        for ref in self.refs:
            self.by_problem.setdefault(ref.problem.id, []).append(ref)
            self.by_topic.setdefault(ref.problem.topic, []).append(ref)
        share: dict[str, int] = {}
        for problem in corpus.problems:
            for word in content_lemmas(problem_text(problem)):
                share[word] = share.get(word, 0) + 1
        limit = COMMON_SHARE * max(1, len(corpus.problems))
        self.common = frozenset(w for w, n in share.items() if n > limit) | GENERIC
        self._problems = {p.id: p for p in corpus.problems}
        self.problem_words = {p.id: content_lemmas(problem_text(p)) - self.common
                              for p in corpus.problems}
        self.tags = {t.id: t for t in corpus.tags}
        self.kinds = TagKinds(corpus.tags)
        chosen = set(topics) if topics is not None else None
        self.selected = [p for p in corpus.problems if chosen is None or p.topic in chosen]
        # select.build_checked's outcomes (item or None, and the counts it made), by what
        # they are made from: the quizzes that share this bank ask for many of the same.
        self.checked: dict[tuple, tuple] = {}

    def corpus_problem(self, problem_id: str) -> Problem:
        return self._problems[problem_id]

    def ref(self, problem: Problem, point: Point) -> PointRef | None:
        return next((r for r in self.by_problem.get(problem.id, ()) if r.point is point), None)

    def distance(self, a: str, b: str) -> int:
        """How far apart two topics are in the book's order."""
        return abs(self.topic_order.get(a, 0) - self.topic_order.get(b, 0))

    @cached_property
    def capitalized(self) -> dict[str, float]:
        """For each lowercase word, the share of its mid-sentence uses that are capitalized
        (names keep their capital when a title is written in sentence case)."""
        return capitalization_ratios(
            plain_text(text) for p in self.corpus.problems for text in
            (p.question, p.summary, *(f"{pt.explanation} {pt.example}" for pt in p.points)))

    @cached_property
    def meaning(self) -> "MeaningModel":
        """Which words the book uses together (meaning.py): what "on the stem's subject"
        means to the builders. The cue solver's model of the corpus when the bank was given
        it (one model per run: the checks ask the solver's the same questions)."""
        from .meaning import MeaningModel

        return self._meaning if self._meaning is not None else MeaningModel(self.corpus)

    @cached_property
    def contrasts(self) -> dict[str, "Contrast"]:
        """Problem id -> the book's "X vs Y" contrast it spells out (see contrast.py)."""
        from .contrast import find_contrasts

        return find_contrasts(self)
