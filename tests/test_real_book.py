"""The real book (path in DRILLBOOK_BOOK; skipped without it). Numbers are the issue's."""
from __future__ import annotations

import re

import pytest

from pipeline.build import SourceInput, build_corpus
from pipeline.config import Config

# Every diagnostic code a build of the real book may produce, each explained in the README.
EXPLAINED_CODES = {"stray-header", "placeholder-question", "missing-point-heading",
                   "toc-count", "near-miss", "trailing-text", "tag-splits",
                   "question-after-interviewer", "lost-wildcard", "summary-lead-in"}


@pytest.fixture(scope="module")
def real_build(real_book):
    return real_book, build_corpus([SourceInput(real_book, str(real_book))], Config())


def test_headings_found_with_exact_titles(real_build):
    book, build = real_build
    # Independent expectation: a plain grep of the heading lines.
    grep = re.compile(r"Problem (\d+): (.+?)(?:\*\*)?\s*$")
    expected = [(i, heading[2]) for i, text in enumerate(book.read_text("utf-8").split("\n"), 1)
                if (heading := grep.search(text))]
    found = sorted((o.line, o.title) for p in build.corpus.problems for o in p.occurrences)
    assert build.headings == 177
    assert found == expected


def test_merges_into_149_distinct_problems(real_build):
    _, build = real_build
    assert len(build.corpus.problems) == 149
    assert sum(len(p.occurrences) for p in build.corpus.problems) == 177
    # the repeats are same-titled copies; no two different titles were merged
    for problem in build.corpus.problems:
        assert len({o.title for o in problem.occurrences}) == 1


def test_all_44_topics_in_order(real_build):
    book, build = real_build
    toc = re.findall(r"^\s*(?:- )?\[(.+?)\]\(#\) - \d+ problems", book.read_text("utf-8"), re.M)
    titles = [t.replace("\\(", "(").replace("\\)", ")") for t in toc]
    assert len(titles) == 44
    assert [t.title for t in build.corpus.topics] == titles
    used = [p.topic for p in build.corpus.problems]
    assert set(used) == {t.id for t in build.corpus.topics}
    order = {t.id: t.order for t in build.corpus.topics}
    assert [order[t] for t in used] == sorted(order[t] for t in used)


def test_every_problem_has_question_summary_and_complete_points(real_build):
    _, build = real_build
    for problem in build.corpus.problems:
        assert problem.question and problem.summary, problem.id
        assert "here's how" not in problem.summary.lower(), problem.id  # a figure's lead-in
        # a question ends as a sentence: nothing the extraction tore out is left at its end
        assert problem.question.rstrip().endswith(("?", ".")), problem.id
        assert len(problem.points) >= 3, problem.id
        for point in problem.points:
            assert point.explanation and point.example, (problem.id, point.where)
            assert "👉" not in point.explanation and "**" not in point.explanation
    untitled = [pt for p in build.corpus.problems for pt in p.points if not pt.title]
    assert len(untitled) == 1  # the one point whose heading the extraction lost


def test_no_diagnostic_left_unexplained(real_build):
    _, build = real_build
    codes = {d.code for d in build.diagnostics}
    assert codes <= EXPLAINED_CODES, codes - EXPLAINED_CODES
    assert not [d for d in build.diagnostics if d.severity == "error"]


def test_real_corpus_json_validates_against_the_shipped_schema(real_build):
    import jsonschema

    from pipeline.build import finish_corpus
    from pipeline.emit.corpus_json import corpus_schema, corpus_to_dict

    _, drafts = real_build
    build = finish_corpus(drafts, Config())  # a new CorpusBuild: the shared fixture stays as is
    jsonschema.validate(corpus_to_dict(build.corpus), corpus_schema())
    assert all(point.tags or not point.raw_tags for p in build.corpus.problems
               for point in p.points)
