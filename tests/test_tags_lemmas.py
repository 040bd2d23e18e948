"""The tag lemmas without spaCy are spaCy's: the blank English pipeline with the lookup
lemmatizer, run on every form of the lookup table (and its plurals and possessives),
gives what ``lookup_lemmas`` gives from the table's file."""
from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.english import lemma_table
from pipeline.tags import lemmas


@pytest.fixture(scope="module")
def forms() -> list[str]:
    table = lemma_table()
    words = {w.lower() for w in table} | {w.lower() for w in table.values()}
    # plurals (what the fold uses), possessives and contractions the tokenizer splits,
    # apostrophes, hyphens, dots, digits and symbols as tag words print them
    words |= {w + "s" for w in words} | {w + "'s" for w in sorted(words)[::50]}
    words |= {"", "o'clock", "it's", "dont", "'ve", "'s", "write-ahead", "min.insync.replicas",
              "pg_stat_activity", "c++", "2fa", "http/2", "insertions/deletions", "café"}
    return sorted(words)


def test_lookup_lemmas_are_the_blank_spacy_pipelines(forms, monkeypatch):
    monkeypatch.setattr(lemmas, "_trained", lambda: False)
    lemmas._pipeline.cache_clear()
    try:
        by_spacy = lemmas._pipeline_lemmas(forms)
    finally:
        lemmas._pipeline.cache_clear()
    by_table = lemmas.lookup_lemmas(forms)
    differ = {w: (by_spacy[w], by_table[w]) for w in forms if by_spacy[w] != by_table[w]}
    assert not differ
    assert by_table["balancers"] == "balancer" and by_table["queries"] == "query"
    assert by_table["dont"] == "dont" and by_table["falser"] == "false"  # split; lowercase


def test_a_cold_build_of_tags_never_imports_spacy(tmp_path):
    # spaCy's import takes seconds; without a trained pipeline nothing needs it
    code = ("import sys; from pipeline.tags.lemmas import spacy_lemmas; "
            "print(spacy_lemmas(['caches', 'replicas'])); print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[0] == "{'caches': 'cache', 'replicas': 'replica'}"
    assert out[1] == ("True" if lemmas._trained() else "False")
