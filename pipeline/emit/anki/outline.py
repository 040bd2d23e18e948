"""Whether a problem gets an Outline card, and which one: every point, some of them, or none.

The Outline card asks for the approaches an answer covers and lists the point titles on
the back, in book order. It only tests recall when every item it counts is an approach a
learner can name; otherwise it is a leech or restates the question. A question that asks
which one thing to use ("What cache should you use?") gets none: the book lists the
options, and the points to cover are no answer to it. Two variants:

**Every point** (a short list): "which N points would you cover?". Only for a problem with
a summary (the back's one-line answer) and ``MIN_POINTS`` to ``MAX_POINTS`` titled points,

- every title it counts shaped like an approach or a step (``quiz.shapes.title_shape`` is
  "action"), not a heading about an aspect, a claim, a question, a comparison or a "when
  to use" remark (such a list answers no question, it outlines an explanation);
- no title it counts restating the question: some content word of each title, in any
  form, is not printed in the question or the problem's title ("Layer 4" under "Layer 4
  or Layer 7?");
- no two counted titles saying the same: they share at most half of their content words
  (by Snowball stem: "Keys" and "key" are one word).

As in a long list (below), one title in ``UNCOUNTED_SHARE`` that fails the first two rules
is listed but not counted, as long as ``MIN_POINTS`` titles count: N is then the number of
counted titles.

**Some of them** (a long list): "name K of the N points you would cover". Recalling six to
ten book headings as one card is a leech, but naming half of them is what a good answer
does, and the back then shows the whole list. For a problem with a summary and more than
``MAX_POINTS`` (at most ``MAX_LISTED``) titled points, the same two title rules are
applied to every title, and a title that fails them is *listed but not counted*: N counts
the approaches only, so a heading ("… Requirement") or a title that restates the question
never earns a point. That is fair while it is rare: when more than one title in
``UNCOUNTED_SHARE`` fails, the list outlines an explanation, not an answer, and there is
no card. In a list this long, titles sharing words are mostly sibling techniques a learner
names apart ("Token Bucket" and "Leaky Bucket", "Round Robin" and "Weighted Round Robin"),
so only two counted titles with the same content words (by stem) count as saying the same.
K is half of N rounded up (``ask_count``), never fewer than ``MIN_POINTS`` nor more than
``MAX_POINTS``: not more than a short outline asks, and always a real choice (K < N).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from ...english import GENERIC, content_lemmas
from ...ids import normalize_title
from ...inline import plain_text
from ...models import Problem
from ..quiz.shapes import ACTION, title_shape
from .word_forms import related, stem

MIN_POINTS, MAX_POINTS = 3, 5
# The longest list an Outline back shows: the book's longest has 10 titled points, 11 once
# a curator titles the point whose heading the extraction lost; two to spare.
MAX_LISTED = 12
UNCOUNTED_SHARE = 4  # a long list may leave out of its count one title in this many

# Why a problem gets no Outline card (the report counts them), most telling first.
REASONS = {
    "summary": "no summary to answer with",
    "few": f"fewer than {MIN_POINTS} titled points",
    "many": f"more than {MAX_LISTED} titled points (too long to list on one card)",
    "shape": "a title is a heading, a claim or a question, not an approach",
    "restates": "a title only restates the question",
    "overlap": "two titles say the same",
    "choice": "the question asks which one thing to use, not for points to cover",
    "headings": f"a long list where more than one title in {UNCOUNTED_SHARE} is a heading, "
                "a claim or a question or restates the question",
}
# The variants, as the report counts them.
VARIANTS = {"every": f"every point of a list of {MIN_POINTS} to {MAX_POINTS}",
            "some": "some points of a longer list"}


@dataclass(frozen=True, slots=True)
class Outline:
    """A problem's Outline card: how many points the front asks for, and which of the
    titled points (in book order) count toward the total it names."""

    ask: int
    is_counted: tuple[bool, ...]  # per titled point, in book order

    @property
    def total(self) -> int:
        return sum(self.is_counted)

    @property
    def variant(self) -> str:
        """A key of ``VARIANTS``."""
        return "every" if self.ask == self.total else "some"


def ask_count(total: int) -> int:
    """How many of ``total`` counted points a long outline asks for: half, rounded up,
    from ``MIN_POINTS`` to ``MAX_POINTS``."""
    return min(MAX_POINTS, max(MIN_POINTS, (total + 1) // 2))


def outline_card(problem: Problem) -> Outline | str:
    """The problem's Outline card, or why it gets none (a key of ``REASONS``)."""
    titles = [plain_text(p.title) for p in problem.points if normalize_title(p.title)]
    if not problem.summary.strip():
        return "summary"
    if _ONE_CHOICE.search(plain_text(problem.question)):
        return "choice"
    if len(titles) < MIN_POINTS:
        return "few"
    if len(titles) > MAX_LISTED:
        return "many"
    asked = content_lemmas(" ".join((plain_text(problem.question), plain_text(problem.title))))
    words = [content_lemmas(title) - GENERIC for title in titles]
    approach = [title_shape(title) == ACTION for title in titles]
    new = [bool(named) and not all(related(w, asked) for w in named) for named in words]
    counted = tuple(a and n for a, n in zip(approach, new))
    if len(titles) <= MAX_POINTS:
        if sum(counted) < MIN_POINTS or \
                (len(titles) - sum(counted)) * UNCOUNTED_SHARE > len(titles):
            return "shape" if not all(approach) else "restates"
        if _overlap([w for w, c in zip(words, counted) if c], _shares_most):
            return "overlap"
        return Outline(sum(counted), counted)
    if (len(titles) - sum(counted)) * UNCOUNTED_SHARE > len(titles):
        return "headings"
    if _overlap([w for w, c in zip(words, counted) if c], _same_words):
        return "overlap"
    return Outline(ask_count(sum(counted)), counted)


# A question that asks which one thing to use ("What cache should you use?", "Which queue
# do you pick?"): the book answers it with its list of the options, and "the points you
# would cover" of that list do not answer it (both such cards of the real book were
# rejected by the Outline census).
_ONE_CHOICE = re.compile(r"\b(?:which|what)\s+(?:[a-z-]+\s+){1,3}(?:should|do|would|will)\s+"
                         r"(?:you|we|i)\s+(?:use|choose|pick|go with)\b", re.IGNORECASE)


def outline_refusal(problem: Problem) -> str | None:
    """Why the problem gets no Outline card (a key of ``REASONS``), or None."""
    found = outline_card(problem)
    return found if isinstance(found, str) else None


def _shares_most(one: frozenset[str], other: frozenset[str]) -> bool:
    stems = {stem(w) for w in other}
    shared = {w for w in one if stem(w) in stems}
    return bool(shared) and len(shared) * 2 > min(len(one), len(other))


def _same_words(one: frozenset[str], other: frozenset[str]) -> bool:
    return {stem(w) for w in one} == {stem(w) for w in other}


def _overlap(words: Sequence[frozenset[str]],
             same: Callable[[frozenset[str], frozenset[str]], bool]) -> bool:
    return any(same(one, other) for i, one in enumerate(words) for other in words[i + 1:])
