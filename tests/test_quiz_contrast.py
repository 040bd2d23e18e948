"""Which-contrast items: the book's "X vs Y" choices, asked as "which need points to X?"."""
from __future__ import annotations

import random

import pytest

from pipeline.emit.quiz.assemble import QuizOptions, build_quiz
from pipeline.emit.quiz.contrast import (WHICH_CONTRAST, build_contrast_item, listed_needs,
                                         sentence_case)


@pytest.fixture(scope="module")
def choice(corpus):
    return next(p for p in corpus.problems if p.title == "Choosing Polling or Webhooks")


@pytest.mark.parametrize("explanation, needs", [
    ("Need header-based routing, TLS offload, or host-based routing.",
     ["header-based routing", "TLS offload", "host-based routing"]),
    ("Bulk nightly imports, internal dashboards, frequent schema changes.",
     ["Bulk nightly imports", "internal dashboards", "frequent schema changes"]),
    ("Need lowest latency (no parsing).", ["lowest latency"]),
    ("Use when your application can't be distributed.", []),  # a sentence, not a list
    ("Partners behind firewalls cannot accept calls; they poll.", []),
])
def test_listed_needs(explanation, needs):
    assert listed_needs(explanation) == needs


def test_sentence_case_keeps_names_and_acronyms():
    assert sentence_case("High-Throughput Event Streams", {}) == "High-throughput event streams"
    assert sentence_case("Transactions and Lua Scripts", {"lua": 1.0}) == \
        "Transactions and Lua scripts"
    assert sentence_case("APIs and SPAs", {}) == "APIs and SPAs"


def test_the_contrast_comes_from_the_topic_title_when_the_problem_has_none(bank, choice):
    contrast = bank.contrasts[choice.id]
    assert contrast.title == "Polling vs Webhooks"
    assert set(contrast.sides) == {"Polling", "Webhooks"}
    assert sorted(n.text for n in contrast.of_side("Webhooks")) == [
        "Many idle subscribers", "Near real-time updates", "Strict rate limits"]
    assert len(bank.contrasts) == 1  # no other problem of the fixture spells one out


def test_the_key_is_a_need_of_one_side_and_the_distractors_the_others(bank, choice):
    contrast = bank.contrasts[choice.id]
    for point in choice.points:
        item = build_contrast_item(bank, choice, point, random.Random(4), 0)
        need = next(n for n in contrast.needs if n.point is point)
        other = next(s for s in contrast.sides if s != need.side)
        assert item and item.key == need.text
        assert set(item.distractors) == {n.text for n in contrast.of_side(other)}
        assert f"to choose {need.side.lower()} over {other.lower()}" in item.stem


def test_a_problem_without_a_contrast_gives_no_item(corpus, bank):
    problem = corpus.problems[0]
    assert not build_contrast_item(bank, problem, problem.points[0], random.Random(1), 0)


def test_one_contrast_item_per_problem_in_a_quiz(corpus):
    quiz = build_quiz(corpus, QuizOptions(count=40, seed=3, kinds=(WHICH_CONTRAST,)))
    assert len(quiz.items) == 1  # a second would show the first one's options
