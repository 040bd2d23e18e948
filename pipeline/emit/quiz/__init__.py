"""Quizzes from the corpus: multiple-choice items, checks, shuffled versions (one per student
if asked), open interview questions with rubrics, print and LMS files with question pools.

``emit(corpus, ctx)`` is the output the build and ``drillbook quiz`` run (the [quiz] settings
are its options); ``quiz_outputs(corpus, options, env)`` does the work and writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jinja2

from ...errors import DrillbookError
from ...ids import slugify
from ...models import Corpus, Diagnostic
from ..base import EmitContext, Emitted, RunState
from ...timing import stage
from .assemble import ALL_KINDS as KINDS
from .assemble import QuizOptions, build_quiz

if TYPE_CHECKING:  # the renderer is imported when a quiz is rendered
    from .render import PendingPdfs

__all__ = ["KINDS", "QuizBuild", "QuizOptions", "emit", "quiz_folder", "quiz_outputs"]


@dataclass
class QuizBuild:
    """A rendered quiz: files relative to the output folder, the check report, diagnostics."""

    name: str
    folder: str  # "quizzes/<name>", the prefix of every key of ``files``
    files: dict[str, bytes]
    checks: dict[str, object]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pending: PendingPdfs | None = None  # with ``defer``: collects the PDFs started


def quiz_folder(name: str) -> str:
    """Where a quiz's files go under the build folder."""
    slug = slugify(name, 64)
    if slug != name:
        raise DrillbookError(f"quiz name {name!r} must be a lowercase slug (e.g. {slug!r})")
    return f"quizzes/{name}"


def quiz_outputs(corpus: Corpus, options: QuizOptions, env: jinja2.Environment,
                 progress: bool = False, state: RunState | None = None,
                 defer: bool = False) -> QuizBuild:
    """Generate, check and render a quiz; nothing is written (the caller writes ``files``).

    ``progress``: progress bars on stderr while items are made and PDFs render (the slow
    parts of a large quiz). ``state``: the run's shared state, where the quiz ``Bank`` of
    the corpus is kept for every quiz of the run (the build's quiz and the site's).
    ``defer``: the PDFs are left rendering; ``pending`` collects them.
    """
    from .render import render_quiz

    folder = quiz_folder(options.name)
    with stage("quiz: items"):
        quiz = build_quiz(corpus, options, progress=progress, state=state)
    files, noticed, pending = render_quiz(env, quiz, folder, pdf=options.pdf,
                                          progress=progress, corpus=corpus, defer=defer)
    return QuizBuild(options.name, folder, files, quiz.checks, quiz.diagnostics + noticed,
                     pending)


def emit(corpus: Corpus, ctx: EmitContext) -> Emitted:
    """The quiz of the [quiz] settings (raises NotEnoughMaterial for a too small corpus)."""
    # The PDFs render while the outputs after this one run; the build collects them.
    built = quiz_outputs(corpus, ctx.settings.quiz, ctx.env, progress=ctx.progress,
                         state=ctx.state, defer=True)
    checks: dict[str, Any] = built.checks  # JSON-shaped: see assemble.build_quiz
    if checks["items"]:
        summary = (f"{built.folder}/: {checks['items']} questions, "
                   f"{ctx.settings.quiz.versions} version(s); key longest in "
                   f"{checks['key_not_longest_cue']['key_longest_rate']:.0%} of items, "
                   f"{checks['repaired']} repaired, {checks['dropped']} dropped")
    else:
        summary = f"{built.folder}/: no multiple-choice questions"
    if "open_questions" in checks:
        summary += f"; {checks['open_questions']['items']} open interview question(s)"
    section = {"name": built.name, "folder": built.folder, "checks": built.checks}
    return Emitted("quiz", built.files, tuple(built.diagnostics), {"quiz": section}, summary,
                   pending=built.pending)
