"""The done-criteria on the real book: a 50-item quiz in two versions (skips without the book).

Nothing from the book is stored: the corpus is built into a temporary folder and only
counts and rates are asserted.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from pipeline.emit.quiz import QuizOptions, quiz_outputs
from pipeline.templating import make_environment
from test_quiz_render import assert_no_question_split, gift_html, parse_gift

from pipeline.emit.quiz.bank import Bank
from pipeline.emit.quiz.checks import ITEM_CHECKS, CheckTally
from pipeline.emit.quiz.generate import BUILDERS
from pipeline.emit.quiz.select import build_checked
from pipeline.emit.quiz.solver import CueSolver, solver_report


@pytest.fixture(scope="module")
def real_quiz(real_corpus):
    built = quiz_outputs(real_corpus, QuizOptions(count=50, seed=1, versions=2, name="real"),
                         make_environment())
    return built, json.loads(built.files["quizzes/real/quiz.json"])


def test_fifty_items_four_distinct_options_one_key(real_quiz):
    _, data = real_quiz
    for version in data["versions"]:
        assert len(version["items"]) == 50
        for item in version["items"]:
            assert len(item["options"]) == 4
            assert len({o.strip().lower() for o in item["options"]}) == 4
            assert 0 <= item["answer"] < 4


def test_check_rates_meet_their_targets(real_quiz):
    built, data = real_quiz
    checks = data["checks"]
    for name in ITEM_CHECKS:
        assert checks[name]["rate"] == 1.0, name
    assert checks["kinds"]["which-command"] >= 4 and checks["kinds"]["which-contrast"] >= 2
    assert checks["key_not_longest_cue"]["key_longest_rate"] <= 1 / 4 + 0.05
    for version in checks["key_positions"].values():
        assert all(abs(n - 12.5) <= 1 for n in version["letters"].values())
        assert version["longest_run"] <= 3
    assert checks["version_changes"][0]["key_letter_changed_rate"] == 1.0
    assert checks["version_changes"][0]["item_order_changed"]


def test_pdfs_open_and_no_question_is_split(real_quiz):
    built, data = real_quiz
    assert_no_question_split(built.files, "quizzes/real", data)


def test_lms_files_parse(real_quiz):
    built, data = real_quiz
    versions = [item for version in data["versions"] for item in version["items"]]
    pooled = {item["id"]: item for item in data["versions"][0]["items"]}
    expected = versions + [pooled[i] for pool in data["pools"] for i in pool["items"]]
    root = ET.fromstring(built.files["quizzes/real/quiz.moodle.xml"])
    assert len(root.findall("question[@type='multichoice']")) == len(expected) == 150
    questions = parse_gift(built.files["quizzes/real/quiz.gift"].decode())
    assert [q["stem"] for q in questions] == [gift_html(i["stem"]) for i in expected]
    assert [q["answer"] for q in questions] == [[i["answer"]] for i in expected]


def test_a_hundred_per_student_versions_with_balanced_keys(real_corpus):
    from pipeline.emit.quiz.assemble import build_quiz
    from pipeline.emit.quiz.checks import letters_balanced, longest_run

    quiz = build_quiz(real_corpus, QuizOptions(count=30, seed=3, versions=100))
    assert len(quiz.versions) == 100 and len({v.name for v in quiz.versions}) == 100
    for before, version in zip([None, *quiz.versions], quiz.versions):
        letters = [p.answer for p in version.items]
        assert len(letters) == 30 and letters_balanced(letters, 4) and longest_run(letters) <= 3
        if before is not None:
            previous = {p.item.id: p.answer for p in before.items}
            assert all(previous[p.item.id] != p.answer for p in version.items)


@pytest.fixture(scope="module")
def every_item(real_corpus):
    """Every item each kind makes on the real book (each point once, seeds 1 and 2)."""
    bank = Bank(real_corpus)
    solver = CueSolver(real_corpus)
    items = []
    for seed in (1, 2):
        for kind in BUILDERS:
            for problem in real_corpus.problems:
                for point in problem.points:
                    item = build_checked(bank, kind, problem, point, seed, CheckTally.empty(),
                                         subjects=solver.subjects)
                    if item is not None:
                        items.append(item)
    return items, solver


def test_a_knowledge_free_solver_stays_near_chance(every_item):
    items, solver = every_item
    report = solver_report(items, solver)
    assert len(items) > 160  # about 90 per seed on this book
    assert report["accuracy"] <= 0.35, report
    for kind, accuracy in report["per_kind"].items():
        assert accuracy <= 0.45, (kind, report)
    # no single cue, nor its reverse, does much better than a guess either
    for cue, rates in report["per_cue"].items():
        assert max(rates.values()) <= 0.40, (cue, rates)
