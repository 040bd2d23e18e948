"""Naming items (name-concept, name-from-example): siblings of the key's shape, no echo, no
blank, context only where it gives nothing away."""
from __future__ import annotations

import random
from dataclasses import replace

import pytest

from pipeline.emit.quiz.bank import Bank
from pipeline.emit.quiz.naming import (NAME_CONCEPT, NAME_FROM_EXAMPLE, build_name_item,
                                       negates_idea, titles_clash)
from pipeline.emit.quiz.shapes import title_shape
from pipeline.emit.quiz.text import BLANK, echoes
from pipeline.inline import plain_text


def _problem(corpus, title):
    return next(p for p in corpus.problems if p.title == title)


def _point(problem, title):
    return next(pt for pt in problem.points if pt.title == title)


@pytest.mark.parametrize("title, shape", [
    ("Read Replicas", "action"), ("Use DataLoader Library", "action"),
    ("Separate Queue for Known Issues", "action"),  # an order, whatever its last word
    ("When to Use Layer 4", "when"),
    ("Vertical Scaling Limits", "aspect"), ("Cost Trade-offs", "aspect"),
    ("Seat-Based Limits", "action"), ("Usage-Based Costs", "action"),  # a kind of limit
    ("Real-World Example: A Shop", "aspect"), ("Preventing Cascading Failures", "aspect"),
    ("Sync Creates Cascade Failures", "claim"), ("Sagas Are Non-Blocking", "claim"),
    ("Webhook Retries", "action"), ("Publisher Confirms", "action"),
    ("Batch vs Streaming", "contrast"),
    ("What is a Saga?", "question"), ("How It Works", "question"),
    ("Identify Why Writes Stall", "question"),
    # An order with the reader's object is an action; talking to the reader is not.
    ("Version Your Schema", "action"), ("Read Your Writes from the Leader", "action"),
    ("Know Your Limits", "question"), ("Accept What You Lose", "question"),
    ("Protect Your Schema from You", "question"), ("Use Your Judgment?", "question"),
])
def test_title_shapes(title, shape):
    assert title_shape(title) == shape


@pytest.mark.parametrize("a, b, clash", [
    ("Token Bucket Algorithm", "Leaky Bucket Algorithm", False),  # parallel alternatives
    ("Fixed Window Counter", "Sliding Window Log", False),
    ("Read Committed", "Read Uncommitted", False),
    ("Vertical Scaling (Scale Up)", "Vertical Scaling as Quick Fix", True),  # one idea twice
    ("Use Async for Background Tasks", "Asynchronous Communication", True),
    ("Read Replicas", "Read Replica Failover", True),
    ("Circuit Breaker Pattern", "Rate Limiting", False),
])
def test_titles_that_name_one_idea_twice_clash(a, b, clash):
    assert titles_clash(a, b) is clash


@pytest.mark.parametrize("a, b, negates", [
    ("Escalate Non-Refundable Orders", "Refund Flow (Reversal)", True),  # the gloss is read
    ("No Persistence", "Snapshot Persistence", True),
    ("Chaos in Production", "Production Canary", False),  # "in" is a preposition here
    ("Token Bucket", "Leaky Bucket", False),
    ("Non-Blocking Reads", "Write Batching", False),  # nothing of the other negated
])
def test_a_title_negating_the_others_idea(a, b, negates):
    assert negates_idea(a, b) is negates and negates_idea(b, a) is negates


def test_a_shared_leading_name_is_no_clash():
    def names(word: str) -> bool:
        return word in {"S3"}
    assert not titles_clash("S3 Standard", "S3 Glacier Deep Archive", names)
    assert titles_clash("S3 Standard", "S3 Glacier Deep Archive")


@pytest.mark.parametrize("kind", [NAME_CONCEPT, NAME_FROM_EXAMPLE])
def test_name_items_use_siblings_and_never_blank(corpus, bank, kind):
    problem = _problem(corpus, "Slow Product Search")
    point = _point(problem, "Relevance Boosting")
    item = build_name_item(bank, problem, point, random.Random(1), 0, kind)
    assert item and item.key == point.title
    assert set(item.distractors) <= {pt.title for pt in problem.points} - {point.title}
    assert BLANK not in plain_text(item.stem)
    body = point.explanation if kind == NAME_CONCEPT else point.example
    assert plain_text(body) in plain_text(item.stem)
    assert not any(echoes(item.stem, o) for o in item.options)


def test_a_description_that_repeats_the_key_is_no_item(corpus, bank):
    problem = _problem(corpus, "Slow Signup Emails")
    point = _point(problem, "Separate Queues by Urgency")  # its example says "queue" twice
    found = build_name_item(bank, problem, point, random.Random(3), 0, NAME_FROM_EXAMPLE)
    assert not found and "repeats the key's words" in found.reason


def test_only_titles_of_the_keys_shape_are_distractors(corpus):
    problem = _problem(corpus, "Slow Product Search")
    renamed = {"Inverted Index Engine": "Inverted Index Benefits",
               "Typo Tolerance": "When to Tolerate Typos",
               "Facet Counts": "Why Facets Matter"}
    changed = replace(problem, points=tuple(replace(pt, title=renamed.get(pt.title, pt.title))
                                            for pt in problem.points))
    small = replace(corpus, problems=tuple(changed if p.id == problem.id else p
                                           for p in corpus.problems))
    bank = Bank(small)
    point = _point(changed, "Relevance Boosting")
    for seed in range(5):
        item = build_name_item(bank, changed, point, random.Random(seed), 0, NAME_CONCEPT)
        assert not item  # only two other action titles are left
    assert "fewer than three" in item.reason


def test_a_context_title_that_echoes_the_key_is_dropped(corpus):
    problem = _problem(corpus, "Slow Product Search")
    retitled = replace(problem, title="Boosting Relevance Cheaply")
    small = replace(corpus, problems=tuple(retitled if p.id == problem.id else p
                                           for p in corpus.problems))
    point = _point(retitled, "Relevance Boosting")
    item = build_name_item(Bank(small), retitled, point, random.Random(1), 0, NAME_CONCEPT)
    assert item and "Boosting Relevance Cheaply" not in item.stem
    assert not any(echoes(item.stem, o) for o in item.options)


def test_a_context_title_that_echoes_every_option_alike_is_kept(corpus, bank):
    problem = _problem(corpus, "Choosing Polling or Webhooks")
    point = _point(problem, "Use Polling for Firewalled Partners")
    items = [build_name_item(bank, problem, point, random.Random(seed), 0, NAME_CONCEPT)
             for seed in range(10)]
    kept = [i for i in items if i and "Choosing Polling or Webhooks" in i.stem]
    assert kept
    for item in kept:  # every option says "Polling" or "Webhooks", the key not alone
        assert all(echoes(item.stem, o) for o in item.options)


def test_distractor_triples_leave_no_option_the_odd_one_by_a_word():
    from pipeline.emit.quiz.naming import _odd_word

    # three "... Pagination" beside the key: the key is the odd one
    assert _odd_word("Filtering with Query Parameters", (
        "Return Pagination Metadata", "Offset-Based Pagination", "Cursor-Based Pagination"))
    # three "S3 ..." and one mechanism: that distractor is ruled out at once
    assert _odd_word("S3 Standard", ("S3 One Zone-IA", "S3 Intelligent-Tiering",
                                     "Lifecycle Policies"))
    # "for" in three titles is phrasing, not a word that tells a kind apart
    assert not _odd_word("Weighted Routing for Hardware", (
        "Least Connections for Long Requests", "Sticky Sessions for Carts",
        "Watch the Tail After Switching"))
    assert not _odd_word("Token Bucket", ("Leaky Bucket", "Fixed Window", "Sliding Log"))


def _boosting_distractors(corpus, changed, kind=NAME_CONCEPT):
    """Every distractor the "Relevance Boosting" item of "Slow Product Search" gets over
    eight seeds, with that problem replaced by ``changed``."""
    small = replace(corpus, problems=tuple(changed if p.id == changed.id else p
                                           for p in corpus.problems))
    bank = Bank(small)
    found = set()
    for seed in range(8):
        item = build_name_item(bank, changed, _point(changed, "Relevance Boosting"),
                               random.Random(seed), 0, kind)
        if item:
            found |= set(item.distractors)
    return found


def _retitled(problem, old, new):
    return replace(problem, points=tuple(replace(pt, title=new if pt.title == old else pt.title)
                                         for pt in problem.points))


def test_a_sibling_named_by_negating_the_keys_idea_is_no_distractor(corpus):
    problem = _problem(corpus, "Slow Product Search")
    assert "Facet Counts" in _boosting_distractors(corpus, problem)  # fair as it stands
    renamed = _retitled(problem, "Facet Counts", "Facet Counts (Non-Boosted)")
    assert "Facet Counts (Non-Boosted)" not in _boosting_distractors(corpus, renamed)


@pytest.mark.parametrize("title, combines", [
    ("Combine RBAC and ABAC", True), ("Hybrid Push/Pull Feeds", True),
    ("Combining Caches", True), ("Use a Hybrid Approach", True),
    ("Timeouts & Retries", False),  # two ideas side by side, not a combination of siblings
    ("Combined Index Scan", False), ("Role-Based Access", False),
])
def test_titles_that_combine_approaches(title, combines):
    from pipeline.emit.quiz.naming import combines_approaches

    assert combines_approaches(title) is combines


def test_a_combination_of_approaches_is_no_distractor_for_an_example(corpus):
    problem = _problem(corpus, "Slow Product Search")
    renamed = _retitled(problem, "Facet Counts", "Combine Facets and Filters")
    assert "Facet Counts" in _boosting_distractors(corpus, problem, NAME_FROM_EXAMPLE)
    assert "Combine Facets and Filters" not in _boosting_distractors(corpus, renamed,
                                                                     NAME_FROM_EXAMPLE)
    # an explanation describes one idea and not its combinations: the title stays fair
    assert "Combine Facets and Filters" in _boosting_distractors(corpus, renamed, NAME_CONCEPT)


@pytest.mark.parametrize("title, example, bounds", [
    ("Min/Max Replicas", "Keep 5 idle pods ready for a spike.", True),
    ("Maximum Pool Size", "A pool of 20 open connections per instance.", True),
    ("Limit Maximum Page Size", "/items?status=open&since=2024-01-01", False),  # a date
    ("Token Bucket", "Keep 5 idle pods ready for a spike.", False),  # no bound
    ("Max Pool Size", "Upgrade to v2.5 first.", False),  # a version is no amount
    ("Maximum Retry Attempts", "Retry after 30 seconds, then 2 more minutes.", False),
])
def test_a_bound_is_another_answer_for_an_example_that_sets_an_amount(title, example,
                                                                      bounds):
    from pipeline.emit.quiz.naming import bounds_an_amount

    assert bounds_an_amount(title, example) is bounds
