"""One visit to one PDF page: its characters grouped into text segments, with style hints.

This is the per-page half of the PDF reader, the part that runs in worker processes.
Everything needed from a page is read in one visit (characters, filled and stroked
shapes, link annotations, image count) and the page is closed right after, because a
pdfplumber page keeps every parsed object alive until ``close()``.

A segment is the run of characters on one baseline (split, in the header and footer bands
only, where a gap is far wider than a word space: a running header's left and right parts).
Each segment knows its dominant size, weight and colour, the filled block it sits in (a
question box, a panel), or, when every one of its characters sits in small filled shapes,
the texts of those shapes (a row of tag pills). Monospaced runs are written in backticks
and linked runs as ``[text](#)``, the way the text extraction of the book writes them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Iterable, Sequence

from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTLine

from ..errors import DrillbookError
from .pdf_checks import read_columns, unmapped_glyphs
from .pdf_limits import MAX_PAGE_GLYPHS
from .pdf_style import (base_font_name, is_bold_font, is_invisible, is_lettered, is_mono_font,
                        normalize_color)

# Gaps, in multiples of the font size.
SPACE_GAP = 0.18  # wider than this between two glyphs: a word space the PDF did not draw
SEGMENT_GAP = 3.0  # wider than this: separate pieces of text that share a baseline
BASELINE_TOLERANCE = 0.3  # baselines closer than this are one line
EDGE_TOLERANCE = 2.5  # points: a stroke this close to a fill's edge outlines it
HEADER_BAND = 0.15  # of the page height, at the top and the bottom: where running text is
BLOCK_WIDTH = 0.6  # a filled shape this wide (of the page's text width) is a block, not a pill


@dataclass(slots=True)
class Segment:
    """Text on one baseline of one page, with what its look says about it."""

    page: int
    top: float
    bottom: float
    baseline: float
    x0: float
    x1: float
    text: str
    size: float
    bold: bool
    color: str | None
    font: str
    first_word: float  # width of the first word: would it have fitted on the line above?
    box: int | None = None  # page-local id of the filled block holding the segment
    box_kind: str | None = None  # "question" (filled and outlined) or "panel"
    pills: tuple[str, ...] | None = None  # a row of tag pills, one text each
    word_starts: tuple[float, ...] = ()  # where its first few words start (hanging indents)


@dataclass(slots=True)
class PageText:
    """What one page holds, reduced to what the reader needs."""

    number: int
    width: float
    height: float
    segments: list[Segment] = field(default_factory=list)
    chars: int = 0
    images: int = 0
    columns: int = 1  # 2: read column by column (pdf_checks.read_columns)
    unmapped: int = 0  # glyphs of words in a font without a Unicode map, dropped


@dataclass(slots=True)
class _Shape:
    x0: float
    top: float
    x1: float
    bottom: float
    color: Any = None
    outlined: bool = False
    lines: set[int] = field(default_factory=set)
    kind: str = "pill"

    def same_box(self, other: "_Shape") -> bool:
        tol = EDGE_TOLERANCE
        return (abs(self.x0 - other.x0) <= tol and abs(self.x1 - other.x1) <= tol
                and abs(self.top - other.top) <= tol and abs(self.bottom - other.bottom) <= tol)

    @property
    def area(self) -> float:
        return (self.x1 - self.x0) * (self.bottom - self.top)


# A character as a tuple is several times cheaper to build and read than pdfplumber's dict.
# (x0, x1, baseline, size, text, font, colour, mid-height)
_X0, _X1, _BASE, _SIZE, _TEXT, _FONT, _COLOR, _MID = range(8)
_BY_BASELINE = itemgetter(_BASE, _X0)
_BY_X = itemgetter(_X0)
_TEXT_OF = itemgetter(_TEXT)


def read_page(page: Any, number: int) -> PageText:
    """Read everything needed from a pdfplumber page, then close the page.

    The page's pdfminer layout is walked directly: pdfplumber's ``page.chars`` would first
    turn every glyph into a dict of some thirty attributes, which costs more than all of
    this reader's own work on the page.
    """
    try:
        width, height = float(page.width), float(page.height)
        mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
        glyphs: list[tuple] = []
        fills: list[_Shape] = []
        strokes: list[tuple] = []
        counts = [0, 0]  # characters, images
        _walk(page.layout, height + mb_top, mb_x0, glyphs, fills, strokes, counts)
        if counts[0] > MAX_PAGE_GLYPHS:
            raise DrillbookError(f"the page holds {counts[0]:,} characters (more than "
                                 f"{MAX_PAGE_GLYPHS:,}: not a page of a book); refusing to "
                                 "read it", page=number)
        links = _links(page)
    finally:
        page.close()
    page_area = width * height
    # Page backgrounds hold all text and say nothing about any of it.
    fills = _merge_borders([f for f in fills if f.area < 0.5 * page_area])
    for shape in fills:
        shape.outlined = shape.outlined or _edges_stroked(shape, strokes) >= 2
    result = PageText(number=number, width=width, height=height, chars=counts[0],
                      images=counts[1])
    if glyphs:
        result.segments, result.columns, result.unmapped = _segments(glyphs, fills, links,
                                                                     number, height)
    return result


def _walk(container: Any, flip: float, shift: float, glyphs: list[tuple], fills: list[_Shape],
          strokes: list[tuple], counts: list[int]) -> None:
    """Collect glyphs and shapes in pdfplumber's top-down coordinates (``flip`` is the
    page height plus the media box's offset, ``shift`` the media box's left edge)."""
    append = glyphs.append
    for obj in container:
        if type(obj) is LTChar or isinstance(obj, LTChar):  # most objects: cheapest test first
            counts[0] += 1
            if not obj.upright:
                continue  # rotated text (a watermark, a margin note) has no line to join
            size = obj.size or 1.0
            # Typed as a float or tuple, but pdfminer's interpreter stores the operand list.
            color: object = obj.graphicstate.ncolor
            baseline = flip - obj.matrix[5]
            append((obj.x0 + shift, obj.x1 + shift, baseline, size, obj._text, obj.fontname,
                    tuple(color) if type(color) is list else color, baseline - 0.35 * size))
        elif isinstance(obj, LTCurve):  # rectangles and lines are curves too
            box = (obj.x0 + shift, flip - obj.y1, obj.x1 + shift, flip - obj.y0)
            if obj.stroke or isinstance(obj, LTLine):
                strokes.append(box)
            if obj.fill and not isinstance(obj, LTLine) and (
                    box[2] - box[0] >= 2 and box[3] - box[1] >= 2):  # hairlines hold no text
                fills.append(_Shape(*box, color=obj.non_stroking_color))
        elif isinstance(obj, LTImage):
            counts[1] += 1
        elif isinstance(obj, LTContainer):  # a form XObject (figure) nests its own objects
            _walk(obj, flip, shift, glyphs, fills, strokes, counts)


def _merge_borders(fills: list[_Shape]) -> list[_Shape]:
    """One shape per box: some producers draw a border as a filled ring the size of the
    box's background, in another colour. That ring outlines the box."""
    kept: list[_Shape] = []
    for shape in fills:
        twin = next((k for k in kept if k.same_box(shape)), None)
        if twin is None:
            kept.append(shape)
        elif twin.color != shape.color:
            twin.outlined = True
    return kept


def _edges_stroked(shape: _Shape, strokes: Iterable[tuple]) -> int:
    """How many of a filled shape's four edges a stroke runs along (the same path, a
    separate rectangle, or four separate lines all count)."""
    tol = EDGE_TOLERANCE
    edges: set[str] = set()
    for x0, top, x1, bottom in strokes:
        if (abs(x0 - shape.x0) <= tol and abs(x1 - shape.x1) <= tol
                and abs(top - shape.top) <= tol and abs(bottom - shape.bottom) <= tol):
            return 4
        horizontal = bottom - top <= tol and x1 - x0 >= 0.5 * (shape.x1 - shape.x0)
        vertical = x1 - x0 <= tol and bottom - top >= 0.5 * (shape.bottom - shape.top)
        inside_x = x0 >= shape.x0 - tol and x1 <= shape.x1 + tol
        inside_y = top >= shape.top - tol and bottom <= shape.bottom + tol
        if horizontal and inside_x:
            if abs(top - shape.top) <= tol:
                edges.add("top")
            elif abs(bottom - shape.bottom) <= tol:
                edges.add("bottom")
        elif vertical and inside_y:
            if abs(x0 - shape.x0) <= tol:
                edges.add("left")
            elif abs(x1 - shape.x1) <= tol:
                edges.add("right")
    return len(edges)


def _links(page: Any) -> list[tuple]:
    links = []
    for annot in page.annots:
        data = annot.get("data") or {}
        subtype = data.get("Subtype")
        if getattr(subtype, "name", subtype) != "Link":
            continue
        target = annot.get("uri") or "#"
        links.append((annot["x0"], annot["top"], annot["x1"], annot["bottom"], target))
    return links


def _group_lines(glyphs: list[tuple]) -> list[list[tuple]]:
    glyphs.sort(key=_BY_BASELINE)
    lines: list[list[tuple]] = []
    current: list[tuple] = []
    line_base = 0.0
    for glyph in glyphs:
        if current and abs(glyph[_BASE] - line_base) > BASELINE_TOLERANCE * glyph[_SIZE]:
            lines.append(current)
            current = []
        if not current:
            line_base = glyph[_BASE]
        current.append(glyph)
    if current:
        lines.append(current)
    for line in lines:
        line.sort(key=_BY_X)
    return lines


def _containing(x: float, y: float, boxes: Sequence[tuple[int, Any]]) -> int | None:
    """Index of the smallest box holding the point, among boxes already near its line."""
    best, best_area = None, 0.0
    for index, box in boxes:
        if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
            area = (box[2] - box[0]) * (box[3] - box[1])
            if best is None or area < best_area:
                best, best_area = index, area
    return best


def _segments(glyphs: list[tuple], fills: list[_Shape], links: list[tuple], number: int,
              height: float) -> tuple[list[Segment], int, int]:
    """The page's segments, its column count and how many unmapped glyphs it dropped."""
    lines = _group_lines(glyphs)
    joined = "".join(map(_TEXT_OF, glyphs))
    unmapped = 0
    if not (joined.isascii() and joined.isprintable() and "(cid:" not in joined):
        unmapped = unmapped_glyphs(lines)
        lines = _drop_garbage(lines)  # most pages are plain ASCII and skip this
    if not lines:
        return [], 1, unmapped
    # Only running headers and footers put separate texts on one baseline; in the body a
    # wide gap is a justified line's stretched space.
    band = HEADER_BAND * height
    lines, columns = read_columns(lines, [band < line[0][_BASE] < height - band
                                          for line in lines], number)
    text_left = min(line[0][_X0] for line in lines)
    text_right = max(line[-1][_X1] for line in lines)
    fill_boxes = [(i, (s.x0, s.top, s.x1, s.bottom)) for i, s in enumerate(fills)]
    link_boxes = list(enumerate(links))
    # Per line: the filled shape and link of each glyph (None when outside all of them).
    placed: list[tuple[list[tuple], list[int | None], list[int | None]]] = []
    for line_index, line in enumerate(lines):
        mid = line[0][_MID]
        near_fills = [(i, b) for i, b in fill_boxes if b[1] <= mid <= b[3]]
        near_links = [(i, b) for i, b in link_boxes if b[1] <= mid <= b[3]]
        shape_of: list[int | None]
        link_of: list[int | None]
        shape_of = ([_containing((g[_X0] + g[_X1]) / 2, g[_MID], near_fills) for g in line]
                    if near_fills else [None] * len(line))
        link_of = ([_containing((g[_X0] + g[_X1]) / 2, g[_MID], near_links) for g in line]
                   if near_links else [None] * len(line))
        for fill_index in set(shape_of):
            if fill_index is not None:
                fills[fill_index].lines.add(line_index)
        placed.append((line, shape_of, link_of))
    for shape in fills:
        wide = shape.x1 - shape.x0 >= BLOCK_WIDTH * (text_right - text_left)
        if len(shape.lines) >= 2 or wide:
            shape.kind = "question" if shape.outlined else "panel"
    segments: list[Segment] = []
    for line, shape_of, link_of in placed:
        start = 0
        splittable = not (band < line[0][_BASE] < height - band)
        for index in range(1, len(line) + 1):
            if index == len(line) or (splittable and _wide_gap(line[index - 1], line[index])):
                segment = _segment(line[start:index], shape_of[start:index],
                                   link_of[start:index], fills, links, number)
                if segment is not None:
                    segments.append(segment)
                start = index
    return segments, columns, unmapped


def _wide_gap(left: tuple, right: tuple) -> bool:
    """A gap far wider than a word space that no space glyph spans: two separate texts
    (a running header's left and right parts), not a justified line's stretched spaces."""
    return (right[_X0] - left[_X1] > SEGMENT_GAP * right[_SIZE]
            and not left[_TEXT].isspace() and not right[_TEXT].isspace())


def _drop_garbage(lines: list[list[tuple]]) -> list[list[tuple]]:
    """Lines without glyphs that carry no text (see ``_symbol_only_fonts``)."""
    odd = [g for line in lines for g in line
           if not (len(g[_TEXT]) == 1 and " " <= g[_TEXT] <= "~")]
    suspects = {g[_FONT] for g in odd if is_lettered(g[_TEXT])}
    garbage_fonts = _symbol_only_fonts(lines, suspects) if suspects else set()
    cleaned = []
    for line in lines:
        kept = [g for g in line if (len(g[_TEXT]) == 1 and " " <= g[_TEXT] <= "~") or not (
            is_invisible(g[_TEXT]) or (g[_FONT] in garbage_fonts and is_lettered(g[_TEXT])))]
        if kept:
            cleaned.append(kept)
    return cleaned


def _symbol_only_fonts(lines: list[list[tuple]], suspects: set[str]) -> set[str]:
    """Those of the suspect fonts that draw only lone glyphs and never an ASCII letter or
    digit on this page: emoji and icon fonts, whose lettered output comes from a broken
    Unicode map."""
    longest: dict[str, int] = {}
    ascii_fonts: set[str] = set()
    for line in lines:
        run_font, run_length, previous = None, 0, None
        for glyph in line:
            font, text = glyph[_FONT], glyph[_TEXT]
            if font not in suspects:
                run_font, previous = font, glyph
                continue
            if text.isascii() and text.isalnum():
                ascii_fonts.add(font)
            joined = (previous is not None and font == run_font and not text.isspace()
                      and glyph[_X0] - previous[_X1] <= SPACE_GAP * glyph[_SIZE])
            run_length = run_length + 1 if joined else (0 if text.isspace() else 1)
            run_font = font
            if run_length > longest.get(font, 0):
                longest[font] = run_length
            previous = glyph
    return {font for font, length in longest.items() if length <= 2 and font not in ascii_fonts}


def _segment(glyphs: list[tuple], shape_of: list[int | None], link_of: list[int | None],
             fills: list[_Shape], links: list[tuple], number: int) -> Segment | None:
    visible = [g for g in glyphs if not g[_TEXT].isspace()]
    if not visible:
        return None
    looks = Counter((g[_SIZE], g[_FONT], g[_COLOR]) for g in visible)
    sizes: Counter[float] = Counter()
    fonts: Counter[str] = Counter()
    colors: Counter[Any] = Counter()
    for (size, font, color), count in looks.items():
        sizes[round(size, 1)] += count
        fonts[font] += count
        colors[color] += count
    font = fonts.most_common(1)[0][0]
    bold = sum(n for f, n in fonts.items() if is_bold_font(f)) * 2 > len(visible)
    box, box_kind, pills = None, None, None
    if shape_of.count(None) == len(shape_of):  # the common case: outside every shape
        shapes_hit: Counter[int | None] = Counter({None: len(visible)})
    else:
        shapes_hit = Counter(shape for shape, g in zip(shape_of, glyphs)
                             if not g[_TEXT].isspace())
    block_hits = [(s, n) for s, n in shapes_hit.items()
                  if s is not None and fills[s].kind != "pill"]
    if block_hits:
        shape, count = max(block_hits, key=lambda item: item[1])
        if count * 2 > len(visible):
            box, box_kind = shape, fills[shape].kind
    in_pills = sum(n for s, n in shapes_hit.items() if s is not None and fills[s].kind == "pill")
    if box is None and in_pills * 2 > len(visible):
        # A row of pills; text beside them ("Tags:") is in no pill and is no tag.
        pills = _pill_texts(glyphs, shape_of)
    text = _compose(glyphs, link_of, links, markup=pills is None)
    if not text:
        return None
    first, last = visible[0], visible[-1]
    return Segment(page=number, top=min(g[_BASE] - g[_SIZE] for g in visible),
                   bottom=max(g[_BASE] for g in visible), baseline=first[_BASE],
                   x0=first[_X0], x1=last[_X1], text=text,
                   size=sizes.most_common(1)[0][0], bold=bold,
                   color=normalize_color(colors.most_common(1)[0][0]),
                   font=base_font_name(font), first_word=_first_word_width(glyphs),
                   box=box, box_kind=box_kind, pills=pills, word_starts=_word_starts(glyphs))


def _first_word_width(glyphs: list[tuple]) -> float:
    first = next(i for i, g in enumerate(glyphs) if not g[_TEXT].isspace())
    start = end = glyphs[first]
    for glyph in glyphs[first + 1:]:
        if glyph[_TEXT].isspace() or glyph[_X0] - end[_X1] > SPACE_GAP * glyph[_SIZE]:
            break
        end = glyph
    return end[_X1] - start[_X0]


def _word_starts(glyphs: list[tuple], most: int = 4) -> tuple[float, ...]:
    """Where the first ``most`` words start: a wrapped line of a labelled paragraph
    ("Example: ...") may start under the second or third of them."""
    starts: list[float] = []
    previous: tuple | None = None
    for glyph in glyphs:
        if glyph[_TEXT].isspace():
            previous = None
            continue
        if previous is None or glyph[_X0] - previous[_X1] > SPACE_GAP * glyph[_SIZE]:
            starts.append(round(glyph[_X0], 2))
            if len(starts) == most:
                break
        previous = glyph
    return tuple(starts)


def _compose(glyphs: list[tuple], link_of: list[int | None], links: list[tuple],
             markup: bool) -> str:
    """The text of a run of glyphs: spaces where gaps are, code in backticks, links as
    ``[text](target)`` (markup=False leaves both out)."""
    out: list[str] = []
    in_code = False
    open_link: int | None = None
    previous: tuple | None = None
    mono_fonts: dict[str, bool] = {}
    for glyph, link in zip(glyphs, link_of):
        text = glyph[_TEXT]
        if text.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            previous = glyph
            continue
        if previous is not None and out and out[-1] != " " and (
                glyph[_X0] - previous[_X1] > SPACE_GAP * glyph[_SIZE]):
            out.append(" ")
        if markup:
            font = glyph[_FONT]
            mono = mono_fonts.get(font)
            if mono is None:
                mono = mono_fonts[font] = is_mono_font(font)
            if in_code and (not mono or link != open_link):
                _close(out, "`")
                in_code = False
            if link != open_link:
                if open_link is not None:
                    _close(out, f"]({links[open_link][4]})")
                if link is not None:
                    _open(out, "[")
                open_link = link
            if mono and not in_code:
                _open(out, "`")
                in_code = True
        out.append(text)
        previous = glyph
    if in_code:
        _close(out, "`")
    if open_link is not None:
        _close(out, f"]({links[open_link][4]})")
    return "".join(out).strip()


def _open(out: list[str], mark: str) -> None:
    out.append(mark)


def _close(out: list[str], mark: str) -> None:
    """Close a span before the space that ended it: "`a b` c", not "`a b `c"."""
    if out and out[-1] == " ":
        out.insert(len(out) - 1, mark)
    else:
        out.append(mark)


def _pill_texts(glyphs: list[tuple], shape_of: list[int | None]) -> tuple[str, ...]:
    """One text per pill, in printed order."""
    order: list[int] = []
    members: dict[int, list[tuple]] = {}
    for glyph, shape in zip(glyphs, shape_of):
        if shape is None:
            continue  # a space between two pills
        if shape not in members:
            order.append(shape)
            members[shape] = []
        members[shape].append(glyph)
    texts = (_compose(members[s], [None] * len(members[s]), [], markup=False) for s in order)
    return tuple(t for t in texts if t)
