"""The content-addressed cache, and the PDF reader skipping extraction on a second read."""
from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES

from pipeline.cache import Cache, cache_key
from pipeline.readers import pdf as pdf_reader
from pipeline.readers.pdf import read_pdf_lines

ALT_PDF = FIXTURES / "pdf" / "alt-style-sample.pdf"


def test_keys_are_sha256_of_length_prefixed_parts():
    assert cache_key("ab", "c") != cache_key("a", "bc")
    assert cache_key("x", 1) == cache_key("x", 1)
    assert cache_key("x", 1) != cache_key("x", "1")
    assert len(cache_key(b"bytes")) == 64


def test_put_then_get_and_missing_keys(tmp_path):
    cache = Cache(tmp_path / "c")
    key = cache_key("hello")
    assert cache.get(key) is None
    assert cache.put(key, b"\x00data")
    assert cache.get(key) == b"\x00data"
    assert cache.path_for(key).parent.name == key[:2]
    assert not [p for p in (tmp_path / "c").rglob("*.tmp")]  # no temporary left behind


def test_bad_keys_are_refused(tmp_path):
    with pytest.raises(ValueError):
        Cache(tmp_path).get("../../etc/passwd")


def test_an_unwritable_cache_only_costs_time(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert Cache(blocker).put(cache_key("k"), b"v") is False


@pytest.fixture
def pdf_copy(tmp_path):
    path = tmp_path / "book.pdf"
    shutil.copy(ALT_PDF, path)
    return path


def test_second_read_comes_from_the_cache(pdf_copy, tmp_path, monkeypatch):
    cache = tmp_path / "build" / ".cache"
    first = read_pdf_lines(pdf_copy, "first", workers=1, cache=cache, progress=False)

    def no_extraction(*args, **kwargs):
        raise AssertionError("extraction ran despite a warm cache")

    monkeypatch.setattr(pdf_reader, "extract_pages", no_extraction)
    again = read_pdf_lines(pdf_copy, "second-id", cache=cache, progress=False)
    assert ([(line.text, line.page, line.style) for line in again]
            == [(line.text, line.page, line.style) for line in first])
    assert {line.source for line in again} == {"second-id"}  # the cache holds no source id


def test_a_changed_file_or_a_damaged_entry_is_read_again(pdf_copy, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    read_pdf_lines(pdf_copy, "s", workers=1, cache=cache, progress=False)
    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert len(entries) == 1
    entries[0].write_bytes(b"garbage")
    calls = []
    real = pdf_reader.extract_pages
    monkeypatch.setattr(pdf_reader, "extract_pages",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    lines = read_pdf_lines(pdf_copy, "s", workers=1, cache=cache, progress=False)
    assert calls == [1] and lines
    with pdf_copy.open("ab") as handle:  # same pages, different bytes: a new key
        handle.write(b"\n% appended comment\n")
    read_pdf_lines(pdf_copy, "s", workers=1, cache=cache, progress=False)
    assert calls == [1, 1]
