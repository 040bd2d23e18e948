"""The tags stage end to end on an invented book with every tag layout, and its cache."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.build import SourceInput, build_corpus
from pipeline.config import Config
from pipeline.tags import TagAliases, TagCache, normalize_tags
from pipeline.tags import stage as stage_module

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tags" / "layouts.txt"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built():
    return build_corpus([SourceInput(FIXTURE, "layouts.txt")], Config())


def point_tags(corpus):
    return {pt.title: pt.tags for p in corpus.problems for pt in p.points}


def test_every_layout_gives_separate_tags(built):
    result = normalize_tags(built.corpus, built.dedupe.evidence, TagAliases())
    assert point_tags(result.corpus) == {
        "Slow Sprinklers": ("pacing-sprinkler", "soil-moisture-probe"),  # links
        "Drain Channels": ("gravel-drain", "overflow-basin"),  # backticks
        "Night Watering": ("night-timer",),  # bold
        "Rain Barrels": ("rain-barrel", "gutter-filter"),  # one tag per line
        "Mixed Tools": ("redis", "kafka", "soil-moisture-probe", "rain-barrel"),  # joined
        "Pruning Rotas": ("hedge-rota", "night-timer", "gravel-drain"),  # joined
        "Sharp Shears": ("sharp-shear",),  # a short joined row: one tag
    }
    labels = {t.id: t.label for t in result.corpus.tags}
    assert labels["redis"] == "Redis" and labels["night-timer"] == "night timers"
    # The repeated problem's joined copy contributes its spellings as forms.
    forms = {t.id: t.forms for t in result.corpus.tags}
    assert forms["rain-barrel"] == ("Rain barrels", "rain barrels")


def test_splits_list_every_joined_row_least_confident_first(built):
    result = normalize_tags(built.corpus, built.dedupe.evidence, TagAliases())
    assert sorted(s.text for s in result.splits) == [
        "Hedge rotas night timers gravel drains",
        "Redis Kafka soil moisture probes rain barrels", "Sharp shears"]
    confidences = [s.confidence for s in result.splits]
    assert confidences == sorted(confidences)
    assert all(s.where.line and s.reason for s in result.splits)
    section = result.report_section()
    json.dumps(section)  # JSON-ready
    assert section["tags"]["stats"]["joined_rows"] == 3
    assert any(d.code == "tag-splits" for d in result.diagnostics)


def test_warm_cache_never_calls_spacy(built, tmp_path, monkeypatch):
    cache = TagCache(tmp_path)
    first = normalize_tags(built.corpus, built.dedupe.evidence, TagAliases(), cache)
    assert first.stats["lemmas_computed"] > 0
    assert (tmp_path / "tags.json").is_file()

    def no_spacy(words):
        raise AssertionError(f"spaCy asked for {sorted(words)}")

    monkeypatch.setattr(stage_module, "spacy_lemmas", no_spacy)
    second = normalize_tags(built.corpus, built.dedupe.evidence, TagAliases(), TagCache(tmp_path))
    assert second.corpus == first.corpus
    assert second.stats["lemmas_computed"] == 0


def test_cache_of_another_lemmatizer_or_damaged_is_ignored(tmp_path):
    cache = TagCache(tmp_path / "tags.json", namespace="lemmatizer-a")
    cache.put("barrels", "barrel")
    cache.save()
    assert TagCache(tmp_path / "tags.json", namespace="lemmatizer-a").get("barrels") == "barrel"
    assert TagCache(tmp_path / "tags.json", namespace="lemmatizer-b").get("barrels") is None
    (tmp_path / "tags.json").write_text("{not json", "utf-8")
    assert TagCache(tmp_path / "tags.json", namespace="lemmatizer-a").get("barrels") is None


def test_importing_the_stage_does_not_import_spacy():
    code = ("import sys, pipeline.tags, pipeline.tags.stage; "
            "print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"
