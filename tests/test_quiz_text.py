"""Word-level helpers behind the quiz checks: lemmas, paraphrases, combined options, masking,
cues."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.emit.quiz.naming import negates_idea
from pipeline.emit.quiz import text as quiz_text
from pipeline.emit.quiz.text import (NEGATED_WORD, blank_name, content_lemmas, echo_even,
                                     is_combined, is_name_like, is_nested, is_paraphrase, lemma,
                                     mask, near_form, negated, similarity, stem_cues)
from pipeline.english import NEGATING_PREFIXES
from pipeline.inline import parse, plain_text


@pytest.mark.parametrize("word, expected", [
    ("Replicas", "replica"), ("sharding", "shard"), ("queries", "query"), ("caching", "cache"),
    ("handled", "handle"), ("processes", "process"), ("status", "status"), ("Redis", "redis"),
    # A doubled final consonant, "-ied", and a word that is a lemma already: no stray stems.
    ("logging", "log"), ("committed", "commit"), ("retried", "retry"), ("chaos", "chaos"),
    ("exceed", "exceed"), ("exceeds", "exceed"), ("succeeded", "succeed"), ("spelling", "spell"),
])
def test_lemma_folds_inflections(word, expected):
    assert lemma(word) == expected


def test_content_lemmas_drop_function_words_but_keep_deciding_ones():
    words = content_lemmas("Do not use the full-text index on two columns")
    assert {"not", "full", "text", "index", "two", "column"} <= words
    assert not {"do", "the", "on"} & words


def test_dotted_identifiers_split_into_words():
    assert {"auto", "commit"} <= content_lemmas("enable.auto.commit")


@pytest.mark.parametrize("a, b", [
    ("Add Read Replicas", "Read Replicas"),
    ("Use a Cache", "Caching"),
    ("Replicas for Reads", "Read Replicas"),
    ("read  replicas", "Read Replicas"),
])
def test_paraphrases_differ_only_in_generic_words(a, b):
    assert is_paraphrase(a, b)


@pytest.mark.parametrize("a, b", [
    ("Horizontal Scaling", "Vertical Scaling"),
    ("Token Bucket Algorithm", "Leaky Bucket Algorithm"),
    ("Layer 4 Load Balancing", "Layer 7 Load Balancing"),
])
def test_high_fuzzy_score_is_not_a_paraphrase_when_a_deciding_word_differs(a, b):
    assert similarity(a, b) >= 70  # a fuzzy score alone would call these the same
    assert not is_paraphrase(a, b)


@pytest.mark.parametrize("option, others, expected", [
    ("All of the above", ["X", "Y", "Z"], True),
    ("None of these", ["X", "Y", "Z"], True),
    ("Both A and C", ["X", "Y", "Z"], True),
    ("Caching and Sharding", ["Caching", "Sharding", "Queues"], True),
    ("CDN & Edge Protection", ["Rate Limiting", "Geo Blocking", "Queues"], False),
    ("Soft Throttling vs Hard Blocking", ["Burst Allowance", "Retry Header", "Queues"], False),
])
def test_combined_options(option, others, expected):
    assert is_combined(option, others) is expected


def test_mask_blanks_the_key_words_and_merges_adjacent_blanks():
    key = content_lemmas("Read Replicas")
    # the stem is the book's Markdown: the blank is written escaped, and reads as "___"
    assert mask("Send reads to a read replica.", key) == r"Send \_\_\_ to a \_\_\_."
    assert plain_text(mask("Send reads to a read replica.", key)) == "Send ___ to a ___."
    assert mask("Nothing to hide here.", key) == "Nothing to hide here."


@pytest.mark.parametrize("text, key, shown", [
    # a code span holding a telling word is blanked whole, never cut
    ("Take `SET lock NX EX 5` before writing", "Lock Keys", "Take ___ before writing"),
    # ...and one without such a word is kept whole, marks and all
    ("Take `SET job NX` and lock it", "Lock Keys", "Take SET job NX and ___ it"),
    # a formula is an atom too
    (r"Search costs $O(\log N)$ per lookup", "Log Search", "___ costs ___ per lookup"),
    # emphasis around a blank stays emphasis; the blank never turns into emphasis marks
    ("Use *read replicas* (replicas) here", "Read Replicas", "Use ___ (___) here"),
])
def test_mask_keeps_code_spans_and_formulas_whole(text, key, shown):
    masked = mask(text, content_lemmas(key))
    assert plain_text(masked) == shown
    parsed = parse(masked)
    assert all(span.plain != "___" or span.kind == "text" for span in parsed.spans)


def test_stem_cue_is_a_word_shared_only_with_the_key():
    assert stem_cues("Block bots with a CAPTCHA", "hCaptcha", ["Redis", "Kafka", "Nginx"]) \
        == {"captcha"}
    assert stem_cues("Block bots with a CAPTCHA", "hCaptcha",
                     ["reCAPTCHA", "Kafka", "Nginx"]) == frozenset()
    assert stem_cues("Which queue suits this?", "Priority Queue",
                     ["Delay Queue", "Dead Letter Queue", "Work Queue"]) == frozenset()


@pytest.mark.parametrize("word, expected", [
    ("PostgreSQL", True), ("HAProxy", True), ("AWS", True), ("S3", True), ("limit_conn", True),
    ("Redis", True), ("Denormalization", False), ("caching", False),
])
def test_name_like_words(word, expected):
    ratios = {"redis": 1.0, "denormalization": 0.0}
    assert is_name_like(word, ratios) is expected


@pytest.mark.parametrize("a, b", [
    ("Expiration", "EXPIRE"),        # a long shared start
    ("proxy", "ProxySQL"),           # the start of a name
    ("app", "Application"),          # a common abbreviation
    ("membership", "SISMEMBER"),     # a shared run at the start of one of them
    ("NX", "SETNX"),                 # two capitals ending a command
    ("Increment", "ZINCRBY"),        # a command spelling its word short
    ("retried", "Retry"), ("logs", "Logging"),  # inflections
    ("exp", "expiration"), ("iss", "issuer"),   # short forms that are no English word
    ("consistent", "consistency"), ("SQL", "NoSQL"), ("NACL", "ACLs"),
    ("connection", "Reconnection"), ("health", "unhealthy"),  # a word behind a prefix
    ("duplicate", "deduplication"),
    ("retain", "Retention"), ("Retained", "retention"),  # a Latin alternation of the stem
    ("receive", "Reception"), ("apply", "Application"), ("maintain", "Maintenance"),
    ("retrieve", "Retrieval"), ("define", "Definition"),  # a derivational suffix
])
def test_near_forms_a_reader_sees(a, b):
    assert near_form(a, b) and near_form(b, a)


@pytest.mark.parametrize("a, b", [
    ("replication", "application"), ("partition", "particular"), ("use", "user"),
    ("rate", "separate"), ("age", "agent"), ("transaction", "transport"), ("set", "settings"),
    ("lease", "release"), ("serve", "preserve"),  # a prefix needs a root of six letters
    ("contain", "Contention"), ("attain", "Attention"), ("reply", "Replication"),
    ("party", "partial"),  # alternations a reader keeps apart
    ("verse", "Version"), ("state", "Station"), ("mental", "Mention"),  # bases under 5 letters
])
def test_words_that_only_look_alike_are_no_near_forms(a, b):
    assert not near_form(a, b)


def test_stem_cues_see_derived_forms():
    assert stem_cues("Retain logs for a week", "Log Retention",
                     ["Log Sampling", "Log Shipping", "Log Levels"]) == {"retain"}


def test_stem_cues_see_synonyms_of_one_group():
    # tags/data/synonyms.txt: "outdated"/"stale", "display"/"show", "convert"/"transformation".
    assert stem_cues("Tell readers when a figure is outdated", "Stale Figure Banner",
                     ["Figure Cache", "Figure Audit Trail", "Figure Rollup"]) == {"outdated"}
    assert stem_cues("The edge converts XML into JSON", "Payload Transformation",
                     ["Edge Caching", "Edge Auth", "Edge Logging"]) == {"converts"}
    assert stem_cues("Tell readers the figure is outdated", "Staleness Banner",
                     ["Figure Cache", "Figure Audit Trail", "Figure Rollup"]) == {"outdated"}
    # A synonym every option says (or none does) is no cue.
    assert not stem_cues("Show it on the dashboard", "Display Queue Depth",
                         ["Display Queue Age", "Display Queue Owner", "Display Queue Name"])
    assert not stem_cues("Tell readers when a figure is late", "Stale Figure Banner",
                         ["Figure Cache", "Figure Audit Trail", "Figure Rollup"])


def test_stem_cues_see_near_forms_and_acronyms():
    assert stem_cues("Set Expiration on Keys", "EXPIRE", ["SADD", "HGET", "LPUSH"]) \
        == {"expiration"}
    assert stem_cues("Route through the proxy", "ProxySQL", ["PgBouncer", "Vitess", "Patroni"]) \
        == {"proxy"}
    assert stem_cues("Limit at the app layer", "Application-Level Limiting",
                     ["Gateway Limiting", "Edge Limiting", "Client Limiting"]) == {"app"}
    assert stem_cues("Stream rows out with CDC", "Change Data Capture",
                     ["Dual Writes", "Nightly Export", "Read Replica"]) == {"cdc"}
    assert stem_cues("A row of change data capture events", "CDC",
                     ["ETL", "WAL", "DLQ"]) >= {"change", "data", "capture"}
    # markup is read as the reader sees it
    assert stem_cues("Run `EXPLAIN ANALYZE` first", "Query Plan Analysis",
                     ["Index Hints", "Vacuum", "Sharding"]) == {"analyze"}


def test_the_stem_echoes_none_or_all_options():
    assert echo_even("Which idea is this?", ["Read Replicas", "Sharding", "Caching", "Queues"])
    assert echo_even("Replicas for reads", ["Read Replicas", "Read Caches", "Read Logs",
                                            "Read Queues"])
    # an echoed distractor is ruled out as too easy: an anti-cue
    assert not echo_even("Shard the table", ["Read Replicas", "Sharding", "Caching", "Queues"])


def test_nested_options_name_one_idea_twice():
    assert is_nested("Vertical Scaling", "Vertical Scaling as Quick Fix")
    assert is_nested("Distributed Rate Limiting with Redis", "Distributed Rate Limiting")
    assert not is_nested("Token Bucket", "Leaky Bucket")


@pytest.mark.parametrize("text, name, shown", [
    ("Redis SET NX with the order id as key", "SETNX", "Redis ___ with the order id as key"),
    ("Take `SETNX lock 1` first", "SETNX", "Take ___ first"),
    ("ZREVRANGE returns the leaders", "ZREVRANGE", "___ returns the leaders"),
    ("Set enable.idempotence=true on producers", "enable.idempotence=true", "Set ___ on producers"),
    ("copy the totals, then COPY them", "COPY", "copy the totals, then ___ them"),  # capitals only
])
def test_blank_name_blanks_every_spelling_of_a_command(text, name, shown):
    assert plain_text(blank_name(text, name)) == shown


def test_one_table_of_negating_prefixes_and_in_negates_only_joined():
    # english.NEGATING_PREFIXES: un, non, dis, in; "in-" with a hyphen is no negation
    assert NEGATING_PREFIXES == {"un": True, "non": True, "dis": True, "in": False}
    assert negated("Committed", "Uncommitted") and negated("Inconsistent", "consistent")
    assert negated("Allowed", "Disallowed") and negated("blocking", "non-blocking")
    assert not negated("memory", "in-memory") and not negated("Committed", "Recommitted")
    found = [m.group(1) for m in NEGATED_WORD.finditer(
        "Non-Refundable orders, Un-Retryable calls, Dis-Allowed hosts, no persistence, "
        "not idempotent; In-Memory caches, in production")]
    assert found == ["Refundable", "Retryable", "Allowed", "persistence", "idempotent"]


def test_a_hyphenated_in_names_no_negated_idea():
    # "In-Memory" is no "not memory": the two titles do not negate each other
    assert not negates_idea("In-Memory Session Store", "Memory Quotas per Tenant")
    assert negates_idea("Non-Memory Session Store", "Memory Quotas per Tenant")  # control


# Words made to meet near_form's rules: a root from letters its suffixes and prefixes use,
# then an inflection, a derivation, a Latin alternation or a prefix on either side, in
# any case.
_ROOT = st.text(alphabet="aeiouyslnrtdgcpmbx", min_size=1, max_size=8)
_ENDS = st.sampled_from(["", "s", "es", "ies", "ied", "ing", "ed", "y", "e", "ion", "ation",
                         "ition", "ment", "al", "ity", "ure", "tain", "tention", "ceive",
                         "ception", "ply", "plication", "ify", "ification", "iance", "mit",
                         "mission", "ss", "is", "us", "NX"])
_STARTS = st.sampled_from(["", "", "re", "un", "de", "non", "auto", "sub", "over", "No",
                           "SET", "B", "h"])


def _word(start: str, root: str, end: str, upper: bool) -> str:
    return (start + root + end).upper() if upper else start + root + end


@settings(max_examples=4000, deadline=None)
@given(_ROOT, st.one_of(st.none(), _ROOT), _STARTS, _STARTS, _ENDS, _ENDS, st.booleans(),
       st.booleans())
def test_near_forms_share_two_adjacent_letters(root, other_root, start_a, start_b, end_a,
                                               end_b, upper_a, upper_b):
    """near_form rejects a pair of different words with no two adjacent letters in common
    before trying its rules; the rules must never join such a pair (pairs of one root,
    which the rules join, and of two)."""
    a = _word(start_a, root, end_a, upper_a)
    b = _word(start_b, other_root or root, end_b, upper_b)
    x, y = a.lower(), b.lower()
    if x != y and quiz_text._near_form_rules(a, b, x, y):
        assert not quiz_text._letter_pairs(x).isdisjoint(quiz_text._letter_pairs(y))
