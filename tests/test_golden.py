"""`make build`'s outputs against the human-checked golden tree (refresh: `make golden`),
and two cold builds into fresh folders giving the same bytes."""
from __future__ import annotations

import json

import pytest

from golden import DECK, EPOCH, GOLDEN, build_sample, golden_files, make_build_arguments


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("golden") / "build"
    build_sample(out)
    return out


def test_golden_build_is_the_makefile_build():
    # The Makefile recipe is the one place the command is written; golden.py reads it.
    assert make_build_arguments() == ["build", "raw/sample/"]


def test_golden_tree_lists_every_file_it_checks(sample_build):
    assert sorted(golden_files(sample_build)) == sorted(tree(GOLDEN))


@pytest.mark.parametrize("name", sorted(tree(GOLDEN)))
def test_output_matches_golden_file(sample_build, name):
    produced = golden_files(sample_build)[name]
    assert produced == (GOLDEN / name).read_bytes(), (
        f"{name} changed: check the difference, then `make golden`")


def test_every_new_note_carries_source_date_epoch(sample_build):
    manifest = json.loads((sample_build / "anki" / "manifest.json").read_text("utf-8"))
    assert {note["mod"] for note in manifest["notes"].values()} == {int(EPOCH)}
    assert {kind["mod"] for kind in manifest["note_types"].values()} == {int(EPOCH)}


def test_two_cold_builds_into_fresh_folders_are_byte_identical(sample_build, tmp_path):
    again = tmp_path / "again"
    build_sample(again)
    first, second = tree(sample_build), tree(again)  # the cache folder included
    assert DECK in first and "quizzes/default/version-A.pdf" in first
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
