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


@pytest.fixture(scope="session")
def real_build_dir(real_book, tmp_path_factory) -> Path:
    """The real book built once per test session with `run_build` (corpus, deck, quiz, report)."""
    from pipeline.build import run_build
    from pipeline.config import Config

    out = tmp_path_factory.mktemp("real-build")
    run_build([real_book], out, Config())
    return out


@pytest.fixture(scope="session")
def real_corpus(real_build_dir):
    """The real book's corpus.json as records, read back through the schema check."""
    from pipeline.emit.corpus_json import load_corpus

    return load_corpus(real_build_dir / "corpus.json")


@pytest.fixture(scope="session")
def quiz_fixture_corpus():
    """The invented corpus the quiz tests share (tests/fixtures/quiz/corpus.json)."""
    from pipeline.emit.corpus_json import load_corpus

    return load_corpus(FIXTURES / "quiz" / "corpus.json")
