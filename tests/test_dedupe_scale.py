"""Dedupe on synthetic sets whose true clusters are known: blocks keep recall and precision."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from bench.synthetic import pair_quality, predicted_clusters, synthetic_set
from pipeline import dedupe
from pipeline.config import DedupeConfig
from pipeline.ids import normalize_title
from pipeline.models import Occurrence, Point, Problem, Where


@pytest.fixture(scope="module")
def two_thousand():
    return synthetic_set(2000, seed=11)


def test_pair_quality_on_a_hand_worked_example():
    # truth: {0,1,2} {3,4} {5}; predicted: {0,1} {2,3,4} {5}
    truth = [0, 0, 0, 1, 1, 2]
    predicted = [7, 7, 8, 8, 8, 9]
    quality = pair_quality(truth, predicted)
    # true pairs 01 02 12 34 = 4; found pairs 01 23 24 34 = 4; correct: 01 34 = 2
    assert (quality.true_pairs, quality.found_pairs, quality.correct_pairs) == (4, 4, 2)
    assert quality.recall == 0.5 and quality.precision == 0.5


def test_generator_makes_many_small_clusters_and_decoys(two_thousand):
    sizes = Counter(Counter(two_thousand.clusters).values())
    assert len(two_thousand.problems) == 2000
    assert set(sizes) <= {1, 2, 3, 4} and len(sizes) == 4
    # ~2.15 copies per problem: about 930 distinct problems, not a handful copied
    assert 800 <= two_thousand.cluster_count <= 1100
    assert two_thousand.decoys >= 40
    # every occurrence is a distinct place, so merged copies can be traced back
    places = {(p.occurrences[0].source, p.occurrences[0].line) for p in two_thousand.problems}
    assert len(places) == 2000


def test_blocked_dedupe_recovers_the_true_clusters(two_thousand):
    result = dedupe.merge_repeats(two_thousand.problems, DedupeConfig())
    quality = pair_quality(two_thousand.clusters,
                           predicted_clusters(two_thousand.problems, result.problems))
    assert quality.true_pairs > 1000
    assert quality.recall >= 0.99
    assert quality.precision >= 0.99
    # decoys (look-alike titles, other bodies) are reported, not merged
    assert len(result.near_misses) >= two_thousand.decoys


def test_blocks_find_what_all_pairs_finds():
    dataset = synthetic_set(400, seed=3)
    blocked = dedupe.merge_repeats(dataset.problems, DedupeConfig())
    exhaustive = dedupe.merge_with_candidates(dataset.problems, DedupeConfig(), dedupe.all_pairs)
    assert ([p.occurrences for p in blocked.problems]
            == [p.occurrences for p in exhaustive.problems])
    assert ({(s.a, s.b) for s in blocked.near_misses}
            == {(s.a, s.b) for s in exhaustive.near_misses})


def test_blocks_are_a_small_share_of_all_pairs(two_thousand):
    titles = [normalize_title(p.title) for p in two_thousand.problems]
    bodies = [dedupe.body_text(p) for p in two_thousand.problems]
    found = dedupe.candidate_pairs(titles, bodies)
    assert found.first.size < 0.05 * (2000 * 1999 // 2)
    assert (found.first < found.second).all()


def _copy(problem: Problem, line: int) -> Problem:
    return replace(problem, occurrences=(Occurrence("s", line, None, 1, problem.title, "t"),))


def test_an_oversized_bucket_still_merges_every_copy():
    # 300 identical copies share every band: the bucket is capped, yet all merge.
    base = Problem(id="", title="Rotating Signing Keys", number=1, topic="t",
                   question="How do you rotate keys without downtime?", summary="Overlap them.",
                   points=tuple(Point(title=f"Step {i}", explanation=f"Publish key {i} early.",
                                      example=f"Key {i} lives in the JWKS set.",
                                      where=Where("s", i)) for i in range(3)),
                   occurrences=())
    copies = [_copy(base, line) for line in range(1, 301)]
    assert len(copies) > dedupe.BUCKET_CAP
    result = dedupe.merge_repeats(copies, DedupeConfig())
    assert len(result.problems) == 1
    assert len(result.problems[0].occurrences) == 300


def test_problems_without_body_text_do_not_crash_the_blocks():
    bare = [_copy(Problem(id="", title=title, number=1, topic="t", question="", summary="",
                          points=(), occurrences=()), line)
            for line, title in enumerate(["Alpha Queue", "Beta Cache", ""], 1)]
    result = dedupe.merge_repeats(bare, DedupeConfig())
    assert sum(len(p.occurrences) for p in result.problems) == 3


def test_bench_cases_report_time_memory_and_quality():
    from bench.dedupe_scale import run_case

    blocked = run_case(300, "blocked", seed=5)
    exhaustive = run_case(300, "all-pairs", seed=5)
    for case in (blocked, exhaustive):
        assert case["recall"] >= 0.99 and case["precision"] >= 0.99
        assert case["seconds"] >= 0 and case["peak_rss_mb"] > 0
        assert case["estimated"] is False
    assert exhaustive["candidate_pairs"] == 300 * 299 // 2
    assert blocked["candidate_pairs"] < exhaustive["candidate_pairs"] // 5


def test_the_datasketch_comparison_builds_blocks_that_merge_the_same():
    # bench/datasketch_blocks.py is what docs/dedupe.md's datasketch numbers measure: it must
    # do the same job (same merges, same near-miss pairs found) for the numbers to mean much.
    from bench.datasketch_blocks import candidate_pairs as datasketch_pairs

    dataset = synthetic_set(400, seed=3)
    ours = dedupe.merge_repeats(dataset.problems, DedupeConfig())
    theirs = dedupe.merge_with_candidates(dataset.problems, DedupeConfig(), datasketch_pairs)
    assert [p.occurrences for p in theirs.problems] == [p.occurrences for p in ours.problems]
    assert [p.id for p in theirs.problems] == [p.id for p in ours.problems]
    found = datasketch_pairs([normalize_title(p.title) for p in dataset.problems],
                             [dedupe.body_text(p) for p in dataset.problems])
    assert (found.first < found.second).all() and found.first.size < 400 * 399 // 10
