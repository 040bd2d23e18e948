"""Item generation on the invented quiz fixture: kinds, retired kinds, grounding, declines."""
from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.emit.quiz.assemble import QuizOptions, build_quiz
from pipeline.emit.quiz.contrast import WHICH_CONTRAST
from pipeline.emit.quiz.generate import (DEFAULT_KINDS, KINDS, NAME_CONCEPT, RETIRED,
                                         WHICH_APPROACH, WHICH_COMMAND, WHICH_TECHNOLOGY)
from pipeline.errors import NotEnoughMaterial


def test_kinds_are_additive_and_the_retired_ones_are_not_defaults():
    assert KINDS[:4] == ("name-concept", "name-from-example", "which-approach",
                         "which-technology")
    assert set(RETIRED) == {WHICH_APPROACH, WHICH_TECHNOLOGY}
    assert DEFAULT_KINDS == ("name-concept", "name-from-example", "which-command",
                             "which-contrast")
    assert QuizOptions().kinds == DEFAULT_KINDS


def test_a_retired_kind_is_accepted_warned_about_and_makes_nothing(corpus):
    quiz = build_quiz(corpus, QuizOptions(count=6, seed=2,
                                          kinds=(NAME_CONCEPT, WHICH_TECHNOLOGY)))
    assert {i.kind for i in quiz.items} == {NAME_CONCEPT}
    assert quiz.checks["skipped_kinds"][WHICH_TECHNOLOGY].startswith("retired")
    assert any(d.code == "quiz-kind-retired" and d.severity == "warning"
               for d in quiz.diagnostics)
    with pytest.raises(NotEnoughMaterial, match="which-approach are retired"):
        build_quiz(corpus, QuizOptions(count=6, kinds=(WHICH_APPROACH,)))


def _without(corpus, topics):
    return replace(corpus, problems=tuple(p for p in corpus.problems if p.topic not in topics))


def test_a_kind_without_material_is_skipped_quietly_by_default_and_loudly_when_asked(corpus):
    plain = _without(corpus, {"polling-vs-webhooks", "redis-counters"})
    quiz = build_quiz(plain, QuizOptions(count=8, seed=3))
    assert set(quiz.checks["skipped_kinds"]) == {WHICH_COMMAND, WHICH_CONTRAST}
    skipped = [d for d in quiz.diagnostics if d.code == "quiz-kind-skipped"]
    assert skipped and all(d.severity == "info" for d in skipped)
    asked = build_quiz(plain, QuizOptions(count=8, seed=3, kinds=(NAME_CONCEPT, WHICH_CONTRAST)))
    assert [d.severity for d in asked.diagnostics if d.code == "quiz-kind-skipped"] == ["warning"]


def test_every_item_is_grounded_in_one_problem_of_the_corpus(corpus):
    quiz = build_quiz(corpus, QuizOptions(count=40, seed=9))
    by_id = {p.id: p for p in corpus.problems}
    tags = {t.id: t for t in corpus.tags}
    assert {i.kind for i in quiz.items} == set(DEFAULT_KINDS)
    for item in quiz.items:
        problem = by_id[item.problem]
        assert item.topic == problem.topic
        point = next(pt for pt in problem.points if pt.title == item.point)
        if item.kind == WHICH_COMMAND:
            assert item.key in {tags[t].label for t in point.tags}
        elif item.kind == WHICH_CONTRAST:
            assert item.key.lower() in point.title.lower()
        else:
            assert item.key == item.point


def test_checks_report_why_points_gave_no_item(corpus):
    quiz = build_quiz(corpus, QuizOptions(count=40, seed=9))
    declined = quiz.checks["declined"]
    assert "the point names no command of a known family" in declined[WHICH_COMMAND]
    assert any("repeats the key's words" in reason for reason in declined[NAME_CONCEPT])


def test_a_shared_bank_gives_each_quiz_the_items_and_counts_of_a_fresh_one(corpus):
    # The build's quiz and the site's quiz share one Bank, which keeps each checked
    # candidate: a quiz made second must ship the same items and report the same counts
    # (what was caught, declined and rejected) as one made on a bank of its own.
    from pipeline.emit.base import RunState

    options = QuizOptions(count=12, seed=4, versions=1)
    state = RunState()
    build_quiz(corpus, replace(options, count=6), state=state)
    shared = build_quiz(corpus, options, state=state)
    alone = build_quiz(corpus, options)
    assert shared.items == alone.items and shared.versions == alone.versions
    assert shared.checks == alone.checks and shared.diagnostics == alone.diagnostics
