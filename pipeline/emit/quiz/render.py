"""Quiz outputs: quiz.json, printable HTML and PDF per version, the answer key (one grading
table, version x question, plus a CSV of it), the open-question sheets, and the LMS files.

Every text goes through a Jinja template with autoescape (``templates/quiz/``). The LMS
files (GIFT, Moodle XML, QTI) are rendered by ``lms.py``, the PDFs by ``pdf.py``.
"""
from __future__ import annotations

import csv
import functools
import io
from typing import Any, Callable

import jinja2
import markupsafe

from ...inline import MathStyle, render_html
from ...models import Corpus, Diagnostic
from ...templating import render
from ...timing import stage
from ..corpus_json import dumps_json
from .assemble import LETTERS, Quiz, Version
from .lms import add_filters, gift_file, gift_text, html_text, moodle_xml, qti_package
from .pdf import FIXED_EPOCH, html_to_pdf, start_pdfs
from .pools import Pool, make_pools

__all__ = ["FIXED_EPOCH", "gift_text", "html_text", "html_to_pdf", "quiz_environment",
           "quiz_json", "render_quiz"]
# A version-by-question grading table prints this many questions side by side.
KEY_COLUMNS = 25
# Above this many versions the answer key is the grading table alone (a page per version
# would be a book); quiz.json still has every version's options.
KEY_DETAIL_VERSIONS = 26


def inline_filter(math: MathStyle) -> Callable[[object], markupsafe.Markup]:
    """The ``inline`` template filter: book text as HTML, math as ``math`` says."""
    def inline(text: object) -> markupsafe.Markup:
        return render_html(str(text), math=math)
    return inline


def quiz_environment(env: jinja2.Environment, math: MathStyle = "mathml") -> jinja2.Environment:
    """An overlay of the caller's environment with the quiz filters (the caller's is untouched).

    ``math``: how the ``inline`` filter shows formulas: MathML for the HTML files (browsers
    lay it out), SVG images for the PDFs (WeasyPrint has no MathML layout).
    """
    overlay = env.overlay()
    # An overlay shares its parent's filters dict: copy it, or every overlay (and the
    # caller's environment) would see the last filters set.
    overlay.filters = dict(env.filters)
    overlay.filters["inline"] = inline_filter(math)
    add_filters(overlay)
    return overlay


def version_items(version: Version) -> list[dict[str, Any]]:
    """A version's items as quiz.json writes them: ``stem`` and ``options`` in the corpus's
    text format, ``answer`` the key's index among the options."""
    return [{"id": placed.item.id, "kind": placed.item.kind, "problem": placed.item.problem,
             "stem": placed.item.stem, "options": list(placed.options),
             "answer": placed.answer} for placed in version.items]


def quiz_json(quiz: Quiz, pools: list[Pool]) -> bytes:
    """quiz.json: the seed, every version's items with options and answer index, the open
    questions with their rubrics, the pools and the checks."""
    data: dict[str, Any] = {
        "name": quiz.options.name,
        "title": quiz.options.title,
        "seed": quiz.options.seed,
        "versions": [{"name": version.name, "items": version_items(version)}
                     for version in quiz.versions],
    }
    if quiz.open_items:
        data["open"] = [{"id": item.id, "kind": item.kind, "problem": item.problem,
                         "question": item.question, "summary": item.summary,
                         "rubric": [{"point": p.title, "gist": p.gist} for p in item.rubric]}
                        for item in quiz.open_items]
    data["pools"] = [{"id": pool.id, "title": pool.title, "pick": pool.pick,
                      "items": [p.item.id for p in pool.items] +
                               [item.id for item in pool.open_items]} for pool in pools]
    data["checks"] = quiz.checks
    return dumps_json(data)


def _context(quiz: Quiz) -> dict[str, Any]:
    count = len(quiz.items)
    return {"title": quiz.options.title, "quiz": quiz, "letters": LETTERS,
            "versions": quiz.versions, "count": count, "open_items": quiz.open_items,
            "key_blocks": [list(range(start, min(count, start + KEY_COLUMNS)))
                           for start in range(0, count, KEY_COLUMNS)],
            "key_details": len(quiz.versions) <= KEY_DETAIL_VERSIONS}


def version_html(env: jinja2.Environment, quiz: Quiz, version: Version) -> str:
    return render(env, "quiz/paper.html", version=version, **_context(quiz))


def answer_key_html(env: jinja2.Environment, quiz: Quiz) -> str:
    return render(env, "quiz/answer-key.html", **_context(quiz))


def answer_key_csv(quiz: Quiz) -> bytes:
    """The grading table as CSV: a row per version, a column per question (its key letter)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["version", *range(1, len(quiz.items) + 1)])
    for version in quiz.versions:
        writer.writerow([version.name, *(placed.letter for placed in version.items)])
    return out.getvalue().encode("utf-8")


def _pages(quiz: Quiz) -> list[tuple[str, Any]]:
    """(file stem, function of an environment -> HTML) for every printable page."""
    pages: list[tuple[str, Any]] = [
        (f"version-{v.name}", lambda e, v=v: version_html(e, quiz, v)) for v in quiz.versions]
    if quiz.versions:
        pages.append(("answer-key", lambda e: answer_key_html(e, quiz)))
    if quiz.open_items:
        for stem in ("interview-questions", "interview-rubric"):
            pages.append((stem, lambda e, stem=stem: render(e, f"quiz/{stem}.html",
                                                            **_context(quiz))))
    return pages


PendingPdfs = Callable[[], tuple[dict[str, bytes], tuple[Diagnostic, ...]]]


def render_quiz(env: jinja2.Environment, quiz: Quiz, folder: str, pdf: bool = True,
                progress: bool = False, corpus: Corpus | None = None, defer: bool = False
                ) -> tuple[dict[str, bytes], list[Diagnostic], PendingPdfs | None]:
    """Every quiz file, keyed by path under ``folder``, and what rendering noticed.

    ``corpus`` names the pools' topics (without it they are named by topic id).
    ``progress``: a progress bar on stderr over the PDFs (each takes a while).
    ``defer``: the PDFs are started, not waited for: the third value collects them (their
    files and WeasyPrint's warnings); without it they are in the files and it is None.
    """
    from ...models import Corpus as CorpusRecord

    options = quiz.options
    pools = make_pools(corpus or CorpusRecord((), (), ()), quiz, options.pools, options.pool_pick)
    print_env = quiz_environment(env, "svg")
    env = quiz_environment(env, "mathml")
    files: dict[str, bytes] = {f"{folder}/quiz.json": quiz_json(quiz, pools)}
    pages = _pages(quiz)
    with stage("quiz: HTML"):
        for stem, page in pages:
            files[f"{folder}/{stem}.html"] = page(env).encode("utf-8")
        printable = [(stem, page(print_env)) for stem, page in pages] if pdf else []
    if quiz.versions:
        files[f"{folder}/answer-key.csv"] = answer_key_csv(quiz)
    collect = start_pdfs(printable, progress, f"rendering {folder}") if printable else None
    with stage("quiz: LMS files"):
        files[f"{folder}/quiz.gift"] = gift_file(env, quiz, pools)
        files[f"{folder}/quiz.moodle.xml"] = moodle_xml(env, quiz, pools)
        if quiz.versions:
            files[f"{folder}/quiz.qti.zip"] = qti_package(env, quiz, pools)
    if collect is None:
        return files, [], None
    pending = functools.partial(_pdf_files, collect, folder)
    if defer:
        return files, [], pending
    pdfs, diagnostics = pending()
    return {**files, **pdfs}, list(diagnostics), None


def _pdf_files(collect: Callable[[], dict[str, tuple[bytes, list[str]]]], folder: str
               ) -> tuple[dict[str, bytes], tuple[Diagnostic, ...]]:
    """The started PDFs as files, and one diagnostic per WeasyPrint message."""
    with stage("quiz: PDFs"):
        rendered = collect()
    files: dict[str, bytes] = {}
    warned: dict[str, list[str]] = {}  # one diagnostic per message, naming every PDF
    for stem, (data, messages) in rendered.items():
        files[f"{folder}/{stem}.pdf"] = data
        for message in messages:
            warned.setdefault(message, []).append(f"{stem}.pdf")
    # WeasyPrint's advice to install a system library (HarfBuzz-Subset) is about the
    # machine, not the quiz: the PDF is complete either way. It is left out, since
    # WeasyPrint gives it or not depending on what the process rendered before, and the
    # same build must give the same report.
    return files, tuple(Diagnostic("warning", "quiz-pdf",
                                   f"PDF rendering ({', '.join(sorted(set(names)))}): {message}")
                        for message, names in warned.items() if "HarfBuzz-Subset" not in message)
