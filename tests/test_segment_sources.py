"""Segmenting several sources: in parallel (large text corpora) the build gets the same
results, in the same order, and the same first error, as one source after another."""
from __future__ import annotations

import pytest

from conftest import ROOT
from pipeline import build
from pipeline.errors import DrillbookError
from pipeline.sources import SourceInput, identify_sources

SAMPLE = ROOT / "raw" / "sample" / "sample-ebook.txt"


def books(tmp_path, count):
    text = SAMPLE.read_text("utf-8")
    paths = []
    for n in range(count):
        path = tmp_path / f"book-{n}.txt"
        # Each copy differs (its title line), so no two are the same source.
        path.write_text(text.replace("\n", f"\nEdition note {n}\n", 1), "utf-8")
        paths.append(path)
    return paths


def test_parallel_segmentation_equals_one_after_another(tmp_path, monkeypatch):
    sources = identify_sources([SourceInput(p, p.name) for p in books(tmp_path, 3)])
    sequential = build.segment_sources(sources, cache=None)
    monkeypatch.setattr(build, "PARALLEL_TEXT_BYTES", 0)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    import concurrent.futures

    pools = []

    class CountedPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(kwargs.get("max_workers"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", CountedPool)
    parallel = build.segment_sources(sources, cache=None)
    assert pools == [2]  # the sources really went to two worker processes
    assert parallel == sequential
    assert [seg.problems[0].occurrences[0].source for seg, _ in parallel] == \
        [source.id for _, source in sources]


def test_the_first_bad_source_is_the_one_named(tmp_path, monkeypatch):
    paths = books(tmp_path, 3)
    paths[1].write_text("nothing that looks like a problem\n", "utf-8")
    paths[2].write_text("still nothing\n", "utf-8")
    sources = identify_sources([SourceInput(p, p.name) for p in paths])
    monkeypatch.setattr(build, "PARALLEL_TEXT_BYTES", 0)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    with pytest.raises(DrillbookError) as caught:
        build.segment_sources(sources, cache=None)
    assert caught.value.path == "book-1.txt"
