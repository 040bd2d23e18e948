"""Open interview questions: the interviewer's question, answered by a rubric.

A kind of its own (``open-interview``), beside the multiple-choice kinds of ``generate.py``:
the stem is a problem's interviewer question and the answer is a rubric, the problem's
points as a checklist, each with the one-line gist of its explanation. They print as a
question sheet (for the candidate) and a rubric sheet (for the interviewer), and go to
Moodle as essay questions with the rubric as information for the grader.

Everything stays in the book's text format (inline Markdown + TeX); the gist is cut from
the explanation without cutting a code span or a formula.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from ...ids import quiz_item_id
from ...inline import parse, to_markdown
from ...models import Problem

OPEN_INTERVIEW = "open-interview"
GIST_CHARACTERS = 140  # a gist longer than this is cut at a word and ends with "…"
# A sentence ends at ., ! or ? followed by a space (the explanation's first sentence).
_SENTENCE_END = re.compile(r"[.!?](?=\s)")


@dataclass(frozen=True)
class RubricPoint:
    """One line of a rubric: what the answer should name, and the gist of why."""

    title: str  # the point's title (Markdown)
    gist: str  # the first sentence of its explanation, at most one line (Markdown)


@dataclass(frozen=True)
class OpenItem:
    """An open interview question and the rubric it is graded by."""

    id: str
    kind: str
    problem: str  # problem id
    topic: str  # topic id
    question: str  # the interviewer's question (Markdown)
    summary: str  # the problem's one-line summary: what a good answer comes to
    rubric: tuple[RubricPoint, ...]


def gist(text: str, limit: int = GIST_CHARACTERS) -> str:
    """The first sentence of ``text`` (Markdown), cut to about ``limit`` characters.

    Cuts are made on the plain text and never inside a code span or a formula; what is
    cut off becomes "…".
    """
    inline = parse(" ".join(text.split()))
    plain = inline.plain

    def whole(at: int) -> bool:  # cutting at ``at`` leaves every code span and formula whole
        return not inline.cuts(at, len(plain))

    end = next((m.end() for m in _SENTENCE_END.finditer(plain) if whole(m.end())), len(plain))
    tail = ""
    if end > limit:
        spaces = [i for i in range(1, len(plain)) if plain[i].isspace() and whole(i)]
        before = [i for i in spaces if i <= limit]
        end = before[-1] if before else next(iter(spaces), len(plain))
        tail = "…"
    if end >= len(plain):
        return to_markdown(inline)
    return to_markdown(inline.replace([(end, len(plain))], tail))


def rubric(problem: Problem) -> tuple[RubricPoint, ...]:
    """The problem's points as a checklist (a point the extraction left untitled keeps its
    gist: the grader still checks for it)."""
    return tuple(RubricPoint(point.title, gist(point.explanation or point.example))
                 for point in problem.points)


def open_item(problem: Problem) -> OpenItem:
    return OpenItem(quiz_item_id(OPEN_INTERVIEW, problem.id, problem.question),
                    OPEN_INTERVIEW, problem.id, problem.topic, problem.question,
                    problem.summary, rubric(problem))


def select_open_items(problems: Sequence[Problem], count: int, seed: int,
                      avoid: Iterable[str] = ()) -> list[OpenItem]:
    """Up to ``count`` open questions, one per problem, spread over topics (round-robin
    over the topics in a seeded order, problems shuffled within a topic).

    Problems without an interviewer question or without points are never asked.
    Problems in ``avoid`` (asked already as multiple choice) come last.
    """
    rng = random.Random(f"{seed}:{OPEN_INTERVIEW}")
    avoided = set(avoid)
    by_topic: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.question.strip() and problem.points:
            by_topic.setdefault(problem.topic, []).append(problem)
    queues = []
    for topic in sorted(by_topic):
        queue = list(by_topic[topic])
        rng.shuffle(queue)
        queue.sort(key=lambda p: p.id in avoided)  # stable: the shuffled order stays
        queues.append(queue)
    rng.shuffle(queues)
    chosen: list[Problem] = []
    for round_ in range(max((len(q) for q in queues), default=0)):
        chosen += [queue[round_] for queue in queues if round_ < len(queue)]
    chosen.sort(key=lambda p: p.id in avoided)  # fresh problems first, round-robin kept
    return [open_item(problem) for problem in chosen[:count]]
