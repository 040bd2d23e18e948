"""site/: the study site, a static folder that works from disk (file://) and any static host.

``emit(corpus, ctx)`` renders ``templates/site/index.html`` (Jinja, autoescaped) with every
topic, problem, point and quiz item already as HTML (the book's formatting through
``pipeline/inline.py``, formulas as MathML, as in report.html and the HTML papers), and
writes beside it ``data.js``: what the page's scripts need (ids, the plain-text twins to
search and to label cards, tag kinds and families, quiz answers), as one JSON object
assigned to ``window.DRILLBOOK_DATA``, because a page opened from disk may not fetch a JSON
file. The scripts, the stylesheet and the vendored libraries (minisearch, ts-fsrs) are
copied unchanged from ``templates/site/``, so a ``--templates`` folder can replace any of
them too. Nothing is fetched at run time: the page's Content-Security-Policy allows its own
files only.

The scripts never turn book text into markup: they move the server-rendered nodes around
(``cloneNode``) and write plain text with ``textContent``.
"""
from __future__ import annotations

import dataclasses
import json
from typing import Any, Mapping, Sequence

import jinja2
import markupsafe

from ..errors import DrillbookError, NotEnoughMaterial
from ..ids import point_keys, slugify
from ..inline import plain_text, render_html
from ..models import Corpus, Diagnostic, Problem, Tag
from ..templating import render
from ..timing import stage
from .base import EmitContext, Emitted

FOLDER = "site"
PAGE = "site/index.html"
# Copied byte for byte from the templates folder (the user's first, then the defaults).
ASSETS = ("site.css", "boot.js", "app.js", "browse.js", "cards.js", "quiz.js",
          "interview.js", "vendor/minisearch.js", "vendor/ts-fsrs.js",
          "vendor/LICENSE-minisearch.txt", "vendor/LICENSE-ts-fsrs.txt", "vendor/README.md")
DATA_FORMAT = 1  # bump when data.js changes shape
# Characters that must not appear raw in a script: "</script>" could close an inline copy,
# U+2028/2029 end a line in older engines. JSON's \\u escapes give back the same strings.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                   "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _html(text: object) -> markupsafe.Markup:
    """The ``inline`` filter: book text (inline Markdown + TeX) as escaped HTML, MathML math."""
    return render_html(str(text), math="mathml")


def site_environment(env: jinja2.Environment) -> jinja2.Environment:
    """An overlay of the caller's environment with the site's ``inline`` filter."""
    overlay = env.overlay()
    overlay.filters = dict(env.filters)  # an overlay shares its parent's dict otherwise
    overlay.filters["inline"] = _html
    overlay.filters["plain"] = plain_text  # text only: <option>, title attributes
    return overlay


def asset_bytes(env: jinja2.Environment, name: str) -> bytes:
    """A static file of the site, looked up like a template but never rendered."""
    template = f"{FOLDER}/{name}"
    assert env.loader is not None
    try:
        source, _, _ = env.loader.get_source(env, template)
    except jinja2.TemplateNotFound:
        raise DrillbookError("site file not found in the templates", template) from None
    return source.encode("utf-8")


def script_json(value: Any) -> str:
    """JSON for a script file: compact, deterministic, with <, >, & and line separators
    escaped so the text can never end a script element or start markup."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


@dataclasses.dataclass(frozen=True)
class SiteQuiz:
    """The self-marking quiz: items as quiz.json writes them (``stem``, ``options`` in the
    corpus's text format, ``answer`` the key's index), and what the quiz library noticed."""

    items: tuple[Mapping[str, Any], ...]
    diagnostics: tuple[Diagnostic, ...] = ()


def site_quiz(corpus: Corpus, ctx: EmitContext) -> SiteQuiz:
    """Quiz items for the site, made by the quiz library's entry point (``build_quiz``).

    The same generator, checks and rules as the printed quiz (``[quiz]`` topics, kinds and
    seed), ``[site] quiz_count`` items, one version, no papers or LMS files (the site has
    no use for them). Its items as quiz.json writes them (``render.version_items``). The
    quiz ``Bank`` (and cue solver) of the build's quiz are reused through ``ctx.state``.
    """
    from .quiz.assemble import build_quiz
    from .quiz.render import version_items

    count = ctx.settings.site.quiz_count
    if count == 0:
        return SiteQuiz(())
    options = dataclasses.replace(ctx.settings.quiz, count=count, versions=1, pdf=False,
                                  name="site")
    try:
        with stage("quiz: items"):
            quiz = build_quiz(corpus, options, state=ctx.state)
    except NotEnoughMaterial as exc:
        return SiteQuiz((), (Diagnostic("info", "site-no-quiz",
                                        f"the site has no quiz: {exc}"),))
    items = tuple(version_items(quiz.versions[0])) if quiz.versions else ()
    noticed = tuple(Diagnostic("info", "site-quiz", f"site quiz: {d.message}", d.where)
                    for d in quiz.diagnostics if d.severity != "info")
    return SiteQuiz(items, noticed)


@dataclasses.dataclass(frozen=True)
class PointView:
    key: str  # pipeline.ids.point_keys: the flashcard's id
    point: Any
    tags: tuple[Tag, ...]


@dataclasses.dataclass(frozen=True)
class ProblemView:
    problem: Problem
    topic_title: str
    points: tuple[PointView, ...]
    tags: tuple[Tag, ...]
    previous: Problem | None
    next: Problem | None


def problem_views(corpus: Corpus) -> list[ProblemView]:
    """Every problem with what its page shows: point keys, tag records, neighbours."""
    tags = {t.id: t for t in corpus.tags}
    titles = {t.id: t.title for t in corpus.topics}
    views: list[ProblemView] = []
    problems = corpus.problems
    for index, problem in enumerate(problems):
        keys, _ = point_keys(problem)  # duplicate titles are the Anki output's warning
        points = tuple(PointView(key, point, tuple(tags[t] for t in point.tags if t in tags))
                       for key, point in zip(keys, problem.points))
        views.append(ProblemView(
            problem, titles.get(problem.topic, problem.topic), points,
            tuple(tags[t] for t in problem.tags if t in tags),
            problems[index - 1] if index > 0 else None,
            problems[index + 1] if index + 1 < len(problems) else None))
    return views


def site_data(corpus: Corpus, views: Sequence[ProblemView], quiz: SiteQuiz,
              ctx: EmitContext) -> dict[str, Any]:
    """data.js's object: ids, plain text (to search and to label), facets, quiz answers."""
    site = ctx.settings.site
    used = {tag.id for view in views for tag in view.tags}
    return {
        "format": DATA_FORMAT,
        "title": site.title,
        "storage": f"drillbook:{slugify(site.title, 64) or 'site'}",
        "newCardsPerDay": site.new_cards_per_day,
        "topics": [{"id": t.id, "title": plain_text(t.title)} for t in corpus.topics],
        "tags": [{"id": t.id, "label": plain_text(t.label), "kind": t.kind,
                  "family": t.family}
                 for t in corpus.tags if t.id in used],
        "problems": [{
            "id": v.problem.id, "topic": v.problem.topic, "number": v.problem.number,
            "title": plain_text(v.problem.title), "question": plain_text(v.problem.question),
            "summary": plain_text(v.problem.summary),
            "tags": [t.id for t in v.tags],
            "points": [{"key": pv.key, "title": plain_text(pv.point.title),
                        "text": plain_text(f"{pv.point.explanation} {pv.point.example}")}
                       for pv in v.points],
        } for v in views],
        "quiz": [{"id": item["id"], "kind": item["kind"], "problem": item["problem"],
                  "answer": item["answer"]} for item in quiz.items],
    }


def site_files(corpus: Corpus, ctx: EmitContext) -> tuple[dict[str, bytes], list[Diagnostic],
                                                          dict[str, Any]]:
    """The site's files (paths under ``site/``), what was noticed, the report section."""
    views = problem_views(corpus)
    quiz = site_quiz(corpus, ctx)
    noticed = list(quiz.diagnostics)
    data = site_data(corpus, views, quiz, ctx)
    env = site_environment(ctx.env)
    page = render(env, PAGE, title=ctx.settings.site.title, corpus=corpus,
                  topics=[(topic, [v for v in views if v.problem.topic == topic.id])
                          for topic in corpus.topics],
                  problems=views, quiz_items=quiz.items,
                  topic_count=len({v.problem.topic for v in views}),
                  problem_titles={v.problem.id: v.problem.title for v in views},
                  kinds=sorted({t.kind for v in views for t in v.tags}),
                  families=sorted({t.family for v in views for t in v.tags if t.family}))
    files = {f"{FOLDER}/index.html": page.encode("utf-8"),
             f"{FOLDER}/data.js": (f"window.DRILLBOOK_DATA = {script_json(data)};\n"
                                   ).encode("utf-8"),
             # GitHub Pages: serve the folder as it is (no Jekyll processing).
             f"{FOLDER}/.nojekyll": b""}
    for name in ASSETS:
        files[f"{FOLDER}/{name}"] = asset_bytes(ctx.env, name)
    # Flashcards: one per problem and one per titled point (as the Anki deck has them).
    cards = len(views) + sum(1 for v in views for pv in v.points if pv.point.title)
    section = {"folder": FOLDER, "problems": len(views), "cards": cards,
               "quiz_items": len(quiz.items)}
    return files, noticed, section


def emit(corpus: Corpus, ctx: EmitContext) -> Emitted:
    """The study site of the [site] settings (nothing when ``[site] build`` is false)."""
    if not ctx.settings.site.build:
        return Emitted("site")
    files, noticed, section = site_files(corpus, ctx)
    size = sum(len(data) for data in files.values())
    summary = (f"{FOLDER}/index.html: {section['problems']} problems, {section['cards']} "
               f"flashcards, {section['quiz_items']} quiz items, {size / 1e6:.2f} MB")
    return Emitted("site", files, tuple(noticed), {"site": section}, summary)
