"""Splitting a space-joined tag row into its tags.

The row's words are cut into phrases by dynamic programming over every possible cut. A
cut's score adds up plain, explainable evidence (weights below): phrases known from
unambiguous layouts, product and vendor names, capitals in the middle of the row, word
pairs the book's prose keeps together, function words that glue a phrase, and a prior on
tag length. The confidence of the chosen split is its share of the probability of all
splits (scores read as log-odds), so a row with a close runner-up gets a low confidence
and goes to the top of the report.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from .vocabulary import Vocabulary
from .words import (fold_word, is_acronym, is_concept_acronym, is_glue_both, is_glue_next,
                    has_inner_capital, is_titlecase, match_key, tag_words)
from .lexicon import GLUE_BOTH, PRODUCTS, VENDORS

NEG = -1e9  # a forbidden cut

# Weights, in log-odds units. Tuned by hand on a private sample of the real book's rows.
PHRASE_USER = 6.0  # the user named this phrase (aliases, phrases)
PHRASE_KNOWN = 3.0  # printed as one tag in an unambiguous layout (+ log of sightings)
WORD_KNOWN = 0.8  # a single known word is weak evidence: most phrases contain one
PHRASE_ALONE = 2.0  # printed alone as a whole short row
SEGMENT_COST = 0.4  # each extra tag must be earned by evidence
LENGTH_PRIOR = {1: -0.8, 2: 0.0, 3: -0.4, 4: -1.2}  # unknown phrases; longer ones below
LONG_PER_WORD = -0.8
GLUE_REFUND = 0.6  # per function word inside a long phrase: clauses are long by nature
NAME_ALONE = 1.0  # a product or name standing alone is a typical tag
ACRONYM_ALONE = 0.4  # acronyms stand alone, but as often head a phrase ("stateless APIs")
EDGE_WEIGHT = 0.3  # per log-ratio: words that end / start tags and rows more than average
PROSE_PAIR = 1.2  # per log-count of the pair in the book's prose: keep together
ROW_PAIR = 0.8  # per log-count of other joined rows holding the same pair: keep together
PROSE_NEVER = 0.4  # two common words the prose never puts side by side: cut
CUT_NAME_NAME = 3.0  # product/vendor next to another product/vendor
CUT_BEFORE_CAPITAL = 1.5  # lowercase word, then a capitalised word or product
CUT_ACRONYM_ACRONYM = 1.0
CUT_NAME_CONCEPT = 2.0  # "MySQL ACID": a concept acronym after a product
JOIN_NAME_FEATURE = 2.5  # "Redis Cluster", "Kubernetes HPA"
JOIN_TITLE_TITLE = 1.0  # "Auto Scaling"
TEMPERATURE = 1.0


@dataclass(frozen=True, slots=True)
class RowSplit:
    """How one joined row was split, how sure the splitter is, and why."""

    text: str
    parts: tuple[str, ...]
    confidence: float
    reason: str
    runner_up: tuple[str, ...] | None = None


def _kind(word: str, position: int, vocab: Vocabulary) -> str:
    """What a word looks like: vendor, product, concept, acronym, name, title, glue, lower."""
    if not any(c.isalnum() for c in word) or word in GLUE_BOTH:
        return "glue"  # "=", "<", "&" or a function word: always inside a phrase
    if word in VENDORS:
        return "vendor"
    if word in PRODUCTS or word in vocab.products:
        return "product"
    if is_concept_acronym(word):
        return "concept"
    if is_acronym(word):
        return "acronym"
    if has_inner_capital(word):
        return "name"
    if is_titlecase(word):
        casings = vocab.casings.get(word.casefold())
        capitalised = sum(n for form, n in casings.items() if form[:1].isupper()) if casings else 0
        if casings and capitalised >= 2 and capitalised >= 0.8 * sum(casings.values()):
            return "name"  # the prose capitalises it mid-sentence: a proper name
        return "lower" if position == 0 else "title"
    return "lower"


NAMES = {"vendor", "product", "name"}
CAPS = NAMES | {"title", "concept", "acronym"}


class RowScorer:
    """Scores of every phrase and every cut of one row."""

    def __init__(self, words: list[str], vocab: Vocabulary):
        self.words = words
        self.vocab = vocab
        self.kinds = [_kind(w, i, vocab) for i, w in enumerate(words)]
        self.folded = [fold_word(w) for w in words]
        self._phrase: dict[tuple[int, int], tuple[float, str]] = {}
        self.cut_notes: dict[int, str] = {}
        self.cuts = [0.0] + [self._cut(g) for g in range(1, len(words))]

    def phrase(self, i: int, j: int) -> tuple[float, str]:
        """Score of words[i:j] as one tag, and the evidence that speaks for it."""
        if (i, j) not in self._phrase:
            self._phrase[(i, j)] = self._score_phrase(i, j)
        return self._phrase[(i, j)]

    def _score_phrase(self, i: int, j: int) -> tuple[float, str]:
        words = self.words[i:j]
        last_of_row = j == len(self.words)  # "scale in": a row may end on a particle
        if self.kinds[i] == "glue" or (not last_of_row and (
                self.kinds[j - 1] == "glue" or is_glue_next(words[-1])
                or words[-1].endswith(":"))):  # "Risk: ..." labels what follows
            return NEG, "starts or ends on a function word"
        # A vendor names the product after it ("AWS SQS", "AWS regions"), unless another
        # vendor follows ("Google Azure").
        vendor_tail = words[-1] in VENDORS and j < len(self.words) and self.kinds[j] != "vendor"
        if vendor_tail:
            return NEG, "a vendor name belongs to the product after it"
        score = -SEGMENT_COST
        found = self.vocab.phrase_evidence(match_key(words),
                                           whole_row=(i == 0 and j == len(self.words)))
        if found:
            kind, count = found
            if kind == "user":
                return score + PHRASE_USER, "named in tags.toml"
            if kind == "known":
                weight = PHRASE_KNOWN if len(words) > 1 else WORD_KNOWN
                return score + weight + math.log1p(count), f"printed as a tag ×{count}"
            score += PHRASE_ALONE
            note = f"a row of its own ×{count}"
        else:
            length = len(words)
            if length == 1 and self.kinds[i] in CAPS - {"title"}:
                score += NAME_ALONE if self.kinds[i] in NAMES else ACRONYM_ALONE
                note = "a product name" if self.kinds[i] in NAMES else "an acronym"
            else:
                prior = LENGTH_PRIOR.get(length, LENGTH_PRIOR[4] + LONG_PER_WORD * (length - 4))
                if length >= 4:
                    glue = sum(1 for w in words if is_glue_both(w) or is_glue_next(w))
                    prior = min(0.0, prior + GLUE_REFUND * glue)
                score += prior
                note = "no direct evidence"
        return score, note

    def _cut(self, g: int) -> float:
        """Score of cutting between words[g-1] and words[g] (positive: a boundary)."""
        left, right = self.words[g - 1], self.words[g]
        lk, rk = self.kinds[g - 1], self.kinds[g]
        labelled = any(w.endswith(":") for w in self.words[:g])  # "Risk: ..." to the end
        if lk == "glue" or rk == "glue" or is_glue_next(left) or labelled:
            return NEG
        if lk == "vendor" and rk != "vendor":
            return NEG
        pair = self.vocab.bigrams.get((self.folded[g - 1], self.folded[g]), 0)
        score = EDGE_WEIGHT * (self.vocab.edge_odds(self.folded[g - 1], self.vocab.ends)
                               + self.vocab.edge_odds(self.folded[g], self.vocab.starts))
        rows = self.vocab.row_pairs.get((self.folded[g - 1], self.folded[g]), 0)
        score += -PROSE_PAIR * math.log1p(pair) - ROW_PAIR * math.log1p(rows)
        if pair:
            self.cut_notes[g] = f"prose pairs '{left} {right}' ×{pair}"
        elif rows:
            self.cut_notes[g] = f"prose pairs '{left} {right}' in {rows} other rows"
        elif (self.vocab.unigrams.get(self.folded[g - 1], 0) >= 3
              and self.vocab.unigrams.get(self.folded[g], 0) >= 3):
            score += PROSE_NEVER
        if lk in NAMES and rk in NAMES | {"vendor"}:
            score += CUT_NAME_NAME
            self.cut_notes.setdefault(g, f"'{left}' and '{right}' are separate names")
        elif lk in NAMES and rk == "concept":
            score += CUT_NAME_CONCEPT
        elif lk in NAMES and rk in {"title", "acronym"}:
            score -= JOIN_NAME_FEATURE
        elif rk == "title" and (lk == "title" or (g == 1 and is_titlecase(left))):
            score -= JOIN_TITLE_TITLE
        elif lk in {"lower", "title"} and rk in NAMES | {"title"}:
            score += CUT_BEFORE_CAPITAL
            self.cut_notes.setdefault(g, f"capital '{right}' mid-row")
        elif lk in {"acronym", "concept"} and rk in {"acronym", "concept"} | NAMES:
            score += CUT_ACRONYM_ACRONYM
        return score


def _logsumexp(values: list[float]) -> float:
    top = max(values)
    if top <= NEG / 2:
        return NEG
    return top + math.log(sum(math.exp(v - top) for v in values if v > NEG / 2))


def best_splits(scorer: RowScorer, k: int = 2) -> tuple[list[tuple[float, tuple[int, ...]]], float]:
    """The k best cut lists (score, cut positions) and the log-sum over all splits."""
    n = len(scorer.words)
    best: list[list[tuple[float, tuple[int, ...]]]] = [[(0.0, ())]] + [[] for _ in range(n)]
    alpha = [0.0] + [NEG] * n
    for j in range(1, n + 1):
        candidates: list[tuple[float, tuple[int, ...]]] = []
        mass: list[float] = []
        for i in range(j):
            phrase, _ = scorer.phrase(i, j)
            step = phrase + (scorer.cuts[i] if i else 0.0)
            if step <= NEG / 2:
                continue
            mass.append(alpha[i] + step / TEMPERATURE)
            for score, cuts in best[i]:
                candidates.append((score + step, cuts + ((i,) if i else ())))
        candidates.sort(key=lambda c: (-c[0], c[1]))
        best[j] = candidates[:k]
        alpha[j] = _logsumexp(mass) if mass else NEG
    return best[n], alpha[n]


def _parts(words: list[str], cuts: tuple[int, ...]) -> tuple[str, ...]:
    bounds = (0, *cuts, len(words))
    return tuple(" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:]))


def split_row(text: str, vocab: Vocabulary,
              pins: Mapping[str, tuple[str, ...]] | None = None) -> RowSplit:
    """Split one space-joined row into tags, with a confidence in [0, 1] and the reasons."""
    words = tag_words(text)
    cleaned = " ".join(words)
    key = match_key(words)
    if not words:
        return RowSplit(text, (), 1.0, "empty after cleaning")
    if pins and key in pins:
        return RowSplit(cleaned, pins[key], 1.0, "pinned in tags.toml")
    if key in vocab.user:
        return RowSplit(cleaned, (cleaned,), 1.0, "named in tags.toml")
    copied = _align(words, vocab.copies.get(key, ()))
    if copied:
        return RowSplit(cleaned, copied, 0.99, "another copy prints these as separate tags")
    if vocab.known.get(key):
        return RowSplit(cleaned, (cleaned,), 0.98, "printed as one tag elsewhere")
    if len(words) == 1:
        return RowSplit(cleaned, (cleaned,), 1.0, "a single word")
    scorer = RowScorer(words, vocab)
    ranked, total = best_splits(scorer)
    if not ranked:  # every split breaks a rule (a row of function words): keep it whole
        return RowSplit(cleaned, (cleaned,), 0.0, "no valid split; kept whole")
    score, cuts = ranked[0]
    confidence = math.exp(score / TEMPERATURE - total) if total > NEG / 2 else 1.0
    runner = _parts(words, ranked[1][1]) if len(ranked) > 1 else None
    return RowSplit(cleaned, _parts(words, cuts), round(min(1.0, confidence), 3),
                    _explain(scorer, cuts), runner)


def _align(words: list[str], part_keys: tuple[str, ...]) -> tuple[str, ...] | None:
    """Cut the row's own words where another copy's tags end (case and hyphens may differ)."""
    if not part_keys:
        return None
    parts: list[str] = []
    start = 0
    for part_key in part_keys:
        stop = start + 1
        while stop <= len(words) and match_key(words[start:stop]) != part_key:
            stop += 1
        if stop > len(words):
            return None
        parts.append(" ".join(words[start:stop]))
        start = stop
    return tuple(parts) if start == len(words) else None


def _explain(scorer: RowScorer, cuts: tuple[int, ...]) -> str:
    """One line: each part's evidence, and what drove the cuts."""
    bounds = (0, *cuts, len(scorer.words))
    notes = []
    for a, b in zip(bounds, bounds[1:]):
        _, why = scorer.phrase(a, b)
        inner = [scorer.cut_notes[g] for g in range(a + 1, b)
                 if scorer.cut_notes.get(g, "").startswith("prose")]
        part = " ".join(scorer.words[a:b])
        notes.append(f"'{part}': {why}" + (f" ({inner[0]})" if inner and why ==
                                               "no direct evidence" else ""))
    for g in cuts:
        if g in scorer.cut_notes and not scorer.cut_notes[g].startswith("prose"):
            notes.append(scorer.cut_notes[g])
    return "; ".join(notes)
