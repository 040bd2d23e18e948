"""Tag kinds and families: the word list, the rules, neighbours, the curator, the API."""
from __future__ import annotations

import pytest

from tags_helpers import corpus, evidence_of, point

from pipeline.errors import DrillbookError
from pipeline.models import Tag
from pipeline.tags import normalize_tags, parse_aliases
from pipeline.tags.families import KINDS, family_list, parse_family_list
from pipeline.tags.kinds import TagKinds, assign_kinds, classify_label, reads_as_note


def kind_of(label):
    found = classify_label(label)
    return found.kind, found.family


@pytest.mark.parametrize("label, kind, family", [
    ("Memcached", "technology", "cache"),
    ("Redis", "technology", "cache"),
    ("Kafka", "technology", "message broker"),
    ("AWS SQS", "technology", "message broker"),
    ("Amazon SQS", "technology", "message broker"),  # the vendor is taken off
    ("HAProxy", "technology", "load balancer"),
    ("PostgreSQL", "technology", "relational database"),
    ("Jaeger", "technology", "tracing"),
    ("Redis Cluster", "technology", "cache"),  # a named part of a cache
    ("SETNX", "command", "Redis command"),
    ("Redis SETNX", "command", "Redis command"),
    ("PostgreSQL shared_buffers", "command", "PostgreSQL setting"),
    ("SELECT FOR UPDATE", "command", "SQL statement"),
    ("ORDER BY", "command", "SQL clause"),
    ("CREATE INDEX CONCURRENTLY", "command", "SQL statement"),
    ("429 Too Many Requests", "command", "HTTP status code"),
    ("Idempotency-Key", "command", "HTTP header"),
    ("X-Garden-Token", "command", "HTTP header"),  # unlisted, but shaped like a header
    ("token bucket", "concept", "rate limiting algorithm"),
    ("eventual consistency", "concept", "consistency model"),
    ("connection pool", "concept", None),
    ("idempotency key", "concept", None),  # the idea, not the header
    ("avoid hot partitions", "note", None),
    ("no shared state", "note", None),
    ("cheap but slow", "note", None),
    ("simple", "note", None),
    ("16384 slots", "note", None),
])
def test_listed_names_and_shapes_give_kind_and_family(label, kind, family):
    assert kind_of(label) == (kind, family)


def test_names_that_are_english_words_or_capitals_match_only_as_written():
    assert kind_of("Vault") == ("technology", "secrets management")
    assert kind_of("vault")[0] == "concept"
    assert kind_of("Temporal") == ("technology", "workflow orchestrator")
    assert kind_of("temporal coupling") == ("concept", None)
    assert kind_of("NATS") == ("technology", "message broker")
    assert kind_of("NAT gateway")[1] is None  # "NATS" is no plural of "NAT"
    assert kind_of("Delayed Job") == ("technology", "task queue")
    assert kind_of("delayed job retries") == ("concept", None)  # English words, no name
    assert kind_of("SET") == ("command", "Redis command")
    assert kind_of("set") == ("concept", None)


def test_a_phrase_with_a_capital_after_a_hyphen_is_no_header_and_folds_case():
    from pipeline.tags.families import keeps_case
    from pipeline.tags.recognized import Lexicon

    assert keeps_case("Idempotency-Key", "command")  # a header matches only as written
    assert keeps_case("X-Garden-Token", "command")
    assert not keeps_case("multi-AZ deployment", "concept")  # a phrase: any case
    assert not keeps_case("Count-Min Sketch", "concept")
    lexicon = Lexicon()
    for printed in ("Multi-AZ Deployment", "multi-az deployment", "count-min sketch"):
        assert lexicon.lookup(printed) is not None, printed


def test_a_technology_with_ordinary_words_is_a_concept_about_it():
    found = classify_label("Kafka consumer lag")
    assert (found.kind, found.family, found.technology) == ("concept", None, "Kafka")
    assert classify_label("Redis SETNX").technology == "Redis"


def test_a_capitalised_technique_or_property_is_a_concept_not_a_name():
    # A row's first word is capitalised; "Indexing" names a technique, not a product.
    for label in ("Indexing", "Serialization", "Durability", "Sharding"):
        found = classify_label(label)
        assert (found.kind, found.technology) == ("concept", None), label
    assert classify_label("Gardenbase").kind == "technology"  # no listed concept


def test_unknown_stays_unknown():
    found = classify_label("Gardenbase")  # a capitalised name no list knows
    assert (found.kind, found.family) == ("technology", None)
    assert kind_of("retry_budget_ms") == ("command", None)  # a name from code
    ambiguous = classify_label("GET")  # a Redis command and an HTTP method
    assert ambiguous.family is None and set(ambiguous.candidates) == {"HTTP method",
                                                                       "Redis command"}


def test_notes_read_like_sentence_fragments():
    assert reads_as_note("Mulch keeps weeds down".split())
    assert reads_as_note("prevents root rot".split())
    assert reads_as_note("better than nothing".split())
    assert not reads_as_note("retry budget".split())  # "retry" names a thing here
    assert not reads_as_note("bounded retries".split())
    assert not reads_as_note("batch commits".split())  # a plural noun, not a verb
    assert not reads_as_note("write-ahead log".split())


def test_neighbours_decide_an_ambiguous_family():
    labels = {"get": "GET", "http-caching": "HTTP caching", "redis": "Redis",
              "get2": "GET"}
    both = assign_kinds({"get": "GET", "http-caching": "HTTP caching"}, {},
                        {"get": {"get", "http-caching"}})
    assert both["get"].kind.family == "HTTP method" and not both["get"].unknown
    redis = assign_kinds({"get": "GET", "redis": "Redis"}, {}, {"get": {"get", "redis"}})
    assert redis["get"].kind.family == "Redis command"
    alone = assign_kinds({"get": labels["get"]}, {}, {})
    assert alone["get"].kind.family is None and alone["get"].unknown


def test_the_curator_sets_kinds_and_families():
    choices = assign_kinds({"gardenbase": "Gardenbase", "mulch": "mulch", "soil": "soil"}, {},
                           {}, kinds={"mulch": "note"},
                           families={"gardenbase": "cache", "soil": "garden supply"})
    assert choices["gardenbase"].kind.kind == "technology"  # the family says so
    assert choices["gardenbase"].kind.family == "cache"
    assert choices["mulch"].kind.kind == "note"
    assert choices["soil"].kind.family == "garden supply"  # a family of the curator's own
    assert not any(c.unknown for c in choices.values())


def test_tags_toml_kinds_and_families_take_effect_and_unused_ones_are_noted():
    text = ('[kinds]\n"slow drip" = "note"\n"compost heap" = "technology"\n\n'
            '[families]\n"Gardenbase" = "garden database"\n')
    c = corpus(point(("slow drip", "link"), ("Gardenbase", "link"), ("Memcached", "link")))
    result = normalize_tags(c, evidence_of(c), parse_aliases(text, "raw/tags.toml"))
    tags = {t.id: t for t in result.corpus.tags}
    assert tags["slow-drip"].kind == "note"
    assert tags["gardenbase"].family == "garden database"
    assert (tags["memcached"].kind, tags["memcached"].family) == ("technology", "cache")
    unused = [d for d in result.diagnostics if d.code == "tag-kind-unused"]
    assert len(unused) == 1 and "compost heap" in unused[0].message
    kinds = result.report_section()["tags"]["kinds"]
    assert kinds["tags_per_kind"]["note"] == 1 and kinds["tags_per_family"]["cache"] == 1


@pytest.mark.parametrize("text, line, words", [
    ('[aliases]\n"A" = ["b"]\n\n[kinds]\n"A" = "gadget"\n', 5, "must be one of"),
    ('[kinds]\n"slow drip" = "note"\n"compost" = ""\n', 3, "non-empty string"),
    ('[families]\n"x" = "cache"\n"y" = 3\n', 3, "non-empty string"),
    ('kinds = "note"\n', 1, "must be a table"),
])
def test_bad_kinds_and_families_name_the_file_and_line(text, line, words):
    with pytest.raises(DrillbookError) as caught:
        parse_aliases(text, "raw/tags.toml")
    assert caught.value.path == "raw/tags.toml" and caught.value.line == line
    assert words in caught.value.message


def test_the_api_answers_kind_family_siblings_and_technology():
    tags = [Tag("redis", "Redis", ("Redis",), 3, "technology", "cache", "Redis"),
            Tag("memcached", "Memcached", ("Memcached",), 1, "technology", "cache", "Memcached"),
            Tag("kafka", "Kafka", ("Kafka",), 2, "technology", "message broker", "Kafka"),
            Tag("kafka-lag", "Kafka lag", ("Kafka lag",), 1, "concept", None, "Kafka"),
            Tag("mulch", "mulch", ("mulch",), 1)]
    kinds = TagKinds(tags)
    assert kinds.kind("redis") == "technology" and kinds.family("redis") == "cache"
    assert kinds.siblings("redis") == ("memcached",)
    assert kinds.siblings("kafka") == () and kinds.siblings("mulch") == ()
    assert kinds.about("kafka") == ("kafka", "kafka-lag")
    assert kinds.members("message broker") == ("kafka",)
    assert kinds.of_kind("concept") == ("kafka-lag", "mulch")
    assert kinds.kind("nothing") is None


def test_the_list_is_well_formed():
    names = family_list()
    assert set(names.families.values()) <= set(KINDS)
    assert len(names.families) > 60
    with pytest.raises(ValueError, match="families.txt:2"):
        parse_family_list("[technology: cache]\n[gadget: things]\nRedis\n")
    with pytest.raises(ValueError, match=":1: a name before"):
        parse_family_list("Redis\n")


def test_corpus_json_carries_kinds_and_reads_schema_one_too(tmp_path):
    import json

    import jsonschema

    from pipeline.emit.corpus_json import corpus_schema, corpus_to_dict, load_corpus

    c = corpus(point(("Memcached", "link"), ("slow drip", "link")))
    tagged = normalize_tags(c, evidence_of(c), parse_aliases("")).corpus
    data = corpus_to_dict(tagged)
    assert data["schema_version"] == "3"
    by_id = {t["id"]: t for t in data["tags"]}
    assert (by_id["memcached"]["kind"], by_id["memcached"]["family"],
            by_id["memcached"]["technology"]) == ("technology", "cache", "Memcached")
    jsonschema.validate(data, corpus_schema())
    missing = json.loads(json.dumps(data))
    del missing["tags"][0]["kind"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(missing, corpus_schema())  # schema 2 and later require every kind
    old = json.loads(json.dumps(missing))
    old["schema_version"] = "1"
    for tag in old["tags"]:
        for key in ("kind", "family", "technology"):
            tag.pop(key, None)
    path = tmp_path / "corpus.json"
    path.write_text(json.dumps(old), "utf-8")
    read = {t.id: t for t in load_corpus(path).tags}  # an older build still reads
    assert (read["memcached"].kind, read["memcached"].family) == ("technology", "cache")
