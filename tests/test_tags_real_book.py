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
