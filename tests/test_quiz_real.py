"""The done-criteria on the real book: a 100-item quiz in two versions (skips without the book).

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

ITEM_CHECKS = ("four_options", "options_distinct", "no_paraphrase", "no_all_none_above",
               "no_combined_option", "length_homogeneous", "no_stem_key_cue")


@pytest.fixture(scope="module")
def real_quiz(real_corpus):
    built = quiz_outputs(real_corpus, QuizOptions(count=100, seed=1, versions=2, name="real"),
                         make_environment())
    return built, json.loads(built.files["quizzes/real/quiz.json"])


def test_hundred_items_four_distinct_options_one_key(real_quiz):
    _, data = real_quiz
    for version in data["versions"]:
        assert len(version["items"]) == 100
        for item in version["items"]:
            assert len(item["options"]) == 4
            assert len({o.strip().lower() for o in item["options"]}) == 4
            assert 0 <= item["answer"] < 4


def test_check_rates_meet_their_targets(real_quiz):
    built, data = real_quiz
    checks = data["checks"]
    for name in ITEM_CHECKS:
        assert checks[name]["rate"] == 1.0, name
    assert checks["key_not_longest_cue"]["key_longest_rate"] <= 1 / 4 + 0.05
    for version in checks["key_positions"].values():
        assert all(abs(n - 25) <= 1 for n in version["letters"].values())
        assert version["longest_run"] <= 3
    assert checks["version_changes"][0]["key_letter_changed_rate"] == 1.0
    assert checks["version_changes"][0]["item_order_changed"]


def test_pdfs_open_and_no_question_is_split(real_quiz):
    built, data = real_quiz
    assert_no_question_split(built.files, "quizzes/real", data)


def test_lms_files_parse(real_quiz):
    built, data = real_quiz
    root = ET.fromstring(built.files["quizzes/real/quiz.moodle.xml"])
    assert len(root.findall("question[@type='multichoice']")) == 100
    questions = parse_gift(built.files["quizzes/real/quiz.gift"].decode())
    assert [q["stem"] for q in questions] == [gift_html(i["stem"])
                                              for i in data["versions"][0]["items"]]
    assert [q["answer"] for q in questions] == [[i["answer"]]
                                                for i in data["versions"][0]["items"]]
