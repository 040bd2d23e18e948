"""Multiple-choice quizzes from the corpus: items, checks, shuffled versions, print and LMS files.

``emit(corpus, ctx)`` is the output the build and ``drillbook quiz`` run (the [quiz] settings
are its options); ``quiz_outputs(corpus, options, env)`` does the work and writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import jinja2

from ...errors import DrillbookError
from ...ids import slugify
from ...models import Corpus, Diagnostic
from ..base import EmitContext, Emitted
from .assemble import QuizOptions, build_quiz
from .generate import KINDS

__all__ = ["KINDS", "QuizBuild", "QuizOptions", "emit", "quiz_folder", "quiz_outputs"]


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


def quiz_outputs(corpus: Corpus, options: QuizOptions, env: jinja2.Environment,
                 progress: bool = False) -> QuizBuild:
    """Generate, check and render a quiz; nothing is written (the caller writes ``files``).

    ``progress``: progress bars on stderr while items are made and PDFs render (the slow
    parts of a large quiz).
    """
    from .render import render_quiz

    folder = quiz_folder(options.name)
    quiz = build_quiz(corpus, options, progress=progress)
    files, noticed = render_quiz(env, quiz, folder, pdf=options.pdf, progress=progress)
    return QuizBuild(options.name, folder, files, quiz.checks, quiz.diagnostics + noticed)


def emit(corpus: Corpus, ctx: EmitContext) -> Emitted:
    """The quiz of the [quiz] settings (raises NotEnoughMaterial for a too small corpus)."""
    built = quiz_outputs(corpus, ctx.settings.quiz, ctx.env, progress=ctx.progress)
    checks: dict = built.checks  # type: ignore[assignment]
    summary = (f"{built.folder}/: {checks['items']} questions, {ctx.settings.quiz.versions} "
               f"version(s); key longest in "
               f"{checks['key_not_longest_cue']['key_longest_rate']:.0%} of items, "
               f"{checks['repaired']} repaired, {checks['dropped']} dropped")
    section = {"name": built.name, "folder": built.folder, "checks": built.checks}
    return Emitted("quiz", built.files, tuple(built.diagnostics), {"quiz": section}, summary)
