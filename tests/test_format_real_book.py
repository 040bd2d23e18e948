"""The book's formatting on the real book (DRILLBOOK_BOOK; skipped without it).

Every emitted file is read as a person sees it (tests/format_scan.py) and must hold none of
the book's raw marks: no backtick, no dollar-TeX, no backslash escape. Code must show as code
and formulas as formulas where the book has them.
"""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from format_scan import scan

from pipeline.cli import main
from pipeline.inline import parse


@pytest.fixture(scope="module")
def real_outputs(real_book, tmp_path_factory):
    out = tmp_path_factory.mktemp("real-format")
    runner = CliRunner()
    for args in (["build", str(real_book), "--out", str(out)],
                 # every question the book supports, for the text formats (no PDF: slow)
                 ["quiz", "--corpus", str(out / "corpus.json"), "--out",
                  str(out / "quizzes" / "all"), "--count", "300", "--versions", "1",
                  "--name", "all", "--no-pdf"],
                 ["anki", "--corpus", str(out / "corpus.json"), "--out", str(out),
                  "--kinds", "problem,point,cloze"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    return out


def test_the_book_has_formatting_to_render(real_book, real_outputs):
    corpus = json.loads((real_outputs / "corpus.json").read_text("utf-8"))
    fields = [t["label"] for t in corpus["tags"]]
    for problem in corpus["problems"]:
        fields += [problem["title"], problem["question"], problem["summary"]]
        fields += [pt[k] for pt in problem["points"] for k in ("title", "explanation", "example")]
    kinds = [{s.kind for s in parse(f).spans} for f in fields]
    # Independent expectation: a code span is a backtick pair on one line of the field.
    assert sum("code" in k for k in kinds) == sum(bool(re.search(r"`[^`]+`", f)) for f in fields)
    assert sum("code" in k for k in kinds) >= 80
    assert sum("math" in k for k in kinds) >= 11
    assert sum(bool(re.search(r"\\[$%()]", f)) for f in fields) >= 10  # escapes to resolve
    assert sum(bool(parse(f).styles) for f in fields) >= 3


def test_no_output_shows_a_raw_mark(real_outputs):
    results = scan(real_outputs)
    assert set(results) == {"corpus.json plain", "report.html", "anki fields", "quiz html",
                            "quiz pdf text", "quiz gift", "quiz moodle xml"}
    for kind, entry in results.items():
        assert entry["texts"], kind
        assert entry["raw"] == [], (kind, entry["raw"][:5])
    # code as code and math as math where the output can show them
    # deck format 2: an explanation is printed on its own point cards only (the outline
    # lists names), and only points that get a card are shipped, so the deck shows fewer
    # code spans and formulas than the corpus's 80+ and 11+ fields that hold one (74 code
    # fields measured since clozes of a term right after code are refused: such a point's
    # explanation holds code, and often it had no other card); the raw-mark check above
    # is what holds for every shipped field
    assert results["anki fields"]["code"] >= 70, results["anki fields"]["code"]
    assert results["anki fields"]["math"] >= 5, results["anki fields"]["math"]
    for kind in ("report.html", "quiz html", "quiz gift", "quiz moodle xml"):
        assert results[kind]["code"] > 0, kind
