"""Whether a problem gets an Outline card: a short list of distinct approaches, or nothing.

The Outline card asks "which N approaches would you cover?" and lists the point titles on
the back. That only tests recall when the list is short and every item is an approach a
learner can name; otherwise it is a leech or restates the question. A problem gets one
only when:

- it has a summary (the back's one-line answer) and ``MIN_POINTS`` to ``MAX_POINTS`` titled
  points (a list of six or seven book headings is too long to recall as one card);
- every title is shaped like an approach or a step (``quiz.shapes.title_shape`` is
  "action"), not a heading about an aspect, a claim, a question, a comparison or a "when
  to use" remark (such a list answers no question, it outlines an explanation);
- no title restates the question: some content word of each title, in any form, is not
  printed in the question or the problem's title ("Layer 4" under "Layer 4 or Layer 7?");
- no two titles say the same: they share at most half of their content words (by
  Snowball stem: "Keys" and "key" are one word).
"""
from __future__ import annotations

from typing import Sequence

from ...english import GENERIC, content_lemmas
from ...ids import normalize_title
from ...inline import plain_text
from ...models import Problem
from ..quiz.shapes import ACTION, title_shape
from .cloze import related, stem

MIN_POINTS, MAX_POINTS = 3, 5

# Why a problem gets no Outline card (the report counts them), most telling first.
REASONS = {
    "summary": "no summary to answer with",
    "few": f"fewer than {MIN_POINTS} titled points",
    "many": f"more than {MAX_POINTS} titled points (too long to recall as one card)",
    "shape": "a title is a heading, a claim or a question, not an approach",
    "restates": "a title only restates the question",
    "overlap": "two titles say the same",
}


def outline_refusal(problem: Problem) -> str | None:
    """Why the problem gets no Outline card (a key of ``REASONS``), or None."""
    titles = [plain_text(p.title) for p in problem.points if normalize_title(p.title)]
    if not problem.summary.strip():
        return "summary"
    if len(titles) < MIN_POINTS:
        return "few"
    if len(titles) > MAX_POINTS:
        return "many"
    if any(title_shape(title) != ACTION for title in titles):
        return "shape"
    asked = content_lemmas(" ".join((plain_text(problem.question), plain_text(problem.title))))
    words = [content_lemmas(title) - GENERIC for title in titles]
    if any(not named or all(related(w, asked) for w in named) for named in words):
        return "restates"
    if _overlap(words):
        return "overlap"
    return None


def _overlap(words: Sequence[frozenset[str]]) -> bool:
    for i, one in enumerate(words):
        for other in words[i + 1:]:
            stems = {stem(w) for w in other}
            shared = {w for w in one if stem(w) in stems}
            if shared and len(shared) * 2 > min(len(one), len(other)):
                return True
    return False
