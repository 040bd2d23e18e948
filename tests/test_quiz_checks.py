"""The item checks catch each flaw they are named after, on hand-made items."""
from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.emit.quiz import select
from pipeline.emit.quiz.bank import Bank
from pipeline.emit.quiz.checks import (CheckTally, item_failures, item_findings, key_is_longest,
                                       letters_balanced, longest_run)
from pipeline.emit.quiz.generate import Item, pick_distractors
from pipeline.emit.quiz.items import AVOID_SHORTEST
from pipeline.emit.quiz.solver import SubjectModel

GOOD = Item(id="i", kind="name-concept", problem="p", topic="t",
            stem="Which idea keeps a copy of the data for reads only?",
            key="Follower Replica", distractors=("Hash Partitioning", "Write Batching",
                                                 "Circuit Breaker"),
            point="Follower Replica")


def test_a_good_item_passes_every_check():
    assert item_failures(GOOD) == []


@pytest.mark.parametrize("change, failure", [
    ({"distractors": ("Hash Partitioning", "Write Batching")}, "four_options"),
    ({"distractors": ("follower  replica", "Write Batching", "Circuit Breaker")},
     "options_distinct"),
    ({"distractors": ("Add Follower Replicas", "Write Batching", "Circuit Breaker")},
     "no_paraphrase"),
    ({"distractors": ("Hash Partitioning", "Write Batching", "None of the above")},
     "no_all_none_above"),
    ({"distractors": ("Hash Partitioning", "Write Batching",
                      "Hash Partitioning and Write Batching")}, "no_combined_option"),
    ({"distractors": ("Hash Partitioning", "Write Batching", "CDN")}, "length_homogeneous"),
    ({"stem": "Which idea adds a follower for reads?"}, "no_stem_key_cue"),
    # near forms count: "replicated" cues "Replica"
    ({"stem": "Which idea keeps data replicated for reads only?"}, "no_stem_key_cue"),
    ({"distractors": ("Follower Replica Lag Alerts", "Write Batching", "Circuit Breaker")},
     "no_nested_option"),
    # a distractor the stem echoes is ruled out at once: an anti-cue
    ({"stem": "Which idea keeps a copy of the data so writes need no batching?"},
     "stem_echo_even"),
    ({"distractors": ("Hash Partitioning", "Write Batching", "EXPLAIN ANALYZE")}, "same_kind"),
    ({"distractors": ("When to Partition", "Write Batching", "Circuit Breaker")}, "same_kind"),
    # every distractor says "Use SQL", the key does not: the odd one out
    ({"key": "Use NoSQL for Flexible Schemas", "distractors": (
        "Use SQL for Complex Joins", "Use SQL for Strict Schemas", "Use SQL for Transactions")},
     "same_kind"),
    # three options say "Shard", one distractor does not: it is ruled out at once
    ({"key": "Shard by Tenant", "distractors": (
        "Shard by Region", "Shard by Hash Range", "Circuit Breaker")}, "same_kind"),
    ({"stem": "Which idea fills the blanks: ___ keeps ___ for reads?"}, "stem_readable"),
    ({"stem": "Which idea keeps a copy of the data for `reads only?"}, "stem_readable"),
])
def test_each_flaw_is_caught_by_its_check(change, failure):
    assert failure in item_failures(replace(GOOD, **change))


def test_a_stem_word_shared_with_a_distractor_too_is_no_cue():
    item = replace(GOOD, stem="Which follower setup serves reads?",
                   distractors=("Follower Lag Alerts", "Write Batching", "Circuit Breaker"))
    assert "no_stem_key_cue" not in item_failures(item)


def test_key_longest_is_strict():
    assert key_is_longest(replace(GOOD, key="Follower Replica Reads", point="x"))
    assert not key_is_longest(replace(GOOD, distractors=("Hash Partitions", "Write Batching",
                                                         "Circuit Breakerz")))


@pytest.mark.parametrize("letters, run", [([0, 0, 0, 1, 1], 3), ([0, 1, 2, 3], 1), ([], 0),
                                          ([2, 2, 2, 2], 4)])
def test_longest_run(letters, run):
    assert longest_run(letters) == run


def test_letters_balanced_within_one_of_n_over_k():
    assert letters_balanced([0, 1, 2, 3, 0, 1], 4)  # 2,2,1,1 around 1.5
    assert letters_balanced([0, 0, 0, 1, 2, 3, 1, 2], 4)  # A three times, n/k = 2: within one
    assert not letters_balanced([0, 0, 0, 0, 1, 2, 3, 1], 4)


def test_pick_distractors_skips_paraphrases_lengths_and_combined():
    candidates = ["Add Read Replicas",  # paraphrase of the key
                  "A Very Long Option About Sharding", "Queues",  # too long, too short
                  "Caching", "Sharding",
                  "Cache + Shard",  # joins two picks
                  "Indexes"]
    assert pick_distractors("Read Replicas", candidates, 3) == ("Caching", "Sharding", "Indexes")


def test_pick_distractors_can_keep_the_key_from_being_longest():
    candidates = ["Sharding", "Indexing", "Batching", "Write Queue Logs"]
    assert pick_distractors("Read Replicas", candidates, 3) == ("Sharding", "Indexing", "Batching")
    assert pick_distractors("Read Replicas", candidates, 3, avoid_key_longest=True) == \
        ("Sharding", "Indexing", "Write Queue Logs")


def test_pick_distractors_can_keep_the_key_from_being_shortest():
    candidates = ["Sharding Keys", "Indexing Rows", "Batching Jobs", "Caching"]
    assert pick_distractors("Read Replicas", candidates, 3) == \
        ("Sharding Keys", "Indexing Rows", "Batching Jobs")
    assert pick_distractors("Read Replicas", candidates, 3, avoid_key_longest=AVOID_SHORTEST) \
        == ("Sharding Keys", "Indexing Rows", "Caching")


def test_same_subject_needs_the_corpus_topics(quiz_fixture_corpus):
    subjects = SubjectModel(quiz_fixture_corpus)
    item = Item("i", "name-concept", "p", "t",
                stem="Which idea makes product search with tokens and stems fast?",
                key="Inverted Index Engine",
                distractors=("Typo Tolerance", "Relevance Boosting", "Rotate Passwords"),
                point="Inverted Index Engine")
    assert "same_subject" not in item_failures(item)  # without the corpus, no opinion
    assert "Rotate Passwords" in item_findings(item, 4, subjects)["same_subject"]
    fair = replace(item, distractors=("Typo Tolerance", "Relevance Boosting", "Facet Counts"))
    assert "same_subject" not in item_failures(fair, 4, subjects)


def test_every_rejected_item_is_listed_with_its_reasons(quiz_fixture_corpus, monkeypatch):
    flawed = replace(GOOD, distractors=("Hash Partitioning", "Write Batching", "Queues"))
    monkeypatch.setitem(select.BUILDERS, "name-concept", lambda *args: flawed)
    bank = Bank(quiz_fixture_corpus)
    problem = quiz_fixture_corpus.problems[0]
    tally = CheckTally.empty()
    assert select.build_checked(bank, "name-concept", problem, problem.points[0], 1, tally) is None
    assert tally.dropped == 1 and len(tally.rejected) == select.REPAIR_ATTEMPTS
    first = tally.rejected[0]
    assert first["key"] == "Follower Replica" and first["attempt"] == 0
    assert set(first["failed"]) == {"length_homogeneous"}
    assert "lengths 6 to" in first["failed"]["length_homogeneous"]


def test_pick_distractors_takes_one_per_group():
    groups = {"Caching": "t1", "Sharding": "t1", "Indexes": "t2", "Queues": "t3"}
    assert pick_distractors("Replicas", list(groups), 3, group_of=groups) == \
        ("Caching", "Indexes", "Queues")


def test_rebalancing_rebuilds_items_whose_key_is_the_shortest(quiz_fixture_corpus, monkeypatch):
    from pipeline.emit.quiz.assemble import QuizOptions
    from pipeline.emit.quiz.checks import key_is_shortest

    def builder(bank, problem, point, rng, avoid):
        # the key is the shortest option unless a rebuild asks otherwise
        distractors = ("Hash Partitions", "Write Batchings", "Circuit Breaker") \
            if avoid != AVOID_SHORTEST else ("Hash Partitions", "Write Batch", "Breakers")
        return replace(GOOD, id=f"{problem.id}:{point.title}", problem=problem.id,
                       point=point.title, key="Follow Replica", distractors=distractors)

    monkeypatch.setitem(select.BUILDERS, "name-concept", builder)
    bank = Bank(quiz_fixture_corpus)
    problem = quiz_fixture_corpus.problems[0]
    tally = CheckTally.empty()
    items = [builder(bank, problem, pt, None, 0) for pt in problem.points[:4]]
    assert all(key_is_shortest(i) for i in items)
    rebalanced = select.rebalance_longest_keys(bank, items, QuizOptions(seed=1), tally)
    assert sum(key_is_shortest(i) for i in rebalanced) == 1  # a quarter of four
    assert tally.rebalanced == 3
