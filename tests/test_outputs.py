"""Publishing outputs: all together, stale files removed, a killed build's leftovers cleaned."""
from __future__ import annotations

import json
import os

import pytest

import pipeline.outputs as outputs
from pipeline.errors import DrillbookError
from pipeline.outputs import JOURNAL, OUTPUTS_LIST, STAGING_PREFIX, publish, recover


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file() and p.name != OUTPUTS_LIST}


def test_files_a_build_no_longer_writes_are_removed_and_others_kept(tmp_path):
    publish(tmp_path, {"a.json": b"1", "quizzes/default/q.html": b"q"})
    (tmp_path / "notes.txt").write_bytes(b"mine")  # not drillbook's: never touched
    publish(tmp_path, {"a.json": b"2"})
    assert tree(tmp_path) == {"a.json": b"2", "notes.txt": b"mine"}
    assert not (tmp_path / "quizzes").exists()  # emptied folders go too


def test_an_additional_publish_removes_nothing_and_is_not_removed_later(tmp_path):
    publish(tmp_path, {"corpus.json": b"1"})
    publish(tmp_path, {"anki/other.apkg": b"deck"}, owned=False)  # drillbook anki --deck
    publish(tmp_path, {"corpus.json": b"2"})
    assert tree(tmp_path) == {"corpus.json": b"2", "anki/other.apkg": b"deck"}


def test_a_build_killed_while_renaming_is_finished_by_the_next(tmp_path, monkeypatch):
    publish(tmp_path, {"a": b"old", "b": b"old", "c": b"old"})
    real_replace, calls = os.replace, []

    def dies_after_one(source, target):
        if calls:
            raise KeyboardInterrupt  # the kill, between two renames
        calls.append(target)
        real_replace(source, target)

    monkeypatch.setattr(outputs.os, "replace", dies_after_one)
    with pytest.raises(KeyboardInterrupt):
        publish(tmp_path, {"a": b"new", "b": b"new"})
    monkeypatch.setattr(outputs.os, "replace", real_replace)
    assert (tmp_path / JOURNAL).exists()
    recover(tmp_path)  # what the next build (or quiz/anki) does first
    assert tree(tmp_path) == {"a": b"new", "b": b"new"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [OUTPUTS_LIST]


def test_a_build_killed_while_staging_leaves_the_old_outputs_and_no_leftovers(tmp_path,
                                                                              monkeypatch):
    publish(tmp_path, {"a": b"old"})
    monkeypatch.setattr(outputs, "_write_atomically",
                        lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        publish(tmp_path, {"a": b"new"})
    assert tree(tmp_path) == {"a": b"old"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(STAGING_PREFIX)]


def test_leftovers_of_killed_builds_are_cleaned(tmp_path):
    (tmp_path / f"{STAGING_PREFIX}1234").mkdir()
    (tmp_path / f"{STAGING_PREFIX}1234" / "corpus.json").write_bytes(b"half")
    (tmp_path / ".corpus.json.k3j2_x9a.tmp").write_bytes(b"from the earlier writer")
    publish(tmp_path, {"corpus.json": b"whole"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [OUTPUTS_LIST, "corpus.json"]


@pytest.mark.parametrize("data", [b"<quiz><q>unclosed</quiz>", b"<a>\x01</a>", b"no xml"])
def test_ill_formed_xml_is_refused_before_anything_is_written(tmp_path, data):
    with pytest.raises(DrillbookError, match="quiz.moodle.xml.*not well-formed XML"):
        publish(tmp_path / "out", {"corpus.json": b"{}", "q/quiz.moodle.xml": data})
    assert not (tmp_path / "out").exists()


def test_xml_safe_drops_only_what_xml_cannot_hold():
    assert outputs.xml_safe("a\x00b\x1b[0m\x0bc\td\ne\rf\ufffe") == "ab[0mc\td\ne\rf"


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"x"), "the output folder is a file"),
    (lambda p: None, None),
])
def test_output_folder_that_is_a_file(tmp_path, make, message):
    target = tmp_path / "out"
    make(target)
    if message is None:
        outputs.check_output_folder(target / "deeper")  # creatable: fine
        return
    with pytest.raises(DrillbookError) as caught:
        outputs.check_output_folder(target)
    assert str(caught.value) == f"{target}: {message}, not a folder"
    with pytest.raises(DrillbookError) as caught:
        outputs.check_output_folder(target / "sub")
    assert str(caught.value).startswith(f"{target / 'sub'}: cannot create the output folder")


def test_refuses_paths_outside_the_folder(tmp_path):
    with pytest.raises(DrillbookError, match="outside the output folder"):
        publish(tmp_path, {"../escape.json": b"x"})


def test_the_benchmark_writes_its_results_beside_the_build_not_over_it(tmp_path):
    # bench.json goes to build/, where `make build` left corpus.json, the deck, the quiz...
    from bench.run import write_results
    publish(tmp_path, {"corpus.json": b"{}", "anki/deck.apkg": b"deck"})
    write_results(tmp_path / "bench.json", {"segment": {}})
    assert (tmp_path / "corpus.json").read_bytes() == b"{}"
    assert (tmp_path / "anki" / "deck.apkg").read_bytes() == b"deck"
    assert json.loads((tmp_path / "bench.json").read_text()) == {"segment": {}}
