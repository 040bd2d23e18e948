"""The word-probability table read in part (pipeline/emit/anki/word_probability.py) gives
exactly the answers of the whole table, parsed as JSON the way the cloze ranking used to
read it; and the English word helpers read spaCy's data without importing spaCy."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
from importlib import resources

import pytest

from pipeline.emit.anki import word_probability
from pipeline.emit.anki.word_forms import UNKNOWN_RARITY, rarity


@pytest.fixture(scope="module")
def whole_table() -> dict[str, float]:
    path = resources.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(str(path), "rt", encoding="utf-8") as handle:
        return json.load(handle)


def test_the_word_entries_are_exactly_the_tables_word_shaped_entries(whole_table):
    expected = {key: value for key, value in whole_table.items()
                if word_probability.WORD_KEY.fullmatch(key)}
    read = {key.decode("ascii"): float(value)
            for key, value in word_probability._word_entries().items()}
    assert len(expected) > 100_000  # the table is there: a third of a million words
    assert read == expected


def test_every_kind_of_key_gets_the_whole_tables_answer(whole_table):
    # Words, words with "++"/"#", strings no word can be (punctuation, capitals,
    # apostrophes) and strings the table does not have at all.
    keys = ["the", "cache", "c++", "c#", "idempotency", "5xx", ".", "I", "don't", "New",
            "zzqxjv", "zzqxjv++", "", " "]
    for key in keys:
        assert word_probability.log_probability(key) == whole_table.get(key), key


def test_rarity_is_minus_the_log_probability_or_the_unknown_value(whole_table):
    assert rarity("Cache") == -whole_table["cache"]
    assert rarity("PgBouncerzz") == UNKNOWN_RARITY
    assert rarity("the") < rarity("idempotent") <= UNKNOWN_RARITY


def test_the_english_helpers_do_not_import_spacy_and_keep_its_stop_words():
    code = ("import sys, pipeline.english as e; e.content_lemmas('Read replicas scale reads');"
            "print('spacy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
    from spacy.lang.en.stop_words import STOP_WORDS

    from pipeline import english

    assert english.STOP_WORDS == frozenset(STOP_WORDS)


def test_the_lemma_set_is_the_lookup_tables_lemmas():
    from spacy.lookups import load_lookups

    from pipeline import english

    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    assert english._known_lemmas() == frozenset(table.values())


def test_the_word_entries_are_kept_once_read_and_read_back(tmp_path, monkeypatch,
                                                           whole_table):
    from pipeline import kept

    monkeypatch.setattr(kept, "KEPT_FOLDER", tmp_path)
    word_probability._word_entries.cache_clear()
    try:
        first = word_probability._word_entries()
        assert len(list(tmp_path.glob("en_lexeme_prob_words.*.marshal"))) == 1
        assert not list(tmp_path.glob("*.tmp"))
        # The next run reads the kept entries, not the table, and gets the same answers.
        word_probability._word_entries.cache_clear()

        def no_table() -> bytes:
            raise AssertionError("read the table although its entries were kept")

        monkeypatch.setattr(word_probability, "_table_bytes", no_table)
        assert word_probability._word_entries() == first
        assert word_probability.log_probability("cache") == whole_table["cache"]
    finally:
        word_probability._word_entries.cache_clear()
