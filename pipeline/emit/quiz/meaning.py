"""Which words the book uses together: a corpus-only model of "on the stem's subject".

A reader who has not studied still links "cheaper" to "Cost Effective", "TTL" to EXPIRE or
"Redis" to "Cache-Aside": no word is repeated, so the echo checks miss it, but the key is
the only option on the stem's subject. This model sees such links the way the book itself
makes them: a word is known by the company it keeps in the book's points.

- Every point of the corpus (its title, explanation and example) is one context; a word is
  a content lemma (a quantity counts as its unit: "128MB" as "mb"), less the words used in
  more than a third of the problems (``common``).
- ``association(a, b)``: the points using both, over the geometric mean of the points using
  each (the Ochiai coefficient, 0 to 1; a word with itself is 1): how directly they link.
- A word's *company* is the word itself (weight 1) and every word the points use with it
  more often than chance, weighted by that excess (positive pointwise mutual information,
  over ``PMI_SCALE``). A text's company is the sum of its words'.
- ``fit(stem, option)``: the cosine of the company of the stem's quoted passage and the
  option's (0 to 1). Two texts fit when the book uses their words with the same words, even
  when they share none ("outdated" and "stale" both keep company with "cache" and "TTL").
- ``lead(stem, key, distractors)``: the key's fit less the best distractor's. An item whose
  key leads by ``MEANING_MARGIN`` or more has a meaning cue.

The item's own problem is left out of the counts (``without``): its points say what the
key means by construction (the stem is the key's own explanation), and a reader who has not
studied does not have them. What is left is what the rest of the book, standing in for
general knowledge, links to the stem. Everything is counting: deterministic and explainable
(``shared`` names the words that decided).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable, Sequence

from ...english import GENERIC, content_lemmas
from ...inline import plain_text
from ...models import Corpus

# A key whose fit to the stem leads every distractor's by this much is the only option on
# the stem's subject. On the blind panel's 49 items (seed 4817, 17 with a cue a reader saw),
# this lead marks 11 of the 17 and 9 of the other 32.
MEANING_MARGIN = 0.08
# A word's own weight in its company is 1; a partner's is its PMI (natural log) over this.
PMI_SCALE = 10.0
# Words in more than this share of problems link everything to everything.
COMMON_SHARE = 0.35
_CONTEXT = re.compile(r"^\s*In “[^”]*”,\s*")
_QUOTED = re.compile(r"“([^”]*)”")


def stem_passage(stem: str) -> str:
    """The part of a stem that says something: its quoted passages, without the quoted
    context title an "In “…”," stem opens with (the same for every option)."""
    text = plain_text(stem)
    text = _CONTEXT.sub("", text)
    quoted = _QUOTED.findall(text)
    return " ".join(quoted) if quoted else text


class MeaningModel:
    """Word co-occurrence over the corpus's points (see the module docstring)."""

    def __init__(self, corpus: Corpus):
        share: Counter[str] = Counter()
        contexts: dict[str, list[frozenset[str]]] = {}
        for problem in corpus.problems:
            texts = [f"{pt.title} {pt.explanation} {pt.example}" for pt in problem.points]
            share.update(content_lemmas(plain_text(
                " ".join([problem.title, problem.question, problem.summary, *texts]))))
            contexts[problem.id] = [_words(t) for t in texts]
        limit = COMMON_SHARE * max(1, len(corpus.problems))
        self.common = frozenset(w for w, n in share.items() if n > limit) | GENERIC
        self._contexts = {pid: [c - self.common for c in found]
                          for pid, found in contexts.items()}
        self.uses: Counter[str] = Counter()
        self.pairs: Counter[tuple[str, str]] = Counter()
        self._own_counts: dict[str, tuple[Counter[str], Counter[tuple[str, str]]]] = {}
        self._companies: dict[tuple[str, str | None], dict[str, float]] = {}
        self._texts: dict[tuple[frozenset[str], str | None], dict[str, float]] = {}
        self._norms: dict[tuple[frozenset[str], str | None], float] = {}
        self._fits: dict[tuple[tuple[frozenset[str], str | None],
                               tuple[frozenset[str], str | None]], float] = {}
        for found in self._contexts.values():
            uses, pairs = _count(found)
            self.uses.update(uses)
            self.pairs.update(pairs)
        self.contexts = sum(len(found) for found in self._contexts.values())
        self._partners: dict[str, dict[str, int]] = {}
        for (a, b), both in self.pairs.items():
            self._partners.setdefault(a, {})[b] = both
            self._partners.setdefault(b, {})[a] = both

    def _own(self, problem_id: str) -> tuple[Counter[str], Counter[tuple[str, str]]]:
        """One problem's own counts (what ``without`` takes away), computed once."""
        if problem_id not in self._own_counts:
            self._own_counts[problem_id] = _count(self._contexts.get(problem_id, ()))
        return self._own_counts[problem_id]

    def words(self, text: str) -> frozenset[str]:
        return _words(text) - self.common

    def association(self, a: str, b: str, without: str | None = None) -> float:
        """How much the book uses two words together (0 to 1), ``without`` one problem."""
        if a == b:
            return 1.0
        pair = (a, b) if a < b else (b, a)
        both, uses_a, uses_b = self.pairs[pair], self.uses[a], self.uses[b]
        if without is not None:
            own_uses, own_pairs = self._own(without)
            both -= own_pairs[pair]
            uses_a -= own_uses[a]
            uses_b -= own_uses[b]
        if both <= 0 or uses_a <= 0 or uses_b <= 0:
            return 0.0
        return both / math.sqrt(uses_a * uses_b)

    def company(self, words: Iterable[str], without: str | None = None) -> dict[str, float]:
        """The summed company of some words (see the module docstring)."""
        cache_key = (frozenset(words), without)
        if cache_key not in self._texts:
            total: dict[str, float] = {}
            for word in sorted(cache_key[0]):
                for other, weight in self._company(word, without).items():
                    total[other] = total.get(other, 0.0) + weight
            self._texts[cache_key] = total
            self._norms[cache_key] = math.sqrt(sum(v * v for v in total.values()))
        return self._texts[cache_key]

    def _company(self, word: str, without: str | None) -> dict[str, float]:
        cache_key = (word, without)
        if cache_key in self._companies:
            return self._companies[cache_key]
        own_uses, own_pairs = self._own(without) if without is not None else (Counter(), Counter())
        # ``dict.get``, not a Counter's own lookup: a missing word (most of them) would call
        # ``Counter.__missing__``, a Python function, once per partner.
        uses = self.uses[word] - own_uses.get(word, 0)
        shared = word in own_uses  # else the problem has no pair with the word either
        found: dict[str, float] = {}
        if uses > 0:
            found[word] = 1.0
            for other, both in self._partners.get(word, {}).items():
                if shared:
                    both -= own_pairs.get((word, other) if word < other else (other, word), 0)
                other_uses = self.uses[other] - own_uses.get(other, 0)
                if both <= 0 or other_uses <= 0:
                    continue
                pmi = math.log(both * self.contexts / (uses * other_uses))
                if pmi > 0:
                    found[other] = pmi / PMI_SCALE
        self._companies[cache_key] = found
        return found

    def fit(self, stem: str, option: str, without: str | None = None) -> float:
        """How much the option is on the stem's subject, by the rest of the book (0 to 1)."""
        # The cosine of the two companies, with each one's norm computed once per text.
        stem_key = (self.words(stem_passage(stem)), without)
        option_key = (self.words(option), without)
        pair = (stem_key, option_key)
        if pair not in self._fits:  # a builder asks again on every repair attempt
            x, y = self.company(*stem_key), self.company(*option_key)
            norms = self._norms[stem_key] * self._norms[option_key]
            dot = sum(v * y[w] for w, v in x.items() if w in y)
            self._fits[pair] = dot / norms if norms else 0.0
        return self._fits[pair]

    def shared(self, stem: str, option: str, without: str | None = None,
               top: int = 3) -> list[str]:
        """The words whose company gives the option most of its fit to the stem."""
        x = self.company(self.words(stem_passage(stem)), without)
        y = self.company(self.words(option), without)
        scored = sorted(((x[w] * y[w], w) for w in x.keys() & y.keys()), reverse=True)
        return [w for _, w in scored[:top]]

    def fits(self, stem: str, options: Iterable[str], without: str | None = None) -> list[float]:
        return [self.fit(stem, o, without) for o in options]

    def lead(self, stem: str, key: str, distractors: Sequence[str],
             without: str | None = None) -> float:
        """The key's fit to the stem less the best distractor's (positive: the key stands
        out as the option on the stem's subject)."""
        key_fit, *others = self.fits(stem, (key, *distractors), without)
        return key_fit - max(others, default=0.0)


_QUANTITY = re.compile(r"\d+(?:\.\d+)?([a-z]{1,3})")


def _words(text: str) -> frozenset[str]:
    """Content lemmas, a quantity read as its unit ("128MB" and "2GB" as "mb" and "gb": the
    unit says what it measures, the number nothing)."""
    found = content_lemmas(plain_text(text))
    return frozenset(m.group(1) if (m := _QUANTITY.fullmatch(w)) else w for w in found)


def _count(contexts: Iterable[frozenset[str]]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    uses: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for found in contexts:
        uses.update(found)
        ordered = sorted(found)
        pairs.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])
    return uses, pairs
