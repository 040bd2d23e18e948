"""PDFs the reader cannot use: one clear line naming the file (and page), nothing written."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT

from pipeline.cli import main
from pipeline.errors import DrillbookError
from pipeline.readers import pdf as pdf_reader
from pipeline.readers.pdf import read_pdf_lines

BAD = FIXTURES / "pdf"
CASES = {
    "encrypted.pdf": "encrypted and needs a password",
    "truncated.pdf": "not a readable PDF (damaged or truncated",
    "not-a-pdf.pdf": "not a readable PDF (damaged or truncated",
    "scanned-no-text.pdf": "no text layer",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_reader_names_the_file_and_the_problem(name, tmp_path):
    with pytest.raises(DrillbookError) as caught:
        read_pdf_lines(BAD / name, "x", workers=1, cache=tmp_path / "cache", progress=False)
    assert caught.value.path == str(BAD / name)
    assert CASES[name] in caught.value.message
    assert not (tmp_path / "cache").exists()  # a failed read caches nothing


@pytest.mark.parametrize("name", sorted(CASES))
def test_build_prints_one_line_exits_non_zero_and_writes_nothing(name, tmp_path):
    book = tmp_path / name
    shutil.copy(BAD / name, book)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(book), "--out", str(out)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"drillbook: error: {book}: ")
    assert CASES[name] in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()]


def test_a_page_that_fails_to_parse_is_named(monkeypatch):
    real = pdf_reader.read_page

    def fail_on_page_3(page, number):
        if number == 3:
            page.close()
            raise ValueError("stream ended inside an object")
        return real(page, number)

    monkeypatch.setattr(pdf_reader, "read_page", fail_on_page_3)
    sample = ROOT / "raw" / "sample" / "sample-ebook.pdf"
    with pytest.raises(DrillbookError) as caught:
        read_pdf_lines(sample, "x", workers=1, progress=False)
    assert caught.value.page == 3
    assert str(caught.value) == (f"{sample} (page 3): cannot read the page (damaged or "
                                 "truncated PDF: stream ended inside an object)")


def test_a_failing_page_in_a_worker_is_named_too(monkeypatch):
    """Workers are forked, so they run the patched function as well."""
    real = pdf_reader.read_page

    def fail_on_page_20(page, number):
        if number == 20:
            raise ValueError("bad xref entry")
        return real(page, number)

    monkeypatch.setattr(pdf_reader, "read_page", fail_on_page_20)
    alt = FIXTURES / "pdf" / "alt-style-sample.pdf"
    with pytest.raises(DrillbookError) as caught:
        read_pdf_lines(alt, "x", workers=2, progress=False)
    assert caught.value.page == 20 and caught.value.path == str(alt)
    assert "bad xref entry" in caught.value.message


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(DrillbookError) as caught:
        read_pdf_lines(tmp_path / "gone.pdf", "x", progress=False)
    assert caught.value.path == str(tmp_path / "gone.pdf")
