"""Synthetic dedupe corpora with known clusters, seeded from the invented sample ebook.

Each base problem is new text: its words are drawn (Zipf-like, as in real prose) from the
sample's vocabulary plus made-up technical words, so there are as many distinct problems as
asked for, not a few problems copied thousands of times. Each base then appears 1-4 times
as copies with the perturbations a later edition or a sloppy extraction makes: typos, a
retitled heading, an edited point, a changed tag layout, a new number. Decoys have a title
nearly identical to another problem's and a body of their own: they must stay apart.

Every copy stays within the merge policy of ``pipeline.dedupe`` (alike title and body, or
a nearly identical body), so the ground truth is what a careful human would merge.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

import numpy as np

from pipeline.models import Occurrence, Point, Problem, RawTag, Where

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "raw" / "sample" / "sample-ebook.txt"
LAYOUTS = ("link", "backtick", "bold", "line", "joined")
CLUSTER_SIZES = (1, 2, 3, 4)
CLUSTER_SIZE_WEIGHTS = (0.35, 0.30, 0.20, 0.15)  # mean 2.15 copies per problem
DECOY_RATE = 0.08  # share of problems that get a look-alike-titled decoy
MADE_UP_WORDS = 12000
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
# Used only when the sample is missing (e.g. a trimmed checkout): invented filler text.
_FALLBACK_TEXT = """the a to of and in for is it that on with as be by this are or at from
cache queue shard replica retry timeout budget index webhook alert consumer producer broker
lease lock token bucket window backoff jitter deadline partition rebalance offset commit
snapshot compaction tombstone fanout throttle circuit breaker bulkhead canary rollout drain
probe latency throughput percentile quorum leader follower vector clock checksum digest"""


@dataclass(frozen=True)
class SyntheticSet:
    """Problems in reading order and, for each, the id of the true cluster it belongs to."""

    problems: tuple[Problem, ...]
    clusters: tuple[int, ...]
    decoys: int  # how many clusters are decoys of another cluster

    @property
    def cluster_count(self) -> int:
        return len(set(self.clusters))


def sample_words(path: Path = SAMPLE) -> list[str]:
    """Words of the sample ebook in order of frequency (most frequent first)."""
    text = path.read_text("utf-8") if path.is_file() else _FALLBACK_TEXT
    counts = Counter(w.lower() for w in _WORD.findall(text))
    return [w for w, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


class _Writer:
    """Draws words and sentences from a fixed vocabulary with a seeded generator."""

    def __init__(self, seed: int, sample: Path):
        self.rng = np.random.default_rng(seed)
        words = sample_words(sample)
        made_up: set[str] = set()
        long_words = [w for w in words if len(w) >= 5] or words
        while len(made_up) < MADE_UP_WORDS:
            a, b = self.rng.choice(len(long_words), 2)
            cut_a = int(self.rng.integers(3, 6))
            cut_b = int(self.rng.integers(3, 6))
            candidate = long_words[a][:cut_a] + long_words[b][-cut_b:]
            if candidate not in words:
                made_up.add(candidate)
        self.vocabulary = np.array(words + sorted(made_up), dtype=object)
        ranks = np.arange(len(self.vocabulary), dtype=float)
        weights = 1.0 / (ranks + 2.7)
        self.cumulative = np.cumsum(weights) / weights.sum()
        # Titles are made of content words: skip the most frequent (function) words.
        content = weights.copy()
        content[:40] = 0
        self.content_cumulative = np.cumsum(content) / content.sum()
        self._buffer = np.empty(0, dtype=np.int64)
        self._content_buffer = np.empty(0, dtype=np.int64)

    def _draw(self, count: int, content: bool = False) -> list[str]:
        # Draw in large batches: one numpy call per ~100k words instead of one per word.
        name = "_content_buffer" if content else "_buffer"
        buffer = getattr(self, name)
        if buffer.size < count:
            table = self.content_cumulative if content else self.cumulative
            fresh = np.searchsorted(table, self.rng.random(200_000 + count))
            buffer = np.concatenate([buffer, np.minimum(fresh, len(self.vocabulary) - 1)])
        setattr(self, name, buffer[count:])
        return list(self.vocabulary[buffer[:count]])

    def count(self, low: int, high: int) -> int:
        return int(self.rng.integers(low, high + 1))

    def sentence(self, low: int, high: int, end: str = ".") -> str:
        words = self._draw(self.count(low, high))
        return " ".join(words).capitalize() + end

    def title(self, low: int, high: int) -> str:
        return " ".join(w.capitalize() for w in self._draw(self.count(low, high), content=True))

    def tags(self) -> tuple[RawTag, ...]:
        layout = LAYOUTS[self.count(0, len(LAYOUTS) - 1)]
        return tuple(RawTag(" ".join(self._draw(self.count(1, 3), content=True)), layout)
                     for _ in range(self.count(1, 3)))


def _base_problem(writer: _Writer, title: str | None = None) -> Problem:
    points = tuple(Point(title=writer.title(2, 5), explanation=writer.sentence(10, 22),
                         example=writer.sentence(8, 16), where=Where("base"),
                         raw_tags=writer.tags(), number=n + 1)
                   for n in range(writer.count(3, 6)))
    return Problem(id="", title=title or writer.title(3, 6), number=None, topic="",
                   question=writer.sentence(12, 25, "?"), summary=writer.sentence(8, 16),
                   points=points, occurrences=())


def _typo(writer: _Writer, text: str) -> str:
    """One keyboard slip in a word of four letters or more: swap, drop or double a letter."""
    words = text.split(" ")
    long_ones = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not long_ones:
        return text
    i = long_ones[writer.count(0, len(long_ones) - 1)]
    word = words[i]
    at = writer.count(1, len(word) - 2)
    kind = writer.count(0, 2)
    if kind == 0:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    elif kind == 1:
        word = word[:at] + word[at + 1:]
    else:
        word = word[:at] + word[at] + word[at:]
    words[i] = word
    return " ".join(words)


def _with_typos(writer: _Writer, problem: Problem, count: int) -> Problem:
    points = list(problem.points)
    question = problem.question
    for _ in range(count):
        k = writer.count(0, len(points))
        if k == len(points):
            question = _typo(writer, question)
        else:
            points[k] = replace(points[k], explanation=_typo(writer, points[k].explanation))
    return replace(problem, question=question, points=tuple(points))


def _retitled(writer: _Writer, title: str) -> str:
    """A later edition's title: a word replaced, added or dropped."""
    words = title.split()
    kind = writer.count(0, 2)
    at = writer.count(0, len(words) - 1)
    if kind == 0:
        words[at] = writer.title(1, 1)
    elif kind == 1:
        words.insert(at, writer.title(1, 1))
    elif len(words) > 2:
        del words[at]
    else:
        words.append(writer.title(1, 1))
    return " ".join(words)


def _look_alike_title(writer: _Writer, title: str) -> str:
    """A title one letter or one short word away from ``title``."""
    if writer.count(0, 1) == 0:
        return _typo(writer, title) if _typo(writer, title) != title else title + "s"
    words = title.split()
    words.insert(writer.count(0, len(words)), ("For", "The", "And", "With")[writer.count(0, 3)])
    return " ".join(words)


def _copy(writer: _Writer, base: Problem, copy_index: int) -> Problem:
    """Copy ``copy_index`` of a base problem; copy 0 is the base as first printed."""
    problem = base
    if copy_index > 0:
        kind = ("typos", "retitle", "edit-point", "layout")[writer.count(0, 3)]
        if kind == "typos":  # a sloppy extraction: up to one word in twenty mistyped
            problem = _with_typos(writer, problem, writer.count(1, 8))
        elif kind == "retitle":
            problem = replace(problem, title=_retitled(writer, problem.title))
            problem = _with_typos(writer, problem, writer.count(0, 4))
        elif kind == "edit-point":  # a revised explanation, sometimes its example too
            points = list(problem.points)
            k = writer.count(0, len(points) - 1)
            points[k] = replace(points[k], explanation=writer.sentence(10, 22))
            if writer.count(0, 1):
                points[k] = replace(points[k], example=writer.sentence(8, 16))
            problem = _with_typos(writer, replace(problem, points=tuple(points)),
                                  writer.count(0, 2))
        if kind == "layout" or writer.count(0, 1):
            layout = LAYOUTS[writer.count(0, len(LAYOUTS) - 1)]
            problem = replace(problem, points=tuple(
                replace(p, raw_tags=tuple(replace(t, layout=layout) for t in p.raw_tags))
                for p in problem.points))
    return problem


def synthetic_set(size: int, seed: int = 7, sample: Path = SAMPLE) -> SyntheticSet:
    """``size`` problems in ~size/2.15 true clusters (1-4 copies each), with decoys."""
    writer = _Writer(seed, sample)
    topics = [f"topic-{n:02d}" for n in range(1, 45)]
    copies: list[tuple[int, Problem]] = []  # (true cluster, copy) before shuffling
    cluster = 0
    decoy_labels: list[int] = []
    while len(copies) < size:
        base = _base_problem(writer)
        families = [base]
        if writer.rng.random() < DECOY_RATE:
            families.append(_base_problem(writer, title=_look_alike_title(writer, base.title)))
        for number, family in enumerate(families):
            if number:
                decoy_labels.append(cluster)
            topic = topics[writer.count(0, len(topics) - 1)]
            family = replace(family, topic=topic)
            copy_count = int(writer.rng.choice(CLUSTER_SIZES, p=CLUSTER_SIZE_WEIGHTS))
            copies.extend((cluster, _copy(writer, family, k)) for k in range(copy_count))
            cluster += 1
    copies = copies[:size]
    # Copies of a problem are spread through the book(s), not adjacent.
    order = writer.rng.permutation(len(copies))
    problems: list[Problem] = []
    clusters: list[int] = []
    for line, index in enumerate(order, 1):
        label, problem = copies[index]
        number = int(writer.rng.integers(1, 60))
        source = f"edition-{line % 3 + 1}"
        points = tuple(replace(p, where=Where(source, line)) for p in problem.points)
        problems.append(replace(problem, number=number, points=points, occurrences=(
            Occurrence(source, line, None, number, problem.title, problem.topic),)))
        clusters.append(label)
    kept = set(clusters)
    return SyntheticSet(problems=tuple(problems), clusters=tuple(clusters),
                        decoys=sum(1 for label in decoy_labels if label in kept))


@dataclass(frozen=True)
class PairQuality:
    """Pairwise recall and precision of a clustering against the true clusters."""

    true_pairs: int
    found_pairs: int
    correct_pairs: int

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.found_pairs if self.found_pairs else 1.0


def _pairs(counts: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def pair_quality(truth: Sequence[int], predicted: Sequence[int]) -> PairQuality:
    """Compare two labelings of the same items by the pairs they put together."""
    return PairQuality(true_pairs=_pairs(Counter(truth)), found_pairs=_pairs(Counter(predicted)),
                       correct_pairs=_pairs(Counter(zip(truth, predicted))))


def predicted_clusters(problems: Sequence[Problem], merged: Sequence[Problem]) -> list[int]:
    """For each input problem, the index of the merged problem holding its occurrence."""
    where = {(o.source, o.line): k for k, problem in enumerate(merged)
             for o in problem.occurrences}
    return [where[(p.occurrences[0].source, p.occurrences[0].line)] for p in problems]
