"""What a run keeps next to the package's bytecode (pipeline/kept.py): made once, read
back the same, made again when the code or a file it depends on changes, never required."""
from __future__ import annotations

import os

import pytest

from pipeline import kept as kept_module
from pipeline.kept import kept, kept_file


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(kept_module, "KEPT_FOLDER", tmp_path / "kept")
    return tmp_path / "kept"


def _counting(value):
    calls = []

    def make():
        calls.append(1)
        return value

    return make, calls


def test_a_value_is_made_once_and_read_back_equal(folder):
    value = {"index": frozenset({"a", "b"}), "order": ["z", "y"], "n": 1.5, "raw": b"\x00"}
    make, calls = _counting(value)
    assert kept("thing", make) == value
    assert kept("thing", make) == value
    assert len(calls) == 1
    assert [p.name.split(".")[0] for p in folder.iterdir()] == ["thing"]
    assert not list(folder.glob("*.tmp"))
    assert list(kept("thing", make)["order"]) == ["z", "y"]  # order kept


def test_a_changed_dependency_or_code_makes_it_again(folder, tmp_path, monkeypatch):
    data = tmp_path / "table.json"
    data.write_text("one", "utf-8")
    make, calls = _counting([1])
    kept("table", make, depends=[data])
    data.write_text("three", "utf-8")  # another size
    kept("table", make, depends=[data])
    assert len(calls) == 2
    os.utime(data, ns=(1, 1))  # another modification time
    kept("table", make, depends=[data])
    assert len(calls) == 3
    from pipeline import incremental

    before = kept_file("table", [data])
    monkeypatch.setattr(incremental, "code_hash", lambda: "another version of the code")
    assert kept_file("table", [data]) != before
    kept("table", make, depends=[data])
    assert len(calls) == 4


def test_a_damaged_file_is_made_again(folder):
    make, calls = _counting({"a": 1})
    kept("thing", make)
    path = kept_file("thing")
    path.write_bytes(b"\xff not marshal")
    assert kept("thing", make) == {"a": 1}
    assert len(calls) == 2


def test_an_unwritable_folder_only_costs_the_making(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setattr(kept_module, "KEPT_FOLDER", blocker / "kept")
    make, calls = _counting((1, 2))
    assert kept("thing", make) == (1, 2)
    assert kept("thing", make) == (1, 2)
    assert len(calls) == 2


def test_a_value_marshal_cannot_write_is_returned_unkept(folder):
    class Record:
        pass

    record = Record()
    assert kept("thing", lambda: record) is record
    assert not folder.exists() or not list(folder.iterdir())


def test_another_versions_file_is_replaced_not_piled_up(folder, monkeypatch):
    from pipeline import incremental

    kept("thing", lambda: 1)
    kept("other", lambda: 2)
    monkeypatch.setattr(incremental, "code_hash", lambda: "the code after an edit")
    assert kept("thing", lambda: 3) == 3
    names = sorted(p.name.split(".")[0] for p in folder.iterdir())
    assert names == ["other", "thing"]
    assert kept("thing", lambda: 4) == 3
