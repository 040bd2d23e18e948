"""Quiz assembly: reproducible from the seed, balanced key letters, version B reshuffled."""
from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.emit.quiz import QuizOptions, quiz_outputs
from pipeline.emit.quiz.assemble import assign_letters, build_quiz
from pipeline.emit.quiz.checks import longest_run
from pipeline.emit.quiz.generate import Item
from pipeline.errors import DrillbookError
from pipeline.templating import make_environment

@pytest.fixture(scope="module")
def quiz(corpus):
    return build_quiz(corpus, QuizOptions(count=20, seed=5, versions=2))


def test_the_same_seed_gives_the_same_files(corpus):
    options = QuizOptions(count=20, seed=11, pdf=False)
    first = quiz_outputs(corpus, options, make_environment()).files
    second = quiz_outputs(corpus, options, make_environment()).files
    assert first == second
    other = quiz_outputs(corpus, QuizOptions(count=20, seed=12, pdf=False),
                         make_environment()).files
    assert other["quizzes/default/quiz.json"] != first["quizzes/default/quiz.json"]


def test_count_and_kinds_in_equal_turns(quiz):
    assert len(quiz.items) == 20
    assert len({i.id for i in quiz.items}) == 20
    kinds = Counter(i.kind for i in quiz.items)
    assert set(kinds) == {"name-concept", "name-from-example", "which-command",
                          "which-contrast"}
    # the fixture has one contrast (one item a quiz) and a few named commands: the naming
    # kinds fill their turns
    assert kinds["which-contrast"] == 1 and kinds["which-command"] <= 3


def test_key_letters_balanced_and_without_long_runs(quiz):
    for version in quiz.versions:
        letters = Counter(p.answer for p in version.items)
        assert all(abs(letters[i] - 20 / 4) <= 1 for i in range(4))  # 5 each, within one
        assert longest_run([p.answer for p in version.items]) <= 3


def test_version_b_same_items_other_order_other_letters(quiz):
    a, b = quiz.versions
    assert a.name == "A" and b.name == "B"
    assert sorted(p.item.id for p in a.items) == sorted(p.item.id for p in b.items)
    assert [p.item.id for p in a.items] != [p.item.id for p in b.items]
    in_a = {p.item.id: p for p in a.items}
    for placed in b.items:
        before = in_a[placed.item.id]
        assert placed.answer != before.answer
        assert sorted(placed.options) == sorted(before.options)
        assert placed.options[placed.answer] == placed.item.key == before.options[before.answer]


def test_every_shipped_item_passes_every_check(quiz):
    checks = quiz.checks
    for name in ("four_options", "options_distinct", "no_paraphrase", "no_nested_option",
                 "no_all_none_above", "no_combined_option", "length_homogeneous",
                 "no_stem_key_cue", "stem_echo_even", "same_kind", "same_subject",
                 "stem_readable"):
        assert checks[name]["rate"] == 1.0, name
    assert checks["key_not_longest_cue"]["key_longest_rate"] <= 0.30
    assert all(v["balanced"] and v["runs_ok"] for v in checks["key_positions"].values())
    assert checks["version_changes"][0]["key_letter_changed_rate"] == 1.0


def test_topics_by_id_or_title_and_kinds_filter(corpus):
    quiz = build_quiz(corpus, QuizOptions(count=6, seed=2, topics=("Search Indexing",),
                                          kinds=("name-concept",)))
    assert {i.topic for i in quiz.items} == {"search-indexing"}
    assert {i.kind for i in quiz.items} == {"name-concept"}
    same = build_quiz(corpus, QuizOptions(count=6, seed=2, topics=("search-indexing",),
                                          kinds=("name-concept",)))
    assert [i.id for i in same.items] == [i.id for i in quiz.items]


def test_asking_for_more_than_there_is_says_so(corpus):
    quiz = build_quiz(corpus, QuizOptions(count=500, seed=1))
    assert 20 <= len(quiz.items) < 500
    assert any(d.code == "quiz-short" for d in quiz.diagnostics)


@pytest.mark.parametrize("options, message", [
    (QuizOptions(topics=("no-such-topic",)), "unknown topic"),
    (QuizOptions(kinds=("true-false",)), "unknown quiz kind"),
    (QuizOptions(count=0), "at least 1"),
    (QuizOptions(versions=0), "versions"),
])
def test_bad_options_are_one_clear_error(corpus, options, message):
    with pytest.raises(DrillbookError, match=message):
        build_quiz(corpus, options)


def _items(n):
    return [Item(f"i{i}", "k", "p", "t", "s", "key", ("a", "b", "c"), "key") for i in range(n)]


@settings(max_examples=60, deadline=None)
@given(n=st.integers(min_value=1, max_value=80), seed=st.integers(min_value=0, max_value=10**6))
def test_assigned_letters_are_balanced_runless_and_move_in_the_next_version(n, seed):
    rng = random.Random(seed)
    items = _items(n)
    first = assign_letters(items, 4, rng, [])
    order = list(items)
    rng.shuffle(order)
    second = assign_letters(order, 4, rng, [{item.id: letter for item, letter in
                                              zip(items, first)}])
    for letters in (first, second):
        counts = Counter(letters)
        assert all(abs(counts.get(i, 0) - n / 4) <= 1 for i in range(4))
        assert longest_run(letters) <= 3
    before = {item.id: letter for item, letter in zip(items, first)}
    assert all(before[item.id] != letter for item, letter in zip(order, second))


def test_no_key_is_asked_twice_and_items_share_few_options(corpus):
    from pipeline.emit.quiz.select import MAX_SHARED_OPTIONS
    from pipeline.emit.quiz.text import normalized

    quiz = build_quiz(corpus, QuizOptions(count=8, seed=4))
    keys = [normalized(i.key) for i in quiz.items]
    assert len(keys) == len(set(keys))
    sets = [{normalized(o) for o in i.options} for i in quiz.items]
    assert all(len(a & b) <= MAX_SHARED_OPTIONS for n, a in enumerate(sets) for b in sets[n + 1:])


def test_a_key_naming_the_same_idea_as_an_asked_one_is_not_asked_again():
    from pipeline.emit.quiz.select import _repeats_key
    from pipeline.emit.quiz.text import normalized

    asked = {normalized("Display Staleness Warnings")}
    def item(key):
        return Item("i", "name-concept", "p", "t", "s", key, ("a b", "c d", "e f"), key)
    assert _repeats_key(item("Display Staleness Warnings"), asked)
    assert _repeats_key(item("Display Staleness to User"), asked)  # another problem's title
    assert not _repeats_key(item("Display Error Budgets"), asked)
