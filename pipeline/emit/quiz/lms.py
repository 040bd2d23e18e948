"""Files an LMS imports: GIFT, Moodle XML and a QTI 1.2 package (Canvas, and others that take
Canvas's QTI export), each with every version and the question pools.

Every file is rendered from a Jinja template (``templates/quiz/``) with autoescape, the
book's text as HTML with math as MathJax ``\\( … \\)``; GIFT gets its own escaping filter
because its special characters are not HTML's. The QTI package is a zip of templates
(``templates/quiz/qti/``) written with fixed dates, so the same quiz gives the same bytes.
"""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
import zipfile
from typing import Any

import jinja2
import markupsafe

from ...errors import DrillbookError
from ...inline import render_html
from ...outputs import xml_safe
from ...templating import render
from .assemble import LETTERS, Quiz
from .pools import Pool

# GIFT's special characters, escaped with a backslash (backslash itself first).
GIFT_SPECIAL = re.compile(r"([\\~=#{}:])")
# A zip entry's date: 1980-01-01, the earliest a zip can hold (reproducible builds).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
QTI_NAMESPACE = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"


def gift_text(text: object) -> markupsafe.Markup:
    """Book text (inline Markdown) for a GIFT ``[html]`` field: rendered to HTML with math
    as MathJax ``\\( … \\)`` (Moodle's MathJax filter typesets it), then GIFT's specials
    backslash-escaped; Moodle's importer removes those backslashes before reading the HTML.

    Marked safe so the template's autoescape does not escape it a second time. Newlines
    would end a GIFT question, so whitespace runs become one space.
    """
    rendered = render_html(" ".join(str(text).split()), math="mathjax")
    return markupsafe.Markup(GIFT_SPECIAL.sub(r"\\\1", str(rendered)))


def gift_line(text: object) -> markupsafe.Markup:
    """Plain text (a title, a category name) on one GIFT line: no newlines, specials escaped
    where GIFT reads them (a ``$CATEGORY:`` line is read as it stands)."""
    return markupsafe.Markup(" ".join(str(text).split()))


def html_text(text: object) -> str:
    """Book text as HTML for a ``format="html"`` field (Moodle XML, QTI ``mattext``), left as
    a plain string.

    The XML template escapes it once more, so the importer's XML parser gives back the
    HTML: ``<code>``, ``<em>``, math as MathJax ``\\( … \\)``, the book's ``<`` and ``&``
    shown literally.
    """
    return str(render_html(str(text), math="mathjax"))


def category(name: object) -> str:
    """One level of a Moodle category path: a "/" in a name is written "//"."""
    return " ".join(str(name).split()).replace("/", "//")


def add_filters(env: jinja2.Environment) -> None:
    env.filters["gift"] = gift_text
    env.filters["gift_line"] = gift_line
    env.filters["html_text"] = html_text
    env.filters["category"] = category
    env.filters["mathjax"] = lambda text: render_html(str(text), math="mathjax")


def _context(quiz: Quiz, pools: list[Pool]) -> dict[str, Any]:
    return {"title": quiz.options.title, "quiz": quiz, "letters": LETTERS,
            "versions": quiz.versions, "pools": pools, "open_items": quiz.open_items,
            "count": len(quiz.items)}


def gift_file(env: jinja2.Environment, quiz: Quiz, pools: list[Pool]) -> bytes:
    return render(env, "quiz/quiz.gift", **_context(quiz, pools)).encode("utf-8")


def moodle_xml(env: jinja2.Environment, quiz: Quiz, pools: list[Pool]) -> bytes:
    # XML 1.0 cannot hold control characters, even escaped: a stray one in the book or the
    # title must not make the file unreadable (publish checks every XML output parses).
    return xml_safe(render(env, "quiz/quiz.moodle.xml", **_context(quiz, pools))).encode("utf-8")


def _xml(env: jinja2.Environment, template: str, **context: Any) -> bytes:
    """A rendered XML template, checked well-formed here (inside a zip, publish cannot)."""
    text = xml_safe(render(env, template, **context))
    try:
        ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise DrillbookError(f"output is not well-formed XML, nothing was written: {exc}",
                             template, line=line) from None
    return text.encode("utf-8")


def qti_assessments(quiz: Quiz, pools: list[Pool]) -> list[dict[str, Any]]:
    """The QTI package's assessments: one per version (its items in the paper's order, options
    as printed) and one drawing from the pools."""
    slug = quiz.options.name
    assessments: list[dict[str, Any]] = [
        {"ident": f"drillbook-{slug}-version-{version.name.lower()}",
         "title": f"{quiz.options.title} — Version {version.name}", "version": version,
         "pools": None, "shuffle": False, "points": len(version.items)}
        for version in quiz.versions]
    choice_pools = [pool for pool in pools if pool.items]
    if choice_pools:
        assessments.append({"ident": f"drillbook-{slug}-pools",
                            "title": f"{quiz.options.title} — Pools", "version": None,
                            "pools": choice_pools, "shuffle": True,
                            "points": sum(min(pool.pick, len(pool.items))
                                          for pool in choice_pools)})
    return assessments


def qti_package(env: jinja2.Environment, quiz: Quiz, pools: list[Pool]) -> bytes:
    """quiz.qti.zip: imsmanifest.xml and, per assessment, ``<ident>/<ident>.xml`` (QTI 1.2)
    with Canvas's ``<ident>/assessment_meta.xml`` beside it, as Canvas exports them."""
    context = _context(quiz, pools)
    assessments = qti_assessments(quiz, pools)
    entries = {"imsmanifest.xml": _xml(env, "quiz/qti/imsmanifest.xml",
                                       assessments=assessments, **context)}
    for assessment in assessments:
        ident = assessment["ident"]
        entries[f"{ident}/{ident}.xml"] = _xml(env, "quiz/qti/assessment.xml",
                                               assessment=assessment, **context)
        entries[f"{ident}/assessment_meta.xml"] = _xml(env, "quiz/qti/assessment_meta.xml",
                                                       assessment=assessment, **context)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
