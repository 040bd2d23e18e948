"""Dedupe: repeats merge with every occurrence kept; look-alike titles with other bodies don't."""
from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.config import DedupeConfig
from pipeline.dedupe import merge_repeats
from pipeline.models import Occurrence, Point, Problem, RawTag, Where


def make(title: str, line: int, words: str, number: int = 1, layout: str = "joined",
         source: str = "s", points: int = 4) -> Problem:
    """A problem whose body is built from ``words`` so tests control how alike bodies are."""
    pts = tuple(Point(title=f"{words} step {i}",
                      explanation=f"Do the {words} thing number {i} well.",
                      example=f"A {words} example {i}.", where=Where(source, line + i),
                      raw_tags=(RawTag(f"{words} tag{i}", layout),)) for i in range(points))
    return Problem(id="", title=title, number=number, topic="t", question=f"How about {words}?",
                   summary=f"{words} matters.", points=pts,
                   occurrences=(Occurrence(source, line, None, number, title, "t"),))


def test_exact_repeat_merges_and_keeps_both_occurrences():
    a = make("Sharding the Orders Table", 10, "shard key range hash")
    b = replace(make("Sharding the Orders Table", 90, "shard key range hash", layout="link"))
    c = make("Caching Product Pages", 50, "cache ttl invalidation warmup")
    result = merge_repeats([a, c, b], DedupeConfig())
    assert len(result.problems) == 2
    merged = result.problems[0]
    assert [o.line for o in merged.occurrences] == [10, 90]
    # the link-layout copy is better evidenced than the joined one
    assert merged.points[0].raw_tags[0].layout == "link"
    assert len(result.merges) == 1 and result.merges[0].pairs[0].merged


def test_reused_number_does_not_merge_different_problems():
    a = make("Choosing a Shard Key", 10, "shard key cardinality hotspot", number=36)
    b = make("Zero Downtime Migrations", 20, "dual write backfill cutover", number=36)
    assert len(merge_repeats([a, b], DedupeConfig()).problems) == 2


def test_lookalike_titles_with_different_bodies_stay_apart_but_are_reported():
    a = make("Choosing a Cache Eviction Policy", 10, "lru lfu memory pressure eviction")
    b = make("Choosing a Cache Expiry Policy", 20, "ttl jitter stale reads expiry clocks")
    result = merge_repeats([a, b], DedupeConfig())
    assert len(result.problems) == 2
    assert len(result.near_misses) == 1 and result.near_misses[0].title >= 80


def test_retitled_copy_with_same_body_merges():
    a = make("Choosing a Shard Key", 10, "shard key cardinality hotspot", source="v1")
    b = make("Choosing the Shard Key", 15, "shard key cardinality hotspot", source="v2", number=7)
    result = merge_repeats([a, b], DedupeConfig())
    assert len(result.problems) == 1
    assert [o.source for o in result.problems[0].occurrences] == ["v1", "v2"]


def test_edited_point_still_merges():
    a = make("Handling Replica Lag", 10, "replica lag read your writes")
    edited_points = list(a.points)
    edited_points[1] = replace(edited_points[1], explanation="Route the user's reads to primary.")
    b = replace(a, points=tuple(edited_points),
                occurrences=(replace(a.occurrences[0], source="v2", line=70),))
    assert len(merge_repeats([a, b], DedupeConfig()).problems) == 1


def test_ids_are_stable_slugs_and_equal_titles_get_distinct_ids():
    a = make("Same Title", 10, "alpha beta gamma delta")
    b = make("Same Title", 20, "completely other words here")
    result = merge_repeats([a, b], DedupeConfig())
    ids = [p.id for p in result.problems]
    assert len(set(ids)) == 2 and all(i.startswith("same-title-") for i in ids)
    again = merge_repeats([a, b], DedupeConfig())
    assert [p.id for p in again.problems] == ids


def test_thresholds_come_from_config():
    a = make("Handling Replica Lag", 10, "replica lag read your writes")
    b = make("Handling Replica Lag", 20, "replica lag read your writes")
    strict = DedupeConfig(title_threshold=101, strong_body_threshold=101)
    assert len(merge_repeats([a, b], strict).problems) == 2


def test_curator_pairs_name_drafts_by_occurrence_in_any_order():
    from pipeline.models import DraftPair

    a = make("Sharding the Orders Table", 10, "shard key range hash")
    b = make("Sharding the Orders Table", 90, "shard key range hash")
    c = make("Caching Product Pages", 50, "cache ttl invalidation warmup")
    apart = [DraftPair(b.occurrences[0], a.occurrences[0])]  # later draft first: same pair
    assert len(merge_repeats([a, c, b], DedupeConfig(), forced_apart=apart).problems) == 3
    same = [DraftPair(c.occurrences[0], a.occurrences[0])]
    assert len(merge_repeats([a, c, b], DedupeConfig(), forced_same=same).problems) == 1
    stranger = make("Not In This Build", 7, "other words", source="elsewhere")
    with pytest.raises(ValueError):
        merge_repeats([a, c], DedupeConfig(), forced_same=[DraftPair(a.occurrences[0],
                                                                      stranger.occurrences[0])])
