"""Shared test helpers: building Line records from invented text, and the real book's path."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.readers.text import lines_of_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def lines(text: str, source: str = "t"):
    """Line records of an inline fixture (1-based like the text reader)."""
    return lines_of_text(text, source)


@pytest.fixture(scope="session")
def real_book() -> Path:
    """The real book's text extraction; tests using it skip when DRILLBOOK_BOOK is unset."""
    path = os.environ.get("DRILLBOOK_BOOK")
    if not path:
        pytest.skip("DRILLBOOK_BOOK is not set")
    if not Path(path).is_file():
        pytest.fail(f"DRILLBOOK_BOOK points to a missing file: {path}")
    return Path(path)
