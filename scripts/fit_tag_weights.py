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
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.build import SourceInput, build_corpus  # noqa: E402
from pipeline.config import Config  # noqa: E402
from pipeline.tags.features import RowFeatures  # noqa: E402
from pipeline.tags.shape import count_log_prior  # noqa: E402
from pipeline.tags.split import align_cuts, settled_split  # noqa: E402
from pipeline.tags.vocabulary import UNAMBIGUOUS, build_vocabulary, without_tags  # noqa: E402
from pipeline.tags.weights import FIXED, PRIOR_WEIGHTS  # noqa: E402
from pipeline.tags.words import clean_tag_text, match_key, tag_words  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "tags" / "weights_fitted.py"
MAX_WORDS = 12  # every split of a row is enumerated: 2 ** (words - 1)
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


def row_matrix(words: list[str], vocab) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    """The feature sums of every allowed split of a row, and each split's cuts."""
    row = RowFeatures(words, vocab)
    n = len(words)
    phrases = {(i, j): row.phrase(i, j) for i in range(n) for j in range(i + 1, n + 1)}
    cuts = {g: row.cut(g) for g in range(1, n)}
    count = INDEX["tag_count"]
    rows, splits = [], []
    for mask in range(1 << (n - 1)):
        chosen = tuple(g for g in range(1, n) if mask >> (g - 1) & 1)
        bounds = (0, *chosen, n)
        pieces = [phrases[(a, b)] for a, b in zip(bounds, bounds[1:])]
        if any(p is None for p in pieces) or any(cuts[g] is None for g in chosen):
            continue
        v = sum((vector(p[0]) for p in pieces), np.zeros(len(NAMES)))
        for g in chosen:
            v += vector(cuts[g])
        v[count] += count_log_prior(len(chosen) + 1, n)
        rows.append(v)
        splits.append(chosen)
    return np.array(rows), splits


def examples(samples: list[tuple[str, ...]], vocab) -> list[tuple[np.ndarray, int]]:
    found = []
    for parts in samples:
        words = tag_words(" ".join(parts))
        if len(words) > MAX_WORDS or not words or settled_split(words, vocab):
            continue  # settled without weights
        gold = gold_cuts(words, parts)
        matrix, splits = row_matrix(words, vocab)
        if gold is None or gold not in splits:
            continue  # the hand split breaks a hard rule: no weight can choose it
        found.append((matrix, splits.index(gold)))
    return found


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


def certain_examples(rows, vocab) -> list[tuple[np.ndarray, int]]:
    found = []
    for parts in rows:
        words = tag_words(" ".join(parts))
        gold = gold_cuts(words, parts)
        matrix, splits = row_matrix(words, without_tags(vocab, parts))
        if gold is not None and gold in splits:
            found.append((matrix, splits.index(gold)))
    return found


def fit(data, prior: np.ndarray, free: np.ndarray, strength: float,
        steps: int = 600, rate: float = 0.05) -> np.ndarray:
    """Maximise Σ log P(gold) − strength/2 · |w − prior|² with Adam."""
    w = prior.copy()
    m = np.zeros_like(w)
    s = np.zeros_like(w)
    for t in range(1, steps + 1):
        grad = -strength * (w - prior)
        for matrix, gold in data:
            scores = matrix @ w
            p = np.exp(scores - scores.max())
            p /= p.sum()
            grad += matrix[gold] - p @ matrix
        grad *= free
        m = 0.9 * m + 0.1 * grad
        s = 0.999 * s + 0.001 * grad ** 2
        w += rate * (m / (1 - 0.9 ** t)) / (np.sqrt(s / (1 - 0.999 ** t)) + 1e-8)
    return w


def accuracy(data, w) -> float:
    return sum(int(np.argmax(matrix @ w) == gold) for matrix, gold in data) / max(1, len(data))


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
    data = examples(samples, vocab)
    prior = np.array([PRIOR_WEIGHTS[name] for name in NAMES])
    free = np.array([0.0 if name in FIXED else 1.0 for name in NAMES])
    print(f"{len(data)} of {len(samples)} hand-split rows need the weights")
    print(f"hand-set weights: {accuracy(data, prior):.1%} exact rows")
    extra = certain_examples(certain_rows(built.corpus), vocab) if args.certain_rows else []
    if extra:
        print(f"+ {len(extra)} of the book's rows with certain boundaries "
              f"(hand-set weights: {accuracy(extra, prior):.1%})")

    if not data and not extra:
        sys.exit("nothing to learn from: no row needs the weights")
    if not data:  # no hand splits: cross-validate on the book's certain rows
        data, extra = extra, []
    order = list(range(len(data)))
    random.Random(7).shuffle(order)
    folds = [order[k::args.folds] for k in range(args.folds)]
    best = None
    for strength in args.strength:
        right = 0
        for fold in folds:
            held = set(fold)
            w = fit([d for k, d in enumerate(data) if k not in held] + extra, prior, free,
                    strength)
            right += sum(int(np.argmax(data[k][0] @ w) == data[k][1]) for k in fold)
        print(f"strength {strength}: cross-validated {right}/{len(data)} = {right/len(data):.1%}")
        if best is None or right > best[0]:
            best = (right, strength)
    strength = best[1]
    w = fit(data + extra, prior, free, strength)
    print(f"strength {strength} on all rows: {accuracy(data, w):.1%} exact rows (fitted on them)")
    for name, before, after in zip(NAMES, prior, w):
        if abs(after - before) > 0.05:
            print(f"  {name:24} {before:+.2f} -> {after:+.2f}")
    if not args.dry_run:
        write(w, len(data), len(extra), strength)


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
