"""The splitter's evidence: word lists, new cut and phrase features, and the weight table."""
from __future__ import annotations

from tags_helpers import corpus, evidence_of, point

from pipeline.tags.features import RowFeatures
from pipeline.tags.split import split_row
from pipeline.tags.terms import concept_words, glossary_keys, lowercase_products, product_words
from pipeline.tags.vocabulary import build_vocabulary
from pipeline.tags.weights import FIXED, PRIOR_WEIGHTS, WEIGHTS
from pipeline.tags.weights_fitted import FITTED_WEIGHTS
from pipeline.tags.words import match_key, tag_words

KNOWN = [("hedge rotas", "backtick"), ("soil probes", "line"), ("drip lines", "line")]


def vocab(explanation: str = ""):
    c = corpus(point(*KNOWN, explanation=explanation))
    return build_vocabulary(c, evidence_of(c))


def parts(text: str, explanation: str = "") -> list[str]:
    return list(split_row(text, vocab(explanation)).parts)


def test_word_lists_load_and_leave_capitals_and_code_names_to_their_shape():
    assert match_key("connection pools") in glossary_keys()  # plural folded like a tag
    assert match_key("write-ahead log") in glossary_keys()
    assert "PostgreSQL" in product_words() and "etcd" in product_words()
    assert "SETNX" not in product_words()  # a command: "Redis SETNX" stays one tag
    assert "pg_stat_activity" not in product_words()
    lower = lowercase_products()
    assert "postgresql" in lower
    assert "redis" in lower
    assert "spring" not in lower and "temporal" not in lower  # English words stay words


def test_a_word_naming_a_technique_or_property_is_an_edge_unless_a_term_holds_both():
    assert {"caching", "durability", "webhook"} <= concept_words()  # plural -s folded
    assert "cache" not in concept_words() and "data" not in concept_words()
    v = vocab()

    def cut_names(text: str, gap: int) -> set[str]:
        return {f.name for f in RowFeatures(tag_words(text), v).cut(gap) or ()}

    assert "before_concept" in cut_names("Compost durability", 1)
    assert "after_concept" in cut_names("Caching compost", 1)
    assert {"after_concept", "before_concept"} <= cut_names("Polling webhooks", 1)
    # "cache invalidation" is a glossary term: its words stay side by side
    assert not {"after_concept", "before_concept"} & cut_names("Cache invalidation", 1)
    assert not {"after_concept", "before_concept"} & cut_names("Compost heap", 1)
    row = RowFeatures(tag_words("Compost durability"), v)
    assert "concept_alone" in {f.name for f in row.phrase(1, 2)[0]}
    assert "concept_alone" not in {f.name for f in row.phrase(0, 1)[0]}
    # A product name that is also in the list stays a name ("Caching" is no product).
    assert not RowFeatures(tag_words("Redis caching"), v).concept[0]
    # The fitted weights act on it: an acronym no longer takes the property as its noun.
    assert parts("TLQ durability") == ["TLQ", "durability"]
    unweighted = {**WEIGHTS, "after_concept": 0.0, "before_concept": 0.0, "concept_alone": 0.0}
    assert split_row("TLQ durability", v, weights=unweighted).parts == ("TLQ durability",)


def test_a_formula_with_spaces_is_never_cut():
    v = vocab()
    split = split_row("$O(n \\log n)$ sorting soil probes", v).parts
    assert any(part.startswith("$O(n \\log n)$") for part in split), split
    row = RowFeatures(tag_words("$O(n \\log n)$ sorting"), v)
    assert row.cut(1) is None and row.cut(2) is None and row.cut(3) is not None
    # An escaped dollar opens nothing: "\\$5 budget" may still be cut after it.
    row = RowFeatures(tag_words("\\$5 budget soil probes"), v)
    assert row.cut(2) is not None


def test_a_glossary_term_is_not_cut():
    assert parts("Hedge rotas connection pool exhaustion") == [
        "Hedge rotas", "connection pool exhaustion"]
    assert parts("Compost heap write-ahead log") == ["Compost heap", "write-ahead log"]


def test_a_plural_noun_ends_its_tag():
    assert parts("Seed trays soil warmth") == ["Seed trays", "soil warmth"]


def test_a_row_with_a_finite_verb_is_one_note():
    assert parts("Mulch prevents weeds in summer") == ["Mulch prevents weeds in summer"]
    assert parts("Rain barrels are naturally clean") == ["Rain barrels are naturally clean"]
    assert parts("Cheap mulch but slug damage") == ["Cheap mulch but slug damage"]


def test_a_product_in_lower_case_is_still_a_name():
    assert parts("Compost bins etcd") == ["Compost bins", "etcd"]


def test_sql_keywords_in_a_row_stay_one_clause():
    assert parts("Row locks SELECT FOR UPDATE") == ["Row locks", "SELECT FOR UPDATE"]
    assert parts("Drip lines MySQL ALTER TABLE") == ["Drip lines", "MySQL ALTER TABLE"]


def test_no_starts_a_tag_mid_row():
    assert parts("Soil probes no standing water") == ["Soil probes", "no standing water"]


def test_a_preposition_or_conjunction_never_starts_or_ends_a_tag():
    v = vocab()
    for word in ("about", "towards", "despite", "because", "unless"):
        split = split_row(f"Clarity {word} soil probes", v).parts
        assert all(p.split()[0].lower() != word and p.split()[-1].lower() != word
                   for p in split), split


def test_other_rows_edges_teach_where_a_phrase_ends():
    rows = [("Seedling heat mat overnight frost", "joined"), ("Seedling heat mat", "joined"),
            ("Cold frames seedling heat mat", "joined")]
    c = corpus(point(*rows))
    v = build_vocabulary(c, evidence_of(c))
    row = RowFeatures(tag_words("Cold frames seedling heat mat"), v)
    names = {f.name for f in row.phrase(2, 5)[0]}
    assert "row_alone" not in names
    opens, closes = v.row_edges(row.row[2:5], row.row)
    assert opens == 1  # "Seedling heat mat overnight frost" opens with it; the row itself not
    assert closes == 0  # only this row closes with it, and a row is no evidence for itself


def test_every_feature_has_a_weight_and_the_fitted_table_covers_them():
    v = vocab("Drip lines keep soil moist. Redis SETNX takes the lock.")
    rows = ["Redis Memcached soil probes", "AWS SQS no retries", "Risk: may flood beds",
            "Mulch keeps roots cool", "MySQL ACID pg_stat_activity", "Eventual consistency rotas",
            "Cache-aside reads avoid skew", "Row locks SELECT FOR UPDATE", "Auditing portability",
            "Compost durability"]
    seen = set()
    for text in rows:
        row = RowFeatures(tag_words(text), v)
        n = len(row.words)
        for i in range(n):
            for j in range(i + 1, n + 1):
                found = row.phrase(i, j)
                seen |= {f.name for f in found[0]} if found else set()
        for g in range(1, n):
            seen |= {f.name for f in row.cut(g) or ()}
    assert seen <= set(PRIOR_WEIGHTS)
    assert len(seen) > 20  # the rows above reach most of the evidence
    assert set(FITTED_WEIGHTS) == set(PRIOR_WEIGHTS), "rerun scripts/fit_tag_weights.py"
    assert all(WEIGHTS[name] == PRIOR_WEIGHTS[name] for name in FIXED)
