"""The sample book as PDF builds the same corpus as its text extraction, in two layouts.

raw/sample/sample-ebook.pdf (default layout), tests/fixtures/pdf/alt-style-sample.pdf (other
fonts, sizes, colours and page size, square pills, a table-drawn question box, justified
text) and tests/fixtures/pdf/hanging-indent-sample.pdf (examples in italics with a hanging
indent past their bold label at a tighter line pitch, a "Tags:" label beside the pills)
are rendered from raw/sample/sample-ebook.txt by scripts/render_sample_pdf.py. Their
pills print the tags a human split by hand (tests/fixtures/sample_expected.json), so the
PDF's tags are checked against that file, not against anything the reader produced.
"""
from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, ROOT

from pipeline.build import SourceInput, build_corpus
from pipeline.config import Config
from pipeline.readers.pdf import read_pdf_lines
from pipeline.readers.text import read_text_lines
from pipeline.segment import segment

SAMPLE_TEXT = ROOT / "raw" / "sample" / "sample-ebook.txt"
PDFS = {"default": ROOT / "raw" / "sample" / "sample-ebook.pdf",
        "alt": FIXTURES / "pdf" / "alt-style-sample.pdf",
        "hanging": FIXTURES / "pdf" / "hanging-indent-sample.pdf"}
EXPECTED = json.loads((FIXTURES / "sample_expected.json").read_text("utf-8"))


def problem_content(problem):
    """Everything a problem holds except where it was found and its tags."""
    return (problem.number, problem.title, problem.topic, problem.question, problem.summary,
            tuple((p.number, p.title, p.explanation, p.example) for p in problem.points))


@pytest.fixture(scope="module")
def text_segmented():
    return segment(read_text_lines(SAMPLE_TEXT, "text"))[0]


@pytest.fixture(scope="module", params=sorted(PDFS))
def pdf_layout(request):
    path = PDFS[request.param]
    lines = read_pdf_lines(path, "pdf", workers=1, progress=False)
    return request.param, path, lines, segment(lines)


def test_segmented_pdf_equals_segmented_text(pdf_layout, text_segmented):
    _, _, _, (segmented, notes) = pdf_layout
    assert [(t.title, t.declared_problems) for t in segmented.topics] == [
        (t["title"], t["declared_problems"]) for t in EXPECTED["topics"]]
    assert len(segmented.problems) == len(EXPECTED["headings"]) == 24
    assert [problem_content(p) for p in segmented.problems] == [
        problem_content(p) for p in text_segmented.problems]
    # Running headers are gone, so the PDF has none of the text's stray-header notes.
    assert not [n for n in notes if n.severity != "info"]


def test_pdf_problems_match_the_hand_written_reading(pdf_layout):
    _, _, _, (segmented, _) = pdf_layout
    expected = {p["title"]: p for p in EXPECTED["distinct_problems"]}
    for problem in segmented.problems:
        want = expected[problem.title]
        assert problem.question == want["question"]
        assert problem.summary == want["summary"]
        assert [(p.title, p.explanation, p.example) for p in problem.points] == [
            (p["title"], p["explanation"], p["example"]) for p in want["points"]]


def test_pdf_tags_are_exactly_the_pills(pdf_layout):
    _, _, _, (segmented, _) = pdf_layout
    expected = {p["title"]: p for p in EXPECTED["distinct_problems"]}
    for problem in segmented.problems:
        for point, want in zip(problem.points, expected[problem.title]["points"], strict=True):
            assert [t.text for t in point.raw_tags] == want["tags"], (problem.title, point.title)
            assert {t.layout for t in point.raw_tags} <= {"pill"}


def test_pdf_and_text_build_the_same_corpus(pdf_layout):
    _, path, _, _ = pdf_layout
    from_text = build_corpus([SourceInput(SAMPLE_TEXT, "raw/sample/sample-ebook.txt")], Config())
    from_pdf = build_corpus([SourceInput(path, path.name)], Config())
    assert from_pdf.corpus.topics == from_text.corpus.topics
    assert [(p.id, problem_content(p)) for p in from_pdf.corpus.problems] == [
        (p.id, problem_content(p)) for p in from_text.corpus.problems]
    assert len(from_pdf.corpus.problems) == len(EXPECTED["distinct_problems"]) == 21
    assert [len(p.occurrences) for p in from_pdf.corpus.problems] == [
        len(p.occurrences) for p in from_text.corpus.problems]
    assert all(o.page is not None and o.line is None
               for p in from_pdf.corpus.problems for o in p.occurrences)


def test_another_producer_reads_the_same(text_segmented):
    """The first topic through HTML and CSS (WeasyPrint): borders drawn as filled rings, an
    "n / m" footer, no emoji at all. Same problems, same pills."""
    path = FIXTURES / "pdf" / "weasyprint-first-topic.pdf"
    lines = read_pdf_lines(path, "weasy", workers=1, progress=False)
    segmented, _ = segment(lines)
    assert [p.title for p in segmented.problems] == [h["title"] for h in EXPECTED["headings"][:3]]
    assert [problem_content(p) for p in segmented.problems] == [
        problem_content(p) for p in text_segmented.problems[:3]]
    expected = {p["title"]: p for p in EXPECTED["distinct_problems"]}
    for problem in segmented.problems:
        assert [[t.text for t in point.raw_tags] for point in problem.points] == [
            point["tags"] for point in expected[problem.title]["points"]]
    assert sum(1 for line in lines if line.style.box == "question") == 3


def test_the_hanging_layout_really_hangs_italicises_and_tightens():
    """The fixture holds what it claims: example wraps start past the bold label, in an
    italic font, closer together than the body's wrapped lines."""
    import pdfplumber

    example_steps, body_steps, indents = [], [], set()
    with pdfplumber.open(PDFS["hanging"]) as pdf:
        for page in pdf.pages[2:12]:
            rows: list[list[dict]] = []
            for word in sorted(page.extract_words(extra_attrs=["fontname"]),
                               key=lambda w: (w["top"], w["x0"])):
                if rows and abs(word["top"] - rows[-1][0]["top"]) < 2:
                    rows[-1].append(word)
                else:
                    rows.append([word])
            right = max(w["x1"] for row in rows for w in row)
            for above, below in zip(rows, rows[1:]):
                step = below[0]["top"] - above[0]["top"]
                first, label = below[0], above[0]
                if label["text"] == "Example:" and "Italic" in first["fontname"]:
                    assert "Bold" in label["fontname"]
                    assert first["x0"] > label["x1"]  # under the text, past the label
                    indents.add(round(first["x0"]))
                    example_steps.append(step)
                elif (all(w["fontname"].endswith(("DejaVuSerif", "Emoji")) for w in above + below)
                      and max(w["x1"] for w in above) > right - 15):
                    body_steps.append(step)  # a wrapped line of upright body text
    assert example_steps and body_steps
    assert len(indents) == 1  # every example wraps at the same hanging indent
    assert max(example_steps) < min(body_steps)  # and closer than the body wraps
