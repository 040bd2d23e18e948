"""Normalization: one tag per spelling, names keep their case, ids safe for Anki."""
from __future__ import annotations

import re

from tags_helpers import corpus, evidence_of, point

from pipeline.tags import TagAliases, normalize_tags

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def run(*points, explanation=""):
    c = corpus(*points)
    return normalize_tags(c, evidence_of(c), TagAliases())


def tag_table(result):
    return {t.id: t for t in result.corpus.tags}


def test_case_plural_hyphen_and_markup_variants_fold_into_one_tag():
    result = run(point(("Load balancers", "link")), point(("load balancer", "line")),
                 point(("`load-balancer`", "backtick")))
    tags = tag_table(result)
    assert list(tags) == ["load-balancer"]
    assert tags["load-balancer"].label == "load balancer"
    assert tags["load-balancer"].forms == ("Load balancers", "load balancer", "load-balancer")
    assert tags["load-balancer"].count == 3


def test_words_ending_in_s_that_are_not_plurals_keep_it():
    tags = tag_table(run(point(("Status analysis", "link"), ("Queries", "link"))))
    assert set(tags) == {"status-analysis", "query"}
    assert tags["query"].label == "queries"  # the only form printed: never an invented one


def test_acronyms_and_products_keep_their_case():
    tags = tag_table(run(point(("APIs", "link"), ("redis", "link"), ("HTTP/2", "link")),
                         point(("API", "line"), ("Redis", "line"), ("AWS SQS", "line"))))
    assert tags["api"].label == "API" and tags["api"].forms == ("API", "APIs")
    assert tags["redis"].label == "Redis" and tags["redis"].forms == ("Redis", "redis")
    assert tags["http-2"].label == "HTTP/2"
    assert tags["aws-sqs"].label == "AWS SQS"


def test_listed_products_keep_their_spelling_but_listed_english_words_stay_words():
    tags = tag_table(run(point(("typesense", "link"), ("hikaricp pools", "link"),
                               ("Puppet", "link"))))
    assert tags["typesense"].label == "Typesense"  # products.txt spelling
    assert tags["hikaricp-pool"].label == "HikariCP pools"
    assert tags["puppet"].label == "puppet"  # listed, but an English word: the prose decides


def test_sentence_initial_capital_is_not_kept_but_a_name_inside_a_tag_is():
    tags = tag_table(run(point(("Compost heaps", "link"), ("Google Cloud Storage", "link"),
                               ("Redis Cluster", "link"))))
    assert tags["compost-heap"].label == "compost heaps"
    assert tags["google-cloud-storage"].label == "Google Cloud Storage"
    assert tags["redis-cluster"].label == "Redis Cluster"


def test_no_markup_residue_reaches_labels_or_forms():
    raw = [("**Bold tag**", "bold"), ("[Linked tag](#)", "link"), ("`ticked`", "backtick"),
           ("Joined **row** [here](#)", "joined")]
    result = run(point(*raw))
    for tag in result.corpus.tags:
        for text in (tag.label, *tag.forms):
            assert not re.search(r"\*\*|`|\[|\]|\(#\)", text), text


def test_ids_are_lowercase_slugs_and_stable_across_runs():
    points = [point(("Two Words", "link"), ("C++ / Rust", "link"), ("N+1 queries", "joined")),
              point(("Ünïcode tag", "line"), ("Trailing, punctuation.", "line"))]
    first, second = run(*points), run(*points)
    assert first.corpus == second.corpus
    for tag in first.corpus.tags:
        assert SLUG.match(tag.id), tag.id


def test_points_keep_printed_order_problems_get_the_sorted_union():
    result = run(point(("Zebra crossings", "link"), ("apple carts", "link"),
                       ("zebra crossing", "link")),
                 point(("Mango trees", "line"), ("Apple carts", "line")))
    problem = result.corpus.problems[0]
    assert [p.tags for p in problem.points] == [("zebra-crossing", "apple-cart"),
                                                ("mango-tree", "apple-cart")]
    assert problem.tags == ("apple-cart", "mango-tree", "zebra-crossing")
    assert [(t.id, t.count) for t in result.corpus.tags] == [
        ("apple-cart", 2), ("mango-tree", 1), ("zebra-crossing", 1)]


def test_forms_from_other_copies_are_listed_but_only_corpus_points_count():
    c = corpus(point(("Rain barrels", "link")))
    other_copy = [*evidence_of(c), *evidence_of(corpus(point(("rain-barrel", "line"))))]
    tags = tag_table(normalize_tags(c, other_copy, TagAliases()))
    assert tags["rain-barrel"].forms == ("Rain barrels", "rain-barrel")
    assert tags["rain-barrel"].count == 1
