"""Quiz outputs: quiz.json, printable HTML and PDF per version, the answer key, GIFT and Moodle XML.

Every text goes through a Jinja template with autoescape (``templates/quiz/``); GIFT gets
its own escaping filter because its special characters are not HTML's.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
from typing import Any, Iterator

import jinja2
import markupsafe

from ...inline import MathStyle, render_html
from ...models import Diagnostic
from ...outputs import xml_safe
from ...templating import render
from ..corpus_json import dumps_json
from .assemble import LETTERS, Quiz, Version

# A fixed date for the fonts WeasyPrint embeds (fontTools stamps subset fonts with "now"
# unless SOURCE_DATE_EPOCH is set): 1980-01-01, as reproducible-builds tools use.
FIXED_EPOCH = "315532800"
# GIFT's special characters, escaped with a backslash (backslash itself first).
GIFT_SPECIAL = re.compile(r"([\\~=#{}:])")


def gift_text(text: object) -> markupsafe.Markup:
    """Book text (inline Markdown) for a GIFT ``[html]`` field: rendered to HTML with math
    as MathJax ``\\( … \\)`` (Moodle's MathJax filter typesets it), then GIFT's specials
    backslash-escaped; Moodle's importer removes those backslashes before reading the HTML.

    Marked safe so the template's autoescape does not escape it a second time. Newlines
    would end a GIFT question, so whitespace runs become one space.
    """
    rendered = render_html(" ".join(str(text).split()), math="mathjax")
    return markupsafe.Markup(GIFT_SPECIAL.sub(r"\\\1", str(rendered)))


def html_text(text: object) -> str:
    """Book text as HTML for a Moodle XML ``format="html"`` field, left as a plain string.

    The XML template escapes it once more, so Moodle's XML parser gives back the HTML:
    ``<code>``, ``<em>``, math as MathJax ``\\( … \\)``, the book's ``<`` and ``&`` shown
    literally.
    """
    return str(render_html(str(text), math="mathjax"))


def inline_filter(math: MathStyle):  # type: ignore[no-untyped-def]
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
    overlay.filters["gift"] = gift_text
    overlay.filters["html_text"] = html_text
    return overlay


def quiz_json(quiz: Quiz) -> bytes:
    """quiz.json: the seed, every version's items with options and answer index, the checks."""
    return dumps_json({
        "name": quiz.options.name,
        "title": quiz.options.title,
        "seed": quiz.options.seed,
        "versions": [{"name": version.name, "items": [{
            "id": placed.item.id, "kind": placed.item.kind, "problem": placed.item.problem,
            "stem": placed.item.stem, "options": list(placed.options),
            "answer": placed.answer} for placed in version.items]}
            for version in quiz.versions],
        "checks": quiz.checks,
    })


def _context(quiz: Quiz) -> dict[str, Any]:
    return {"title": quiz.options.title, "quiz": quiz, "letters": LETTERS,
            "versions": quiz.versions, "count": len(quiz.items)}


def version_html(env: jinja2.Environment, quiz: Quiz, version: Version) -> str:
    return render(env, "quiz/paper.html", version=version, **_context(quiz))


def answer_key_html(env: jinja2.Environment, quiz: Quiz) -> str:
    return render(env, "quiz/answer-key.html", **_context(quiz))


@contextlib.contextmanager
def _reproducible_fonts() -> Iterator[None]:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    if previous is None:
        os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def html_to_pdf(page: str) -> tuple[bytes, list[str]]:
    """Render HTML to PDF with WeasyPrint, byte-stable; also return WeasyPrint's warnings."""
    import weasyprint

    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        with _reproducible_fonts():
            pdf = weasyprint.HTML(string=page, base_url=None).write_pdf()
    finally:
        logger.removeHandler(collector)
    return pdf, collector.messages


def render_quiz(env: jinja2.Environment, quiz: Quiz, folder: str, pdf: bool = True,
                progress: bool = False) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Every quiz file, keyed by path under ``folder``, and what rendering noticed.

    ``progress``: a progress bar on stderr over the pages (each PDF takes a while).
    """
    from tqdm import tqdm

    print_env = quiz_environment(env, "svg")
    env = quiz_environment(env, "mathml")
    files: dict[str, bytes] = {f"{folder}/quiz.json": quiz_json(quiz)}
    pages = [(f"version-{v.name}", lambda e, v=v: version_html(e, quiz, v))
             for v in quiz.versions]
    pages.append(("answer-key", lambda e: answer_key_html(e, quiz)))
    warned: dict[str, list[str]] = {}  # one diagnostic per message, naming every PDF
    for stem, page in tqdm(pages, desc=f"rendering {folder}", unit="page", leave=False,
                           disable=not (progress and pdf)):
        files[f"{folder}/{stem}.html"] = page(env).encode("utf-8")
        if pdf:
            files[f"{folder}/{stem}.pdf"], messages = html_to_pdf(page(print_env))
            for message in messages:
                warned.setdefault(message, []).append(f"{stem}.pdf")
    # WeasyPrint's advice to install a system library (HarfBuzz-Subset) is about the
    # machine, not the quiz: the PDF is complete either way. It is left out, since
    # WeasyPrint gives it or not depending on what the process rendered before, and the
    # same build must give the same report.
    diagnostics = [Diagnostic("warning", "quiz-pdf",
                              f"PDF rendering ({', '.join(sorted(set(names)))}): {message}")
                   for message, names in warned.items() if "HarfBuzz-Subset" not in message]
    first = quiz.versions[0]
    files[f"{folder}/quiz.gift"] = render(env, "quiz/quiz.gift", version=first,
                                          **_context(quiz)).encode("utf-8")
    # XML 1.0 cannot hold control characters, even escaped: a stray one in the book or the
    # title must not make the file unreadable (publish checks every XML output parses).
    files[f"{folder}/quiz.moodle.xml"] = xml_safe(render(env, "quiz/quiz.moodle.xml",
                                                         version=first,
                                                         **_context(quiz))).encode("utf-8")
    return files, diagnostics
