"""Lines too long to be a line of the book, blanked before the segmenter reads them.

The book's longest line is a few hundred characters. A much longer one is a minified file,
a binary blob that decoded, or an extraction that lost its line breaks: some markup
patterns backtrack quadratically on a multi-megabyte line of brackets, so no pattern may
see it. It is blanked with a warning naming its place, or, when it starts with a problem
heading (blanking it would file that problem's points under the one before), reported as
an error that stops the build.
"""
from __future__ import annotations

from typing import Sequence

from .line_patterns import PROBLEM_HEAD
from .models import Diagnostic, Line, TextLines, Where

# The book's longest line is a few hundred characters. Much longer lines (a minified file,
# a binary blob that decoded) are blanked before any pattern sees them: some markup
# patterns backtrack quadratically on a multi-megabyte line of brackets.
MAX_LINE_CHARS = 5000


# Checked on the start of an overlong line only, so it stays cheap on any line.
def overlong_note(line: Line) -> Diagnostic:
    where = Where(line.source, line.line, line.page)
    if PROBLEM_HEAD.match(line.text[:200]):
        # Blanking it would file its points under the previous problem without a word.
        return Diagnostic("error", "overlong-heading",
                          f"problem heading of {len(line.text):,} characters (longer than "
                          f"{MAX_LINE_CHARS:,}): the extraction probably lost the line breaks "
                          "after it; split the line", where)
    return Diagnostic("warning", "overlong-line",
                      f"line of {len(line.text):,} characters ignored (longer than "
                      f"{MAX_LINE_CHARS:,}: not a line of the book)", where)


def blank_overlong(lines: Sequence[Line]) -> tuple[Sequence[Line], list[Diagnostic]]:
    if isinstance(lines, TextLines):
        if max(map(len, lines.texts), default=0) <= MAX_LINE_CHARS:
            return lines, []  # nearly always: no record is made
        overlong = [lines[k] for k, text in enumerate(lines.texts) if len(text) > MAX_LINE_CHARS]
    else:
        overlong = [line for line in lines if len(line.text) > MAX_LINE_CHARS]
    notes = [overlong_note(line) for line in overlong]
    notes.sort(key=lambda note: note.severity != "error")  # the build stops on the first
    if not notes:
        return lines, notes
    if isinstance(lines, TextLines):
        return TextLines(["" if len(text) > MAX_LINE_CHARS else text for text in lines.texts],
                         lines.source), notes
    return [Line(text="", source=line.source, line=line.line, page=line.page)
            if len(line.text) > MAX_LINE_CHARS else line for line in lines], notes


__all__ = ["MAX_LINE_CHARS", "blank_overlong", "overlong_note"]
