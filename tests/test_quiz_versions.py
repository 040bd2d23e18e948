"""Per-student versions: codes, fast key letters (identical to counting conflicts anew), many
versions from one seed with balanced keys."""
from __future__ import annotations

import random
from collections import Counter
from typing import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.emit.quiz import QuizOptions
from pipeline.emit.quiz.assemble import assign_letters, build_quiz, version_code
from pipeline.emit.quiz.checks import MAX_RUN, letters_balanced, longest_run
from pipeline.emit.quiz.generate import Item


def reference_assign_letters(order: Sequence[Item], k: int, rng: random.Random,
                             earlier: Sequence[dict[str, int]]) -> list[int]:
    """The key-letter search as first written: every move recounts every conflict. The fast
    version must make the same moves with the same outcome."""
    n = len(order)
    letters = [letter for letter in range(k) for _ in range(n // k)]
    letters += rng.sample(range(k), n % k)
    rng.shuffle(letters)
    # With more versions than letters, only the last k-1 versions can all differ.
    recent = list(earlier)[-(k - 1):]

    def cost(current: list[int]) -> int:
        clash = sum(1 for i in range(n) for version in recent
                    if version.get(order[i].id) == current[i])
        runs = 0
        run = 0
        for i in range(n):
            run = run + 1 if i and current[i] == current[i - 1] else 1
            runs += run > MAX_RUN
        return clash + runs

    best = cost(letters)
    for _ in range(20000):
        if best == 0:
            break
        a, b = rng.randrange(n), rng.randrange(n)
        old = list(letters)
        if letters[a] != letters[b]:
            letters[a], letters[b] = letters[b], letters[a]
        else:
            letters[a] = rng.randrange(k)
            if not letters_balanced(letters, k) or \
                    max(letters.count(x) for x in range(k)) > -(-n // k):
                letters = old
                continue
        new = cost(letters)
        if new <= best:
            best = new
        else:
            letters = old
    return letters



def _items(n: int) -> list[Item]:
    return [Item(f"i{i}", "k", "p", "t", "s", "key", ("a", "b", "c"), "key") for i in range(n)]


@settings(max_examples=80, deadline=None)
@given(n=st.integers(min_value=1, max_value=60), seed=st.integers(min_value=0, max_value=10**6),
       versions=st.integers(min_value=1, max_value=6))
def test_fast_letters_are_the_reference_letters(n, seed, versions):
    fast_rng, slow_rng = random.Random(seed), random.Random(seed)
    items = _items(n)
    fast_earlier: list[dict[str, int]] = []
    slow_earlier: list[dict[str, int]] = []
    for _ in range(versions):
        order = list(items)
        fast_rng.shuffle(order)
        slow_rng.shuffle(order[:])  # keep both generators in step
        fast = assign_letters(order, 4, fast_rng, fast_earlier)
        slow = reference_assign_letters(order, 4, slow_rng, slow_earlier)
        assert fast == slow
        fast_earlier.append({item.id: letter for item, letter in zip(order, fast)})
        slow_earlier.append({item.id: letter for item, letter in zip(order, slow)})


@pytest.mark.parametrize("number, code", [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"),
                                          (27, "AB"), (51, "AZ"), (52, "BA"), (199, "GR"),
                                          (701, "ZZ"), (702, "AAA")])
def test_version_codes_are_letters_then_letter_pairs(number, code):
    assert version_code(number) == code


def test_codes_are_unique_over_a_thousand_versions():
    codes = [version_code(i) for i in range(1000)]
    assert len(set(codes)) == 1000 and all(code.isalpha() and code.isupper() for code in codes)


@pytest.fixture(scope="module")
def many(quiz_fixture_corpus):
    return build_quiz(quiz_fixture_corpus, QuizOptions(count=30, seed=9, versions=120))


def test_a_hundred_and_twenty_versions_from_one_seed(many):
    assert [v.name for v in many.versions][:3] == ["A", "B", "C"]
    assert many.versions[26].name == "AA" and many.versions[-1].name == "DP"
    ids = sorted(p.item.id for p in many.versions[0].items)
    orders = set()
    for version in many.versions:
        assert sorted(p.item.id for p in version.items) == ids  # the same questions
        orders.add(tuple(p.item.id for p in version.items))
        letters = [p.answer for p in version.items]
        assert letters_balanced(letters, 4) and longest_run(letters) <= MAX_RUN
        for placed in version.items:
            assert placed.options[placed.answer] == placed.item.key
            assert sorted(placed.options) == sorted(placed.item.options)
    assert len(orders) == 120  # every version has its own order of questions


def test_each_key_moves_away_from_the_version_before(many):
    by_version = [{p.item.id: p.answer for p in v.items} for v in many.versions]
    for before, after in zip(by_version, by_version[1:]):
        assert all(before[item] != letter for item, letter in after.items())


def test_up_to_four_versions_every_key_moves_away_from_all_earlier_ones(quiz_fixture_corpus):
    # A multiple of four questions: with 22 or 23 the fourth version's letters are forced
    # (the one letter left per key) and need not balance; main behaves the same way.
    quiz = build_quiz(quiz_fixture_corpus, QuizOptions(count=20, seed=3, versions=4))
    assert len(quiz.items) == 20
    by_version = [{p.item.id: p.answer for p in v.items} for v in quiz.versions]
    for index, version in enumerate(by_version):
        for earlier in by_version[:index]:
            assert all(earlier[item] != letter for item, letter in version.items())


def test_option_orders_differ_between_neighbouring_versions(many):
    differing = Counter()
    for before, after in zip(many.versions, many.versions[1:]):
        options = {p.item.id: p.options for p in before.items}
        for placed in after.items:
            differing[placed.options != options[placed.item.id]] += 1
    assert differing[True] == sum(differing.values())  # the key moved, so the order did
    distinct = {p.options for v in many.versions for p in v.items if p.item.id ==
                many.versions[0].items[0].item.id}
    assert len(distinct) > 4  # distractors are reshuffled too, not only the key moved


def test_same_seed_same_versions(quiz_fixture_corpus, many):
    again = build_quiz(quiz_fixture_corpus, QuizOptions(count=30, seed=9, versions=120))
    assert again.versions == many.versions
