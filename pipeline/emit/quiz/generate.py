"""Quiz item generation: one multiple-choice item grounded in one problem of the corpus.

Four kinds (``KINDS``). Distractors are the same kind of thing as the key (point titles for
point titles, technology tags for technology tags) and must not be a right answer too:
sibling points only where the stem singles out one point, points of unrelated problems
where the stem is the interviewer question (all siblings answer it).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from ...english import GENERIC, content_lemmas, words
from ...ids import quiz_item_id
from ...models import Corpus, Point, Problem
from ...inline import plain_text
from .text import (BLANK, blanks, capitalization_ratios, is_combined, is_name_like,
                   is_paraphrase, mask, stem_cues)

NAME_CONCEPT = "name-concept"
NAME_FROM_EXAMPLE = "name-from-example"
WHICH_APPROACH = "which-approach"
WHICH_TECHNOLOGY = "which-technology"
KINDS = (NAME_CONCEPT, NAME_FROM_EXAMPLE, WHICH_APPROACH, WHICH_TECHNOLOGY)

OPTIONS_PER_ITEM = 4
MAX_LENGTH_RATIO = 2.0

# Titles phrased as questions or talking to the reader ("What is X?", "When to Use Y",
# "Understand What You're Giving Up") frame a problem rather than name a concept: never a
# key, and a distractor only when nothing else fits (they fit any question).
CONVERSATIONAL = re.compile(r"\b(you|your|you're|what|why|when|how|which)\b|\?", re.IGNORECASE)
# Words in more than this share of problems do not make two texts "about the same thing".
COMMON_SHARE = 0.35
# Masked stems keep at least this many content words, or they stop being answerable.
MIN_STEM_WORDS = 2
# Distractors from other problems come from topics at least this far away in book order:
# neighbouring topics hold answers the book files elsewhere (read replicas vs sharding).
MIN_TOPIC_DISTANCE = 2
# Which-approach distractors are drawn from this many candidates of the nearest allowed
# topics: the same corner of backend work reads as plausible (messaging for a Kafka question).
NEAR_POOL = 40


@dataclass(frozen=True)
class Item:
    """One question grounded in one problem: a stem, its key and its distractors."""

    id: str
    kind: str
    problem: str  # problem id
    topic: str  # topic id
    stem: str
    key: str
    distractors: tuple[str, ...]
    point: str  # title of the point the key comes from

    @property
    def options(self) -> tuple[str, ...]:
        return (self.key, *self.distractors)


@dataclass(frozen=True)
class PointRef:
    """A point with its problem and the word sets the builders compare."""

    problem: Problem
    point: Point
    title_words: frozenset[str]  # content lemmas of the title, generic words removed
    text_words: frozenset[str]  # content lemmas of explanation and example


class Bank:
    """What the item builders look up, computed once per corpus."""

    def __init__(self, corpus: Corpus, topics: Iterable[str] | None = None):
        self.corpus = corpus
        self.topic_order = {t.id: t.order for t in corpus.topics}
        self.refs = [PointRef(p, pt, content_lemmas(pt.title) - GENERIC,
                              content_lemmas(f"{pt.explanation} {pt.example}"))
                     for p in corpus.problems for pt in p.points]
        texts_by_problem = {p.id: _problem_text(p) for p in corpus.problems}
        share: dict[str, int] = {}
        for text in texts_by_problem.values():
            for word in content_lemmas(text):
                share[word] = share.get(word, 0) + 1
        limit = COMMON_SHARE * max(1, len(corpus.problems))
        self.common = frozenset(w for w, n in share.items() if n > limit) | GENERIC
        self.problem_vocabulary = {
            p.id: content_lemmas(" ".join([p.title, p.question, p.summary,
                                           *(pt.title for pt in p.points)])) - self.common
            for p in corpus.problems}
        topic_text: dict[str, list[str]] = {}
        for p in corpus.problems:
            topic_text.setdefault(p.topic, []).append(texts_by_problem[p.id])
        self.topic_words = {t: content_lemmas(" ".join(v)) for t, v in topic_text.items()}
        self.tags = {t.id: t for t in corpus.tags}
        self.technology = _technology_tags(corpus)
        self.topic_tags: dict[str, set[str]] = {}
        for p in corpus.problems:
            for pt in p.points:
                self.topic_tags.setdefault(p.topic, set()).update(pt.tags)
        self.tag_context: dict[str, frozenset[str]] = {}
        for ref in self.refs:
            for tag in ref.point.tags:
                self.tag_context[tag] = self.tag_context.get(tag, frozenset()) | \
                    ref.title_words | ref.text_words
        self.tag_topic: dict[str, str] = {}
        for p in sorted(corpus.problems, key=lambda p: self.topic_order.get(p.topic, 0)):
            for pt in p.points:
                for tag in pt.tags:
                    self.tag_topic.setdefault(tag, p.topic)
        self.selected = [p for p in corpus.problems if topics is None or p.topic in set(topics)]
        self._approach_pools: dict[str, list[PointRef]] = {}

    def approach_pool(self, problem: Problem) -> list[PointRef]:
        """Points that are reliably wrong answers to this problem's interviewer question.

        From other topics, sharing no telling word with this problem, never spoken of in its
        topic, and not a paraphrase of any of its points.
        """
        if problem.id not in self._approach_pools:
            vocabulary = self.problem_vocabulary[problem.id]
            topic_words = self.topic_words.get(problem.topic, frozenset()) - self.common
            problem_words = content_lemmas(_problem_text(problem)) - self.common
            self._approach_pools[problem.id] = [
                r for r in self.refs
                if self.distance(r.problem.topic, problem.topic) >= MIN_TOPIC_DISTANCE
                and not CONVERSATIONAL.search(r.point.title)
                # ...and whose own explanation does not talk about this problem's matters.
                and len((r.text_words - self.common) & problem_words) < 2
                and not (r.title_words - self.common) & vocabulary
                and not (r.title_words - self.common) & topic_words
                and not any(is_paraphrase(r.point.title, pt.title) for pt in problem.points)]
        return self._approach_pools[problem.id]

    def distance(self, a: str, b: str) -> int:
        return abs(self.topic_order.get(a, 0) - self.topic_order.get(b, 0))


def _problem_text(problem: Problem) -> str:
    return " ".join([problem.title, problem.question, problem.summary,
                     *(f"{pt.title} {pt.explanation} {pt.example}" for pt in problem.points)])


def _technology_tags(corpus: Corpus) -> dict[str, str]:
    """Tag id -> label for tags that name a product or technology ("Redis", "AWS WAF").

    Tags still carry phrases ("Proactive communication", "TTL jitter"); a label counts when
    it is short, every word is shaped like a name (see ``is_name_like``), and it is grounded
    in the text: the corpus mentions it, or its own point speaks of part of it ("captcha"
    for "hCaptcha"). Stray text caught in a tag row (a page footer) is neither.
    """
    ratios = capitalization_ratios(
        text for p in corpus.problems for text in
        (p.question, p.summary, *(f"{pt.explanation} {pt.example}" for pt in p.points)))
    mentioned = {w.lower() for p in corpus.problems for w in words(_problem_text(p))}
    near: dict[str, set[str]] = {}  # tag id -> words of the points carrying it
    spelled: dict[str, set[str]] = {}  # tag id -> acronyms those points spell out
    for p in corpus.problems:
        for pt in p.points:
            text = f"{pt.title} {pt.explanation} {pt.example}"
            for tag in pt.tags:
                near.setdefault(tag, set()).update(w.lower() for w in words(text) if len(w) >= 4)
                spelled.setdefault(tag, set()).update(_initials(pt.title) |
                                                      _initials(pt.explanation))
    found: dict[str, str] = {}
    for tag in corpus.tags:
        label_words = tag.label.split()
        if not 1 <= len(label_words) <= 3 or len(tag.label) > 32:
            continue
        if not all(is_name_like(word, ratios) for word in label_words):
            continue
        parts = [w.lower() for w in words(tag.label) if len(w) >= 2]
        if any(part in mentioned or part in spelled.get(tag.id, ()) for part in parts) or \
                any(word in part for part in parts for word in near.get(tag.id, ())):
            found[tag.id] = tag.label
    return found


def _initials(text: str) -> set[str]:
    """Acronyms of three to six letters a text spells out: "Content Security Policy" -> "csp"."""
    letters = [w[0].lower() for w in words(text)]
    return {"".join(letters[i:j]) for i in range(len(letters))
            for j in range(i + 3, min(len(letters), i + 6) + 1)}


def item_id(kind: str, problem: Problem, anchor: str) -> str:
    """A stable item id: the kind, the problem id and a hash of what the key comes from."""
    return quiz_item_id(kind, problem.id, anchor)


def option_length(text: str) -> int:
    return len(text.strip())


def pick_distractors(key: str, candidates: Iterable[str], count: int,
                     avoid_key_longest: bool = False,
                     group_of: dict[str, str] | None = None) -> tuple[str, ...] | None:
    """The first ``count`` candidates that keep the options distinct, homogeneous and clean.

    Candidates come in the caller's order of preference (already shuffled with the seed).
    With ``avoid_key_longest`` at least one pick is longer than the key, so the longest
    option is not a give-away. With ``group_of`` no two picks share a group (a topic), so
    three distractors of one kind do not single out the key as the odd one.
    """
    picked: list[str] = []
    groups: set[str] = set()
    for candidate in candidates:
        if len(picked) == count:
            break
        options = [key, *picked, candidate]
        lengths = [option_length(o) for o in options]
        if min(lengths) == 0 or max(lengths) > MAX_LENGTH_RATIO * min(lengths):
            continue
        if any(is_paraphrase(candidate, other) for other in (key, *picked)):
            continue
        if is_combined(candidate, [key, *picked]):
            continue
        group = group_of.get(candidate) if group_of else None
        if group is not None and group in groups:
            continue
        if avoid_key_longest and len(picked) == count - 1 and \
                all(option_length(p) <= option_length(key) for p in picked) and \
                option_length(candidate) <= option_length(key):
            continue
        picked.append(candidate)
        if group is not None:
            groups.add(group)
    return tuple(picked) if len(picked) == count else None


def _masked(text: str, key: str, distractors: Sequence[str]) -> str:
    """``text`` with the key's words blanked, except words two or more distractors have too.

    A word the key shares with no distractor gives the answer away; one shared with
    several distractors points nowhere, and keeping it keeps the stem readable.
    """
    counts: dict[str, int] = {}
    for distractor in distractors:
        for word in content_lemmas(distractor):
            counts[word] = counts.get(word, 0) + 1
    telling = frozenset(w for w in content_lemmas(key) if counts.get(w, 0) < 2)
    return mask(text, telling)


def _enough_left(masked: str) -> bool:
    """A masked stem still says enough: a few words left, and few blanks among them."""
    left = content_lemmas(plain_text(masked).replace(BLANK, " "))
    return len(left) >= MIN_STEM_WORDS and blanks(masked) <= max(1, len(left) // 3)


def _quote(text: str) -> str:
    return f"“{text.strip()}”"


Builder = Callable[["Bank", Problem, Point, random.Random, bool], "Item | None"]


def build_name_item(bank: Bank, problem: Problem, point: Point, rng: random.Random,
                    avoid_key_longest: bool, kind: str) -> Item | None:
    """Name the concept from its explanation, or from its example: which point title is it?"""
    body = point.explanation if kind == NAME_CONCEPT else point.example
    if not body.strip() or CONVERSATIONAL.search(point.title):
        return None  # "Why It Matters" frames a problem; it is not a concept to name
    siblings = [r for r in bank.refs if r.problem.id == problem.id and r.point is not point]
    same_topic = [r for r in bank.refs
                  if r.problem.topic == problem.topic and r.problem.id != problem.id]
    rng.shuffle(siblings)
    rng.shuffle(same_topic)
    # A point whose explanation and example read like the key's could be the answer too.
    key_words = content_lemmas(f"{point.explanation} {point.example}") - bank.common

    def distinct_meaning(other: PointRef) -> bool:
        other_words = other.text_words - bank.common
        overlap = len(key_words & other_words) / max(1, min(len(key_words), len(other_words)))
        return overlap < 0.5

    body_words = content_lemmas(body)
    framing = content_lemmas(f"{problem.title} {problem.question} {problem.summary}")
    telling = body_words - framing - bank.common

    def not_described(other: PointRef) -> bool:
        # A distractor whose own title words are in the stem reads as an answer too, and so
        # does one whose explanation shares the stem's telling words ("adds a field").
        hits = other.title_words & body_words
        return len(hits) < 2 and not (hits and hits == other.title_words) and \
            len(telling & other.text_words) < 2

    # "When to use X" among technique names is an odd one out: only if nothing else fits.
    ordered = [r for r in siblings + same_topic if not CONVERSATIONAL.search(r.point.title)] + \
              [r for r in siblings + same_topic if CONVERSATIONAL.search(r.point.title)]
    candidates = [r.point.title for r in ordered if distinct_meaning(r) and not_described(r)]
    distractors = pick_distractors(point.title, candidates, OPTIONS_PER_ITEM - 1,
                                   avoid_key_longest)
    if distractors is None:
        return None
    masked_body = _masked(body, point.title, distractors)
    if not _enough_left(masked_body):
        return None
    context = _masked(problem.title, point.title, distractors)
    if kind == NAME_CONCEPT:
        stem = f"In the context of {_quote(context)}, which idea is described here: " \
               f"{_quote(masked_body)}?"
    else:
        stem = f"In the context of {_quote(context)}, which idea does this example " \
               f"illustrate: {_quote(masked_body)}?"
    return Item(item_id(kind, problem, point.title), kind, problem.id, problem.topic, stem,
                point.title, distractors, point.title)


def build_concept_item(bank: Bank, problem: Problem, point: Point, rng: random.Random,
                       avoid_key_longest: bool) -> Item | None:
    return build_name_item(bank, problem, point, rng, avoid_key_longest, NAME_CONCEPT)


def build_example_item(bank: Bank, problem: Problem, point: Point, rng: random.Random,
                       avoid_key_longest: bool) -> Item | None:
    return build_name_item(bank, problem, point, rng, avoid_key_longest, NAME_FROM_EXAMPLE)


def build_approach_item(bank: Bank, problem: Problem, point: Point, rng: random.Random,
                        avoid_key_longest: bool) -> Item | None:
    """Which approach fits the interviewer question: one of its points vs unrelated points."""
    if CONVERSATIONAL.search(point.title) or not problem.question.strip():
        return None
    pool = [(r.problem.topic, r.point.title) for r in bank.approach_pool(problem)]
    ranked = sorted(pool, key=lambda tp: (bank.distance(tp[0], problem.topic), rng.random()))
    near, far = ranked[:NEAR_POOL], ranked[NEAR_POOL:]
    rng.shuffle(near)
    ordered = [title for _, title in near + far]
    distractors = pick_distractors(point.title, ordered, OPTIONS_PER_ITEM - 1,
                                   avoid_key_longest, group_of=dict((t, g) for g, t in pool))
    if distractors is None:
        return None
    stem = f"Interview question: {_quote(problem.question)} Which of these belongs in a good " \
           f"answer?"
    if stem_cues(stem, point.title, distractors):
        return None  # the question echoes this point's words: another point must be the key
    return Item(item_id(WHICH_APPROACH, problem, point.title), WHICH_APPROACH, problem.id,
                problem.topic, stem, point.title, distractors, point.title)


def technology_keys(bank: Bank, point: Point) -> list[str]:
    """The point's tags that name a technology, as labels."""
    return [bank.technology[t] for t in point.tags if t in bank.technology]


def build_technology_item(bank: Bank, problem: Problem, point: Point, rng: random.Random,
                          avoid_key_longest: bool) -> Item | None:
    """Which tool or technology goes with this point: one of its tags vs unrelated tags."""
    keys = technology_keys(bank, point)
    if not keys:
        return None
    key = keys[0] if len(keys) == 1 else rng.choice(keys)
    problem_tags = {t for pt in problem.points for t in pt.tags}
    own_names = {w.lower() for t in problem_tags if t in bank.tags
                 for w in words(bank.tags[t].label)}
    topic_words = bank.topic_words.get(problem.topic, frozenset())
    point_words = content_lemmas(f"{point.title} {point.explanation} {point.example}") - \
        bank.common
    pool = [(topic, label) for tag_id, label in sorted(bank.technology.items())
            for topic in [bank.tag_topic.get(tag_id)]
            if topic is not None and bank.distance(topic, problem.topic) >= MIN_TOPIC_DISTANCE
            and tag_id not in bank.topic_tags.get(problem.topic, ())
            # Reliably wrong: a name this problem or its topic uses is not a distractor,
            and not {w.lower() for w in words(label)} & own_names
            and not (content_lemmas(label) - GENERIC) & topic_words
            # nor a tool the book uses for the same matters as this point.
            and not (bank.tag_context.get(tag_id, frozenset()) - bank.common) & point_words]
    ordered = [label for _, label in pool]
    rng.shuffle(ordered)
    distractors = pick_distractors(key, ordered, OPTIONS_PER_ITEM - 1, avoid_key_longest,
                                   group_of=dict((label, topic) for topic, label in pool))
    if distractors is None:
        return None
    explanation = point.explanation.strip().rstrip(".")
    body = _masked(f"{point.title}: {explanation}", key, distractors)
    if not _enough_left(body):
        return None
    stem = f"Which tool or technology goes with this approach: {_quote(body)}?"
    return Item(item_id(WHICH_TECHNOLOGY, problem, f"{point.title}\x1f{key}"), WHICH_TECHNOLOGY,
                problem.id, problem.topic, stem, key, distractors, point.title)


BUILDERS: dict[str, Builder] = {
    NAME_CONCEPT: build_concept_item,
    NAME_FROM_EXAMPLE: build_example_item,
    WHICH_APPROACH: build_approach_item,
    WHICH_TECHNOLOGY: build_technology_item,
}
