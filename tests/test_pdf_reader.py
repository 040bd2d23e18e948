"""The PDF reader's Line records: text shaped like the text extraction, pages, style hints."""
from __future__ import annotations

import pytest
from conftest import FIXTURES, ROOT

from pipeline.readers import reader_for
from pipeline.readers.pdf import read_pdf_lines

SAMPLE_PDF = ROOT / "raw" / "sample" / "sample-ebook.pdf"
ALT_PDF = FIXTURES / "pdf" / "alt-style-sample.pdf"
BROKEN_EMOJI = FIXTURES / "pdf" / "emoji-broken-tounicode.pdf"


@pytest.fixture(scope="module")
def sample_lines():
    return read_pdf_lines(SAMPLE_PDF, "sample", workers=1, progress=False)


@pytest.fixture(scope="module")
def alt_lines():
    return read_pdf_lines(ALT_PDF, "alt", workers=1, progress=False)


def line_with(lines, text):
    found = [line for line in lines if line.text == text]
    assert found, f"no line {text!r}"
    return found[0]


def test_pdf_files_go_to_this_reader():
    assert reader_for(SAMPLE_PDF).format == "pdf"


def test_lines_carry_source_and_page_not_line_numbers(sample_lines):
    assert sample_lines[0].text == "Server-Side Drill Book"
    assert all(line.source == "sample" and line.line is None for line in sample_lines)
    pages = [line.page for line in sample_lines]
    assert pages == sorted(pages) and pages[0] == 1
    assert all(line.text == line.text.strip() and line.text for line in sample_lines)


def test_running_headers_and_page_footers_are_dropped(sample_lines, alt_lines):
    for lines in (sample_lines, alt_lines):
        texts = [line.text for line in lines]
        # The book title heads every page after the first; only the title page's copy stays.
        assert texts.count("Server-Side Drill Book") == 1
        assert not [t for t in texts if t.startswith("Page ") or t.startswith("— ")]
        # Topic names print in the header's right-hand side too; only the section heading
        # stays ("Request Routing", or "Topic 1: Request Routing" in the alt layout).
        assert texts.count("Request Routing") + texts.count("Topic 1: Request Routing") == 1


def test_problem_heading_is_larger_and_bold(sample_lines):
    heading = line_with(sample_lines, "💡 Problem 3: Draining a Node Before Deploy")
    body = line_with(sample_lines, "Stop new work first, let old work finish, then restart.")
    assert heading.style.bold and not body.style.bold
    assert heading.style.size > body.style.size
    assert heading.page == 4


def test_question_box_is_one_line_with_the_labels(sample_lines, alt_lines):
    text = ("Question: INTERVIEWER: A request passes through four services before it answers. "
            "How do you choose the timeout for each hop?")
    for lines in (sample_lines, alt_lines):
        line = line_with(lines, text)
        assert line.style.box == "question"
    questions = [line for line in sample_lines if line.style.box == "question"]
    assert len(questions) == 24  # one per printed problem heading


def test_pill_rows_are_one_line_with_each_pill(sample_lines, alt_lines):
    for lines in (sample_lines, alt_lines):
        row = line_with(lines, "Round robin NGINX upstream equal weights")
        assert row.style.pills == ("Round robin", "NGINX upstream", "equal weights")
        single = line_with(lines, "HTTP keep-alive")
        assert single.style.pills == ("HTTP keep-alive",)
    # Only pill rows have pills: the point heading's number badge is not a pill.
    heading = line_with(sample_lines, "1 Round Robin for Identical Servers")
    assert heading.style.pills is None


def test_code_in_monospace_comes_back_in_backticks(sample_lines, alt_lines):
    text = "Example: `GET /ready` starts returning 503 while `GET /live` stays at 200."
    for lines in (sample_lines, alt_lines):
        assert line_with(lines, text)


def test_wrapped_lines_are_joined(alt_lines):
    # In the narrow alt layout this example wraps twice, once inside a code span.
    assert line_with(alt_lines, "Example: A counter `http_requests_total{status=\"200\"}` "
                                "replaces millions of lines.")
    # Separate paragraphs stay separate even when the first ends near the margin.
    assert line_with(alt_lines, "Nothing here is taken from a real book. Copy it freely for "
                                "tests, demos and bug reports.")
    assert line_with(alt_lines, "What this booklet is:")


def test_contents_links_read_as_links(sample_lines):
    assert line_with(sample_lines, "[Search Indexes (Inverted)](#) - 2 problems")


def test_colours_are_normalised_hex(sample_lines, alt_lines):
    heading = line_with(sample_lines, "💡 Problem 1: Picking a Load Balancing Algorithm")
    assert heading.style.color == "#7a2e8c"  # the renderer's RGB heading colour
    pills = line_with(alt_lines, "Round robin NGINX upstream equal weights")
    assert pills.style.color == "#000000"  # CMYK (0, 0, 0, 1) in the alt layout
    body = line_with(alt_lines, "Solution:")
    assert body.style.color == "#1a1a1a"  # CMYK (0, 0, 0, 0.9): 10% of 255 is 25.5


def test_astral_emoji_with_a_broken_unicode_map_are_dropped():
    """reportlab's unpatched ToUnicode map turns 💡 and 👉 into Greek letters."""
    lines = read_pdf_lines(BROKEN_EMOJI, "broken", workers=1, progress=False)
    texts = [line.text for line in lines]
    assert "Problem 1: Picking a Load Balancing Algorithm" in texts
    assert "Send each new request to the next server in a fixed rotation." in texts
    assert not [t for t in texts if any("\u0370" <= c <= "\u03ff" or "\u1f00" <= c <= "\u1fff"
                                        for c in t)]


def test_nul_from_an_unmapped_glyph_is_dropped(alt_lines):
    # The alt layout's ⚖ comes out as NUL (reportlab maps it to code 0); the line survives.
    assert line_with(alt_lines, "Here's how to pick one")
    assert not [line for line in alt_lines if "\x00" in line.text or "\ufe0f" in line.text]


def test_a_pool_of_workers_reads_the_same_lines(alt_lines):
    pooled = read_pdf_lines(ALT_PDF, "alt", workers=2, progress=False)
    assert pooled == alt_lines


def test_progress_bar_only_when_asked_or_on_a_terminal(capsys):
    read_pdf_lines(BROKEN_EMOJI, "b", workers=1, progress=True)
    shown = capsys.readouterr()
    assert "reading emoji-broken-tounicode.pdf" in shown.err and shown.out == ""
    read_pdf_lines(BROKEN_EMOJI, "b", workers=1)  # stderr is not a terminal under pytest
    assert capsys.readouterr().err == ""
