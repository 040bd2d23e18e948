"""The row splitter's hard cases, on a vocabulary built from invented tags."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from tags_helpers import corpus, evidence_of, point

from pipeline.tags.split import split_row
from pipeline.tags.vocabulary import build_vocabulary
from pipeline.tags.words import match_key

KNOWN = [("eventual consistency", "link"), ("loose coupling", "link"),
         ("hedge rotas", "backtick"), ("Night timers", "bold"),
         ("soil probes", "line"), ("drip lines", "line")]


def vocab(*extra_tags, explanation: str = "", phrases=(), products=()):
    c = corpus(point(*KNOWN, *extra_tags, explanation=explanation))
    return build_vocabulary(c, evidence_of(c), phrases, products)


def parts(text, v=None, pins=None):
    return list(split_row(text, v or vocab(), pins).parts)


def test_products_side_by_side_are_separate_tags():
    assert parts("Redis Memcached") == ["Redis", "Memcached"]
    assert parts("PostgreSQL MySQL Cassandra") == ["PostgreSQL", "MySQL", "Cassandra"]


def test_vendor_prefix_stays_with_its_product():
    assert parts("AWS SQS Kafka") == ["AWS SQS", "Kafka"]
    assert parts("Google Cloud Storage Azure Blob Storage") == [
        "Google Cloud Storage", "Azure Blob Storage"]


# Prose of an invented book that writes product features the way books do.
FEATURE_PROSE = ("Take the lock with Redis SETNX before you water. The Grafana dashboards "
                 "show soil moisture, and Grafana panels show rain.")


def test_product_feature_joins_but_concept_acronym_starts_a_tag():
    with_prose = vocab(explanation=FEATURE_PROSE)
    assert parts("Redis Cluster") == ["Redis Cluster"]
    assert parts("Redis SETNX", with_prose) == ["Redis SETNX"]
    assert parts("MySQL ACID") == ["MySQL", "ACID"]


def test_known_phrases_from_unambiguous_layouts_set_the_boundaries():
    assert parts("Kafka loose coupling eventual consistency") == [
        "Kafka", "loose coupling", "eventual consistency"]
    assert parts("Soil probes hedge rotas night timers") == [
        "Soil probes", "hedge rotas", "night timers"]


def test_plural_and_case_variants_of_known_phrases_still_match():
    assert parts("Drip line soil probe") == ["Drip line", "soil probe"]


def test_function_words_hold_a_phrase_together():
    assert parts("Kafka trade speed for safety") == ["Kafka", "trade speed for safety"]
    assert parts("Memcached for static pages") == ["Memcached for static pages"]


def test_row_may_end_on_a_particle():
    result = split_row("Aggressive scale out gentle scale in", vocab())
    assert " ".join(result.parts) == "Aggressive scale out gentle scale in"
    assert result.parts[-1].endswith("scale in")


def test_prose_pairs_keep_words_together():
    v = vocab(explanation="We tune the quorum window. A wide quorum window helps; the quorum "
                          "window is set per table.")
    assert parts("Quorum window drip lines", v) == ["Quorum window", "drip lines"]


def test_copy_layout_wins_over_the_heuristics():
    c = corpus(point(("Alpha", "link"), ("beta-gammas", "link"), ("delta", "link")))
    v = build_vocabulary(c, evidence_of(c))
    result = split_row("alpha Beta gamma delta", v)
    assert result.parts == ("alpha", "Beta gamma", "delta")  # the row's own words
    assert result.confidence >= 0.99 and "copy" in result.reason


def test_pinned_split_overrides_everything():
    pins = {match_key("Redis Memcached"): ("Redis Memcached",)}
    result = split_row("Redis Memcached", vocab(), pins)
    assert result.parts == ("Redis Memcached",)
    assert result.confidence == 1.0 and "pinned" in result.reason


def test_user_phrase_is_kept_whole():
    v = vocab(phrases=["soil probes drip lines"])
    assert parts("Soil probes drip lines", v) == ["Soil probes drip lines"]


def test_user_product_stands_alone():
    v = vocab(products=["Gardenbase"])
    assert parts("Gardenbase Redis", v) == ["Gardenbase", "Redis"]


def test_evidence_makes_a_split_more_confident_than_a_guess():
    known = split_row("Night timers hedge rotas", vocab())
    guess = split_row("Purple walrus tangerine orbit", vocab())
    assert known.confidence > guess.confidence
    assert "printed as a tag" in known.reason
    assert guess.runner_up is not None


def test_single_word_and_empty_rows():
    assert split_row("Composting", vocab()).parts == ("Composting",)
    assert split_row("**`  `**", vocab()).parts == ()


WORDS = st.sampled_from(["Redis", "AWS", "SQS", "for", "the", "cache", "rows", "Hedge",
                         "rotas", "ACID", "in", "no", "eventual", "consistency", "k6"])


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=9))
def test_parts_are_always_the_row_words_in_order(words):
    result = split_row(" ".join(words), vocab())
    assert [w for p in result.parts for w in p.split()] == words
    assert 0.0 <= result.confidence <= 1.0


def test_a_label_with_a_colon_runs_to_the_end_of_the_row():
    assert parts("Hedge rotas Caveat: may drown young seedlings") == [
        "Hedge rotas", "Caveat: may drown young seedlings"]


def test_symbols_never_stand_alone():
    result = split_row("Glob patterns * = any bed", vocab())
    assert all(any(c.isalnum() for c in part) for part in result.parts)
    assert "* =" not in result.parts and "=" not in " ".join(result.parts).split(" ")[-1:]


def test_a_product_takes_the_ordinary_noun_the_prose_gives_it():
    with_prose = vocab(explanation=FEATURE_PROSE)
    assert parts("Grafana dashboards", with_prose) == ["Grafana dashboards"]
    assert parts("Mulch Grafana panels", with_prose) == ["Mulch", "Grafana panels"]
    assert parts("PostgreSQL pg_stat_activity") == ["PostgreSQL pg_stat_activity"]  # code name


def test_a_list_of_products_ends_before_an_ordinary_noun():
    assert parts("Redis Memcached seedling trays") == ["Redis", "Memcached", "seedling trays"]


def test_a_modifier_keeps_its_noun_and_starts_a_tag():
    assert parts("Compost heaps slow drainage") == ["Compost heaps", "slow drainage"]
    assert parts("Zstd faster decompression") == ["Zstd", "faster decompression"]
    assert parts("Seed tray labels cold frames") == ["Seed tray labels", "cold frames"]


def test_a_hyphenated_word_after_a_noun_starts_a_tag_even_at_the_end():
    assert parts("Lease renewal auto-release") == ["Lease renewal", "auto-release"]


def test_a_verb_runs_on_to_its_object():
    assert parts("Prevent root rot") == ["Prevent root rot"]
    assert parts("Avoid root rot in pots") == ["Avoid root rot in pots"]
    assert parts("Soil probes avoid waterlogging") == ["Soil probes", "avoid waterlogging"]


def test_four_words_without_evidence_make_two_tags_of_two():
    result = split_row("Compost heap rain barrel", vocab())
    assert result.parts == ("Compost heap", "rain barrel")
    assert result.confidence < 0.9  # only the shape prior speaks: not a sure thing


def test_every_part_keeps_a_reason():
    result = split_row("Mulch Grafana panels", vocab(explanation=FEATURE_PROSE))
    assert "'Mulch'" in result.reason and "'Grafana panels'" in result.reason
    assert "prose pairs 'Grafana panels'" in result.reason


def test_rows_split_in_a_forked_worker_are_the_rows_split_here(monkeypatch):
    """A corpus with many joined rows splits half of them in a worker: same splits, same
    order, as one process splitting them all."""
    import multiprocessing

    import pytest

    from pipeline.cores import can_fork, usable_cores
    from pipeline.tags import TagAliases, stage

    if usable_cores() < 2 or not can_fork():
        pytest.skip("one core or no fork: the rows are always split here")
    words = ["cache", "warm", "pool", "shard", "replica", "queue", "retry", "batch",
             "index", "lease", "token", "quorum"]
    rows = [f"{a} {b} {c} {d}" for a in words[:4] for b in words[4:8] for c in words[8:]
            for d in ("budget", "limits")]
    c = corpus(*(point((row, "joined"), line=n) for n, row in enumerate(rows, 1)))
    here = stage.split_joined_rows(c, evidence_of(c), TagAliases())
    workers = []
    real_start = multiprocessing.process.BaseProcess.start

    def start(process):
        workers.append(process.name)
        return real_start(process)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start)
    monkeypatch.setattr(stage, "PARALLEL_ROWS", 10)
    forked = stage.split_joined_rows(c, evidence_of(c), TagAliases())
    assert workers == ["drillbook-tags-1"]  # the worker split half of them
    assert list(forked.rows) == list(here.rows) and forked.rows == here.rows
    assert len(here.rows) == len(rows)
