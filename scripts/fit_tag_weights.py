"""Fit the tag splitter's weights on rows a person split by hand.

    python scripts/fit_tag_weights.py --book BOOK.txt SAMPLE.txt [SAMPLE.txt ...]
    python scripts/fit_tag_weights.py --book BOOK.txt --certain-rows   # no hand work

Each sample line is one joined tag row of BOOK, its tags separated by `` | `` as a person
would split them (``#`` starts a comment). The book only provides the splitter's
vocabulary (what it printed unambiguously, its prose); keep both outside the repository
if the book is not yours. The model is log-linear over every split of a row (see
``pipeline/tags/split.py``): the fit maximises the probability of the hand splits,
pulled towards the hand-set ``PRIOR_WEIGHTS`` (an L2 penalty), and reports exact-row
accuracy under k-fold cross-validation before writing ``pipeline/tags/weights_fitted.py``.
Rows the splitter settles without weights (pins, other copies, known tags) are left out.
``--certain-rows`` also learns from the book's own rows printed one tag at a time, each
read as if it had been printed joined (its own tags taken out of the vocabulary).
"""
from __future__ import annotations

import argparse
import itertools
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.build import SourceInput, build_corpus  # noqa: E402
from pipeline.config import Config  # noqa: E402
from pipeline.tags.context import EMPTY, row_contexts  # noqa: E402
from pipeline.tags.features import RowFeatures  # noqa: E402
from pipeline.tags.shape import count_log_prior  # noqa: E402
from pipeline.tags.split import align_cuts, settled_split  # noqa: E402
from pipeline.tags.vocabulary import UNAMBIGUOUS, build_vocabulary, without_tags  # noqa: E402
from pipeline.tags.weights import FIXED, PRIOR_WEIGHTS  # noqa: E402
from pipeline.tags.words import clean_tag_text, match_key, tag_words  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "tags" / "weights_fitted.py"
MAX_WORDS = 12  # every split of a row is enumerated: 2 ** (words - 1)
TIE = 0.005  # cross-validated accuracies this close are one result
NAMES = sorted(PRIOR_WEIGHTS)
INDEX = {name: k for k, name in enumerate(NAMES)}


def read_sample(path: Path) -> list[tuple[str, ...]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append(tuple(part.strip() for part in line.split("|")))
    return rows


def gold_cuts(words: list[str], parts: tuple[str, ...]) -> tuple[int, ...] | None:
    """Where the hand split cuts the row's words, or None if the parts do not fit."""
    return align_cuts(words, tuple(match_key(part) for part in parts))


def vector(features) -> np.ndarray:
    v = np.zeros(len(NAMES))
    for f in features:
        v[INDEX[f.name]] += f.value
    return v


def row_matrix(words: list[str], vocab, context=EMPTY) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    """The feature sums of every allowed split of a row, and each split's cuts."""
    row = RowFeatures(words, vocab, context)
    n = len(words)
    phrases = {(i, j): row.phrase(i, j) for i in range(n) for j in range(i + 1, n + 1)}
    phrase_vectors = {k: vector(v[0]) for k, v in phrases.items() if v is not None}
    cuts = {g: row.cut(g) for g in range(1, n)}
    cut_vectors = {g: vector(c) for g, c in cuts.items() if c is not None}
    count = INDEX["tag_count"]
    rows, splits = [], []
    for mask in range(1 << (n - 1)):
        chosen = tuple(g for g in range(1, n) if mask >> (g - 1) & 1)
        bounds = (0, *chosen, n)
        pieces = list(zip(bounds, bounds[1:]))
        if any(p not in phrase_vectors for p in pieces) or any(g not in cut_vectors
                                                               for g in chosen):
            continue
        v = sum((phrase_vectors[p] for p in pieces), np.zeros(len(NAMES)))
        for g in chosen:
            v += cut_vectors[g]
        v[count] += count_log_prior(len(chosen) + 1, n)
        rows.append(v)
        splits.append(chosen)
    return np.array(rows), splits


@dataclass
class Example:
    """One hand-split row: its gold cuts, and either the split that evidence settles or
    the features of every allowed split (``gold`` indexes them; None: no split fits)."""

    words: list[str]
    cuts: tuple[int, ...]
    settled: tuple[int, ...] | None = None
    matrix: np.ndarray | None = None
    splits: list[tuple[int, ...]] = field(default_factory=list)
    gold: int | None = None

    def predict(self, w: np.ndarray) -> tuple[int, ...]:
        if self.settled is not None:
            return self.settled
        if self.matrix is None or not len(self.matrix):
            return ()
        return self.splits[int(np.argmax(self.matrix @ w))]


def examples(samples: list[tuple[str, ...]], vocab, contexts=None) -> list[Example]:
    """Every hand-split row whose parts are the row's words (others cannot be scored)."""
    found = []
    for parts in samples:
        words = tag_words(" ".join(parts))
        gold = gold_cuts(words, parts) if words else None
        if gold is None:
            continue
        settled = settled_split(words, vocab)
        if settled is not None:
            cuts = align_cuts(words, tuple(match_key(p) for p in settled.parts))
            found.append(Example(words, gold, settled=cuts or ()))
            continue
        if len(words) > MAX_WORDS:
            continue
        context = (contexts or {}).get(match_key(words), EMPTY)
        matrix, splits = row_matrix(words, vocab, context)
        found.append(Example(words, gold, matrix=matrix, splits=splits,
                             gold=splits.index(gold) if gold in splits else None))
    return found


def learnable(data: list[Example]) -> list[Example]:
    """The rows the weights decide whose hand split the model can express."""
    return [e for e in data if e.settled is None and e.gold is not None]


def certain_rows(corpus) -> list[tuple[str, ...]]:
    """Points of problems printed once whose tags all came in an unambiguous layout."""
    rows = []
    for problem in corpus.problems:
        if len(problem.occurrences) != 1:
            continue  # another copy would give its own tags away
        for point in problem.points:
            tags = tuple(clean_tag_text(t.text) for t in point.raw_tags)
            if len(tags) >= 2 and all(t.layout in UNAMBIGUOUS for t in point.raw_tags) \
                    and all(tags) and len(tag_words(" ".join(tags))) <= MAX_WORDS:
                rows.append(tags)
    return rows


def certain_examples(rows, vocab) -> list[Example]:
    found = []
    for parts in rows:
        words = tag_words(" ".join(parts))
        gold = gold_cuts(words, parts)
        matrix, splits = row_matrix(words, without_tags(vocab, parts))
        if gold is not None and gold in splits:
            found.append(Example(words, gold, matrix=matrix, splits=splits,
                                 gold=splits.index(gold)))
    return found


class Stacked:
    """Every example's split matrix stacked into one, for fast whole-batch gradients."""

    def __init__(self, data: list[Example]):
        self.matrix = np.vstack([e.matrix for e in data])
        sizes = np.array([len(e.matrix) for e in data])
        self.starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.owner = np.repeat(np.arange(len(data)), sizes)
        self.gold_sum = sum(e.matrix[e.gold] for e in data)

    def gradient(self, w: np.ndarray) -> np.ndarray:
        """d/dw of Σ log P(gold split)."""
        scores = self.matrix @ w
        top = np.maximum.reduceat(scores, self.starts)
        p = np.exp(scores - top[self.owner])
        p /= np.add.reduceat(p, self.starts)[self.owner]
        return self.gold_sum - p @ self.matrix


def fit(data: list[Example], prior: np.ndarray, free: np.ndarray, strength: float,
        steps: int = 600, rate: float = 0.05) -> np.ndarray:
    """Maximise Σ log P(gold) − strength/2 · |w − prior|² with Adam."""
    stacked = Stacked(data) if data else None
    w = prior.copy()
    m = np.zeros_like(w)
    s = np.zeros_like(w)
    for t in range(1, steps + 1):
        grad = -strength * (w - prior)
        if stacked is not None:
            grad += stacked.gradient(w)
        grad *= free
        m = 0.9 * m + 0.1 * grad
        s = 0.999 * s + 0.001 * grad ** 2
        w += rate * (m / (1 - 0.9 ** t)) / (np.sqrt(s / (1 - 0.999 ** t)) + 1e-8)
    return w


def accuracy(data: list[Example], w) -> float:
    return sum(int(e.predict(w) == e.cuts) for e in data) / max(1, len(data))


def tag_scores(data: list[Example], w) -> tuple[float, float, float]:
    """Exact-row accuracy, tag precision and tag recall of the weights on ``data``."""
    exact = right = predicted = gold = 0
    for e in data:
        want, got = _spans(e.cuts, len(e.words)), _spans(e.predict(w), len(e.words))
        exact += want == got
        right += len(want & got)
        predicted += len(got)
        gold += len(want)
    return exact / max(1, len(data)), right / max(1, predicted), right / max(1, gold)


def _spans(cuts: tuple[int, ...], n: int) -> set[tuple[int, int]]:
    bounds = (0, *cuts, n)
    return set(zip(bounds, bounds[1:]))


def cross_validate(data: list[Example], extra: list[Example], prior, free, strength,
                   folds: int, seed: int = 7) -> tuple[float, float, float]:
    """Exact rows and tag precision/recall on each fold, fitted on the other folds."""
    order = list(range(len(data)))
    random.Random(seed).shuffle(order)
    predictions: dict[int, np.ndarray] = {}
    for k in range(folds):
        held = set(order[k::folds])
        w = fit(learnable([d for i, d in enumerate(data) if i not in held]) + extra,
                prior, free, strength)
        for i in held:
            predictions[i] = w
    exact = right = predicted = gold = 0
    for i, e in enumerate(data):
        want, got = _spans(e.cuts, len(e.words)), _spans(e.predict(predictions[i]), len(e.words))
        exact += want == got
        right += len(want & got)
        predicted += len(got)
        gold += len(want)
    return exact / len(data), right / max(1, predicted), right / max(1, gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--strength", type=float, nargs="+", default=[0.3, 1.0, 3.0, 10.0])
    parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
    parser.add_argument("--certain-rows", action="store_true",
                        help="also learn from the book's own rows printed one tag at a time")
    parser.add_argument("samples", type=Path, nargs="*")
    args = parser.parse_args()
    if not args.samples and not args.certain_rows:
        parser.error("give hand-split samples, --certain-rows, or both")

    built = build_corpus([SourceInput(args.book, str(args.book))], Config())
    vocab = build_vocabulary(built.corpus, list(built.dedupe.evidence))
    samples = list(itertools.chain.from_iterable(read_sample(p) for p in args.samples))
    data = examples(samples, vocab, row_contexts(built.corpus))
    prior = np.array([PRIOR_WEIGHTS[name] for name in NAMES])
    free = np.array([0.0 if name in FIXED else 1.0 for name in NAMES])
    print(f"{len(data)} of {len(samples)} hand-split rows usable, "
          f"{len(learnable(data))} need the weights")
    print("hand-set weights: {:.1%} exact rows, tag precision {:.1%}, recall {:.1%}".format(
        *tag_scores(data, prior)))
    extra = certain_examples(certain_rows(built.corpus), vocab) if args.certain_rows else []
    if extra:
        print(f"+ {len(extra)} of the book's rows with certain boundaries "
              f"(hand-set weights: {accuracy(extra, prior):.1%})")

    if not learnable(data) and not extra:
        sys.exit("nothing to learn from: no row needs the weights")
    if not learnable(data):  # no hand splits: cross-validate on the book's certain rows
        data, extra = extra, []
    scores = []
    for strength in args.strength:
        exact, precision, recall = cross_validate(data, extra, prior, free, strength,
                                                  args.folds)
        print(f"strength {strength}: cross-validated {exact:.1%} exact rows, "
              f"tag precision {precision:.1%}, recall {recall:.1%}")
        scores.append((exact, strength))
    # The strongest pull towards the priors that does about as well as the best: rows
    # differ by fold more than the strengths do (half a point is three rows in 600).
    best = max(exact for exact, _ in scores)
    strength = max(s for exact, s in scores if exact >= best - TIE)
    w = fit(learnable(data) + extra, prior, free, strength)
    print("strength {} on all rows: {:.1%} exact rows, tag precision {:.1%}, recall {:.1%} "
          "(fitted on them)".format(strength, *tag_scores(data, w)))
    for name, before, after in zip(NAMES, prior, w):
        if abs(after - before) > 0.05:
            print(f"  {name:24} {before:+.2f} -> {after:+.2f}")
    if not args.dry_run:
        write(w, len(learnable(data)), len(extra), strength)


def write(w: np.ndarray, rows: int, certain: int, strength: float) -> None:
    lines = [
        '"""Weights fitted by ``scripts/fit_tag_weights.py``: generated, do not edit by hand.',
        "",
        f"Fitted on {rows} hand-split rows and {certain} rows printed one tag at a time,",
        f"with an L2 pull of {strength} towards PRIOR_WEIGHTS.",
        '"""',
        "FITTED_WEIGHTS: dict[str, float] = {",
    ]
    lines += [f'    "{name}": {value:.3f},' for name, value in zip(NAMES, w)]
    lines.append("}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
