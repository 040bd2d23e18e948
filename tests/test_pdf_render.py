"""The committed sample PDFs are what scripts/render_sample_pdf.py makes of raw/sample-ebook.txt.

If this fails after editing the sample text, regenerate them:
    .venv/bin/python scripts/render_sample_pdf.py
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

RENDERER = ROOT / "scripts" / "render_sample_pdf.py"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture(scope="module")
def render():
    if not DEJAVU.is_file():
        pytest.skip("the DejaVu fonts the sample is rendered with are not installed")
    pytest.importorskip("fontTools")
    spec = importlib.util.spec_from_file_location("render_sample_pdf", RENDERER)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("render_sample_pdf", module)
    spec.loader.exec_module(module)
    return module


def test_committed_pdfs_are_current_and_deterministic(render, tmp_path):
    written = render.write_all(tmp_path / "sample-ebook.pdf", tmp_path / "fixtures")
    for path in written:
        committed = (ROOT / "raw" / path.name if path.name == "sample-ebook.pdf"
                     else FIXTURES / "pdf" / path.name)
        assert path.read_bytes() == committed.read_bytes(), (
            f"{committed} is stale: run .venv/bin/python scripts/render_sample_pdf.py")
        assert path.stat().st_size < 300 * 1024


def test_surrogate_pairs_in_the_tounicode_patch(render):
    cmap = render.layout._tounicode_with_surrogates("F", [0x41, 0x1F4A1])
    assert "<00> <0041>" in cmap and "<01> <D83DDCA1>" in cmap
