"""Incremental builds: unchanged input does no work; a changed source redoes only itself."""
from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

import pipeline.build as build_module
from pipeline.build import run_build
from pipeline.config import Config

SAMPLE = ROOT / "raw" / "sample" / "sample-ebook.txt"


@pytest.fixture
def counted_segment(monkeypatch):
    calls = []
    original = build_module.segment

    def counting(lines):
        calls.append(lines[0].source)
        return original(lines)

    monkeypatch.setattr(build_module, "segment", counting)
    return calls


@pytest.fixture
def two_sources(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "a.txt")
    text = SAMPLE.read_text("utf-8").replace("Problem 1:", "Problem 101:", 1)
    (folder / "b.txt").write_text(text, "utf-8")
    return folder


def test_unchanged_input_is_up_to_date_and_does_no_work(two_sources, tmp_path, counted_segment):
    out = tmp_path / "out"
    run_build([two_sources], out, Config())
    assert len(counted_segment) == 2
    before = (out / "corpus.json").read_bytes()
    summary = run_build([two_sources], out, Config()).summary
    assert "up to date" in summary
    assert len(counted_segment) == 2
    assert (out / "corpus.json").read_bytes() == before


def test_changed_source_resegments_only_itself(two_sources, tmp_path, counted_segment):
    out = tmp_path / "out"
    run_build([two_sources], out, Config())
    b = two_sources / "b.txt"
    b.write_text(b.read_text("utf-8").replace("Problem 101:", "Problem 102:"), "utf-8")
    summary = run_build([two_sources], out, Config()).summary
    assert "up to date" not in summary
    assert len(counted_segment) == 3 and counted_segment[-1].startswith("b-")


def test_touched_output_or_no_cache_rebuilds(two_sources, tmp_path, counted_segment):
    out = tmp_path / "out"
    run_build([two_sources], out, Config())
    corpus = (out / "corpus.json").read_bytes()
    (out / "report.json").write_text("{}", "utf-8")
    assert "up to date" not in run_build([two_sources], out, Config()).summary
    assert (out / "report.json").read_text("utf-8") != "{}"
    assert (out / "corpus.json").read_bytes() == corpus
    run_build([two_sources], out, Config(), use_cache=False)
    assert len(counted_segment) == 4  # 2 cold + 2 forced; the touched rebuild used the cache
