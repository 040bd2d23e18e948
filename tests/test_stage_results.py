"""Every stage after segmenting returns one shape: its records, diagnostics, report section."""
from __future__ import annotations

import json

from conftest import ROOT

from pipeline.build import SourceInput, build_corpus
from pipeline.config import Config, DedupeConfig
from pipeline.continuity import carry_ids
from pipeline.models import StageResult
from pipeline.overrides import apply_overrides, parse_overrides
from pipeline.tags import load_aliases, normalize_tags


def test_overrides_dedupe_continuity_and_tags_results_share_one_shape():
    sample = ROOT / "raw" / "sample" / "sample-ebook.txt"
    build = build_corpus([SourceInput(sample, "sample")], Config())
    overrides = apply_overrides(build.corpus.problems, build.corpus.topics, parse_overrides(
        '[[move]]\nproblem = "Signing Webhook Payloads"\ntopic = "Caching Basics"\n'))
    ids = carry_ids(build.corpus, build.corpus, DedupeConfig())
    tags = normalize_tags(build.corpus, build.dedupe.evidence, load_aliases(None))
    for result in (overrides, build.dedupe, ids, tags):
        assert isinstance(result, StageResult), type(result)
        assert all(d.severity in ("info", "warning", "error") for d in result.diagnostics)
        section = result.report_section()
        assert section and json.loads(json.dumps(section)) == section  # JSON-ready
    # The report's merges are dedupe's own section, as report.json writes it.
    assert set(build.dedupe.report_section()) == {"merges", "near_misses"}
    merge = build.dedupe.report_section()["merges"][0]
    assert set(merge["kept"]) == {"source", "line", "page", "number", "title", "topic"}
