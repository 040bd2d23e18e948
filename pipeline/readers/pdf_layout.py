"""Document-level layout: running headers, the type-size histogram, wrapped-line joins.

The per-page segments (pdf_page.py) become the reader's ``Line`` records here. Nothing is
tuned to one layout: the body size, the usual line pitch and the text column's right edge
are measured from the document itself, and headings are told apart by their size and
weight relative to the body.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median
from typing import Sequence

from ..models import Line, Style
from .pdf_page import HEADER_BAND, PageText, Segment

PROBLEM_HEADING = re.compile(r"^\W{0,4}\s*Problem\s+\d+\s*[:.]")
# A line starting like this begins something new even if it would have fitted above.
NEW_BLOCK = re.compile(r"^\s*(?:[-•*▪◦‣]\s|(?:\W{0,3}\s*)"
                       r"(?:Problem\s+\d+\s*[:.]|Topic\s+\d+\s*[:.]|"
                       r"Example\s*:|Question\s*:|Solution\s*:|INTERVIEWER\s*:))")
LINK_END = re.compile(r"\](\([^)]*\))$")
QUESTION_LABEL = re.compile(r"^\s*Question\s*:", re.IGNORECASE)
HEADING_RATIO = 1.1  # a size this much above the body's is a heading size


@dataclass(frozen=True)
class DocumentMetrics:
    """What the document's own typography says is normal."""

    body_size: float
    pitch: dict[float, float]  # font size -> usual distance between wrapped lines
    column: float  # usual width of the text column
    # (size, font) -> the same for one font: italic examples may wrap tighter than the body
    font_pitch: dict[tuple[float, str], float] = field(default_factory=dict)


def drop_running_text(pages: Sequence[PageText]) -> list[list[Segment]]:
    """Each page's segments without running headers and footers.

    A running header is text (digits masked) that recurs at the same height on most pages.
    Text beside it in the same band, with the same look, goes too: a header's changing
    part, such as the current chapter's name.
    """
    with_text = [p for p in pages if p.segments]
    kept = [list(p.segments) for p in pages]
    if len(with_text) < 3:
        return kept
    seen: dict[tuple[str, int], set[int]] = defaultdict(set)
    for page in with_text:
        for segment in page.segments:
            if _in_band(segment, page):
                seen[(_masked(segment.text), round(segment.top))].add(page.number)
    needed = max(2, math.ceil(0.5 * len(with_text)))
    running = {key for key, numbers in seen.items() if len(numbers) >= needed}
    if not running:
        return kept
    looks = {(top, segment.size, segment.color, segment.font)
             for page in with_text for segment in page.segments
             if (_masked(segment.text), top := round(segment.top)) in running}
    result = []
    for page in pages:
        result.append([s for s in page.segments if not (
            _in_band(s, page) and ((_masked(s.text), round(s.top)) in running or any(
                abs(round(s.top) - top) <= 1 and s.size == size and s.color == color
                and s.font == font for top, size, color, font in looks)))])
    return result


def _in_band(segment: Segment, page: PageText) -> bool:
    return segment.bottom <= HEADER_BAND * page.height or segment.top >= (
        1 - HEADER_BAND) * page.height


def _masked(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def measure(pages: Sequence[Sequence[Segment]]) -> DocumentMetrics:
    """The body size (most characters), usual line pitch per size and column width."""
    sizes: Counter[float] = Counter()
    pitches: dict[float, Counter[float]] = defaultdict(Counter)
    font_pitches: dict[tuple[float, str], Counter[float]] = defaultdict(Counter)
    widths = []
    for segments in pages:
        if not segments:
            continue
        left = min(s.x0 for s in segments)
        right = max(s.x1 for s in segments)
        for previous, segment in zip(segments, segments[1:]):
            # Only lines that end near the right edge may be wrapped: their distance to the
            # next line is the wrap pitch, whatever the paragraphs' spacing is.
            if (previous.size == segment.size and previous.box is None and segment.box is None
                    and previous.x1 - left >= 0.85 * (right - left)):
                step = round(segment.baseline - previous.baseline, 1)
                if 0 < step < 3 * segment.size:
                    pitches[segment.size][step] += 1
                    if previous.font == segment.font:
                        font_pitches[(segment.size, segment.font)][step] += 1
        for segment in segments:
            sizes[segment.size] += len(segment.text)
        body = [s for s in segments if s.pills is None]
        if body:
            widths.append(max(s.x1 for s in body) - min(s.x0 for s in body))
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    pitch = {size: _wrap_pitch(counter, size) for size, counter in pitches.items()}
    font_pitch = {key: _wrap_pitch(counter, key[0]) for key, counter in font_pitches.items()}
    return DocumentMetrics(body_size=body_size, pitch=pitch,
                           column=median(widths) if widths else 0.0, font_pitch=font_pitch)


def _wrap_pitch(steps: Counter[float], size: float) -> float:
    """The smallest common step between lines of one size: wrapped lines sit closer together
    than paragraphs, whichever of the two is more frequent."""
    common = max(steps.values())
    regular = [step for step, count in steps.items()
               if step >= 0.8 * size and count >= max(2, 0.1 * common)]
    return min(regular) if regular else 1.3 * size


def is_heading(segment: Segment, metrics: DocumentMetrics) -> bool:
    """Larger than the body text, or a "Problem N:" line set apart by weight or size."""
    if segment.size >= HEADING_RATIO * metrics.body_size:
        return True
    return bool(PROBLEM_HEADING.match(segment.text)) and segment.bold


def _joins(above: Segment, below: Segment, metrics: DocumentMetrics, right_edge: float,
           same_page: bool) -> bool:
    """Whether ``below`` continues the line ``above`` (a paragraph wrapped there)."""
    if above.pills or below.pills or "question" in (above.box_kind, below.box_kind):
        return False
    if above.box != below.box or (above.box is not None and above.page != below.page):
        return False
    if _starts_with_symbol(below.text):
        return False  # a marker such as 👉 or ◆ opens a new item
    if abs(above.size - below.size) > 0.25:
        return False
    heading = is_heading(above, metrics)
    if heading and above.bold != below.bold:
        return False
    if NEW_BLOCK.match(below.text) or PROBLEM_HEADING.match(below.text):
        return False
    if same_page:
        step = below.baseline - above.baseline
        usual = metrics.font_pitch.get((below.size, below.font)) or metrics.pitch.get(
            below.size, 1.3 * below.size)
        if step <= 0 or step > usual + 0.2 * below.size:
            return False
    # The first word of the line below would not have fitted at the end of the line above.
    space = 0.3 * below.size
    wrapped = above.x1 + space + below.first_word > right_edge - 0.5 * below.size
    if heading:
        # A centred heading wraps short of the margin: its lines share a centre instead.
        centred = (abs((above.x0 + above.x1) - (below.x0 + below.x1)) < below.size
                   and abs(above.x0 - below.x0) > below.size)
        return same_page and (wrapped or centred)
    return wrapped and (abs(below.x0 - above.x0) <= 3 * below.size or _hangs(above, below))


def _hangs(above: Segment, below: Segment) -> bool:
    """``below`` starts under one of the first words of ``above`` after its first: the
    hanging indent of a labelled paragraph ("Example: the text ..." wrapping under "the")."""
    return any(abs(below.x0 - start) <= 0.5 * below.size for start in above.word_starts[1:])


def _starts_with_symbol(text: str) -> bool:
    first = text.lstrip()[:1]
    return bool(first) and unicodedata.category(first) == "So"


def _right_edges(pages: Sequence[Sequence[Segment]], metrics: DocumentMetrics) -> list[float]:
    """Per page, where wrapped lines end: the page's widest body text or the usual column."""
    edges = []
    for segments in pages:
        body = [s for s in segments if s.pills is None and s.box is None]
        if not body:
            edges.append(0.0)
            continue
        left = min(s.x0 for s in body)
        edges.append(max(max(s.x1 for s in body), left + metrics.column))
    return edges


def lines_from_segments(pages: Sequence[Sequence[Segment]], source_id: str) -> list[Line]:
    """Join wrapped lines and question boxes into the reader's Line records."""
    metrics = measure(pages)
    edges = _right_edges(pages, metrics)
    groups: list[list[Segment]] = []
    previous: Segment | None = None
    for page_index, segments in enumerate(pages):
        for segment in segments:
            if previous is not None and groups:
                if segment.box is not None and segment.box == previous.box and (
                        segment.page == previous.page) and segment.box_kind == "question":
                    groups[-1].append(segment)
                    previous = segment
                    continue
                same_page = segment.page == previous.page
                if _joins(previous, segment, metrics, edges[page_index], same_page):
                    groups[-1].append(segment)
                    previous = segment
                    continue
            groups.append([segment])
            previous = segment
    return [_line(group, source_id) for group in groups]


def _join_wrapped(above: str, below: str) -> str:
    """Two wrapped lines as one; a code span or link broken by the wrap is one span again."""
    if above.endswith("`") and below.startswith("`"):
        return f"{above[:-1]} {below[1:]}"
    link_end = LINK_END.search(above)
    if link_end and below.startswith("[") and below.find(f"]{link_end.group(1)}") > 0:
        return f"{above[:link_end.start()]} {below[1:]}"
    return f"{above} {below}"


def _line(group: list[Segment], source_id: str) -> Line:
    first = group[0]
    text = first.text
    for segment in group[1:]:
        text = _join_wrapped(text, segment.text)
    text = re.sub(r"\s+", " ", text).strip()
    if first.pills is not None:
        text = " ".join(first.pills)
    if first.box_kind == "question" and not QUESTION_LABEL.match(text):
        text = f"Question: {text}"
    sizes: Counter[float] = Counter()
    colors: Counter[str | None] = Counter()
    bold = 0
    for segment in group:
        sizes[segment.size] += len(segment.text)
        colors[segment.color] += len(segment.text)
        bold += len(segment.text) if segment.bold else -len(segment.text)
    style = Style(size=sizes.most_common(1)[0][0], bold=bold > 0,
                  color=colors.most_common(1)[0][0], box=first.box_kind, pills=first.pills)
    return Line(text=text, source=source_id, page=first.page, style=style)
