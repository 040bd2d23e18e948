"""A cache folder is untrusted input: nothing in it runs, and nothing damaged in it changes
a build. Entries are checksummed msgpack/JSON; anything else is a miss that is rebuilt."""
from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cache import Cache, frame, read_regular_file
from pipeline.cli import main
from pipeline.incremental import BuildCache
from pipeline.models import Diagnostic, Line
from pipeline.readers.pdf import _decode_lines
from pipeline.segment import SegmentedSource
from pipeline.tags.cache import TagCache

SOURCES = [ROOT / "raw" / "sample" / "sample-ebook.txt",
           ROOT / "raw" / "sample" / "sample-ebook.pdf"]
SEGMENTED = tuple[SegmentedSource, list[Diagnostic]]


def build(out: Path) -> None:
    result = CliRunner().invoke(main, ["build", *map(str, SOURCES), "--out", str(out)])
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("clean") / "build"
    build(out)
    return out


def cache_files(out: Path) -> list[Path]:
    return sorted(p for p in (out / ".cache").rglob("*") if p.is_file())


def entry_keys(out: Path) -> list[str]:
    return [p.name for p in cache_files(out) if p.name != "tags.json"]


def test_the_build_leaves_every_kind_of_cache_entry(clean):
    names = [p.name for p in cache_files(clean)]
    assert "tags.json" in names
    # stamp + two segment results (text, PDF) + the PDF's lines
    assert len(entry_keys(clean)) == 4, names
    for path in cache_files(clean):
        assert not path.read_bytes().startswith(b"\x80"), f"{path} looks like a pickle"


class Planted:
    """Unpickling this creates a marker file: the proof that code ran."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "code ran"))


def test_a_planted_pickle_never_runs(clean, tmp_path):
    out = tmp_path / "build"
    shutil.copytree(clean, out)
    marker = tmp_path / "PWNED"
    for index, key in enumerate(entry_keys(out)):
        path = Cache(out / ".cache").path_for(key)
        payload = pickle.dumps(Planted(marker), protocol=pickle.HIGHEST_PROTOCOL)
        # Bare pickles, and pickles inside a valid frame (right magic and checksum).
        path.write_bytes(payload if index % 2 else frame(key, payload))
    build(out)
    assert not marker.exists()
    assert (out / "corpus.json").read_bytes() == (clean / "corpus.json").read_bytes()
    for path in cache_files(out):  # every planted entry was rebuilt
        assert b"PWNED" not in path.read_bytes()


def test_a_fifo_planted_as_a_cache_entry_is_a_miss(clean, tmp_path):
    out = tmp_path / "build"
    shutil.copytree(clean, out)
    for key in entry_keys(out):
        path = Cache(out / ".cache").path_for(key)
        path.unlink()
        os.mkfifo(path)  # reading it would block forever
    build(out)
    assert (out / "corpus.json").read_bytes() == (clean / "corpus.json").read_bytes()


def test_read_regular_file_refuses_what_is_not_a_regular_file(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert read_regular_file(fifo) is None
    assert read_regular_file(Path("/dev/zero")) is None
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "target")
    (tmp_path / "target").write_bytes(b"data")
    assert read_regular_file(link) is None  # a final symlink is not followed
    assert read_regular_file(tmp_path / "target") == b"data"
    assert read_regular_file(tmp_path / "target", limit=3) is None


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_flipped_byte_in_an_entry_is_always_a_miss(clean, tmp_path_factory, data):
    out = tmp_path_factory.mktemp("flip") / "build"
    shutil.copytree(clean / ".cache", out / ".cache")
    keys = entry_keys(out)
    key = data.draw(st.sampled_from(keys))
    path = Cache(out / ".cache").path_for(key)
    raw = bytearray(path.read_bytes())
    position = data.draw(st.integers(0, len(raw) - 1))
    raw[position] ^= data.draw(st.integers(1, 255))
    path.write_bytes(bytes(raw))
    cache = BuildCache(out)
    assert cache.store_.get(key) is None
    assert cache.load(key, SEGMENTED) is None
    assert cache.load(key, list[Line]) is None


def test_entries_of_another_shape_are_misses(tmp_path):
    cache = BuildCache(tmp_path)
    key = "ab" * 32
    cache.store(key, {"title": "not a segment result"})
    assert cache.load(key, SEGMENTED) is None
    cache.store_.put(key, json.dumps(["stage-result-1", []]).encode())
    assert cache.load(key, SEGMENTED) is None
    assert _decode_lines(b"not zlib", "src") is None


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_flipped_byte_in_the_tags_cache_drops_it_whole(clean, tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("tags")
    original = (clean / ".cache" / "tags.json").read_bytes()
    namespace = json.loads(original)["namespace"]
    entries = TagCache(clean / ".cache" / "tags.json", namespace=namespace).entries
    assert entries
    raw = bytearray(original)
    position = data.draw(st.integers(0, len(raw) - 1))
    raw[position] ^= data.draw(st.integers(1, 255))
    (folder / "tags.json").write_bytes(bytes(raw))
    assert TagCache(folder / "tags.json", namespace=namespace).entries in ({}, entries)


@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)),
                      min_size=5, max_size=5))
def test_flips_in_every_cache_file_never_change_the_corpus(clean, tmp_path_factory, flips):
    out = tmp_path_factory.mktemp("flipped") / "build"
    shutil.copytree(clean, out)
    files = cache_files(out)
    assert len(files) == len(flips)
    for path, (where, xor) in zip(files, flips):
        raw = bytearray(path.read_bytes())
        raw[int(where * len(raw))] ^= xor
        path.write_bytes(bytes(raw))
    build(out)
    assert (out / "corpus.json").read_bytes() == (clean / "corpus.json").read_bytes()
    # The report of a rebuild over the clean build (ids kept, notes unchanged), as when
    # every cache entry had been deleted.
    assert (out / "report.json").read_bytes() == rebuilt_report(clean, tmp_path_factory)


_REBUILT: dict[Path, bytes] = {}


def rebuilt_report(clean: Path, tmp_path_factory) -> bytes:
    if clean not in _REBUILT:
        out = tmp_path_factory.mktemp("control") / "build"
        shutil.copytree(clean, out)
        shutil.rmtree(out / ".cache")
        build(out)
        _REBUILT[clean] = (out / "report.json").read_bytes()
    return _REBUILT[clean]
