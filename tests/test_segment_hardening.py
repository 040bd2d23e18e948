"""Nothing lost without a word: structure the segmenter used to drop or misfile silently."""
from __future__ import annotations


from conftest import ROOT

from pipeline.readers.text import lines_of_text, read_text_lines
from pipeline.segment import MAX_LINE_CHARS, segment

FIXTURES = ROOT / "tests" / "fixtures" / "text"


def test_a_topic_listed_twice_files_both_sections_under_it():
    segmented, notes = segment(read_text_lines(FIXTURES / "duplicate-toc-topic.txt", "dup"))
    assert [(t.id, t.order, t.declared_problems) for t in segmented.topics] == [
        ("alpha-topics", 1, 2), ("beta-topics", 2, 1)]
    assert [(p.title, p.topic) for p in segmented.problems] == [
        ("First Alpha Problem", "alpha-topics"), ("Beta Problem", "beta-topics"),
        ("Second Alpha Problem", "alpha-topics")]
    duplicate = [n for n in notes if n.code == "duplicate-topic"]
    assert len(duplicate) == 1 and duplicate[0].severity == "warning"
    assert duplicate[0].where.line == 5  # the second entry of the table of contents


def test_a_running_header_inside_the_second_section_of_a_duplicate_stays_a_header():
    text = (FIXTURES / "duplicate-toc-topic.txt").read_text("utf-8")
    text = text.replace("Summary.\n", "Summary.\n\n\nAlpha Topics\n\n1 Extra Point\n- 👉 Why.\n"
                        "Example: e.\ntag four\n", 1)
    segmented, notes = segment(lines_of_text(text, "dup"))
    assert [p.topic for p in segmented.problems] == ["alpha-topics", "beta-topics", "alpha-topics"]
    assert len(segmented.problems[2].points) == 2


def test_an_overlong_problem_heading_stops_the_build_at_its_line():
    text = (FIXTURES / "duplicate-toc-topic.txt").read_text("utf-8")
    long_title = "Beta Problem " + "with many words " * (MAX_LINE_CHARS // 10)
    segmented, notes = segment(lines_of_text(text.replace("Beta Problem", long_title), "dup"))
    errors = [n for n in notes if n.severity == "error"]
    assert errors and errors[0].code == "overlong-heading"
    assert errors[0].where.line == 24


def test_an_overlong_plain_line_is_still_only_a_warning():
    text = (FIXTURES / "duplicate-toc-topic.txt").read_text("utf-8")
    text = text.replace("Summary line.", "Summary line. " + "x" * (MAX_LINE_CHARS + 1), 1)
    segmented, notes = segment(lines_of_text(text, "dup"))
    assert [n.code for n in notes if n.severity != "info"][:1] == ["overlong-line"]
    assert len(segmented.problems) == 3
