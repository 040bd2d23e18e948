"""Render the sample ebook as a styled PDF (and the PDF reader's test fixtures).

    python scripts/render_sample_pdf.py  # raw/sample/sample-ebook.pdf + tests/fixtures/pdf/*

The book is rendered from what the segmenter reads in raw/sample/sample-ebook.txt (every heading
occurrence, repeats included, in order); each point's tag pills are the hand-split tags of
tests/fixtures/sample_expected.json, because the text extraction lost many pill
boundaries. Two themes (scripts/sample_pdf_layout.py) lay the same book out differently
(fonts, sizes, colours, page size, round pills vs plain rectangles, one-path vs
table-drawn question box) so the reader can be checked against both. Output is
deterministic (reportlab invariant mode, fixed font timestamps).
"""
from __future__ import annotations

import argparse
import io
import json
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reportlab import rl_config  # noqa: E402
from reportlab.lib.pagesizes import A5  # noqa: E402

import sample_pdf_layout as layout  # noqa: E402,F401  (tests reach the layout module through here)
from sample_pdf_layout import (ALT, DEFAULT, THEMES, BookSpec, PointSpec,  # noqa: E402,F401
                               ProblemSpec, TopicSpec, render_pdf)

SAMPLE_TEXT = ROOT / "raw" / "sample" / "sample-ebook.txt"
SAMPLE_PILLS = ROOT / "tests" / "fixtures" / "sample_expected.json"
SAMPLE_PDF = ROOT / "raw" / "sample" / "sample-ebook.pdf"
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"


def _printed(text: str) -> str:
    """The book's Markdown as the page prints it: a backslash escape (``COUNT(\\*)``, a
    wildcard the segmenter put back) is its character; code spans keep their backticks."""
    pieces = re.split(r"(`[^`]+`)", text)
    return "".join(piece if piece.startswith("`") else re.sub(r"\\([^\w\s])", r"\1", piece)
                   for piece in pieces)


def book_from_text(text_path: Path = SAMPLE_TEXT,
                   pills_path: Path | None = SAMPLE_PILLS) -> BookSpec:
    """The book as the segmenter reads a text extraction; pills from a hand-split file."""
    from pipeline.markup import clean_inline
    from pipeline.readers.text import read_text_lines
    from pipeline.segment import segment

    lines = read_text_lines(text_path, "sample")
    segmented, _ = segment(lines)
    tags_by_heading: dict[int, list[list[str]]] = {}
    if pills_path is not None and pills_path.is_file():
        for problem in json.loads(pills_path.read_text("utf-8"))["distinct_problems"]:
            for line in problem["heading_lines"]:
                tags_by_heading[line] = [point["tags"] for point in problem["points"]]
    topics = [TopicSpec(t.title, t.declared_problems) for t in segmented.topics]
    by_id = {t.id: spec for t, spec in zip(segmented.topics, topics)}
    texts = [line.text for line in lines]
    for problem in segmented.problems:
        heading = problem.occurrences[0].line or 0
        hand_tags = tags_by_heading.get(heading)
        points = []
        for index, point in enumerate(problem.points):
            pills = (tuple(hand_tags[index]) if hand_tags and index < len(hand_tags)
                     else tuple(raw.text for raw in point.raw_tags))
            points.append(PointSpec(point.number, point.title, _printed(point.explanation),
                                    _printed(point.example), pills))
        first_point = problem.points[0].where.line if problem.points else heading
        extra = _summary_extra(texts, heading, first_point or heading, problem.summary,
                               clean_inline)
        by_id[problem.topic].problems.append(ProblemSpec(
            problem.number, problem.title, problem.question, problem.summary, extra,
            tuple(points)))
    toc_line = next(i for i, t in enumerate(texts) if t.strip() == "Table of Contents")
    front = tuple(t.strip() for t in texts[:toc_line] if t.strip())
    return BookSpec(title=front[0], front=front[1:], topics=topics)


def _summary_extra(texts: Sequence[str], start: int, end: int, summary: str,
                   clean) -> tuple[str, ...]:
    after = False
    extra = []
    for text in texts[start:end - 1]:
        if after and text.strip():
            extra.append(text.strip())
        if summary and clean(text) == summary:
            after = True
    return tuple(extra)


def small_book(book: BookSpec, problems: int = 2) -> BookSpec:
    """The first topic with its first few problems: for small fixtures."""
    first = book.topics[0]
    return replace(book, front=book.front[:2],
                   topics=[replace(first, problems=first.problems[:problems])])


# ----- the fixtures ------------------------------------------------------------------------
def hanging_pdf(book: BookSpec) -> bytes:
    """The whole sample with hanging-indent, italic examples at a tighter pitch and a
    "Tags:" label beside the pills (scripts/sample_pdf_hanging.py)."""
    from sample_pdf_hanging import HANGING, HangingRenderer

    return render_pdf(book, HANGING, renderer_class=HangingRenderer)


def encrypted_pdf(book: BookSpec) -> bytes:
    """A sample page that needs a password to open."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    rl_config.invariant = 1
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A5, invariant=1,
                         encrypt=StandardEncryption("reader-secret", ownerPassword="owner-secret",
                                                    strength=128))
    page.setFont("Helvetica-Bold", 14)
    page.drawString(40, 500, f"Problem 1: {book.topics[0].problems[0].title}")
    page.save()
    return out.getvalue()


def scanned_pdf() -> bytes:
    """Two pages that are only pictures of text: no text layer at all."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image, ImageDraw

    rl_config.invariant = 1
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A5, invariant=1)
    for _ in range(2):  # two identical scanned pages
        image = Image.new("L", (300, 120), 255)
        draw = ImageDraw.Draw(image)
        for row in range(6):  # grey bars where scanned lines of text would be
            draw.rectangle((10, 10 + row * 18, 280 - row * 25, 20 + row * 18), fill=60)
        page.drawImage(ImageReader(image), 40, 300, width=300, height=120)
        page.showPage()
    page.save()
    return out.getvalue()


WEASYPRINT_CSS = """
@page { size: 160mm 230mm; margin: 22mm 16mm 20mm 18mm;
  @top-left { content: "BOOK"; font: 8pt "DejaVu Sans"; color: #777 }
  @top-right { content: string(topic); font: 8pt "DejaVu Sans"; color: #777 }
  @bottom-right { content: counter(page) " / " counter(pages); font: 8pt "DejaVu Sans";
                  color: #777 } }
body { font: 10.5pt/1.45 "DejaVu Serif"; color: #202020 }
h1 { font: bold 19pt "DejaVu Sans"; color: #114477; string-set: topic content() }
h1.book { string-set: none; font-size: 24pt }
h2 { font: bold 13.5pt "DejaVu Sans"; color: #883311; margin: 16px 0 6px }
h3 { font: bold 10.5pt "DejaVu Sans"; margin: 10px 0 2px }
p { margin: 0 0 5px }
.question { background: #f3f0ff; border: 1.5px solid #5b4a9e; border-radius: 5px; padding: 6px 9px }
.pill { display: inline-block; background: #e0f0e8; color: #124; font: 8.5pt "DejaVu Sans";
        border-radius: 9px; padding: 1px 7px; margin: 0 5px 3px 0 }
code { font-family: "DejaVu Sans Mono"; font-size: 9.5pt }
"""


def weasyprint_pdf(book: BookSpec) -> bytes:
    """The book through another producer (HTML and CSS, WeasyPrint): borders drawn as
    filled rings, a ``page / pages`` footer, no emoji at all (markers missing)."""
    import os
    from html import escape
    import re

    def code(text: str) -> str:
        return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))

    parts = [f'<h1 class="book">{escape(book.title)}</h1>', "<p>Table of Contents</p>"]
    for index, topic in enumerate(book.topics, 1):
        parts.append(f'<p><a href="#topic-{index}">{escape(topic.title)}</a> - '
                     f"{topic.declared} problems</p>")
    for index, topic in enumerate(book.topics, 1):
        parts.append(f'<h1 id="topic-{index}" style="break-before: page">'
                     f'{escape(topic.title)}</h1>')
        for problem in topic.problems:
            parts.append(f"<h2>Problem {problem.number}: {escape(problem.title)}</h2>")
            parts.append(f'<div class="question"><b>Question:</b> <b>INTERVIEWER:</b> '
                         f"{escape(problem.question)}</div>")
            parts.append(f"<p><b>Solution:</b></p><p>{escape(problem.summary)}</p>")
            for point in problem.points:
                parts.append(f"<h3>{point.number} {escape(point.title)}</h3>")
                parts.append(f"<p>{escape(point.explanation)}</p>")
                parts.append(f"<p><b>Example:</b> {code(point.example)}</p>")
                if point.pills:
                    parts.append("<p>" + "".join(f'<span class="pill">{escape(t)}</span>'
                                                 for t in point.pills) + "</p>")
    html = (f"<html><head><style>{WEASYPRINT_CSS.replace('BOOK', book.title)}</style></head>"
            f"<body>{''.join(parts)}</body></html>")
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"  # fontTools stamps subsets with it
    try:
        import weasyprint

        return weasyprint.HTML(string=html).write_pdf()
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def write_all(sample_out: Path = SAMPLE_PDF, fixtures: Path = FIXTURES) -> list[Path]:
    """Render the sample PDF and every PDF fixture; return the paths written."""
    book = book_from_text()
    written = []

    def write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)

    sample = render_pdf(book, DEFAULT)
    write(sample_out, sample)
    write(fixtures / "alt-style-sample.pdf", render_pdf(book, ALT))
    write(fixtures / "hanging-indent-sample.pdf", hanging_pdf(book))
    write(fixtures / "emoji-broken-tounicode.pdf",
          render_pdf(small_book(book), DEFAULT, fix_tounicode=False))
    write(fixtures / "encrypted.pdf", encrypted_pdf(book))
    write(fixtures / "truncated.pdf", sample[: len(sample) // 3])
    write(fixtures / "not-a-pdf.pdf", b"%PDF-1.4\n% this file was cut off before its first object\n"
          b"1 0 obj << /Type /Catalog >>\ngarbage that is not a PDF at all\n")
    write(fixtures / "scanned-no-text.pdf", scanned_pdf())
    write(fixtures / "weasyprint-first-topic.pdf", weasyprint_pdf(small_book(book, problems=3)))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--theme", choices=sorted(THEMES), help="render only the sample, "
                        "in this theme, to --out")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.theme:
        out = args.out or Path(f"build/sample-{args.theme}.pdf")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(render_pdf(book_from_text(), THEMES[args.theme]))
        print(f"wrote {out}")
        return 0
    for path in write_all():
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
