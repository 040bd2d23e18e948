"""Item generation on the invented quiz fixture: each kind grounded in one problem, right pools."""
from __future__ import annotations

import random
from dataclasses import replace

import pytest

from pipeline.emit.quiz.assemble import QuizOptions, build_quiz
from pipeline.emit.quiz.generate import (BUILDERS, NAME_CONCEPT, NAME_FROM_EXAMPLE,
                                         WHICH_APPROACH, WHICH_TECHNOLOGY, Bank)
from pipeline.emit.quiz.text import content_lemmas
from pipeline.inline import plain_text

@pytest.fixture(scope="module")
def corpus(quiz_fixture_corpus):
    return quiz_fixture_corpus


@pytest.fixture(scope="module")
def bank(corpus):
    return Bank(corpus)


def _problem(corpus, title):
    return next(p for p in corpus.problems if p.title == title)


def _point(problem, title):
    return next(pt for pt in problem.points if pt.title == title)


def test_technology_tags_are_the_name_shaped_ones(bank):
    # Written by hand from the fixture: phrases ("Fast response", "Least privilege") are not.
    assert set(bank.technology.values()) == {
        "Celery", "Sidekiq", "Vault", "Gitleaks", "Elasticsearch", "Typesense", "HAProxy",
        "Envoy", "Loki", "Grafana", "Jinja", "CSP"}


@pytest.mark.parametrize("kind, body", [(NAME_CONCEPT, "explanation"),
                                        (NAME_FROM_EXAMPLE, "example")])
def test_name_items_use_sibling_titles_and_mask_the_key(corpus, bank, kind, body):
    problem = _problem(corpus, "Slow Product Search")
    point = _point(problem, "Relevance Boosting")
    item = BUILDERS[kind](bank, problem, point, random.Random(1), False)
    assert item is not None
    assert item.kind == kind and item.problem == problem.id and item.key == point.title
    siblings = {pt.title for pt in problem.points} - {point.title}
    assert set(item.distractors) <= siblings
    assert "Slow Product Search" in item.stem
    # The key's words ("relevance", "boost") are not in the stem.
    assert not content_lemmas(item.stem) & {"relevance", "boost"}


def test_name_item_blanks_key_words_in_the_example(corpus, bank):
    problem = _problem(corpus, "Slow Signup Emails")
    point = _point(problem, "Separate Queues by Urgency")
    item = BUILDERS[NAME_FROM_EXAMPLE](bank, problem, point, random.Random(3), False)
    assert item is not None
    assert "password_reset ___ has 4 workers; newsletter ___ has 1." in plain_text(item.stem)


def test_which_approach_distractors_come_from_unrelated_topics(corpus, bank):
    problem = _problem(corpus, "Slow Signup Emails")  # topic 1
    point = _point(problem, "Dead Job Parking")
    allowed_topics = {"search-indexing", "edge-proxies", "observability-basics",
                      "template-rendering-safety"}  # two or more topics away, by hand
    for seed in range(5):
        item = BUILDERS[WHICH_APPROACH](bank, problem, point, random.Random(seed), False)
        assert item is not None and item.key == "Dead Job Parking"
        assert problem.question in item.stem
        for distractor in item.distractors:
            owner = next(p for p in corpus.problems if distractor in [x.title for x in p.points])
            assert owner.topic in allowed_topics
        # Never two distractors from one topic (no odd-one-out pattern).
        owners = [next(p.topic for p in corpus.problems if d in [x.title for x in p.points])
                  for d in item.distractors]
        assert len(set(owners)) == 3


def test_which_technology_key_is_the_points_tag_and_distractors_are_foreign(corpus, bank):
    problem = _problem(corpus, "One Backend Overloaded")
    point = _point(problem, "Connection Reuse to Upstreams")
    item = BUILDERS[WHICH_TECHNOLOGY](bank, problem, point, random.Random(2), False)
    assert item is not None and item.key == "Envoy"
    assert not {"HAProxy", "Envoy"} & set(item.distractors)
    assert set(item.distractors) <= set(bank.technology.values())
    assert "Connection Reuse to Upstreams" in item.stem


def test_which_technology_needs_a_technology_tag(corpus, bank):
    problem = _problem(corpus, "One Backend Overloaded")
    point = _point(problem, "Weight by Capacity")  # no tags
    assert BUILDERS[WHICH_TECHNOLOGY](bank, problem, point, random.Random(2), False) is None


def test_technology_kind_is_skipped_and_reported_without_tags(corpus):
    untagged = replace(corpus, tags=(), problems=tuple(
        replace(p, tags=(), points=tuple(replace(pt, tags=()) for pt in p.points))
        for p in corpus.problems))
    quiz = build_quiz(untagged, QuizOptions(count=12, seed=4))
    assert WHICH_TECHNOLOGY in quiz.checks["skipped_kinds"]
    assert any(d.code == "quiz-kind-skipped" for d in quiz.diagnostics)
    assert quiz.items and all(i.kind != WHICH_TECHNOLOGY for i in quiz.items)


def test_every_item_is_grounded_in_one_problem_of_the_corpus(corpus):
    quiz = build_quiz(corpus, QuizOptions(count=40, seed=9))
    by_id = {p.id: p for p in corpus.problems}
    for item in quiz.items:
        problem = by_id[item.problem]
        assert item.topic == problem.topic
        assert item.point in [pt.title for pt in problem.points]
        if item.kind != WHICH_TECHNOLOGY:
            assert item.key == item.point
