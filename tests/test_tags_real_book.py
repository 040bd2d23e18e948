"""The tags stage on the real book (skipped unless DRILLBOOK_BOOK is set)."""
from __future__ import annotations

import re

import pytest

from pipeline.build import SourceInput, build_corpus
from pipeline.config import Config
from pipeline.tags import TagAliases, normalize_tags
from pipeline.tags.words import tag_words

RESIDUE = re.compile(r"\*\*|`|\[|\]|\]\(#?\)|\\n")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def result(real_book):
    built = build_corpus([SourceInput(real_book, str(real_book))], Config())
    return built, normalize_tags(built.corpus, built.dedupe.evidence, TagAliases())


def test_every_tagged_point_gets_clean_separate_tags(result):
    built, tagged = result
    for problem in tagged.corpus.problems:
        for point in problem.points:
            if any(tag_words(raw.text) for raw in point.raw_tags):
                assert point.tags, point.where
            assert len(set(point.tags)) == len(point.tags)
    for tag in tagged.corpus.tags:
        assert SLUG.match(tag.id), tag.id
        for text in (tag.label, *tag.forms):
            assert not RESIDUE.search(text), (tag.id, text)
    # Joined rows are split: far more tags than rows, and most rows hold several tags.
    assert tagged.stats["split_rows"] > 0.6 * tagged.stats["joined_rows"]


def test_splits_keep_the_rows_words_and_are_sorted(result):
    _, tagged = result
    for split in tagged.splits:
        assert [w for p in split.parts for w in p.split()] == split.text.split()
    assert [s.confidence for s in tagged.splits] == sorted(s.confidence for s in tagged.splits)


def test_every_tag_has_a_kind_and_well_known_names_their_family(result):
    _, tagged = result
    tags = {t.label: t for t in tagged.corpus.tags}
    assert {t.kind for t in tags.values()} <= {"technology", "command", "concept", "note"}
    assert all(t.kind for t in tags.values())
    for label, family in (("Redis", "cache"), ("Memcached", "cache"), ("Kafka", "message broker"),
                          ("RabbitMQ", "message broker"), ("PostgreSQL", "relational database"),
                          ("Cloudflare", "CDN")):
        assert (tags[label].kind, tags[label].family) == ("technology", family), label
    technologies = [t for t in tags.values() if t.kind in ("technology", "command")]
    assert len(technologies) > 100
    unknown = tagged.report_section()["tags"]["kinds"]["unknown"]
    # most technologies and commands have a family; the rest are listed for a curator
    assert sum(1 for t in technologies if t.family is None) < 0.2 * len(technologies)
    assert {u["id"] for u in unknown} >= {t.id for t in technologies if t.family is None}
