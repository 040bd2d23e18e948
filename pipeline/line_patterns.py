"""What a line of the book looks like: the patterns the segmenter matches, each behind a
cheap test.

The segmenter asks several of these questions about nearly every line of a book, and
most lines are none of these things. Each ``is_…``/``…_match`` function first checks
something the pattern cannot match without (a word it spells out, the characters it must
start with) and runs the pattern only when that is there, so its answer is always the
pattern's own (``tests/test_line_patterns.py`` checks each test against its pattern).
The looser shapes follow: which lines may repeat the document's title (found for many
lines at once, ``tests/test_segment_fast_paths.py``), prose, and title-like lines.
"""
from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from .inline import plain_text
from .markup import clean_inline

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
# The characters inline cleaning and decoration stripping act on (besides white space).
MARKUP = re.compile(r"[\\\[*\x00]")


class Heading(NamedTuple):
    """A problem or point heading's number and title, as its pattern's groups."""

    number: str
    title: str


# The patterns' heads: what comes before the title (or the example's text). After a head,
# the patterns' lazy ".+?" or ".*?" ends where only white space and closing "**" (or
# "*", "_") are left; the regex engine finds that end one character at a time (a tenth
# of segmenting a book went there), string methods find it from the end in one step.
PROBLEM_HEAD = re.compile(
    r"\s*(?:[-*•]\s+)?(?:💡\s*)?(?:\*\*\s*)?Problem\s+(?P<number>\d+)\s*[:.]\s*")
_POINT_HEAD = re.compile(r"\s*(?:\*\*)?(?P<number>\d(?: ?\d)?)(?:[.)]|\s*[-–—:])?\s+")
_EXAMPLE_HEAD = re.compile(r"\s*[*_]?\s*Example\s*:\s*")


def _titled(text: str, head: re.Pattern[str], pattern: re.Pattern[str]) -> Heading | None:
    """``pattern``'s number and title, given ``head``, the pattern up to its title."""
    if "\n" not in text:  # "." stops at a newline and "$" can match before one
        found = head.match(text)
        if found is None:
            return None
        rest = text[found.end():]
        # The head ate the white space before the title, so the title starts at rest[0]:
        # then it runs up to the trailing "\s*(?:\*\*)?\s*". A title that would start with
        # "*" or be empty is left to the pattern (it may take the head's characters).
        if rest and rest[0] != "*":
            title = rest.rstrip()
            if title.endswith("**"):
                title = title[:-2].rstrip()
            return Heading(found["number"], title)
    match = pattern.match(text)
    return Heading(match["number"], match["title"]) if match else None


def problem_heading(text: str) -> Heading | None:
    """``PROBLEM_HEADING``'s groups: the pattern spells out "Problem"."""
    return _titled(text, PROBLEM_HEAD, PROBLEM_HEADING) if "Problem" in text else None


def point_heading(text: str) -> Heading | None:
    """``POINT_HEADING``'s groups: the pattern starts with white space, "**" or a digit."""
    first = text[:1]
    if first.isdecimal() or first == "*" or first.isspace():
        return _titled(text, _POINT_HEAD, POINT_HEADING)
    return None


def example_text(text: str) -> str | None:
    """``EXAMPLE``'s text group ("" is a match), or None: the pattern spells out "Example"."""
    if "Example" not in text:
        return None
    if "\n" in text:
        match = EXAMPLE.match(text)
        return match["text"] if match else None
    head = _EXAMPLE_HEAD.match(text)
    if head is None:
        return None
    # After the head, anything goes, up to a trailing "\s*[*_]?\s*".
    rest = text[head.end():].rstrip()
    if rest.endswith(("*", "_")):
        rest = rest[:-1].rstrip()
    return rest


def is_example(text: str) -> bool:
    """``EXAMPLE`` matches."""
    return example_text(text) is not None


def is_explanation_marker(text: str) -> bool:
    """``EXPLANATION_MARKER.match(text)``: the pattern needs the 👉 marker."""
    return "👉" in text and EXPLANATION_MARKER.match(text) is not None


def is_content(text: str) -> bool:
    """Neither blank nor ``\\n`` debris (which needs a backslash)."""
    return bool(text.strip()) and not ("\\" in text and DEBRIS.match(text))


def folded(text: str) -> str:
    """The text's ASCII characters after compatibility decomposition, lowercased: what
    ``normalize_title`` keeps of it, before it splits words."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return text.lower()


def may_repeat_title(texts: list[str], word: str, chunk: int = 4096) -> list[bool]:
    """For each line, whether it may repeat the document's title, whose first normalized
    word is ``word`` (every line, when there is none).

    Without markup, cleaning a line only turns its white space and decoration into single
    spaces, so a line that normalizes to the title has ``word`` unbroken among its folded
    ASCII letters. Lines are folded a chunk at a time (decomposition never makes or
    removes a newline, and none crosses one); a chunk whose lines hold a newline
    themselves is folded line by line.
    """
    if not word:
        return [True] * len(texts)
    found: list[bool] = []
    for start in range(0, len(texts), chunk):
        lines = texts[start:start + chunk]
        lowered = folded("\n".join(lines)).split("\n")
        if len(lowered) != len(lines):
            lowered = [folded(text) for text in lines]
        found.extend(word in low or MARKUP.search(text) is not None
                     for text, low in zip(lines, lowered))
    return found


def looks_like_prose(text: str) -> bool:
    """A sentence: several words ending in sentence punctuation (tags never do)."""
    cleaned = clean_inline(text)
    return len(cleaned.split()) >= 4 and cleaned.endswith(("!", ".", "?")) and cleaned[:1].isupper()


def looks_like_title(text: str) -> bool:
    """Short, capitalised, no sentence punctuation: how the book's headers look."""
    words = text.split()
    return (0 < len(words) <= 7 and text[:1].isupper() and not text.endswith((".", ":", "?"))
            and not is_example(text) and not point_heading(text))


# A gap where a wildcard stood ("user..email", "COUNT()", "users. ,", "/api/ to").
_WILDCARD_GAPS = (re.compile(r"(?<=\w\.)(?=\.\w)"),
                  re.compile(r"(?<=\bCOUNT\()(?=\))", re.IGNORECASE),
                  re.compile(r"(?<=\w\.) (?=,)"), re.compile(r"(?<=\w/)(?=\s)"))


def restore_lost_star(line: str, example: str) -> str | None:
    """The example with the one ``*`` the extraction lost put back, or None.

    An ``Example:`` line set in italics (``*Example: … /api/* … /static/* ….*``) whose
    opening ``*`` the extraction paired with the first ``*`` inside it, a wildcard, and
    dropped both: the line ends in a lone ``*`` and none opens it. Where the lost one stood
    shows as a gap a wildcard fills (``user..email``, ``COUNT()``, ``users. ,``,
    ``/api/ to``); it is put back only when exactly one such gap comes before the first
    ``*`` the line still has, so a line without that signature is left as it is. It is
    written ``\\*`` where the book's Markdown would read a bare one as emphasis."""
    line = line.strip()
    if not line.endswith("*") or line.endswith("**") or line.startswith(("*", "_")):
        return None
    end = example.find("*")
    before = example if end < 0 else example[:end]
    gaps = [match for pattern in _WILDCARD_GAPS for match in pattern.finditer(before)]
    if len(gaps) != 1:
        return None
    start, stop = gaps[0].span()
    bare, escaped = (example[:start] + star + example[stop:] for star in ("*", "\\*"))
    if example[:start].count("`") % 2 or plain_text(bare) == plain_text(escaped):
        return bare  # in a code span, or read as a star anyway: as a PDF page prints it
    return escaped


# The book's lead-in to a figure ("Here's how to oil the gears 👇") stands on a line
# of its own after the summary, which the segmenter leaves out (a problem's summary is its
# first line); an extraction sometimes runs it onto the summary's line.
_LEAD_IN = re.compile(r"(?<=[.!?])\s+Here(?:'s|’s| is) how\b[^.!?]*$")


def split_lead_in(summary: str) -> tuple[str, str]:
    """The summary without a lead-in run onto its end, and the lead-in ("" if none)."""
    found = _LEAD_IN.search(summary) if "how" in summary else None
    if found is None:
        return summary, ""
    return summary[:found.start()].rstrip(), summary[found.start():].strip()


# Where a typed value belongs in a question: a verb of entering it right before "in" or
# "into" ("A user enters in the search box"), the object the extraction tore out.
_TYPED_GAP = re.compile(r"\b(?:enter|enters|entered|type|types|typed|paste|pastes|pasted|"
                        r"submit|submits|submitted|input|inputs)\s+(?=(?:in|into)\b)",
                        re.IGNORECASE)
_LITERAL = re.compile(r"['\"=<>;]")


def put_back_torn(question: str, torn: str) -> str | None:
    """The question with a literal the extraction tore out of it (a string with quotes or
    an operator, such as an injection attempt) put back, as code, into the one gap where a
    typed value belongs; None when the text is no literal or the gap is not one place."""
    if "`" in torn or not _LITERAL.search(torn):
        return None
    gaps = list(_TYPED_GAP.finditer(question))
    if len(gaps) != 1:
        return None
    at = gaps[0].end()
    return f"{question[:at]}`{torn.strip()}` {question[at:]}"
