"""The committed sample PDFs are what scripts/render_sample_pdf.py makes of
raw/sample/sample-ebook.txt.

If this fails after editing the sample text, regenerate them:
    .venv/bin/python scripts/render_sample_pdf.py
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, load_script

RENDERER = ROOT / "scripts" / "render_sample_pdf.py"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture(scope="module")
def render():
    if not DEJAVU.is_file():
        pytest.skip("the DejaVu fonts the sample is rendered with are not installed")
    pytest.importorskip("fontTools")
    return load_script("render_sample_pdf")


def test_committed_sample_pdfs_are_current(render, tmp_path):
    """Compared by what the reader gets from them, not by bytes: another reportlab
    version may write the same pages differently."""
    from pipeline.readers.pdf import read_pdf_lines

    book = render.book_from_text()
    for theme, committed in ((render.DEFAULT, ROOT / "raw" / "sample" / "sample-ebook.pdf"),
                             (render.ALT, FIXTURES / "pdf" / "alt-style-sample.pdf")):
        fresh = tmp_path / f"{theme.name}.pdf"
        fresh.write_bytes(render.render_pdf(book, theme))
        assert read_pdf_lines(fresh, "s", workers=1) == read_pdf_lines(committed, "s", workers=1), (
            f"{committed} is stale: run .venv/bin/python scripts/render_sample_pdf.py")
    fresh = tmp_path / "hanging.pdf"
    fresh.write_bytes(render.hanging_pdf(book))
    committed = FIXTURES / "pdf" / "hanging-indent-sample.pdf"
    assert read_pdf_lines(fresh, "s", workers=1) == read_pdf_lines(committed, "s", workers=1), (
        f"{committed} is stale: run .venv/bin/python scripts/render_sample_pdf.py")


def test_rendering_is_deterministic_and_committed_pdfs_are_small(render):
    book = render.small_book(render.book_from_text())
    assert render.render_pdf(book, render.ALT) == render.render_pdf(book, render.ALT)
    for path in [ROOT / "raw" / "sample" / "sample-ebook.pdf", *(FIXTURES / "pdf").glob("*.pdf")]:
        assert path.stat().st_size < 300 * 1024, path


def test_surrogate_pairs_in_the_tounicode_patch(render):
    cmap = render.layout._tounicode_with_surrogates("F", [0x41, 0x1F4A1])
    assert "<00> <0041>" in cmap and "<01> <D83DDCA1>" in cmap
