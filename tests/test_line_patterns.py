"""The segmenter's fast line tests give exactly the answers of the patterns they stand for.

Each fast test in ``pipeline/line_patterns.py`` (and ``toc.topic_heading``) skips its
pattern when a cheap check says it cannot match, or finds the title's end with string
methods instead of the regex engine. Here each is compared with its pattern on invented
lines made of the characters the patterns care about (white space of several kinds,
markers, digits, the words they spell out, newlines) and on arbitrary text.
"""
from __future__ import annotations

import os

import pytest

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline import line_patterns as patterns
from pipeline.markup import _split_marked, split_tag_line
from pipeline.toc import TOPIC_HEADING, topic_heading

PIECES = ["Problem", "Problem ", "Example", "Example:", "Topic", "Topic 3: ", "👉", "💡", "- ",
          "* ", "• ", "**", "*", "_", ":", ".", ")", "-", "–", " ", "  ", "\t", "\u00a0",
          "\u2003", "\n", "\r", "1", "2", "12", "1 2", "٣", "x", "Title", " Words here ",
          "\\n", "Problemo", "problem", "EXAMPLE"]
LINES = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    st.text(max_size=40),
    st.tuples(st.lists(st.sampled_from(PIECES), max_size=5).map("".join), st.text(max_size=8),
              st.lists(st.sampled_from(PIECES), max_size=5).map("".join)).map("".join))
# DRILLBOOK_PATTERN_EXAMPLES=50000 for a long hunt.
MANY = settings(max_examples=int(os.environ.get("DRILLBOOK_PATTERN_EXAMPLES", "600")),
                deadline=None)


def groups(match, *names):
    return None if match is None else tuple(match[name] for name in names)


def same_as_patterns(text: str) -> None:
    problem = patterns.problem_heading(text)
    assert (None if problem is None else tuple(problem)) == groups(
        patterns.PROBLEM_HEADING.match(text), "number", "title")
    point = patterns.point_heading(text)
    assert (None if point is None else tuple(point)) == groups(
        patterns.POINT_HEADING.match(text), "number", "title")
    example = patterns.EXAMPLE.match(text)
    assert patterns.example_text(text) == (None if example is None else example["text"])
    assert patterns.is_example(text) == (example is not None)
    assert patterns.is_explanation_marker(text) == bool(patterns.EXPLANATION_MARKER.match(text))
    assert groups(topic_heading(text), "number", "title") == groups(
        TOPIC_HEADING.match(text), "number", "title")
    assert patterns.is_content(text) == bool(text.strip() and not patterns.DEBRIS.match(text))


@MANY
@given(LINES)
def test_fast_tests_are_the_patterns(text):
    same_as_patterns(text)


def test_edge_cases_the_fast_paths_hand_to_the_patterns():
    # Titles that start with "*", are empty, or lines with a newline: the pattern decides.
    for text in ["Problem 1: **", "Problem 1: ", "Problem 1:**Bold**", "1 2", "1 **", "1  2 ",
                 "Problem 2: Title\n", "Example:\n", "Example: a *\n", "** 1 Title **",
                 "Example: *", "Example:  _x_ ", "\u2003Problem 7. Spaced\u00a0**\u00a0",
                 "1 2 3 Title", "12. Title ** **", "Problem 3: ***", "  \\n \\n "]:
        same_as_patterns(text)
    assert patterns.problem_heading("- 💡 Problem 12: Sharding Keys **") == ("12", "Sharding Keys")
    assert patterns.point_heading("1 1 Eleventh Point") == ("1 1", "Eleventh Point")
    assert patterns.point_heading("1 2") == ("1", "2")
    assert patterns.example_text("*Example: a cache hit*") == "a cache hit"
    assert patterns.example_text("Example:") == ""


TAG_TEXT = st.one_of(st.text(max_size=40),
                     st.lists(st.sampled_from(["Redis", " ", "  ", "*", "_", ",", ";", "💡",
                                               "\u00a0", "\t", "x", "Kafka Streams"]),
                              max_size=12).map("".join))


@MANY
@given(TAG_TEXT)
def test_tag_lines_without_marks_split_as_marked_ones(text):
    # split_tag_line answers a line with no "[", "`" or "**" without the mark pattern.
    assume("\\" not in text and "[" not in text and "`" not in text and "**" not in text)
    assert split_tag_line(text) == _split_marked(text)


@pytest.mark.parametrize("line, restored", [
    # The italics' opening "*" went with the first wildcard inside the line.
    ("Example: Serve /img/ from the bucket and /js/* from the CDN.*",
     "Serve /img/* from the bucket and /js/* from the CDN."),
    # Escaped only where a bare star would pair with the next one as emphasis.
    ("Example: Bind the queue to \"audit..created\" and \"audit.user.*\".*",
     "Bind the queue to \"audit.\\*.created\" and \"audit.user.*\"."),
    ("Example: `SELECT t. , u.* FROM t JOIN u` reads both tables.*",
     "`SELECT t.*, u.* FROM t JOIN u` reads both tables."),
    ("Example: A SUM() over the day is cached.*", None),  # COUNT(*) has a star, SUM(x) not
    ("Example: A COUNT() over the day is cached.*", "A COUNT(*) over the day is cached."),
    # No lost star: italics intact, a bold line, no lone star at the end, two gaps.
    ("*Example: Serve /img/* from the bucket.*", None),
    ("Example: *Serve /img/ from the bucket.*", None),
    ("Example: Serve /img/ from the bucket.**", None),
    ("Example: Serve /img/ from the bucket.", None),
    ("Example: Serve /img/ and /js/ from the bucket.*", None),
    ("Example: Serve images, styles etc., from the bucket.*", None),  # an abbreviation's dot
])
def test_a_wildcard_the_italics_swallowed_is_put_back(line, restored):
    assert patterns.restore_lost_star(line, patterns.example_text(line)) == restored
