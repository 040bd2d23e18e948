"""Segmenter: Lines of one source -> its topics and problems (with points and raw tags).

The book's text extraction is noisy: four problem-heading forms, the ``Question:`` label
before or after the question (or glued to ``Solution:``), placeholders instead of a
question, explanation markers that went missing, literal ``\\n`` debris, running headers
that name a topic out of place, and tag rows in every layout. Everything recognised here is
driven by the line's shape plus a little look-ahead, never by absolute positions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Sequence

from .ids import normalize_title, topic_id
from .markup import clean_inline, split_tag_line, strip_decoration, strip_marker
from .models import (Diagnostic, Line, Occurrence, Point, Problem, RawTag, Severity, Topic,
                     Where)
from .toc import TOC_ENTRY, TOPIC_HEADING, TocIndex, read_toc

PROBLEM_HEADING = re.compile(
    r"^\s*(?:[-*•]\s+)?(?:💡\s*)?(?:\*\*\s*)?Problem\s+(?P<number>\d+)\s*[:.]\s*(?P<title>.+?)"
    r"\s*(?:\*\*)?\s*$")
# "1 1 Title" is how the extraction printed point 11: digits split by one space.
POINT_HEADING = re.compile(
    r"^\s*(?:\*\*)?(?P<number>\d(?: ?\d)?)(?:[.)]|\s*[-–—:])?\s+(?P<title>\S.*?)\s*(?:\*\*)?\s*$")
EXAMPLE = re.compile(r"^\s*[*_]?\s*Example\s*:\s*(?P<text>.*?)\s*[*_]?\s*$")
QUESTION_LABEL = re.compile(r"^\s*(?:\*\*)?Question\s*:\s*(?:\*\*)?\s*", re.IGNORECASE)
SOLUTION_LABEL = re.compile(r"^\s*(?:\*\*)?Solution\s*:\s*(?:\*\*)?\s*$", re.IGNORECASE)
GLUED_SOLUTION = re.compile(r"\s*(?:\*\*)?Solution\s*:\s*(?:\*\*)?\s*$", re.IGNORECASE)
INTERVIEWER = re.compile(r"^\s*(?:\*\*)?INTERVIEWER\s*:\s*(?:\*\*)?\s*")
# What stands in the question box when the extraction lost its text: "(… placeholder …)",
# "[Redacted]", a dangling link such as "[Answer](#)".
PLACEHOLDER = re.compile(
    r"^\s*(?:\([^()]*\bplaceholder\b[^()]*\)|\[[^\]]{1,40}\](?:\([^)]*\))?)\s*$", re.IGNORECASE)
DEBRIS = re.compile(r"^\s*(?:\\n)+\s*$")
EXPLANATION_MARKER = re.compile(r"^\s*(?:[-*•]\s*)?👉")
# The characters inline cleaning and decoration stripping act on in ASCII text.
_MARKUP = re.compile(r"[\\\[*\x00]")


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
    """One pass over a source's lines; keeps the open topic, problem and point."""

    def __init__(self, lines: Sequence[Line]):
        self.lines = lines
        self.diagnostics: list[Diagnostic] = []
        self.problems: list[Problem] = []
        self.toc, self.body_start = read_toc(lines)
        self.toc_index = TocIndex(self.toc)
        self.next_content = _next_content_indices(lines)
        self.topic_index = -1  # index into self.toc of the open section
        self.extra_topics: list[Topic] = []  # topics seen in headings when there is no TOC
        self.problem: _ProblemDraft | None = None
        self.doc_title = next((clean_inline(line.text) for line in lines if line.text.strip()), "")
        self.doc_key = normalize_title(self.doc_title)
        self.doc_word = self.doc_key.split()[0] if self.doc_key else ""

    # ----- helpers -------------------------------------------------------------------------
    def where(self, line: Line) -> Where:
        return Where(source=line.source, line=line.line, page=line.page)

    def note(self, severity: Severity, code: str, message: str, line: Line | None) -> None:
        self.diagnostics.append(Diagnostic(severity, code, message,
                                           self.where(line) if line else None))

    def next_nonblank(self, index: int, skip: int = 0) -> Line | None:
        """The first (or ``skip``-th after it) content line after ``index``: O(1)."""
        following = self.next_content[index]
        while skip and following >= 0:
            following = self.next_content[following]
            skip -= 1
        return self.lines[following] if following >= 0 else None

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
        entry_lines = [line for line in self.lines[:self.body_start] if TOC_ENTRY.match(line.text)]
        merged: dict[str, Topic] = {}
        for topic, entry in zip(self.toc, entry_lines):
            first = merged.get(topic.id)
            if first is None:
                merged[topic.id] = replace(topic, order=len(merged) + 1)
                continue
            declared = (None if first.declared_problems is None or topic.declared_problems is None
                        else first.declared_problems + topic.declared_problems)
            merged[topic.id] = replace(first, declared_problems=declared)
            self.note("warning", "duplicate-topic",
                      f"topic {topic.title!r} is listed twice in the table of contents; "
                      "both of its sections are filed under it", entry)
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
        while index - count - 1 >= 0 and not self.lines[index - count - 1].text.strip():
            count += 1
        return count

    def is_header_line(self, index: int, line: Line) -> bool:
        """A line that is a topic heading or a running header, not content.

        A title-like line is a header only where a page could break: right before a
        heading or another header. Elsewhere a topic's name is content (often a tag).
        """
        text = line.text
        if TOPIC_HEADING.match(text):
            return True
        if self.is_doc_title(text):
            return True
        following = self.next_nonblank(index)
        at_break = (following is None or PROBLEM_HEADING.match(following.text) is not None
                    or TOPIC_HEADING.match(following.text) is not None
                    or self.header_topic(following.text) is not None)
        if not at_break:
            return False
        if self.header_topic(text) is not None:
            return True
        # Headers that name no topic of this TOC (left over from another edition's topic
        # list) stand alone after a page break: two or more blank lines before them, while
        # a tag row follows its Example: line after a single blank line.
        return (self.blank_lines_before(index) >= 2
                and _looks_like_title(strip_decoration(clean_inline(text))))

    def is_doc_title(self, text: str) -> bool:
        """The line repeats the document's title (a running header)."""
        if not self.doc_title:
            return False
        if (self.doc_word and text.isascii() and not _MARKUP.search(text)
                and self.doc_word not in text.lower()):
            # Plain ASCII is only split into lowercase words by the cleaning below, so
            # a line without the title's first word cannot be the title: the cheap answer
            # for nearly every line of a book.
            return False
        return normalize_title(strip_decoration(clean_inline(text))) == self.doc_key

    def handle_header(self, index: int, line: Line) -> None:
        topic_match = TOPIC_HEADING.match(line.text)
        named = self.header_topic(line.text)
        following = self.next_nonblank(index)
        if (named is not None and named == self.topic_index + 1 and not topic_match
                and following is not None and TOPIC_HEADING.match(following.text)
                and self.header_topic(following.text) == named):
            self.note("info", "stray-header",
                      f"title line {self.toc[named].title!r} repeated just before its "
                      "'Topic N:' heading, which opens the section", line)
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
            self.note("warning", "unknown-topic-heading", what, line)
            return
        elif normalize_title(strip_decoration(clean_inline(line.text))) == normalize_title(
                self.doc_title):
            what = "running header repeating the document title; ignored"
        else:
            what = (f"stray header {strip_decoration(clean_inline(line.text))!r} naming no topic "
                    "of the table of contents; ignored")
        self.note("info", "stray-header", what, line)

    # ----- problems ------------------------------------------------------------------------
    def open_problem(self, line: Line, match: re.Match[str]) -> None:
        self.close_problem()
        topic = self.current_topic()
        if topic is None:
            self.note("warning", "problem-outside-topic",
                      "problem heading before any topic heading; filed under 'unsorted'", line)
            topic_key = "unsorted"
        else:
            topic_key = topic.id
        self.problem = _ProblemDraft(number=int(match["number"]),
                                     title=clean_inline(match["title"]), topic=topic_key,
                                     where=self.where(line))

    def close_problem(self) -> None:
        draft = self.problem
        self.problem = None
        if draft is None:
            return
        heading_line = Line(text="", source=draft.where.source, line=draft.where.line,
                            page=draft.where.page)
        question = " ".join(draft.question).strip()
        if not question:
            self.note("warning", "missing-question",
                      f"problem {draft.title!r} has no interviewer question", heading_line)
        points = tuple(self.finish_point(p) for p in draft.points)
        if not points:
            self.note("warning", "no-points", f"problem {draft.title!r} has no solution points",
                      heading_line)
        summary = draft.summary[0] if draft.summary else ""
        occurrence = Occurrence(source=draft.where.source, line=draft.where.line,
                                page=draft.where.page, number=draft.number, title=draft.title,
                                topic=draft.topic)
        self.problems.append(Problem(id="", title=draft.title, number=draft.number,
                                     topic=draft.topic, question=question, summary=summary,
                                     points=points, occurrences=(occurrence,)))

    def finish_point(self, draft: _PointDraft) -> Point:
        at = Line(text="", source=draft.where.source, line=draft.where.line, page=draft.where.page)
        if not draft.example:
            self.note("warning", "point-without-example",
                      f"point {draft.title!r} has no Example: line", at)
        if not draft.explanation:
            self.note("warning", "point-without-explanation",
                      f"point {draft.title!r} has no explanation", at)
        tag_lines = draft.tag_lines
        pills = [line for line in tag_lines if line.style is not None and line.style.pills]
        if pills and len(pills) < len(tag_lines):
            # The tags were printed as pills: text outside them (an unjoined wrap of the
            # example, a "Tags:" label) is no tag.
            for line in tag_lines:
                if not (line.style is not None and line.style.pills):
                    self.note("info", "text-beside-pills",
                              f"text {line.text[:60]!r} beside the tag pills of point "
                              f"{draft.title!r} is not taken as a tag", line)
            tag_lines = pills
        return Point(title=draft.title, explanation=" ".join(draft.explanation),
                     example=" ".join(draft.example), where=draft.where,
                     raw_tags=_raw_tags(tag_lines), number=draft.number)

    def is_point_heading(self, index: int, line: Line) -> re.Match[str] | None:
        """A numbered line is a point heading when an explanation or Example: follows."""
        match = POINT_HEADING.match(line.text)
        if not match or EXAMPLE.match(line.text):
            return None
        following = self.next_nonblank(index)
        if following is None:
            return None
        if EXPLANATION_MARKER.match(following.text) or EXAMPLE.match(following.text):
            return match
        second = self.next_nonblank(index, skip=1)
        if second is not None and EXAMPLE.match(second.text) and not POINT_HEADING.match(
                following.text):
            return match
        return None

    def handle_problem_line(self, index: int, line: Line) -> None:
        draft = self.problem
        assert draft is not None
        text = line.text
        if draft.state in ("question", "summary") or not draft.points:
            point = self.is_point_heading(index, line)
            if point is not None and draft.state != "question" or (
                    point is not None and draft.question):
                if draft.state == "question":
                    self.note("info", "missing-solution-label",
                              f"problem {draft.title!r} has no 'Solution:' label", line)
                draft.state = "points"
                self.start_point(point, line)
                return
        if draft.state == "question":
            self.handle_question_line(line)
            return
        if draft.state == "summary":
            draft.summary.append(clean_inline(text))
            return
        point = self.is_point_heading(index, line)
        if point is not None:
            self.start_point(point, line)
            return
        current = draft.points[-1]
        if current.state == "tags" and EXPLANATION_MARKER.match(text):
            # The extraction lost a point heading: the marker starts the next point.
            number = current.number + 1 if current.number is not None else None
            self.note("warning", "missing-point-heading",
                      f"explanation without a point heading after point {current.title!r}; "
                      f"kept as point {number} with an empty title", line)
            current = _PointDraft(number=number, title="", where=self.where(line))
            draft.points.append(current)
        example = EXAMPLE.match(text)
        if example and current.state == "explanation":
            current.example.append(clean_inline(example["text"]))
            current.state = "tags"
        elif current.state == "explanation":
            current.explanation.append(clean_inline(strip_marker(text)))
        elif current.state == "tags" and _looks_like_prose(text):
            # Closing words of the book ("Congratulations! …") or of a chapter are not
            # tags: they and whatever follows them up to the next heading are left out.
            current.state = "closed"
            self.note("info", "trailing-text",
                      "prose after the last tag row of a point (closing text, not tags); "
                      "left out up to the next heading", line)
        elif current.state == "tags":
            current.tag_lines.append(line)

    def handle_question_line(self, line: Line) -> None:
        draft = self.problem
        assert draft is not None
        text = line.text
        if SOLUTION_LABEL.match(text):
            draft.state = "summary"
            return
        glued = False
        if QUESTION_LABEL.match(text):
            text = QUESTION_LABEL.sub("", text, count=1)
            if GLUED_SOLUTION.search(text):
                text = GLUED_SOLUTION.sub("", text)
                glued = True
        text = INTERVIEWER.sub("", text, count=1)
        if PLACEHOLDER.match(text):
            draft.placeholder = True
            self.note("info", "placeholder-question",
                      "placeholder instead of the question box; question taken from the "
                      "INTERVIEWER line" if draft.question else
                      "placeholder instead of the question box and no INTERVIEWER line", line)
        elif text.strip():
            draft.question.append(clean_inline(text))
        if glued:
            draft.state = "summary"

    def start_point(self, match: re.Match[str], line: Line) -> None:
        assert self.problem is not None
        self.problem.points.append(_PointDraft(number=int(match["number"].replace(" ", "")),
                                               title=clean_inline(match["title"]),
                                               where=self.where(line)))

    # ----- the pass ------------------------------------------------------------------------
    def run(self) -> SegmentedSource:
        if not self.toc:
            self.note("warning", "no-table-of-contents",
                      "no table of contents found; topics come from 'Topic N:' headings",
                      self.lines[0] if self.lines else None)
        for index in range(self.body_start, len(self.lines)):
            line = self.lines[index]
            text = line.text
            if not text.strip():
                continue
            if DEBRIS.match(text):
                continue
            heading = PROBLEM_HEADING.match(text)
            if heading:
                self.open_problem(line, heading)
                continue
            if self.is_header_line(index, line):
                self.handle_header(index, line)
                continue
            if self.problem is not None:
                self.handle_problem_line(index, line)
        self.close_problem()
        topics = self.distinct_topics()
        if not self.problems:
            self.note("error", "no-problems", "no 'Problem N: Title' headings found",
                      self.lines[0] if self.lines else None)
        elif not any(problem.points for problem in self.problems):
            first = self.problems[0].occurrences[0]
            self.note("error", "no-points-anywhere",
                      f"{len(self.problems)} problem heading(s) but no numbered solution points "
                      "under any of them (expected '1 Title', an explanation, 'Example: ...')",
                      Line(text="", source=first.source, line=first.line, page=first.page))
        return SegmentedSource(topics=topics, problems=tuple(self.problems), title=self.doc_title)


def _next_content_indices(lines: Sequence[Line]) -> list[int]:
    """For each line, the index of the next line that is neither blank nor debris (-1)."""
    following = [-1] * len(lines)
    after = -1
    for index in range(len(lines) - 1, -1, -1):
        following[index] = after
        text = lines[index].text
        if text.strip() and not DEBRIS.match(text):
            after = index
    return following


def _looks_like_prose(text: str) -> bool:
    """A sentence: several words ending in sentence punctuation (tags never do)."""
    cleaned = clean_inline(text)
    return len(cleaned.split()) >= 4 and cleaned.endswith(("!", ".", "?")) and cleaned[:1].isupper()


def _looks_like_title(text: str) -> bool:
    """Short, capitalised, no sentence punctuation: how the book's headers look."""
    words = text.split()
    return (0 < len(words) <= 7 and text[:1].isupper() and not text.endswith((".", ":", "?"))
            and not EXAMPLE.match(text) and not POINT_HEADING.match(text))


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


# The book's longest line is a few hundred characters. Much longer lines (a minified file,
# a binary blob that decoded) are blanked before any pattern sees them: some markup
# patterns backtrack quadratically on a multi-megabyte line of brackets.
MAX_LINE_CHARS = 5000


# Checked on the start of an overlong line only, so it stays cheap on any line.
_HEADING_START = re.compile(r"^\s*(?:[-*•]\s+)?(?:💡\s*)?(?:\*\*\s*)?Problem\s+\d+\s*[:.]")


def _overlong_note(line: Line) -> Diagnostic:
    where = Where(line.source, line.line, line.page)
    if _HEADING_START.match(line.text[:200]):
        # Blanking it would file its points under the previous problem without a word.
        return Diagnostic("error", "overlong-heading",
                          f"problem heading of {len(line.text):,} characters (longer than "
                          f"{MAX_LINE_CHARS:,}): the extraction probably lost the line breaks "
                          "after it; split the line", where)
    return Diagnostic("warning", "overlong-line",
                      f"line of {len(line.text):,} characters ignored (longer than "
                      f"{MAX_LINE_CHARS:,}: not a line of the book)", where)


def _blank_overlong(lines: Sequence[Line]) -> tuple[Sequence[Line], list[Diagnostic]]:
    notes = [_overlong_note(line) for line in lines if len(line.text) > MAX_LINE_CHARS]
    notes.sort(key=lambda note: note.severity != "error")  # the build stops on the first
    if not notes:
        return lines, notes
    return [Line(text="", source=line.source, line=line.line, page=line.page)
            if len(line.text) > MAX_LINE_CHARS else line for line in lines], notes


def segment(lines: Sequence[Line]) -> tuple[SegmentedSource, list[Diagnostic]]:
    """Split one source's lines into topics and problems; return them with diagnostics."""
    lines, notes = _blank_overlong(lines)
    segmenter = _Segmenter(lines)
    result = segmenter.run()
    return result, notes + segmenter.diagnostics
