"""Parts of speech from WordNet's word lists, and the prior over a tag row's shape."""
from __future__ import annotations

import math

import pytest

from pipeline.tags.grammar import (COMPOUND, GERUND, MODIFIER, NOUN, VERB, VERB_S, is_bare_verb,
                                   word_class)
from pipeline.tags.shape import count_log_prior, length_log_prior, tags_share


@pytest.mark.parametrize("word, expected", [
    ("eventual", MODIFIER), ("Operational", MODIFIER),  # adjectives only
    ("external", MODIFIER), ("static", MODIFIER),  # noun too, but shaped like an adjective
    ("materialized", MODIFIER), ("sorted", MODIFIER),  # past participles
    ("better", MODIFIER), ("faster", MODIFIER), ("sliding", MODIFIER),
    ("slow", MODIFIER), ("stale", MODIFIER),  # everyday adjectives WordNet also lists as nouns
    ("stateful", MODIFIER),  # unknown to WordNet, adjective ending
    ("avoid", VERB), ("Prevent", VERB), ("avoids", VERB_S),
    ("caching", GERUND), ("splitting", GERUND),
    ("consistency", NOUN), ("key", NOUN), ("queues", NOUN), ("analytics", NOUN),
    ("layer", NOUN), ("idempotency", NOUN), ("string", NOUN),
    ("cache-aside", COMPOUND), ("short-lived", COMPOUND),
])
def test_word_classes(word, expected):
    assert word_class(word) == expected


def test_bare_verbs():
    assert is_bare_verb("trade") and is_bare_verb("cache") and not is_bare_verb("partitions")


def compositions(words: int):
    if words == 0:
        yield ()
        return
    for first in range(1, words + 1):
        for rest in compositions(words - first):
            yield (first, *rest)


@pytest.mark.parametrize("words", range(1, 10))
def test_the_shape_prior_is_a_probability_over_every_split(words):
    total = sum(math.exp(count_log_prior(len(shape), words)
                         + sum(length_log_prior(n) for n in shape))
                for shape in compositions(words))
    expected = sum(tags_share(k, words) for k in range(1, words + 1))
    assert total == pytest.approx(expected)
    assert 0.99 <= expected <= 1.02  # the table's rows, plus a sliver for rare counts


def shape_score(shape):
    return count_log_prior(len(shape), sum(shape)) + sum(length_log_prior(n) for n in shape)


def test_the_shapes_people_write_are_the_likely_ones():
    assert max(compositions(4), key=shape_score) == (2, 2)
    assert max(compositions(6), key=shape_score) == (2, 2, 2)
    assert shape_score((1, 2)) > shape_score((3,))  # three words: usually two tags
    assert shape_score((2,)) > shape_score((1, 1))  # two words: usually one tag
    # a clause ("trade speed for safety") is longer than a plain tag
    assert length_log_prior(4, clause=True) > length_log_prior(4)
