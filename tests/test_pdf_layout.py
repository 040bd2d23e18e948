"""Document-level layout rules on hand-made segments: running text, joins, headings."""
from __future__ import annotations

from pipeline.readers.pdf_layout import drop_running_text, lines_from_segments
from pipeline.readers.pdf_page import PageText, Segment

WIDTH, HEIGHT = 600.0, 800.0
LEFT, RIGHT = 60.0, 540.0


def seg(text, baseline, page=1, x0=LEFT, x1=None, size=10.0, bold=False, first_word=None,
        color="#000000", **extra):
    """A segment whose right end is given, or estimated at half the size per character."""
    words = text.split()
    return Segment(page=page, top=baseline - size, bottom=baseline, baseline=baseline, x0=x0,
                   x1=x1 if x1 is not None else x0 + 0.5 * size * len(text), text=text,
                   size=size, bold=bold, color=color, font="Body",
                   first_word=first_word if first_word is not None else 0.5 * size * len(words[0]),
                   **extra)


def page(number, *segments):
    return PageText(number=number, width=WIDTH, height=HEIGHT, segments=list(segments),
                    chars=sum(len(s.text) for s in segments))


def texts(lines):
    return [line.text for line in lines]


def body_page(number, extra=()):
    """A page of wrapped body text, so the document has a body size and a wrap pitch."""
    return [seg("Filler text that runs all the way to the right margin of the", 100 + 14 * i,
                page=number, x1=RIGHT) for i in range(6)] + [
        seg("short end.", 184, page=number)] + list(extra)


def test_running_header_and_numbered_footer_go_but_body_text_stays():
    pages = []
    for number in range(1, 6):
        pages.append(page(number,
                          seg("My Book", 40, page=number, size=8, color="#888888"),
                          seg(f"Chapter {number}", 40, page=number, x0=480, size=8,
                              color="#888888"),
                          *body_page(number),
                          seg(f"Page {number} of 5", 770, page=number, x0=280, size=8)))
    kept = drop_running_text(pages)
    for segments in kept:
        assert [s.text for s in segments][:1] == ["Filler text that runs all the way to the "
                                                   "right margin of the"]
        assert not [s for s in segments if "My Book" in s.text or "Page" in s.text
                    or "Chapter" in s.text]


def test_text_that_repeats_on_few_pages_is_not_a_header():
    pages = [page(n, seg("Intro" if n <= 2 else ("Alpha", "Beta", "Gamma")[n - 3], 40, page=n),
                  *body_page(n))
             for n in range(1, 6)]
    kept = drop_running_text(pages)
    assert [s.text for s in kept[0]][0] == "Intro"


def test_two_pages_are_too_few_to_tell_a_header():
    pages = [page(n, seg("My Book", 40, page=n), *body_page(n)) for n in (1, 2)]
    assert [s.text for s in drop_running_text(pages)[1]][0] == "My Book"


def test_a_wrapped_paragraph_is_joined_and_the_next_paragraph_is_not():
    segments = body_page(1, [
        seg("A paragraph whose first line reaches the right margin and then", 220, x1=RIGHT - 3),
        seg("continues here.", 234, first_word=40),
        seg("A new paragraph starts after a larger gap.", 256),
    ])
    lines = lines_from_segments([segments], "s")
    assert texts(lines)[-2:] == ["A paragraph whose first line reaches the right margin and "
                                 "then continues here.",
                                 "A new paragraph starts after a larger gap."]


def test_a_short_line_ends_its_paragraph_even_at_the_usual_pitch():
    segments = body_page(1, [seg("Solution:", 220, bold=True),
                             seg("Summary line that follows directly.", 234)])
    assert texts(lines_from_segments([segments], "s"))[-2:] == [
        "Solution:", "Summary line that follows directly."]


def test_labels_and_markers_start_a_new_line_even_after_a_full_line():
    segments = body_page(1, [seg("An explanation that fills the line to the margin exactly",
                                 220, x1=RIGHT),
                             seg("Example: the next line is a label.", 234),
                             seg("Another explanation that fills the line to the margin", 248,
                                 x1=RIGHT),
                             seg("👉 a marker opens a new item.", 262)])
    assert texts(lines_from_segments([segments], "s"))[-4:] == [
        "An explanation that fills the line to the margin exactly",
        "Example: the next line is a label.",
        "Another explanation that fills the line to the margin",
        "👉 a marker opens a new item."]


def test_a_code_span_and_a_link_broken_by_a_wrap_are_one_span_again():
    segments = body_page(1, [seg("Example: run `SELECT *", 220, x1=RIGHT),
                             seg("FROM orders` nightly.", 234, first_word=60),
                             seg("See [the operations", 256, x1=RIGHT),
                             seg("guide](#) first.", 270, first_word=30)])
    assert texts(lines_from_segments([segments], "s"))[-2:] == [
        "Example: run `SELECT * FROM orders` nightly.",
        "See [the operations guide](#) first."]


def test_a_paragraph_continues_across_a_page_break():
    first = body_page(1, [seg("Example: this sentence runs to the bottom of the page and",
                              700, x1=RIGHT)])
    second = [seg("ends on the next page.", 100, page=2, first_word=30), *body_page(2)[1:]]
    lines = lines_from_segments([first, second], "s")
    joined = [line for line in lines if line.text.startswith("Example:")]
    assert joined[0].text == ("Example: this sentence runs to the bottom of the page and ends "
                              "on the next page.")
    assert joined[0].page == 1


def test_a_wrapped_heading_is_joined_but_not_with_the_next_heading():
    segments = body_page(1, [
        seg("💡 Problem 7: A Rather Long Problem Title That Goes", 220, size=14, bold=True,
            x1=520),
        seg("Onto a Second Line", 238, size=14, bold=True),
        seg("💡 Problem 8: The Next One", 256, size=14, bold=True),
        seg("Part Two", 300, size=14, bold=True),
        seg("Its First Section", 318, size=14, bold=True),  # close below, but not a wrap
    ])
    assert texts(lines_from_segments([segments], "s"))[-4:] == [
        "💡 Problem 7: A Rather Long Problem Title That Goes Onto a Second Line",
        "💡 Problem 8: The Next One", "Part Two", "Its First Section"]


def test_a_centred_heading_wraps_short_of_the_margin():
    segments = body_page(1, [
        seg("A Centred Chapter Title That Wraps", 220, size=18, bold=True, x0=150, x1=450),
        seg("Onto Two Lines", 242, size=18, bold=True, x0=237, x1=363),
    ])
    assert texts(lines_from_segments([segments], "s"))[-1] == (
        "A Centred Chapter Title That Wraps Onto Two Lines")


def test_question_box_lines_become_one_labelled_line():
    segments = body_page(1, [
        seg("INTERVIEWER: a question long enough to wrap inside its", 220, x1=500, box=0,
            box_kind="question"),
        seg("box.", 234, box=0, box_kind="question"),
        seg("Solution:", 256, bold=True),
    ])
    lines = lines_from_segments([segments], "s")
    assert lines[-2].text == "Question: INTERVIEWER: a question long enough to wrap inside its box."
    assert lines[-2].style.box == "question"
    assert lines[-1].text == "Solution:" and lines[-1].style.box is None


def test_a_pill_row_is_never_joined_and_keeps_its_pills():
    segments = body_page(1, [
        seg("Example: a full line of example text that goes to the margin", 220, x1=RIGHT),
        seg("Alpha tag Beta", 236, size=8, pills=("Alpha tag", "Beta")),
        seg("Gamma", 252, size=8, pills=("Gamma",)),
    ])
    lines = lines_from_segments([segments], "s")
    assert [(line.text, line.style.pills) for line in lines[-2:]] == [
        ("Alpha tag Beta", ("Alpha tag", "Beta")), ("Gamma", ("Gamma",))]


def test_a_labelled_paragraph_wraps_under_its_text_past_the_label():
    # "Example:" ends at x 110; its text starts at 115, and the wrap starts there too, in
    # italics at a tighter pitch than the body's 14
    segments = body_page(1, [
        seg("Example: an example long enough to reach the right margin of", 220, x1=RIGHT,
            word_starts=(LEFT, 115.0, 130.0, 200.0)),
        seg("the page, wrapped under its first word.", 232, x0=115.0, first_word=20),
        seg("Far indented line that stands apart.", 244, x0=300.0),
    ])
    lines = lines_from_segments([segments], "s")
    assert texts(lines)[-2:] == [
        "Example: an example long enough to reach the right margin of the page, wrapped "
        "under its first word.", "Far indented line that stands apart."]


def test_a_wrap_under_no_word_of_the_line_above_is_not_joined():
    segments = body_page(1, [
        seg("Example: an example long enough to reach the right margin of", 220, x1=RIGHT,
            word_starts=(LEFT, 115.0, 130.0, 200.0)),
        seg("a block set in by itself.", 234, x0=160.0, first_word=20),
    ])
    assert texts(lines_from_segments([segments], "s"))[-1] == "a block set in by itself."
