"""Corpus records -> note specs: stable keys and GUIDs, rendered fields, tags, card order.

One Problem note per problem (its Outline card) and one Point note per titled point, whose
Explain, Name and Cloze cards are siblings: Anki buries siblings, so the cards that give
each other away never come on the same day. Note keys come from ``pipeline.ids.point_keys``
(identity lives there); GUIDs derive from them in the format's namespaces
(``deck_format.py``). The Jinja templates in ``templates/anki/`` render each field's HTML;
a card exists when its front field is not empty.

New cards follow the book: topics in table-of-contents order (their decks sort that way),
and inside a topic three passes in book order: each problem's Outline then its points'
Explain cards; then the Name cards; then the Cloze cards. A card's ``due`` is its rank.
"""
from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from typing import Iterator, Mapping, Sequence

import genanki
import jinja2
from markupsafe import Markup

from ...ids import normalize_title, point_keys
from ...inline import plain_text, render_html
from ...models import Corpus, Diagnostic, Point, Problem, Tag, Topic
from ...tags.words import match_key
from ...templating import render
from .cloze import cloze_sides, key_term, refusals
from .corpus_terms import CorpusTerms, corpus_terms
from .deck_format import FIELD_TEMPLATES, KINDS, NOTE_TYPES, NoteType
from .directions import EXPLAIN_REASONS, explain_refusal, heading, instruction, name_card
from .outline import REASONS as OUTLINE_REASONS, VARIANTS as OUTLINE_VARIANTS, Outline, \
    outline_card
from .tags import CardTags, TagPolicy, topic_tag
from ...tags.recognized import Lexicon
from .terms import split_aside

# Passes of new cards inside a topic, by card template name.
_PASS = {"Outline": 0, "Explain": 0, "Name": 1, "Cloze": 2}


@dataclass(frozen=True, slots=True)
class NoteSpec:
    """One note to ship: its identity, where it goes, its rendered fields and its cards."""

    guid: str
    kind: str  # "problem" or "point": a key of NOTE_TYPES
    key: str  # the stable key the GUID is derived from
    problem: str  # problem id
    title: str  # problem title, for reports
    topic: str  # topic id
    deck: str  # the topic's deck name below the root deck
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    cards: tuple[tuple[int, int], ...] = ()  # (template ord, due) of every card it makes

    @property
    def note_type(self) -> NoteType:
        return NOTE_TYPES[self.kind]

    def card_kinds(self) -> list[str]:
        return [self.note_type.templates[ord_].kind for ord_, _ in self.cards]


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


def topic_deck(topic: Topic, count: int, numbered: bool) -> str:
    """The topic's deck name; numbered "07 Title" so Anki's A-Z deck list is book order."""
    name = deck_part(topic.title, topic.id)
    if not numbered:
        return name
    return f"{topic.order:0{max(2, len(str(count)))}d} {name}"


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


class _Renderer:
    """Field HTML of one note type from its Jinja templates."""

    def __init__(self, env: jinja2.Environment):
        self.env = env

    def fields(self, kind: str, context: dict[str, object],
               empty: Sequence[str] = ()) -> tuple[str, ...]:
        return tuple("" if name in empty else render(self.env, template, **context).strip()
                     for name, template in FIELD_TEMPLATES[kind].items())


def _tool_name(label: str, technology: str | None) -> str:
    """How the Tools line names a technology tag: its technology's spelling when the label
    is the same name in another form ("WebSockets", "Socket.io"), else the label, which
    names the tool ("Java Flight Recorder" is no "Java", "Redis Sentinel" no "Redis"). A
    concept or note about a technology ("MySQL query cache") names that technology on the
    line, however the row was split ("MySQL | query cache" or not); a command does not
    ("Python cProfile" would print as "Python", which is no tool)."""
    if technology and match_key(technology) == match_key(label):
        return technology
    return label


def _tool_of(tag: Tag) -> str | None:
    """The name a tag puts on the Tools line, or None (``_tool_name``)."""
    if tag.kind == "technology":
        return _tool_name(tag.label, tag.technology)
    return tag.technology if tag.kind in ("concept", "note") else None


def _point_views(problem: Problem, lexicon: Lexicon, tools: Mapping[str, str],
                 topic_title: str, terms: CorpusTerms) -> list[dict[str, object]]:
    titled = [p for p in problem.points if normalize_title(p.title)]
    views = []
    context = (problem.title, topic_title)
    for rank, point in enumerate(titled, 1):
        no_explain = explain_refusal(point.title, point.explanation, problem.question, context)
        explain = None if no_explain else split_aside(plain_text(point.title))
        named = name_card(point.title, point.explanation, point.example, problem.question,
                          lexicon, (topic_title,), problem.title)
        # what the cloze card's front prints besides the explanation
        shown = [point.title, problem.question, problem.title, topic_title]
        blank = key_term(point.explanation, shown, lexicon, terms)
        cloze = cloze_sides(point.explanation, (blank.start, blank.end), anki_escape,
                            blank.hint) if blank else None
        views.append({
            "point": point, "rank": rank, "of": len(titled),
            "title": field_text(point.title), "explanation": field_text(point.explanation),
            "example": field_text(point.example),
            "tools": sorted({tools[t] for t in point.tags if t in tools}, key=str.casefold),
            "heading": heading(point.title),
            "instruction": instruction(point.title),
            "explain": explain and {"title": field_text(explain[0]),
                                    "aside": field_text(explain[1])},
            "no_explain": no_explain,
            "name": named and {"name": field_text(named.name), "aside": field_text(named.aside),
                               "family": named.family,
                               "example_on_front": named.example_on_front,
                               "problem_on_front": named.problem_on_front},
            "cloze_front": cloze[0] if cloze else None,
            "cloze_back": cloze[1] if cloze else None,
            # whether the Outline counts it, and its number among those it counts
            "counted": False, "counted_rank": None})
    return views


def _outline_view(outline: Outline | str,
                  points: Sequence[dict[str, object]]) -> dict[str, object] | None:
    """What the Outline templates print: how many points the front asks for out of how
    many, and on each titled point's view whether it counts and its number among those
    that do (a point left out of the count is listed unnumbered)."""
    if isinstance(outline, str):
        return None
    ranks = iter(range(1, outline.total + 1))
    for view, counts in zip(points, outline.is_counted):
        view["counted"] = counts
        view["counted_rank"] = next(ranks) if counts else None
    return {"ask": outline.ask, "of": outline.total, "every": outline.variant == "every",
            "uncounted": len(outline.is_counted) - outline.total}


def build_notes(corpus: Corpus, env: jinja2.Environment, policy: TagPolicy = TagPolicy(),
                numbered: bool = True
                ) -> tuple[list[NoteSpec], list[Diagnostic], dict[str, object]]:
    """Every note of the corpus with every card it can make, in book order (kinds and
    topics are chosen later, when the package is written), what was noticed, and the
    Outline cards of the whole corpus counted by variant and the declined by reason (the
    report's ``anki.outline``).

    The manifest is kept over this full set so that filtered builds into the same folder
    agree on modification times and never mistake a filtered-out note for a retired one.
    """
    renderer = _Renderer(env)
    card_tags = CardTags(corpus.tags, policy)
    lexicon = Lexicon(corpus.tags)
    terms = corpus_terms(corpus, lexicon)
    tools = {t.id: field_text(name) for t in corpus.tags if (name := _tool_of(t))}
    notes: list[NoteSpec] = []
    noticed: list[Diagnostic] = []
    untitled = 0
    no_explain: Counter[str] = Counter()
    no_term: Counter[str] = Counter()
    no_outlines: Counter[str] = Counter()
    outlines: Counter[str] = Counter()
    known_topics = {topic.id for topic in corpus.topics}
    ranked: list[tuple[int, int, int, int, int]] = []  # (topic, pass, seq, note, ord)
    seq = 0
    for topic, problem in ordered_problems(corpus):
        if topic.id not in known_topics:
            noticed.append(Diagnostic("warning", "anki-unknown-topic",
                                      f"problem {problem.id!r} names topic {problem.topic!r}, "
                                      "which is not in the table of contents"))
        deck = topic_deck(topic, len(corpus.topics), numbered)
        points = _point_views(problem, lexicon, tools, topic.title, terms)
        outline = outline_card(problem)
        view = {"title": field_text(problem.title),
                "question": field_text(problem.question or problem.title),
                "summary": field_text(problem.summary), "number": problem.number,
                "topic": field_text(topic.title), "points": points,
                "outline": _outline_view(outline, points)}
        keys, duplicates = point_keys(problem)
        noticed.extend(duplicates)
        key_of = {id(point): key for point, key in zip(problem.points, keys)}
        untitled += len(problem.points) - len(points)

        # The loop's problem, bound now (add is called only within this iteration).
        def add(kind: str, key: str, tags: set[str], empty: Sequence[str] = (),
                topic: Topic = topic, problem: Problem = problem, deck: str = deck,
                view: Mapping[str, object] = view, **context: object) -> None:
            nonlocal seq
            note_type = NOTE_TYPES[kind]
            fields = renderer.fields(kind, {"problem": view, **context}, empty)
            index = len(notes)
            made = [(ord_, t) for ord_, t in enumerate(note_type.templates)
                    if fields[note_type.fields.index(t.front)]]
            for ord_, template in made:
                ranked.append((topic.order, _PASS[template.name], seq, index, ord_))
                seq += 1
            notes.append(NoteSpec(
                genanki.guid_for(note_type.namespace, key), kind, key, problem.id,
                problem.title, topic.id, deck, fields,
                tuple(sorted({topic_tag(topic.id)} | tags)), tuple((o, 0) for o, _ in made)))

        if isinstance(outline, str):
            no_outlines[outline] += 1
        else:
            outlines[outline.variant] += 1
        add("problem", problem.id, card_tags.of(problem.tags),
            empty=("Front", "Back") if isinstance(outline, str) else ())
        for point_view in points:
            point: Point = point_view["point"]  # type: ignore[assignment]
            empty = []
            if point_view["explain"] is None:
                empty += ["Explain Front", "Explain Back"]
                no_explain[str(point_view["no_explain"])] += 1
            if point_view["name"] is None:
                empty += ["Name Front", "Name Back"]
            if point_view["cloze_front"] is None:
                empty += ["Cloze Front", "Cloze Back"]
                no_term[_why_no_cloze(point, problem, topic.title, lexicon, terms)] += 1
            add("point", key_of[id(point)], card_tags.of(point.tags), point=point_view,
                empty=empty)
    dues: dict[tuple[int, int], int] = {}
    for due, (_, _, _, index, ord_) in enumerate(sorted(ranked)):
        dues[(index, ord_)] = due
    notes = [_with_dues(note, index, dues) for index, note in enumerate(notes)]
    if untitled:
        noticed.append(Diagnostic("warning", "anki-untitled-point",
                                  f"{untitled} point(s) have no title and get no cards"))
    if no_outlines:
        made = "; ".join(f"{what}: {outlines[v]}" for v, what in OUTLINE_VARIANTS.items())
        why = "; ".join(f"{OUTLINE_REASONS[reason]}: {count}"
                        for reason, count in sorted(no_outlines.items(), key=lambda kv: -kv[1]))
        noticed.append(Diagnostic("info", "anki-no-outline",
                                  f"{sum(no_outlines.values())} problem(s) get no Outline "
                                  f"card ({why}); {sum(outlines.values())} get one ({made})"))
    if no_explain:
        why = "; ".join(f"{EXPLAIN_REASONS[reason]}: {count}"
                        for reason, count in sorted(no_explain.items(), key=lambda kv: -kv[1]))
        noticed.append(Diagnostic("info", "anki-no-explain",
                                  f"{sum(no_explain.values())} point(s) get no Explain card "
                                  f"({why})"))
    if no_term:
        why = "; ".join(f"{_NO_CLOZE[reason]}: {count}"
                        for reason, count in sorted(no_term.items(), key=lambda kv: -kv[1]))
        noticed.append(Diagnostic("info", "anki-no-cloze-term",
                                  f"{sum(no_term.values())} point(s) have no term worth "
                                  f"blanking and get no cloze card ({why})"))
    counted = {variant: outlines[variant] for variant in OUTLINE_VARIANTS}
    declined = {reason: no_outlines[reason] for reason in OUTLINE_REASONS if no_outlines[reason]}
    return notes, noticed, {**counted, "declined": declined}


# Why a point gets no cloze, most telling first (cloze.refusal's reasons).
_NO_CLOZE = {"none": "no recognized term", "front": "every term is printed on the front",
             "heading": "the heading's own choice (“Use X for …”) fills the blank as well",
             "list": "the terms are items of a list",
             "question": "the terms are in a question (any answer fills it)",
             "aside": "the terms are asides",
             "generic": "the terms are generic",
             "open": "the terms are broad concepts or close an open slot (many fillings)",
             "sole": "the hint and the card's subject say the term (the family's only "
                     "member in the book)",
             "cut": "the terms are parts of longer phrases",
             "elsewhere": "the explanation prints the term in another form",
             "code": "the terms are in code or only name the code before them",
             "too long": "the term is most of the text"}


def _why_no_cloze(point: Point, problem: Problem, topic_title: str, lexicon: Lexicon,
                  terms: CorpusTerms) -> str:
    shown = [point.title, problem.question, problem.title, topic_title]
    reasons = {why for _, why in refusals(point.explanation, shown, lexicon, terms)}
    return next((why for why in _NO_CLOZE if why in reasons), "none")


def _with_dues(note: NoteSpec, index: int, dues: dict[tuple[int, int], int]) -> NoteSpec:
    cards = tuple((ord_, dues[(index, ord_)]) for ord_, _ in note.cards)
    return NoteSpec(note.guid, note.kind, note.key, note.problem, note.title, note.topic,
                    note.deck, note.fields, note.tags, cards)


def select_notes(notes: Sequence[NoteSpec], kinds: Sequence[str],
                 topics: Sequence[str] | None) -> list[NoteSpec]:
    """The notes of the chosen topics (None: every topic) with only the chosen kinds' cards;
    a note left with no card is left out. Order kept."""
    chosen: list[NoteSpec] = []
    for note in notes:
        if topics is not None and note.topic not in topics:
            continue
        cards = tuple((o, d) for o, d in note.cards if note.note_type.templates[o].kind in kinds)
        if cards:
            chosen.append(NoteSpec(note.guid, note.kind, note.key, note.problem, note.title,
                                   note.topic, note.deck, note.fields, note.tags, cards))
    return chosen


__all__ = ["KINDS", "NoteSpec", "anki_escape", "build_notes", "deck_part", "field_text",
           "ordered_problems", "point_keys", "select_notes", "topic_deck"]
