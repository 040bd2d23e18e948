"""Splitting a space-joined tag row into its tags.

The row's words are cut into phrases by dynamic programming over every possible cut. A
split's score is a weighted sum of named, explainable features (``features.py``) of its
phrases and cuts, plus the log prior of its shape (how many tags, how long: ``shape.py``):
a log-linear model whose weights (``weights.py``) are fitted on rows split by hand
(``scripts/fit_tag_weights.py``). The confidence of the chosen split is its share of the
probability of all splits, so a row with a close runner-up gets a low confidence and
goes to the top of the report.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from .context import EMPTY, RowContext
from .features import Features, RowFeatures
from .shape import count_log_prior
from .vocabulary import Vocabulary
from .weights import WEIGHTS
from .words import match_key, tag_words

NEG = -1e9  # a forbidden cut


@dataclass(frozen=True, slots=True)
class RowSplit:
    """How one joined row was split, how sure the splitter is, and why."""

    text: str
    parts: tuple[str, ...]
    confidence: float
    reason: str
    runner_up: tuple[str, ...] | None = None


def weigh(features: Features, weights: Mapping[str, float]) -> float:
    return sum(weights[f.name] * f.value for f in features)


class RowScorer:
    """Scores of every phrase and every cut of one row, and the notes that explain them."""

    def __init__(self, words: list[str], vocab: Vocabulary,
                 weights: Mapping[str, float] = WEIGHTS, context: RowContext = EMPTY):
        self.words = words
        self.weights = weights
        self.features = RowFeatures(words, vocab, context)
        self._phrase: dict[tuple[int, int], tuple[float, str]] = {}
        self.cut_notes: dict[int, str] = {}  # gap -> the main reason to cut there
        self.join_notes: dict[int, str] = {}  # gap -> the main reason not to
        self.cuts = [0.0] + [self._cut(g) for g in range(1, len(words))]

    def tag_count(self, tags: int) -> float:
        return self.weights["tag_count"] * count_log_prior(tags, len(self.words))

    def phrase(self, i: int, j: int) -> tuple[float, str]:
        """Score of words[i:j] as one tag, and the evidence that speaks for it."""
        if (i, j) not in self._phrase:
            found = self.features.phrase(i, j)
            self._phrase[(i, j)] = ((NEG, "cannot be a tag") if found is None
                                    else (weigh(found[0], self.weights), found[1]))
        return self._phrase[(i, j)]

    def _cut(self, g: int) -> float:
        """Score of cutting between words[g-1] and words[g] (positive: a boundary)."""
        found = self.features.cut(g)
        if found is None:
            return NEG
        pulls = [(self.weights[f.name] * f.value, f.note) for f in found if f.note]
        cut = max((p for p in pulls if p[0] > 0), default=None, key=lambda p: p[0])
        joins = sorted((p for p in pulls if p[0] < 0), key=lambda p: p[0])[:2]
        if cut:
            self.cut_notes[g] = cut[1]
        if joins:  # the two strongest reasons to keep the words together
            self.join_notes[g] = "; ".join(note for _, note in joins)
        return weigh(found, self.weights)


def _logsumexp(values: list[float]) -> float:
    top = max(values)
    if top <= NEG / 2:
        return NEG
    return top + math.log(sum(math.exp(v - top) for v in values if v > NEG / 2))


def best_splits(scorer: RowScorer, k: int = 2) -> tuple[list[tuple[float, tuple[int, ...]]], float]:
    """The k best cut lists (score, cut positions) and the log-sum over all splits."""
    n = len(scorer.words)
    Ranked = list[tuple[float, tuple[int, ...]]]
    # best[j][m]: the k best ways to cut words[:j] into m tags; alpha[j][m]: their log-sum
    uncut: Ranked = [(0.0, ())]
    best: list[dict[int, Ranked]] = [{0: uncut}] + [{} for _ in range(n)]
    alpha: list[dict[int, float]] = [{0: 0.0}] + [{} for _ in range(n)]
    for j in range(1, n + 1):
        candidates: dict[int, Ranked] = {}
        mass: dict[int, list[float]] = {}
        for i in range(j):
            phrase, _ = scorer.phrase(i, j)
            step = phrase + (scorer.cuts[i] if i else 0.0)
            if step <= NEG / 2:
                continue
            for m, ranked in best[i].items():
                mass.setdefault(m + 1, []).append(alpha[i][m] + step)
                candidates.setdefault(m + 1, []).extend(
                    (score + step, cuts + ((i,) if i else ())) for score, cuts in ranked)
        for m, found in candidates.items():
            found.sort(key=lambda c: (-c[0], c[1]))
            best[j][m] = found[:k]
            alpha[j][m] = _logsumexp(mass[m])
    final = [(score + scorer.tag_count(m), cuts)
             for m, ranked in best[n].items() for score, cuts in ranked]
    final.sort(key=lambda c: (-c[0], c[1]))
    masses = [a + scorer.tag_count(m) for m, a in alpha[n].items()]
    return final[:k], (_logsumexp(masses) if masses else NEG)


def _parts(words: list[str], cuts: tuple[int, ...]) -> tuple[str, ...]:
    bounds = (0, *cuts, len(words))
    return tuple(" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:]))


def split_row(text: str, vocab: Vocabulary,
              pins: Mapping[str, tuple[str, ...]] | None = None,
              context: RowContext = EMPTY, weights: Mapping[str, float] = WEIGHTS) -> RowSplit:
    """Split one space-joined row into tags, with a confidence in [0, 1] and the reasons;
    ``context``: the text of the point that prints the row (see ``context.py``)."""
    words = tag_words(text)
    if not words:
        return RowSplit(text, (), 1.0, "empty after cleaning")
    settled = settled_split(words, vocab, pins)
    if settled:
        return settled
    cleaned = " ".join(words)
    scorer = RowScorer(words, vocab, weights, context)
    ranked, total = best_splits(scorer)
    if not ranked:  # every split breaks a rule (a row of function words): keep it whole
        return RowSplit(cleaned, (cleaned,), 0.0, "no valid split; kept whole")
    score, cuts = ranked[0]
    confidence = math.exp(score - total) if total > NEG / 2 else 1.0
    runner = _parts(words, ranked[1][1]) if len(ranked) > 1 else None
    return RowSplit(cleaned, _parts(words, cuts), round(min(1.0, confidence), 3),
                    _explain(scorer, cuts), runner)


def settled_split(words: list[str], vocab: Vocabulary,
                  pins: Mapping[str, tuple[str, ...]] | None = None) -> RowSplit | None:
    """The split of a row that evidence settles without weighing (a pin, the user's phrase,
    another copy's tags, a known tag, a single word), or None."""
    cleaned = " ".join(words)
    key = match_key(words)
    if pins and key in pins:
        return RowSplit(cleaned, pins[key], 1.0, "pinned in tags.toml")
    if key in vocab.user:
        return RowSplit(cleaned, (cleaned,), 1.0, "named in tags.toml")
    cuts = align_cuts(words, vocab.copies.get(key, ()))
    if cuts is not None:
        return RowSplit(cleaned, _parts(words, cuts), 0.99,
                        "another copy prints these as separate tags")
    if vocab.known.get(key):
        return RowSplit(cleaned, (cleaned,), 0.98, "printed as one tag elsewhere")
    if len(words) == 1:
        return RowSplit(cleaned, (cleaned,), 1.0, "a single word")
    return None


def align_cuts(words: list[str], part_keys: tuple[str, ...]) -> tuple[int, ...] | None:
    """Where the row's own words must be cut so its parts match ``part_keys`` (case, plural
    and hyphens may differ), or None if they do not fit."""
    if not part_keys:
        return None
    cuts: list[int] = []
    start = 0
    for part_key in part_keys:
        stop = start + 1
        while stop <= len(words) and match_key(words[start:stop]) != part_key:
            stop += 1
        if stop > len(words):
            return None
        cuts.append(stop)
        start = stop
    return tuple(cuts[:-1]) if start == len(words) else None


def _explain(scorer: RowScorer, cuts: tuple[int, ...]) -> str:
    """One line: each part's evidence and what holds it together, then what drove the cuts."""
    bounds = (0, *cuts, len(scorer.words))
    notes = []
    for a, b in zip(bounds, bounds[1:]):
        _, why = scorer.phrase(a, b)
        inner = list(dict.fromkeys(scorer.join_notes[g] for g in range(a + 1, b)
                                   if g in scorer.join_notes))  # each reason once
        part = " ".join(scorer.words[a:b])
        notes.append(f"'{part}': {why}" + (f" ({'; '.join(inner)})" if inner else ""))
    notes.extend(scorer.cut_notes[g] for g in cuts if g in scorer.cut_notes)
    return "; ".join(notes)
