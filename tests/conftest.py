"""Shared test helpers: building Line records from invented text, the real book's path, and
the quiz tests' invented corpus with what they make of it (its Bank and cue solver)."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from pipeline.readers.text import lines_of_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load_script(name: str) -> ModuleType:
    """``scripts/NAME.py`` imported as the module ``NAME`` (registered in ``sys.modules``:
    its dataclasses look their module up)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
QUIZ_CORPUS = FIXTURES / "quiz" / "corpus.json"  # the quiz tests' invented corpus


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

    return load_corpus(QUIZ_CORPUS)


# The quiz tests' shared fixtures. Module-scoped, as each test module had its own: a
# module's Bank and solver are made for it and not shared with another module's tests. A
# module that defines a fixture of the same name (tests/test_anki.py's ``corpus``) uses
# its own.
@pytest.fixture(scope="module")
def corpus(quiz_fixture_corpus):
    """The quiz fixture corpus under the name the quiz tests use."""
    return quiz_fixture_corpus


@pytest.fixture(scope="module")
def bank(corpus):
    """The quiz's Bank of ``corpus``."""
    from pipeline.emit.quiz.bank import Bank

    return Bank(corpus)


@pytest.fixture(scope="module")
def solver(quiz_fixture_corpus):
    """The quiz's cue solver of the quiz fixture corpus."""
    from pipeline.emit.quiz.solver import CueSolver

    return CueSolver(quiz_fixture_corpus)
