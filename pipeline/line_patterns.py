"""What a line of the book looks like: the patterns the segmenter matches, each behind a
cheap test.

The segmenter asks several of these questions about nearly every line of a book, and
most lines are none of these things. Each ``is_…``/``…_match`` function first checks
something the pattern cannot match without (a word it spells out, the characters it must
start with) and runs the pattern only when that is there, so its answer is always the
pattern's own (``tests/test_line_patterns.py`` checks each test against its pattern).
"""
from __future__ import annotations

import re

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


def problem_heading(text: str) -> re.Match[str] | None:
    """``PROBLEM_HEADING.match(text)``: the pattern spells out "Problem"."""
    return PROBLEM_HEADING.match(text) if "Problem" in text else None


def point_heading(text: str) -> re.Match[str] | None:
    """``POINT_HEADING.match(text)``: the pattern starts with white space, "**" or a digit."""
    first = text[:1]
    if first.isdecimal() or first == "*" or first.isspace():
        return POINT_HEADING.match(text)
    return None


def example_line(text: str) -> re.Match[str] | None:
    """``EXAMPLE.match(text)``: the pattern spells out "Example"."""
    return EXAMPLE.match(text) if "Example" in text else None


def is_explanation_marker(text: str) -> bool:
    """``EXPLANATION_MARKER.match(text)``: the pattern needs the 👉 marker."""
    return "👉" in text and EXPLANATION_MARKER.match(text) is not None


def is_content(text: str) -> bool:
    """Neither blank nor ``\\n`` debris (which needs a backslash)."""
    return bool(text.strip()) and not ("\\" in text and DEBRIS.match(text))
