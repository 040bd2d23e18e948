"""Pages the PDF reader cannot take as they come: two columns are read column by column,
three are refused with the page, and text in a font without a Unicode map is reported."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from pipeline.cli import main
from pipeline.errors import DrillbookError
from pipeline.readers import pdf_checks, pdf_page
from pipeline.readers.pdf import read_pdf
from pipeline.readers.text import lines_of_text
from pipeline.segment import segment

BOOK = ROOT / "tests" / "fixtures" / "text" / "duplicate-toc-topic.txt"


def test_glyph_indices_agree_with_the_page_reader():
    assert (pdf_checks.X0, pdf_checks.X1, pdf_checks.BASE, pdf_checks.SIZE, pdf_checks.TEXT) == (
        pdf_page._X0, pdf_page._X1, pdf_page._BASE, pdf_page._SIZE, pdf_page._TEXT)


def columns_pdf(path: Path, columns: list[list[str]], title: str | None = None) -> Path:
    """One page: an optional title across the page, then the columns side by side."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=letter)
    width = (letter[0] - 108) / len(columns)
    top = 620  # below the running-header band (the top 15% of the page)
    if title:
        pdf.setFont("Helvetica-Bold", 12)
        pdf.drawString(54, 640, title)
    pdf.setFont("Helvetica", 7)
    for index, lines in enumerate(columns):
        for row, text in enumerate(lines):
            assert pdf.stringWidth(text, "Helvetica", 7) < width - 20, text
            pdf.drawString(54 + index * width, top - 10 * row, text)
    pdf.showPage()
    pdf.save()
    return path


def book_text() -> str:
    """The invented fixture book without its emoji (Helvetica has no glyphs for them)."""
    return BOOK.read_text("utf-8").replace("- 👉 ", "")


def book_lines() -> list[str]:
    return [line for line in book_text().split("\n") if line.strip()]


def test_two_columns_are_read_column_by_column(tmp_path):
    lines = book_lines()
    half = len(lines) // 2
    path = columns_pdf(tmp_path / "two.pdf", [lines[:half], lines[half:]],
                       title="A Title Across Both Columns")
    read, notes = read_pdf(path, "two", workers=1)
    assert [line.text for line in read] == ["A Title Across Both Columns"] + lines
    assert [(n.code, n.where.page) for n in notes] == [("pdf-columns", 1)]


def test_a_two_column_book_segments_like_its_text(tmp_path):
    lines = book_lines()
    half = len(lines) // 2
    path = columns_pdf(tmp_path / "two.pdf", [lines[:half], lines[half:]])
    from_pdf, _ = segment(read_pdf(path, "two", workers=1)[0])
    from_text, _ = segment(lines_of_text(book_text(), "text"))
    assert [(p.title, p.topic, [pt.title for pt in p.points]) for p in from_pdf.problems] == [
        (p.title, p.topic, [pt.title for pt in p.points]) for p in from_text.problems]


def test_one_column_pages_are_left_alone(tmp_path):
    lines = book_lines()
    path = columns_pdf(tmp_path / "one.pdf", [lines])
    read, notes = read_pdf(path, "one", workers=1)
    assert [line.text for line in read] == lines and notes == []


def test_a_table_like_page_with_full_width_lines_is_not_columns(tmp_path):
    # Short label/value rows with a wide gap, but most lines run across the middle.
    rows = [f"Label {i}          value {i}" for i in range(4)]
    prose = [f"A sentence that runs across the whole width of the page, number {i}, on"
             " and on." for i in range(10)]
    path = columns_pdf(tmp_path / "mixed.pdf", [rows + prose])
    read, notes = read_pdf(path, "mixed", workers=1)
    assert notes == []
    assert " ".join(line.text for line in read).split() == " ".join(rows + prose).split()


def test_three_columns_are_refused_with_the_page(tmp_path):
    lines = [f"Line {i} of notes" for i in range(30)]
    path = columns_pdf(tmp_path / "three.pdf", [lines[:10], lines[10:20], lines[20:]])
    with pytest.raises(DrillbookError) as caught:
        read_pdf(path, "three", workers=1)
    assert caught.value.page == 1 and "more than two columns" in caught.value.message
    assert caught.value.path == str(path)


def handmade_pdf(stream: bytes) -> bytes:
    """A one-page PDF with Helvetica (/F1) and a CID font without a Unicode map (/F2)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMap /Encoding /Identity-H "
        b"/DescendantFonts [7 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMap "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 8 0 R /DW 600 >>",
        b"<< /Type /FontDescriptor /FontName /NoMap /Flags 32 /FontBBox [0 0 600 700] "
        b"/ItalicAngle 0 /Ascent 700 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_text_in_a_font_without_a_unicode_map_is_a_warning_with_its_page(tmp_path):
    path = tmp_path / "nomap.pdf"
    path.write_bytes(handmade_pdf(
        b"BT /F1 12 Tf 72 700 Td (Problem 1: A Readable Title) Tj ET\n"
        b"BT /F2 12 Tf 72 680 Td <00410042004300440045> Tj ET\n"  # a five-glyph word
        b"BT /F2 12 Tf 72 660 Td <0046> Tj ET\n"  # a lone glyph: an icon, not text
        b"BT /F1 12 Tf 72 640 Td (1 A Readable Point) Tj ET"))
    read, notes = read_pdf(path, "nomap", workers=1)
    assert [line.text for line in read] == ["Problem 1: A Readable Title", "1 A Readable Point"]
    assert [(n.severity, n.code, n.where.page) for n in notes] == [
        ("warning", "pdf-unmapped-text", 1)]
    assert "5 characters" in notes[0].message and "page 1" in notes[0].message
    # The warning survives the line cache.
    cache = tmp_path / "cache"
    first = read_pdf(path, "nomap", workers=1, cache=cache)
    assert read_pdf(path, "nomap", workers=1, cache=cache) == first == (read, notes)


def test_the_warning_reaches_the_report(tmp_path):
    lines = book_lines()
    stream = b"".join(b"BT /F1 10 Tf 72 %d Td (%s) Tj ET\n" % (
        760 - 14 * i, line.encode("latin-1", "replace").replace(b"(", b"\\(").replace(b")", b"\\)"))
        for i, line in enumerate(lines))
    stream += b"BT /F2 10 Tf 72 60 Td <004100420043> Tj ET"
    path = tmp_path / "book.pdf"
    path.write_bytes(handmade_pdf(stream))
    result = CliRunner().invoke(main, ["build", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    import json

    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    codes = {d["code"]: d for d in report["diagnostics"]}
    assert codes["pdf-unmapped-text"]["severity"] == "warning"
    assert codes["pdf-unmapped-text"]["where"]["page"] == 1


# ----- limits ----------------------------------------------------------------------------
def flate_bomb(inflated_mb: float) -> bytes:
    """A FlateDecode stream of zeros, compressed without holding it inflated in memory."""
    import zlib

    deflater = zlib.compressobj(9)
    chunk = b"\0" * (1 << 18)
    return b"".join(deflater.compress(chunk) for _ in range(int(inflated_mb * 4))) + (
        deflater.flush())


def bomb_pdf(path: Path, inflated_mb: float) -> Path:
    data = handmade_pdf(b"BT /F1 12 Tf 72 700 Td (placeholder) Tj ET")
    bomb = flate_bomb(inflated_mb)
    old = b"<< /Length 42 >>\nstream\nBT /F1 12 Tf 72 700 Td (placeholder) Tj ET\nendstream"
    assert old in data
    new = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream"
    data = data.replace(old, new)
    # Offsets moved: let pdfminer rebuild the cross-reference table (it does, loudly).
    path.write_bytes(data[:data.rindex(b"xref")] + b"trailer\n<< /Size 9 /Root 1 0 R >>\n%%EOF\n")
    return path


def test_an_inflated_stream_is_capped_with_the_page(tmp_path, monkeypatch):
    from pipeline.readers import pdf_limits

    monkeypatch.setattr(pdf_limits, "MAX_INFLATED_BYTES", 1 << 20)
    with pytest.raises(DrillbookError) as caught:
        read_pdf(bomb_pdf(tmp_path / "bomb.pdf", 2), "bomb", workers=1)
    assert caught.value.page == 1 and "inflates to more than 1 MB" in caught.value.message
    # Under the cap the same kind of stream is read (it draws nothing: zeros are no
    # operators). pdfminer lexes such garbage at a few hundred KB/s: the page deadline is
    # what bounds a stream just under the cap.
    monkeypatch.setattr(pdf_limits, "MAX_INFLATED_BYTES", 4 << 20)
    with pytest.raises(DrillbookError, match="no text"):
        read_pdf(bomb_pdf(tmp_path / "fine.pdf", 0.25), "fine", workers=1)


def test_the_page_deadline_stops_a_slow_page():
    import time

    from pipeline.readers.pdf_limits import PageTooSlow, page_deadline

    started = time.perf_counter()
    with pytest.raises(PageTooSlow):
        with page_deadline(0.2):
            while time.perf_counter() - started < 5:
                pass
    assert time.perf_counter() - started < 2
    with page_deadline(5):  # a quick page is not disturbed, and the timer is disarmed
        pass
    time.sleep(0.05)


def test_a_page_with_too_many_characters_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_page, "MAX_PAGE_GLYPHS", 50)
    with pytest.raises(DrillbookError) as caught:
        read_pdf(ROOT / "raw" / "sample" / "sample-ebook.pdf", "sample", workers=1)
    assert caught.value.page == 1 and "more than 50" in caught.value.message
