"""Segmenter: Lines of one source -> its topics and problems (with points and raw tags).

The book's text extraction is noisy: four problem-heading forms, the ``Question:`` label
before or after the question (or glued to ``Solution:``), placeholders instead of a
question, explanation markers that went missing, literal ``\\n`` debris, running headers
that name a topic out of place, and tag rows in every layout. Everything recognised here is
driven by the line's shape plus a little look-ahead, never by absolute positions.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from typing import Sequence

from .cycle_collector import paused_cycle_collection
from .ids import normalize_title, topic_id
from .line_patterns import (DEBRIS, GLUED_SOLUTION, INTERVIEWER, PLACEHOLDER, QUESTION_LABEL,
                            SOLUTION_LABEL, Heading, example_text, is_example,
                            is_explanation_marker, looks_like_prose, looks_like_title,
                            may_repeat_title, point_heading, problem_heading,
                            put_back_torn, restore_lost_star, split_lead_in)
from .inline import plain_text
from .markup import clean_inline, split_tag_line, strip_decoration, strip_marker
from .models import (Diagnostic, Line, Occurrence, Point, Problem, RawTag, Severity, TextLines,
                     Topic, Where)
from .overlong import MAX_LINE_CHARS, blank_overlong
from .toc import TOC_ENTRY, TocIndex, read_toc, read_toc_texts, topic_heading

__all__ = ["MAX_LINE_CHARS", "SegmentedSource", "read_toc", "segment"]

# How a curator mends what a diagnostic reports; ``overrides.mended_notes`` drops the hint
# once an override has mended it.
LOST_HEADING_HINT = " (an [[edit]] of point = {number} in overrides.toml can give it one)"
TORN_QUESTION_HINT = ("; if the extraction tore it out of the question, mend the question "
                      "with an [[edit]] in overrides.toml")

@dataclass(frozen=True, slots=True)
class SegmentedSource:
    """What the segmenter found in one source."""

    topics: tuple[Topic, ...]
    problems: tuple[Problem, ...]  # one occurrence each, no id yet
    title: str  # the document's title line (running headers repeat it)


@dataclass(slots=True)
class _PointDraft:
    number: int | None
    title: str
    where: Where
    explanation: list[str] = field(default_factory=list)
    example: list[str] = field(default_factory=list)
    tag_lines: list[Line] = field(default_factory=list)
    state: str = "explanation"  # -> "tags" once the Example: line was seen -> "closed"


@dataclass(slots=True)
class _ProblemDraft:
    number: int | None
    title: str
    topic: str
    where: Where
    question: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    points: list[_PointDraft] = field(default_factory=list)
    state: str = "question"  # -> "summary" after Solution: -> "points"
    placeholder: bool = False


class _Segmenter:
    """One pass over a source's lines; keeps the open topic, problem and point.

    The pass reads the lines' texts (``texts``) and visits only content lines (neither
    blank nor debris: ``content`` holds their indices); a line's ``Line`` record is
    looked up only where a draft or a diagnostic keeps it.
    """

    def __init__(self, lines: Sequence[Line]):
        self.lines = lines
        self.texts: list[str]
        self.text_source: str | None  # a TextLines' source: Where needs no Line record
        if isinstance(lines, TextLines):
            self.texts, self.text_source = lines.texts, lines.source
        else:
            self.texts, self.text_source = [line.text for line in lines], None
        self.diagnostics: list[Diagnostic] = []
        self.problems: list[Problem] = []
        self.toc, self.body_start = read_toc_texts(self.texts)
        self.toc_index = TocIndex(self.toc)
        # is_content(text), inline: this runs once for every line of the book.
        self.content = [index for index, text in enumerate(self.texts)
                        if text and not text.isspace()
                        and not ("\\" in text and DEBRIS.match(text))]
        self.body_position = bisect.bisect_left(self.content, self.body_start)
        self.topic_index = -1  # index into self.toc of the open section
        self.extra_topics: list[Topic] = []  # topics seen in headings when there is no TOC
        self.problem: _ProblemDraft | None = None
        self.doc_title = next((clean_inline(text) for text in self.texts if text.strip()), "")
        self.doc_key = normalize_title(self.doc_title)
        self.doc_word = self.doc_key.split()[0] if self.doc_key else ""
        self.may_be_title = may_repeat_title(self.texts, self.doc_word)

    # ----- helpers -------------------------------------------------------------------------
    def where_at(self, index: int) -> Where:
        """Where the line at ``index`` is."""
        if self.text_source is not None:
            return Where(self.text_source, index + 1, None)
        return _where(self.lines[index])

    def note(self, severity: Severity, code: str, message: str, where: Where | None) -> None:
        self.diagnostics.append(Diagnostic(severity, code, message, where))

    def next_text(self, position: int, skip: int = 0) -> str | None:
        """The text of the content line after the one at ``position`` in ``content`` (or of
        the ``skip``-th after that one); None at the end."""
        following = position + 1 + skip
        if following < len(self.content):
            return self.texts[self.content[following]]
        return None

    def current_topic(self) -> Topic | None:
        if self.topic_index >= 0:
            return self.topic_list()[self.topic_index]
        return None

    def topic_list(self) -> list[Topic]:
        return self.toc if self.toc else self.extra_topics

    def distinct_topics(self) -> tuple[Topic, ...]:
        """The topics, each once: a title listed twice in the table of contents is one
        topic (its sections are both filed under it) with the declared counts added."""
        if not self.toc:
            return tuple(self.extra_topics)
        entries = [index for index in range(self.body_start) if TOC_ENTRY.match(self.texts[index])]
        merged: dict[str, Topic] = {}
        for topic, entry in zip(self.toc, entries):
            first = merged.get(topic.id)
            if first is None:
                merged[topic.id] = replace(topic, order=len(merged) + 1)
                continue
            declared = (None if first.declared_problems is None or topic.declared_problems is None
                        else first.declared_problems + topic.declared_problems)
            merged[topic.id] = replace(first, declared_problems=declared)
            self.note("warning", "duplicate-topic",
                      f"topic {topic.title!r} is listed twice in the table of contents; "
                      "both of its sections are filed under it", self.where_at(entry))
        return tuple(merged.values())

    # ----- headers -------------------------------------------------------------------------
    def header_topic(self, text: str) -> int | None:
        """Index of the TOC topic a header line names, if it names one.

        A title listed twice in the table of contents names the entry whose section comes
        next, else the open one, else its first entry.
        """
        named = self.toc_index.topics_named(text)
        if not named:
            return None
        for preferred in (self.topic_index + 1, self.topic_index):
            if preferred in named:
                return preferred
        return named[0]

    def blank_lines_before(self, index: int) -> int:
        count = 0
        while index - count - 1 >= 0 and not self.texts[index - count - 1].strip():
            count += 1
        return count

    def is_header_line(self, position: int, text: str) -> bool:
        """A line that is a topic heading or a running header, not content.

        A title-like line is a header only where a page could break: right before a
        heading or another header. Elsewhere a topic's name is content (often a tag).
        """
        if "Topic" in text and topic_heading(text):
            return True
        if self.may_be_title[self.content[position]] and self.is_doc_title(text):
            return True
        following = self.next_text(position)
        at_break = (following is None or problem_heading(following) is not None
                    or topic_heading(following) is not None
                    or self.toc_index.names_topic(following))
        if not at_break:
            return False
        if self.toc_index.names_topic(text):
            return True
        # Headers that name no topic of this TOC (left over from another edition's topic
        # list) stand alone after a page break: two or more blank lines before them, while
        # a tag row follows its Example: line after a single blank line.
        return (self.blank_lines_before(self.content[position]) >= 2
                and looks_like_title(strip_decoration(clean_inline(text))))

    def is_doc_title(self, text: str) -> bool:
        """The line repeats the document's title (a running header). Only lines that
        ``may_be_title`` are asked."""
        if not self.doc_title:
            return False
        return normalize_title(strip_decoration(clean_inline(text))) == self.doc_key

    def handle_header(self, position: int, text: str) -> None:
        where = self.where_at(self.content[position])
        topic_match = topic_heading(text)
        named = self.header_topic(text)
        following = self.next_text(position)
        if (named is not None and named == self.topic_index + 1 and not topic_match
                and following is not None and topic_heading(following)
                and self.header_topic(following) == named):
            self.note("info", "stray-header",
                      f"title line {self.toc[named].title!r} repeated just before its "
                      "'Topic N:' heading, which opens the section", where)
            return
        if named is not None and named == self.topic_index + 1:
            self.close_problem()
            self.topic_index = named
            return
        if named is None and topic_match and not self.toc:
            self.close_problem()
            title = clean_inline(topic_match["title"])
            self.extra_topics.append(Topic(id=topic_id(title), title=title,
                                           order=len(self.extra_topics) + 1))
            self.topic_index = len(self.extra_topics) - 1
            return
        if named is not None and named == self.topic_index:
            what = f"running header repeating the current topic {self.toc[named].title!r}"
        elif named is not None:
            what = (f"stray header naming topic {self.toc[named].title!r} out of place "
                    f"(not the next topic); ignored")
        elif topic_match:
            what = "topic heading that matches no table-of-contents entry; ignored"
            self.note("warning", "unknown-topic-heading", what, where)
            return
        elif normalize_title(strip_decoration(clean_inline(text))) == normalize_title(
                self.doc_title):
            what = "running header repeating the document title; ignored"
        else:
            what = (f"stray header {strip_decoration(clean_inline(text))!r} naming no topic "
                    "of the table of contents; ignored")
        self.note("info", "stray-header", what, where)

    # ----- problems ------------------------------------------------------------------------
    def open_problem(self, index: int, heading: Heading) -> None:
        self.close_problem()
        where = self.where_at(index)
        topic = self.current_topic()
        if topic is None:
            self.note("warning", "problem-outside-topic",
                      "problem heading before any topic heading; filed under 'unsorted'", where)
            topic_key = "unsorted"
        else:
            topic_key = topic.id
        self.problem = _ProblemDraft(number=int(heading.number),
                                     title=clean_inline(heading.title), topic=topic_key,
                                     where=where)

    def close_problem(self) -> None:
        draft = self.problem
        self.problem = None
        if draft is None:
            return
        question = " ".join(draft.question).strip()
        if not question:
            self.note("warning", "missing-question",
                      f"problem {draft.title!r} has no interviewer question", draft.where)
        points = tuple(self.finish_point(p) for p in draft.points)
        if not points:
            self.note("warning", "no-points", f"problem {draft.title!r} has no solution points",
                      draft.where)
        summary, lead_in = split_lead_in(draft.summary[0] if draft.summary else "")
        if lead_in:
            self.note("info", "summary-lead-in", f"left a figure's lead-in off the summary of "
                      f"{draft.title!r}: “{plain_text(lead_in)}”", draft.where)
        occurrence = Occurrence(source=draft.where.source, line=draft.where.line,
                                page=draft.where.page, number=draft.number, title=draft.title,
                                topic=draft.topic)
        self.problems.append(Problem(id="", title=draft.title, number=draft.number,
                                     topic=draft.topic, question=question, summary=summary,
                                     points=points, occurrences=(occurrence,)))

    def finish_point(self, draft: _PointDraft) -> Point:
        if not draft.example:
            self.note("warning", "point-without-example",
                      f"point {draft.title!r} has no Example: line", draft.where)
        if not draft.explanation:
            self.note("warning", "point-without-explanation",
                      f"point {draft.title!r} has no explanation", draft.where)
        tag_lines = draft.tag_lines
        pills = [line for line in tag_lines if line.style is not None and line.style.pills]
        if pills and len(pills) < len(tag_lines):
            # The tags were printed as pills: text outside them (an unjoined wrap of the
            # example, a "Tags:" label) is no tag.
            for line in tag_lines:
                if not (line.style is not None and line.style.pills):
                    self.note("info", "text-beside-pills",
                              f"text {line.text[:60]!r} beside the tag pills of point "
                              f"{draft.title!r} is not taken as a tag", _where(line))
            tag_lines = pills
        return Point(title=draft.title, explanation=" ".join(draft.explanation),
                     example=" ".join(draft.example), where=draft.where,
                     raw_tags=_raw_tags(tag_lines), number=draft.number)

    def is_point_heading(self, position: int, text: str) -> Heading | None:
        """A numbered line is a point heading when an explanation or Example: follows."""
        match = point_heading(text)
        if not match or is_example(text):
            return None
        following = self.next_text(position)
        if following is None:
            return None
        if is_explanation_marker(following) or is_example(following):
            return match
        second = self.next_text(position, skip=1)
        if second is not None and is_example(second) and not point_heading(following):
            return match
        return None

    def handle_problem_line(self, position: int, text: str) -> None:
        draft = self.problem
        assert draft is not None
        index = self.content[position]
        if draft.state in ("question", "summary") or not draft.points:
            point = self.is_point_heading(position, text)
            if point is not None and draft.state != "question" or (
                    point is not None and draft.question):
                if draft.state == "question":
                    self.note("info", "missing-solution-label",
                              f"problem {draft.title!r} has no 'Solution:' label",
                              self.where_at(index))
                draft.state = "points"
                self.start_point(point, index)
                return
        if draft.state == "question":
            self.handle_question_line(index, text)
            return
        if draft.state == "summary":
            draft.summary.append(clean_inline(text))
            return
        point = self.is_point_heading(position, text)
        if point is not None:
            self.start_point(point, index)
            return
        current = draft.points[-1]
        if current.state == "tags" and is_explanation_marker(text):
            # The extraction lost a point heading: the marker starts the next point.
            number = current.number + 1 if current.number is not None else None
            self.note("warning", "missing-point-heading",
                      f"explanation without a point heading after point {current.title!r}; "
                      f"kept as point {number} with an empty title"
                      + (LOST_HEADING_HINT.format(number=number) if number is not None else ""),
                      self.where_at(index))
            current = _PointDraft(number=number, title="", where=self.where_at(index))
            draft.points.append(current)
        example = example_text(text)
        if example is not None and current.state == "explanation":
            restored = restore_lost_star(text, example)
            if restored is not None:
                self.note("info", "lost-wildcard", "the extraction dropped a '*' of the example "
                          f"with its italics; put back: “{plain_text(restored)}”",
                          self.where_at(index))
            current.example.append(clean_inline(restored or example))
            current.state = "tags"
        elif current.state == "explanation":
            current.explanation.append(clean_inline(strip_marker(text)))
        elif current.state == "tags" and looks_like_prose(text):
            # Closing words of the book ("Congratulations! …") or of a chapter are not
            # tags: they and whatever follows them up to the next heading are left out.
            current.state = "closed"
            self.note("info", "trailing-text",
                      "prose after the last tag row of a point (closing text, not tags); "
                      "left out up to the next heading", self.where_at(index))
        elif current.state == "tags":
            current.tag_lines.append(self.lines[index])

    def handle_question_line(self, index: int, text: str) -> None:
        draft = self.problem
        assert draft is not None
        if SOLUTION_LABEL.match(text):
            draft.state = "summary"
            return
        glued = late_label = False
        if QUESTION_LABEL.match(text):
            text = QUESTION_LABEL.sub("", text, count=1)
            if GLUED_SOLUTION.search(text):
                text = GLUED_SOLUTION.sub("", text)
                glued = True
            # The box's label after the INTERVIEWER line: the box normally opens the
            # question ("Question: INTERVIEWER: ..."), so text here was torn out of it.
            late_label = bool(draft.question) and not INTERVIEWER.match(text)
        text = INTERVIEWER.sub("", text, count=1)
        if PLACEHOLDER.match(text):
            draft.placeholder = True
            self.note("info", "placeholder-question",
                      "placeholder instead of the question box; question taken from the "
                      "INTERVIEWER line" if draft.question else
                      "placeholder instead of the question box and no INTERVIEWER line",
                      self.where_at(index))
        elif text.strip():
            mended = put_back_torn(" ".join(draft.question), text) if late_label else None
            draft.question = [mended] if mended else [*draft.question, clean_inline(text)]
            if late_label:
                done = f"put back: “{plain_text(mended)}”" if mended else "added at the end"
                self.note("info", "question-after-interviewer", f"a 'Question:' line after the "
                          f"INTERVIEWER line holds {text.strip()!r}, {done}{TORN_QUESTION_HINT}",
                          self.where_at(index))
        if glued:
            draft.state = "summary"

    def start_point(self, heading: Heading, index: int) -> None:
        assert self.problem is not None
        self.problem.points.append(_PointDraft(number=int(heading.number.replace(" ", "")),
                                               title=clean_inline(heading.title),
                                               where=self.where_at(index)))

    # ----- the pass ------------------------------------------------------------------------
    def run(self) -> SegmentedSource:
        first_line = self.where_at(0) if self.texts else None
        if not self.toc:
            self.note("warning", "no-table-of-contents",
                      "no table of contents found; topics come from 'Topic N:' headings",
                      first_line)
        texts, content = self.texts, self.content
        for position in range(self.body_position, len(content)):
            text = texts[content[position]]
            heading = problem_heading(text) if "Problem" in text else None
            if heading:
                self.open_problem(content[position], heading)
                continue
            if self.is_header_line(position, text):
                self.handle_header(position, text)
                continue
            if self.problem is not None:
                self.handle_problem_line(position, text)
        self.close_problem()
        topics = self.distinct_topics()
        if not self.problems:
            self.note("error", "no-problems", "no 'Problem N: Title' headings found", first_line)
        elif not any(problem.points for problem in self.problems):
            first = self.problems[0].occurrences[0]
            self.note("error", "no-points-anywhere",
                      f"{len(self.problems)} problem heading(s) but no numbered solution points "
                      "under any of them (expected '1 Title', an explanation, 'Example: ...')",
                      Where(first.source, first.line, first.page))
        return SegmentedSource(topics=topics, problems=tuple(self.problems), title=self.doc_title)


def _where(line: Line) -> Where:
    return Where(source=line.source, line=line.line, page=line.page)


def _raw_tags(tag_lines: list[Line]) -> tuple[RawTag, ...]:
    """Tag slots of a point in printed order: pills and marked spans are certain; plain
    lines are one tag each when there are several, else one space-joined row."""
    pieces: list[tuple[str, str]] = []  # (layout or "plain", text)
    for line in tag_lines:
        if line.style is not None and line.style.pills:
            pieces.extend(("pill", clean_inline(p)) for p in line.style.pills if p.strip())
            continue
        pieces.extend(split_tag_line(line.text))
    plain_layout = "line" if sum(1 for kind, _ in pieces if kind == "plain") > 1 else "joined"
    return tuple(RawTag(text=text, layout=plain_layout if kind == "plain" else kind)  # type: ignore[arg-type]
                 for kind, text in pieces if text)


def segment(lines: Sequence[Line]) -> tuple[SegmentedSource, list[Diagnostic]]:
    """Split one source's lines into topics and problems; return them with diagnostics."""
    with paused_cycle_collection():
        lines, notes = blank_overlong(lines)
        segmenter = _Segmenter(lines)
        result = segmenter.run()
    return result, notes + segmenter.diagnostics
