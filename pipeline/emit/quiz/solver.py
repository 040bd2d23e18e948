"""A knowledge-free cue solver: answers items from cues alone, as a test-wise student would.

It knows no backend engineering. It sees the stem and the four options, and it may ask the
corpus two questions a student who skimmed the book could answer: which topics a word is
used in, and which words the book uses together (meaning.py: counted over every problem
but the item's own, so the key's own explanation never helps it). Its cues, in the order it
trusts them:

1. ``echo``: the option that repeats the stem's words (near forms and acronyms count:
   "Expiration" / "EXPIRE");
2. ``family``: the option saying the family of a technology the stem names ("Database
   ..." beside PostgreSQL: family_cue.py, from the reviewed list of families);
3. ``meaning``: the only option on the stem's subject without sharing a word with it, by
   the words the rest of the book uses with the stem's ("cheaper" / "Cost Effective",
   "TTL" / EXPIRE: meaning.py);
4. ``letters``: the option sharing the most letter runs with the stem (four-letter shingles);
5. ``topic``: the option whose words live in the stem's topics (the key the only option on
   the stem's subject);
6. ``odd``: the option of another form than the other three (the only command among
   phrases, the only "When to ..." among technique names, the only one-word option);
7. ``longest``: the strictly longest option.

It answers with the first cue that singles out one option (or a few, scored as a share of
one answer); with none, it guesses (a quarter of an answer). Its accuracy over a quiz is the
share of items a student could get right without knowing anything; chance is 1/4, and a
fair quiz keeps it near that. Each cue's accuracy alone, and its reverse (a cue that points
away from the key is a cue too), are reported as well.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Sequence

from ...english import content_lemmas
from ...models import Corpus
from .bank import problem_text
from .contrast import WHICH_CONTRAST
from .family_cue import says_family, stem_families
from .items import Item, option_length
from .meaning import MEANING_MARGIN, MeaningModel
from .shapes import IMPERATIVES
from .text import echoes, plain, words

CUES = ("echo", "family", "meaning", "letters", "topic", "odd", "longest")
# The topic cue trusts a lead of at least this much cosine similarity.
TOPIC_MARGIN = 0.08
LETTERS_MARGIN = 0.02


def surface_kind(option: str) -> str:
    """What kind of thing an option looks like, from its form alone."""
    text = plain(option).strip()
    tokens = words(text)
    if not tokens:
        return "empty"
    if re.search(r"\?\s*$", text) or re.match(r"(?i)(what|why|how|which)\b", text):
        return "question"
    if re.match(r"(?i)when\b", text):
        return "when"
    if re.search(r"(?i)\bvs\.?\s", text):
        return "contrast"
    pieces = text.split()
    code = [t for t in pieces
            if re.fullmatch(r"[A-Z][A-Z0-9_]{2,}s?|[a-z0-9]+(?:[._][a-z0-9]+)+(?:=\S+)?|"
                            r"[a-z]+[A-Z]\w*|[a-z]+(?:-[a-z]+)+", t)]
    if pieces and len(code) == len(pieces):
        return "code"
    if tokens[0].lower() not in IMPERATIVES and re.search(
            r"(?i)\b(benefits?|limitations?|trade-?offs?|downsides?|considerations?|"
            r"challenges?|drawbacks?|pitfalls?)\s*$", text):
        return "aspect"
    return "phrase"


def form_signature(option: str) -> tuple[str, str, str]:
    """Kind, size and phrasing as a reader sees them: the odd-one-out cue compares these."""
    text = plain(option).strip()
    tokens = words(text)
    size = "one" if len(tokens) <= 1 else "short" if len(tokens) <= 3 else "long"
    phrasing = "order" if tokens and tokens[0].lower() in IMPERATIVES else "name"
    return surface_kind(option), size, phrasing


def lone_word(key: str, distractors: Sequence[str]) -> str | None:
    """A word all the distractors print and the key does not ("SQL" in three "Use SQL for
    ..." beside one "Use NoSQL for ..."): the key stands out as the odd one."""
    if len(distractors) < 2:
        return None
    sets = [{w.lower() for w in words(plain(d))} for d in distractors]
    shared = set.intersection(*sets) - {w.lower() for w in words(plain(key))}
    shared = {w for w in shared if len(w) > 1 and not w.isdigit()}
    return min(shared) if shared else None


def odd_one_out(options: Sequence[str], signature: Callable[[str], object]) -> int | None:
    """The index of the one option whose signature differs from the other three's shared one."""
    signs = [signature(o) for o in options]
    counts = Counter(signs)
    if len(counts) == 2 and min(counts.values()) == 1 and len(options) > 2:
        lone = next(s for s, n in counts.items() if n == 1)
        return signs.index(lone)
    return None


def _shingles(text: str) -> set[str]:
    found = set()
    for word in words(plain(text).lower()):
        found |= {word[i:i + 4] for i in range(max(1, len(word) - 3))} if len(word) >= 4 \
            else {word}
    return found


class SubjectModel:
    """Which topics each word is used in, from the corpus, and which words the book uses
    together (``meaning``): the only corpus facts the solver and the checks may use (a
    word's topics and company, never its problem, point or answer)."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.topics = [t.id for t in corpus.topics] or ["-"]
        index = {t: i for i, t in enumerate(self.topics)}
        counts: dict[str, list[float]] = {}
        labels = {t.id: t.label for t in corpus.tags}
        for problem in corpus.problems:
            text = problem_text(problem) + " " + " ".join(
                labels.get(tag, "") for pt in problem.points for tag in pt.tags)
            row = index.get(problem.topic, 0)
            for word in content_lemmas(text):
                counts.setdefault(word, [0.0] * len(self.topics))[row] += 1
        self.vectors: dict[str, list[float]] = {}
        for word, per_topic in counts.items():
            used = sum(1 for c in per_topic if c)
            weight = math.log((len(self.topics) + 1) / used)
            total = sum(per_topic)
            self.vectors[word] = [weight * c / total for c in per_topic]

    @cached_property
    def meaning(self) -> MeaningModel:
        return MeaningModel(self.corpus)

    def vector(self, text: str) -> list[float]:
        result = [0.0] * len(self.topics)
        for word in content_lemmas(plain(text)):
            for i, v in enumerate(self.vectors.get(word, ())):
                result[i] += v
        return result

    def fit(self, a: str, b: str) -> float:
        """How much two texts share topics: cosine of their topic vectors (0 to 1)."""
        x, y = self.vector(a), self.vector(b)
        nx, ny = math.sqrt(sum(v * v for v in x)), math.sqrt(sum(v * v for v in y))
        return sum(p * q for p, q in zip(x, y)) / (nx * ny) if nx and ny else 0.0


@dataclass(frozen=True)
class Answer:
    """The solver's answer to one item: the options it picks (ties share one answer), the
    cue it used, and its credit (the share of one right answer it earns)."""

    picks: tuple[int, ...]
    cue: str
    credit: float


def _top(scores: Sequence[float], margin: float = 0.0) -> tuple[int, ...] | None:
    """The options that lead the rest by at least ``margin`` (None when none leads)."""
    best = max(scores)
    if best <= 0:
        return None
    leaders = tuple(i for i, s in enumerate(scores) if s >= best - 1e-9)
    rest = [s for i, s in enumerate(scores) if i not in leaders]
    if not rest or best - max(rest) < margin or len(leaders) == len(scores):
        return None
    return leaders


class CueSolver:
    """Answers items from cues alone (see the module docstring)."""

    def __init__(self, corpus: Corpus):
        self.subjects = SubjectModel(corpus)

    def scores(self, item: Item, cue: str) -> list[float]:
        """Each option's score under one cue (higher: more likely the key, to a test-wise eye)."""
        options = item.options
        if cue == "echo":
            return [float(len(echoes(item.stem, o))) for o in options]
        if cue == "family":
            named = [f for f, _ in stem_families(item.stem, item.kind == WHICH_CONTRAST)]
            return [float(sum(says_family(o, f) for f in named)) for o in options]
        if cue == "letters":
            stem = _shingles(item.stem)
            return [len(stem & _shingles(o)) / max(1, len(_shingles(o))) for o in options]
        if cue == "topic":
            return [self.subjects.fit(item.stem, o) for o in options]
        if cue == "meaning":
            return self.subjects.meaning.fits(item.stem, options, item.problem)
        if cue == "odd":
            lone = odd_one_out(options, form_signature)
            if lone is None:
                odd = [i for i, o in enumerate(options)
                       if lone_word(o, [x for j, x in enumerate(options) if j != i])]
                lone = odd[0] if len(odd) == 1 else None
            return [1.0 if i == lone else 0.0 for i in range(len(options))]
        if cue == "longest":
            return [float(option_length(o)) for o in options]
        raise ValueError(cue)

    def picks(self, item: Item, cue: str, reverse: bool = False) -> tuple[int, ...] | None:
        scores = self.scores(item, cue)
        if reverse:
            if cue == "odd":
                return None  # "never the odd one" is no single pick
            scores = [max(scores) - s + 1e-6 for s in scores]
        margin = {"topic": TOPIC_MARGIN, "letters": LETTERS_MARGIN,
                  "meaning": MEANING_MARGIN}.get(cue, 0.0)
        return _top(scores, margin)

    def answer(self, item: Item) -> Answer:
        for cue in CUES:
            picks = self.picks(item, cue)
            if picks:
                return Answer(picks, cue, (1 / len(picks)) if 0 in picks else 0.0)
        return Answer(tuple(range(len(item.options))), "guess", 1 / len(item.options))

    def credit(self, item: Item, cue: str, reverse: bool = False) -> float:
        """The credit of one cue alone (a guess among all options when it says nothing)."""
        picks = self.picks(item, cue, reverse) or tuple(range(len(item.options)))
        return (1 / len(picks)) if 0 in picks else 0.0


def _rate(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


# A kind's accuracy is held to its limit only over this many items (over a handful, one
# lucky guess moves it by ten points).
KIND_MIN_ITEMS = 20


def solver_report(items: Sequence[Item], solver: CueSolver, limit: float = 0.35,
                  kind_limit: float = 0.45) -> dict[str, object]:
    """The solver's accuracy over the items: overall, per kind and per cue."""
    answers = [solver.answer(i) for i in items]
    kinds = sorted({i.kind for i in items})
    per_kind = {k: _rate([a.credit for a, i in zip(answers, items) if i.kind == k])
                for k in kinds}
    counts = Counter(i.kind for i in items)
    overall = _rate([a.credit for a in answers])
    return {
        "accuracy": overall, "chance": round(1 / 4, 4), "max": limit, "kind_max": kind_limit,
        "ok": overall <= limit and all(v <= kind_limit for k, v in per_kind.items()
                                       if counts[k] >= KIND_MIN_ITEMS),
        "per_kind": per_kind, "items_per_kind": dict(sorted(counts.items())),
        "per_cue": {cue: {"alone": _rate([solver.credit(i, cue) for i in items]),
                          "reversed": _rate([solver.credit(i, cue, True) for i in items])}
                    for cue in CUES},
        "answered_by": dict(Counter(a.cue for a in answers)),
        "meaning": "share of items a knowledge-free solver answers from cues alone "
                   "(stem echoes, a named technology's family, words the book uses "
                   "together, letters, topic words, odd "
                   "form, length); chance is 1/4",
    }
