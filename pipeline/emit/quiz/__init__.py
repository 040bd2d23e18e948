"""Multiple-choice quizzes from the corpus: items, checks, shuffled versions, print and LMS files.

``quiz_outputs(corpus, options, env)`` is the one entry point the CLI and the build call.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import jinja2

from ...errors import DrillbookError
from ...ids import slugify
from ...models import Corpus, Diagnostic
from .assemble import QuizOptions, build_quiz
from .generate import KINDS

__all__ = ["KINDS", "QuizBuild", "QuizOptions", "quiz_folder", "quiz_outputs"]


@dataclass
class QuizBuild:
    """A rendered quiz: files relative to the output folder, the check report, diagnostics."""

    name: str
    folder: str  # "quizzes/<name>", the prefix of every key of ``files``
    files: dict[str, bytes]
    checks: dict[str, object]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def quiz_folder(name: str) -> str:
    """Where a quiz's files go under the build folder."""
    slug = slugify(name, 64)
    if slug != name:
        raise DrillbookError(f"quiz name {name!r} must be a lowercase slug (e.g. {slug!r})")
    return f"quizzes/{name}"


def quiz_outputs(corpus: Corpus, options: QuizOptions, env: jinja2.Environment) -> QuizBuild:
    """Generate, check and render a quiz; nothing is written (the caller writes ``files``)."""
    from .render import render_quiz

    folder = quiz_folder(options.name)
    quiz = build_quiz(corpus, options)
    files, noticed = render_quiz(env, quiz, folder, pdf=options.pdf)
    return QuizBuild(options.name, folder, files, quiz.checks, quiz.diagnostics + noticed)
