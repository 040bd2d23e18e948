"""Page layouts and fonts the PDF reader cannot take as they come.

- **Columns.** Characters are grouped into lines by baseline, so on a page set in two
  columns every line would run across both, interleaving them. ``read_columns`` looks for
  a gutter (a vertical strip in the middle of the text that most body lines leave empty
  with a gap far wider than a word space) and, when it finds one, returns the lines
  column by column: the left column's lines, then the right's, block by block between
  full-width lines (a title across both columns stays where it is). A page with a second
  gutter inside a column (three or more columns) is refused with its page number.
- **Unmapped text.** A font without a Unicode map gives pdfminer no text for its glyphs,
  only ``(cid:N)`` placeholders (or U+FFFD), which the reader drops. ``unmapped_glyphs``
  counts those that formed words (runs of three or more), so the reader can warn with the
  pages; lone unmapped glyphs are icons and emoji, dropped as decoration.

Both work on the glyph tuples of ``pdf_page.py`` (x0, x1, baseline, size, text, ...).
"""
from __future__ import annotations

from ..errors import DrillbookError

# Indices into pdf_page's glyph tuples (tests/test_pdf_checks.py checks they agree).
X0, X1, BASE, SIZE, TEXT = range(5)

GUTTER_GAP = 1.5  # a gap wider than this many font sizes can be a gutter, not a word space
MIN_COLUMN_LINES = 6  # fewer body lines than this on both sides: no column layout to read
GUTTER_SHARE = 0.5  # of the body lines must leave the gutter empty
CROSSING_SHARE = 0.2  # more full-width lines than this (of the split ones): not columns
MIDDLE = (0.25, 0.75)  # where in the text's width a gutter may be
UNMAPPED_RUN = 3


def _visible(line: list[tuple]) -> list[tuple]:
    return [g for g in line if not g[TEXT].isspace()]


def find_gutter(body: list[list[tuple]]) -> float | None:
    """The x of a column gutter through ``body`` (lines, sorted by baseline), or None."""
    if len(body) < MIN_COLUMN_LINES:
        return None
    left_edge = min(line[0][X0] for line in body)
    right_edge = max(line[-1][X1] for line in body)
    low = left_edge + MIDDLE[0] * (right_edge - left_edge)
    high = left_edge + MIDDLE[1] * (right_edge - left_edge)
    events: list[tuple[float, int]] = []
    for line in body:
        visible = _visible(line)
        for before, after in zip(visible, visible[1:]):
            if after[X0] - before[X1] > GUTTER_GAP * max(before[SIZE], after[SIZE]):
                start, end = max(before[X1], low), min(after[X0], high)
                if start < end:
                    events.append((start, 1))
                    events.append((end, -1))
    if not events:
        return None
    events.sort()
    best_count, best_x, count = 0, 0.0, 0
    for index, (x, step) in enumerate(events):
        count += step
        if count > best_count and index + 1 < len(events):
            best_count, best_x = count, (x + events[index + 1][0]) / 2
    if best_count < max(MIN_COLUMN_LINES, GUTTER_SHARE * len(body)):
        return None
    split = crossing = 0
    for line in body:
        left, right = _sides(line, best_x)
        if _crosses(left, right):
            crossing += 1
        else:
            split += 1
    return best_x if crossing <= CROSSING_SHARE * split else None


def _sides(line: list[tuple], gutter: float) -> tuple[list[tuple], list[tuple]]:
    left = [g for g in line if (g[X0] + g[X1]) / 2 < gutter]
    right = [g for g in line if (g[X0] + g[X1]) / 2 >= gutter]
    return left, right


def _crosses(left: list[tuple], right: list[tuple]) -> bool:
    """Text on both sides joined by no more than a word space: one full-width line."""
    a, b = _visible(left), _visible(right)
    if not a or not b:
        return False
    return b[0][X0] - a[-1][X1] <= GUTTER_GAP * max(a[-1][SIZE], b[0][SIZE])


def read_columns(lines: list[list[tuple]], is_body: list[bool],
                 page: int) -> tuple[list[list[tuple]], int]:
    """``lines`` in reading order and how many columns the page has (1 or 2).

    ``is_body`` says which lines are outside the running header and footer bands; those
    bands are never split. Raises DrillbookError (with the page) for three or more columns.
    """
    body = [line for line, inside in zip(lines, is_body) if inside]
    gutter = find_gutter(body)
    if gutter is None:
        return lines, 1
    ordered: list[list[tuple]] = []
    left_block: list[list[tuple]] = []
    right_block: list[list[tuple]] = []

    def flush() -> None:
        ordered.extend(left_block)
        ordered.extend(right_block)
        left_block.clear()
        right_block.clear()

    for line, inside in zip(lines, is_body):
        left, right = _sides(line, gutter)
        if not inside or _crosses(left, right):
            flush()
            ordered.append(line)
            continue
        if _visible(left):
            left_block.append(left)
        if _visible(right):
            right_block.append(right)
    flush()
    lefts = [line for line in ordered if line[-1][X1] <= gutter]
    rights = [line for line in ordered if line[0][X0] >= gutter]
    if find_gutter(lefts) is not None or find_gutter(rights) is not None:
        raise DrillbookError("the page is laid out in more than two columns, which drillbook "
                             "cannot read in order; build from a text extraction instead",
                             page=page)
    return ordered, 2


def is_unmapped(text: str) -> bool:
    """A glyph pdfminer could not map to text."""
    return text.startswith("(cid:") or text == "\ufffd"


def unmapped_glyphs(lines: list[list[tuple]]) -> int:
    """Unmapped glyphs that formed words (runs of ``UNMAPPED_RUN`` or more on a line)."""
    total = 0
    for line in lines:
        run = 0
        for glyph in line:
            text = glyph[TEXT]
            if is_unmapped(text):
                run += 1
                continue
            if text.isspace() and run == 0:
                continue
            if run >= UNMAPPED_RUN:
                total += run
            run = 0
        if run >= UNMAPPED_RUN:
            total += run
    return total
