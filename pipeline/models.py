"""The records every stage passes along, defined once.

Stages are pure functions from these records to these records; see docs/architecture.md.
All records are frozen so a stage cannot change what another stage handed it:
use ``dataclasses.replace`` to derive a new one. Every stage after segmenting returns a
result of one shape (``StageResult``): its records, its diagnostics, its report section.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Literal, Protocol, Sequence, overload, runtime_checkable

SCHEMA_VERSION = "3"
# corpus.json versions this drillbook reads: each only adds fields to the one before
# (2: tags' kinds and families; 3: the text format's plain-text twins).
READABLE_SCHEMA_VERSIONS = ("1", "2", "3")

Severity = Literal["info", "warning", "error"]
TagLayout = Literal["link", "backtick", "bold", "line", "joined", "pill", "plain"]


@dataclass(frozen=True, slots=True)
class Style:
    """What a reader knows about how a line looked (PDF only; text has none)."""

    size: float | None = None
    bold: bool = False
    color: str | None = None
    box: str | None = None  # "question" when inside the filled question box
    pills: tuple[str, ...] | None = None  # the line is a row of tag pills, one text each


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a source, as a reader produced it."""

    text: str
    source: str
    line: int | None = None  # 1-based over the file split on "\n" (text sources)
    page: int | None = None  # 1-based page (PDF sources)
    style: Style | None = None


class TextLines(Sequence[Line]):
    """A text source's lines, kept as their texts: ``lines[i]`` is the record
    ``Line(texts[i], source, i + 1)``, made when it is asked for.

    A 100 MB corpus has millions of lines and the segmenter reads little more than their
    texts, so a text reader hands over one list of strings (``texts``) instead of a record
    per line. It compares equal to any sequence of the same records.
    """

    __slots__ = ("texts", "source")

    def __init__(self, texts: list[str], source: str):
        self.texts = texts
        self.source = source

    def __len__(self) -> int:
        return len(self.texts)

    @overload
    def __getitem__(self, index: int) -> Line: ...

    @overload
    def __getitem__(self, index: slice) -> list[Line]: ...

    def __getitem__(self, index: int | slice) -> Line | list[Line]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self.texts)))]
        number = index + 1 if index >= 0 else len(self.texts) + index + 1
        return Line(self.texts[index], self.source, number)

    def __iter__(self) -> Iterator[Line]:
        source = self.source
        for number, text in enumerate(self.texts, 1):
            yield Line(text, source, number)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TextLines):
            return self.source == other.source and self.texts == other.texts
        return (isinstance(other, Sequence) and not isinstance(other, str)
                and list(self) == list(other))

    __hash__ = None  # type: ignore[assignment]  # a mutable container, like list

    def __repr__(self) -> str:
        return f"TextLines(<{len(self.texts)} lines>, {self.source!r})"


@dataclass(frozen=True, slots=True)
class Source:
    """One input file."""

    id: str
    path: str
    sha256: str
    format: Literal["text", "pdf"]


@dataclass(frozen=True, slots=True)
class Where:
    """Provenance: the place in a source a record came from."""

    source: str
    line: int | None = None
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something a stage noticed; the CLI decides how to show it."""

    severity: Severity
    code: str  # a short kind, e.g. "stray-header", used to group them
    message: str
    where: Where | None = None


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic of the table of contents."""

    id: str
    title: str
    order: int
    declared_problems: int | None = None


@dataclass(frozen=True, slots=True)
class RawTag:
    """One tag slot as the book printed it, markup stripped, before normalization."""

    text: str
    layout: TagLayout  # "joined": a space-joined row whose boundaries were lost


@dataclass(frozen=True, slots=True)
class Point:
    """A numbered solution point of a problem."""

    title: str
    explanation: str
    example: str
    where: Where
    raw_tags: tuple[RawTag, ...] = ()
    tags: tuple[str, ...] = ()  # tag ids, filled by the tags stage
    number: int | None = None  # the printed point number, when there was one


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a problem appeared in the sources."""

    source: str
    line: int | None
    page: int | None
    number: int | None
    title: str
    topic: str


@dataclass(frozen=True, slots=True)
class DraftPair:
    """Two drafts, each named by its (only) occurrence: a pair the curator's overrides
    join (``[[merge]]``) or keep apart (``[[keep_apart]]``), as dedupe receives it."""

    a: Occurrence
    b: Occurrence


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem. Out of the segmenter it has one occurrence and no id yet."""

    id: str
    title: str
    number: int | None
    topic: str
    question: str
    summary: str
    points: tuple[Point, ...]
    occurrences: tuple[Occurrence, ...]
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Tag:
    """A canonical tag with every surface form it was seen under."""

    id: str
    label: str
    forms: tuple[str, ...]
    count: int
    kind: str = "concept"  # technology, command, concept or note (see tags/kinds.py)
    family: str | None = None  # "cache", "Redis command"...; None: unknown or none
    technology: str | None = None  # the technology the tag names or is about ("Kafka")


@dataclass(frozen=True, slots=True)
class Corpus:
    """The product: what corpus.json holds."""

    sources: tuple[Source, ...]
    topics: tuple[Topic, ...]
    problems: tuple[Problem, ...]
    tags: tuple[Tag, ...] = ()
    schema_version: str = SCHEMA_VERSION


@runtime_checkable
class StageResult(Protocol):
    """The shape of every stage's result (overrides, dedupe, id continuity, tags): the
    stage's own records as fields, plus what it noticed and what it adds to report.json."""

    @property
    def diagnostics(self) -> Sequence[Diagnostic]: ...

    def report_section(self) -> dict[str, Any]:
        """JSON-ready report.json keys this stage fills ({} when it has nothing to add)."""
        ...
