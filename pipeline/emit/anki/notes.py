"""Corpus records -> note specs: stable keys and GUIDs, rendered fields, tags, decks.

Note keys come from ``pipeline.ids.point_keys`` (identity lives there); GUIDs derive from them.

The Jinja templates in ``templates/anki/`` render the FIELD HTML; the Anki card templates
are fixed (see ``package.py``), so a user template can change what a card shows without
changing the note types' fields (which would break updates under the same model ids).
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

import genanki
import jinja2
from markupsafe import Markup

from ...ids import normalize_title, point_keys
from ...inline import render_html
from ...models import Corpus, Diagnostic, Point, Problem, Topic
from ...templating import render
from .cloze import CLOZE_OPEN, cloze_markup, key_term

KINDS = ("problem", "point", "cloze")

# Pinned note type ids (random 31-bit ints, chosen once): never change them, nor the fields
# below, or re-imports stop updating notes learners already have.
MODEL_IDS = {"problem": 1103177854, "point": 2128929281, "cloze": 1660052390}

# GUID namespaces: one per kind, so a point's and its cloze's GUIDs differ.
NAMESPACES = {"problem": "drillbook-problem", "point": "drillbook-point",
              "cloze": "drillbook-cloze"}

# Per kind: the note type's fields, in order, and the template rendering each one.
FIELD_TEMPLATES = {
    "problem": (("Front", "anki/problem-front.html"), ("Back", "anki/problem-back.html")),
    "point": (("Front", "anki/point-front.html"), ("Back", "anki/point-back.html")),
    "cloze": (("Text", "anki/cloze-text.html"), ("Back Extra", "anki/cloze-extra.html")),
}


@dataclass(frozen=True, slots=True)
class NoteSpec:
    """One note to ship: its identity, where it goes, and its rendered content."""

    guid: str
    kind: str  # one of KINDS
    key: str  # the stable key the GUID is derived from
    problem: str  # problem id
    title: str  # problem title, for reports
    topic: str  # topic id
    deck: str  # the topic's deck name below the root deck
    fields: tuple[str, ...]
    tags: tuple[str, ...]


def anki_escape(text: str) -> str:
    """The book's characters for an Anki field: HTML-escaped, braces and ``[`` as entities.

    Braces become entities so ``{{c1::x}}`` or ``{{Front}}`` printed in the book can never
    be read as Anki cloze or template syntax, and ``[`` so ``[sound:…]`` or ``[latex]``
    never become media or LaTeX; they display the same (MathJax reads the decoded text).
    """
    return html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;") \
        .replace("[", "&#91;")


def field_text(value: str) -> Markup:
    """Book text (inline Markdown with TeX) as field HTML: ``<code>``, ``<em>``, math as
    MathJax ``\\( … \\)`` (Anki typesets it), newlines as <br>, everything escaped."""
    return render_html(value, math="mathjax", escape=anki_escape)


def deck_part(title: str, fallback: str) -> str:
    """A deck name component: "::" would nest decks, so it is folded to ":"."""
    cleaned = " ".join(title.replace("::", ":").split())
    return cleaned or fallback


def _tag_labels(corpus: Corpus) -> dict[str, str]:
    return {tag.id: tag.label for tag in corpus.tags}


def _point_view(point: Point, labels: dict[str, str]) -> dict[str, object]:
    return {"title": field_text(point.title), "explanation": field_text(point.explanation),
            "example": field_text(point.example),
            "tags": [field_text(labels.get(tag, tag)) for tag in point.tags]}


def _problem_view(problem: Problem, topic_title: str, labels: dict[str, str]) -> dict[str, object]:
    return {"title": field_text(problem.title),
            "question": field_text(problem.question or problem.title),
            "summary": field_text(problem.summary), "number": problem.number,
            "topic": field_text(topic_title),
            "points": [_point_view(point, labels) for point in problem.points]}


def _render_fields(env: jinja2.Environment, kind: str, context: dict[str, object]) -> tuple[str, ...]:
    return tuple(render(env, template, **context).strip()
                 for _, template in FIELD_TEMPLATES[kind])


def ordered_problems(corpus: Corpus) -> Iterator[tuple[Topic, Problem]]:
    """Problems in table-of-contents order; a problem of an unknown topic comes last."""
    topics = sorted(corpus.topics, key=lambda topic: topic.order)
    known = {topic.id for topic in topics}
    for topic in topics:
        for problem in corpus.problems:
            if problem.topic == topic.id:
                yield topic, problem
    for problem in corpus.problems:
        if problem.topic not in known:
            yield Topic(problem.topic, problem.topic, len(topics) + 1), problem


def build_notes(corpus: Corpus, env: jinja2.Environment) -> tuple[list[NoteSpec], list[Diagnostic]]:
    """Every note of every kind for the whole corpus, in book order (filters come later).

    The manifest is kept over this full set so that filtered builds into the same folder
    agree on modification times and never mistake a filtered-out note for a retired one.
    """
    labels = _tag_labels(corpus)
    notes: list[NoteSpec] = []
    noticed: list[Diagnostic] = []
    untitled = no_term = 0
    known_topics = {topic.id for topic in corpus.topics}
    for topic, problem in ordered_problems(corpus):
        if topic.id not in known_topics:
            noticed.append(Diagnostic("warning", "anki-unknown-topic",
                                      f"problem {problem.id!r} names topic {problem.topic!r}, "
                                      "which is not in the table of contents"))
        deck = deck_part(topic.title, topic.id)
        base_tags = (f"topic::{topic.id}",)
        view = _problem_view(problem, topic.title, labels)

        def note(kind: str, key: str, tags: Iterable[str], **context: object) -> NoteSpec:
            fields = _render_fields(env, kind, {"problem": view, **context})
            return NoteSpec(genanki.guid_for(NAMESPACES[kind], key), kind, key, problem.id,
                            problem.title, topic.id, deck, fields,
                            tuple(sorted(set(base_tags) | set(tags))))

        notes.append(note("problem", problem.id, problem.tags))
        keys, duplicates = point_keys(problem)
        noticed.extend(duplicates)
        for point, key, point_view in zip(problem.points, keys, view["points"]):  # type: ignore[call-overload]
            if normalize_title(point.title):
                notes.append(note("point", key, point.tags, point=point_view))
            else:
                untitled += 1
            term = key_term(point.explanation,
                            [point.title] + [labels.get(tag, tag) for tag in point.tags])
            if term is None:
                no_term += 1
                continue
            cloze = note("cloze", key, point.tags, point=point_view,
                         cloze=cloze_markup(point.explanation, term, anki_escape))
            # A user template may drop the marker; a cloze note without one has no card.
            if CLOZE_OPEN in cloze.fields[0]:
                notes.append(cloze)
            else:
                noticed.append(Diagnostic("warning", "anki-cloze-without-marker",
                                          f"the cloze template left no cloze in {key!r}; "
                                          "note skipped", point.where))
    if untitled:
        noticed.append(Diagnostic("warning", "anki-untitled-point",
                                  f"{untitled} point(s) have no title and get no point card"))
    if no_term:
        noticed.append(Diagnostic("info", "anki-no-cloze-term",
                                  f"{no_term} point(s) have no key term to blank and get no "
                                  "cloze card"))
    return notes, noticed


def select_notes(notes: Sequence[NoteSpec], kinds: Sequence[str],
                 topics: Sequence[str] | None) -> list[NoteSpec]:
    """The notes of the chosen kinds and topics (None: every topic), order kept."""
    return [n for n in notes if n.kind in kinds and (topics is None or n.topic in topics)]
