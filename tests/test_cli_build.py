"""`drillbook build` through CliRunner: what it writes, and bad input that must not hurt."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from pipeline.cli import main

SAMPLE = ROOT / "raw" / "sample" / "sample-ebook.txt"

BOOK = """Tiny Book

Table of Contents

- [Only Topic](#) - 1 problems

Only Topic

Problem 1: A Problem

Question: INTERVIEWER: Why?

Solution:

Because.

1 First

- 👉 Explained.

Example: e.g. <b> & co.

Tag One

2 Second

- 👉 Also.

Example: more.

Tag Two
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def built(tmp_path):
    book = tmp_path / "book.txt"
    book.write_text(BOOK, encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", str(book), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_build_writes_corpus_and_report(built):
    corpus = json.loads((built / "corpus.json").read_text("utf-8"))
    assert [t["title"] for t in corpus["topics"]] == ["Only Topic"]
    (problem,) = corpus["problems"]
    assert problem["title"] == "A Problem" and problem["question"] == "Why?"
    assert [p["example"] for p in problem["points"]] == ["e.g. <b> & co.", "more."]
    report = json.loads((built / "report.json").read_text("utf-8"))
    assert report["summary"]["distinct_problems"] == 1
    assert report["toc"][0]["declared"] == 1 and report["toc"][0]["distinct"] == 1
    # two points are too few for a quiz: the build still succeeds and says why
    assert [d["code"] for d in report["diagnostics"] if d["severity"] == "warning"] == [
        "quiz-skipped"]
    assert not (built / "quizzes").exists()


def outputs(folder):
    """Every file of an output folder but the cache (a --no-cache build writes no entries)."""
    return {name: data for name, data in snapshot(folder).items()
            if name.parts[0] != ".cache"}


def test_rebuild_without_cache_into_a_fresh_folder_is_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    book = tmp_path / "book.txt"
    book.write_text(BOOK, encoding="utf-8")
    first, second = tmp_path / "first", tmp_path / "second"
    assert run("build", str(book), "--out", str(first)).exit_code == 0
    assert run("build", str(book), "--out", str(second), "--no-cache").exit_code == 0
    assert outputs(first) == outputs(second)
    assert {p.as_posix() for p in outputs(first)} >= {
        "corpus.json", "report.json", "report.html", "anki/backend-interview-problems.apkg"}


def test_without_source_date_epoch_new_notes_get_the_time_of_the_build(tmp_path, monkeypatch):
    import time

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    book = tmp_path / "book.txt"
    book.write_text(BOOK, encoding="utf-8")
    before = int(time.time())
    assert run("build", str(book), "--out", str(tmp_path / "out")).exit_code == 0
    manifest = json.loads((tmp_path / "out" / "anki" / "manifest.json").read_text("utf-8"))
    assert all(before <= n["mod"] <= time.time() for n in manifest["notes"].values())


BAD_INPUTS = {
    "missing": (None, "no such file or folder"),
    "empty.txt": (b"", "file is empty"),
    "latin.txt": ("Problem 1: caf\xe9\n".encode("latin-1"), "not UTF-8"),
    "prose.txt": (b"Nothing here looks like a problem.\n", "no 'Problem N: Title' headings"),
    "book.docx": (b"PK\x03\x04", "unsupported file type"),
    "garbage.txt": (bytes(range(256)) * 4, "binary data"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_one_line_nonzero_exit_and_previous_build_intact(built, tmp_path, name):
    data, expected = BAD_INPUTS[name]
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    before = snapshot(built)
    result = run("build", str(path), "--out", str(built))
    assert result.exit_code != 0
    assert result.stdout == ""
    err_lines = result.stderr.strip().splitlines()
    assert len(err_lines) == 1, result.stderr
    assert str(path) in err_lines[0] and expected in err_lines[0]
    assert "Traceback" not in result.stderr
    assert snapshot(built) == before


def test_folder_with_nothing_to_read(tmp_path, built):
    folder = tmp_path / "empty-folder"
    folder.mkdir()
    (folder / "notes.csv").write_text("a,b\n")
    result = run("build", str(folder), "--out", str(built))
    assert result.exit_code != 0
    assert "folder holds nothing to read" in result.stderr and str(folder) in result.stderr


def test_several_sources_build_one_corpus(tmp_path):
    first = tmp_path / "a.txt"
    first.write_text(BOOK, encoding="utf-8")
    second = tmp_path / "sub" / "b.md"
    second.parent.mkdir()
    second.write_text(BOOK.replace("Problem 1: A Problem", "Problem 9: A Problem"), "utf-8")
    out = tmp_path / "out"
    result = run("build", str(first), str(tmp_path / "sub"), "--out", str(out))
    assert result.exit_code == 0, result.output
    corpus = json.loads((out / "corpus.json").read_text("utf-8"))
    assert len(corpus["sources"]) == 2
    (problem,) = corpus["problems"]
    assert [o["number"] for o in problem["occurrences"]] == [1, 9]


def test_python_dash_m_pipeline_works():
    done = subprocess.run([sys.executable, "-m", "pipeline", "--help"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0 and "build" in done.stdout


def test_written_corpus_validates_against_the_schema(built):
    from pipeline.emit.corpus_json import load_corpus

    corpus = load_corpus(built / "corpus.json")  # validates with jsonschema
    assert [p.title for p in corpus.problems] == ["A Problem"]
    import jsonschema

    schema = json.loads((built / "corpus.schema.json").read_text("utf-8"))
    jsonschema.validate(json.loads((built / "corpus.json").read_text("utf-8")), schema)


def test_build_of_the_current_folder_never_reads_its_own_outputs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLE, tmp_path / "book.txt")
    (tmp_path / "drillbook.toml").write_text("[quiz]\npdf = true\ncount = 4\n", "utf-8")
    first = run("build", ".")
    assert first.exit_code == 0, first.output
    assert (tmp_path / "build" / "quizzes" / "default" / "version-A.pdf").is_file()
    again = run("build", ".", "--out", "elsewhere")  # build/ is someone else's output now
    assert again.exit_code == 0, again.output
    corpus = json.loads((tmp_path / "elsewhere" / "corpus.json").read_text("utf-8"))
    assert [s["path"] for s in corpus["sources"]] == ["book.txt"]
    inside = run("build", "build/quizzes", "--out", "build")
    assert inside.exit_code == 1 and "inside the output folder" in inside.stderr


def test_outputs_a_rebuild_no_longer_writes_are_removed(tmp_path):
    out = tmp_path / "out"
    config = tmp_path / "drillbook.toml"
    config.write_text("[quiz]\npdf = false\ncount = 4\n", "utf-8")
    assert run("build", str(SAMPLE), "--out", str(out), "--config", str(config)).exit_code == 0
    assert (out / "quizzes" / "default" / "quiz.gift").is_file()
    book = tmp_path / "book.txt"
    book.write_text(BOOK, encoding="utf-8")  # too small for a quiz
    result = run("build", str(book), "--out", str(out), "--config", str(config))
    assert result.exit_code == 0, result.output
    assert not (out / "quizzes").exists()
    assert "quiz-skipped" in (out / "report.json").read_text("utf-8")


def test_control_characters_in_the_book_and_the_title_never_break_the_xml(tmp_path):
    from xml.etree import ElementTree

    text = SAMPLE.read_text("utf-8").replace("Example: ", "Example: \x01\x1b[1m", 3)
    book = tmp_path / "book.txt"
    book.write_text(text, encoding="utf-8")
    config = tmp_path / "drillbook.toml"
    config.write_text('[quiz]\npdf = false\ntitle = "Week\\u0002 one"\n', "utf-8")
    out = tmp_path / "out"
    result = run("build", str(book), "--out", str(out), "--config", str(config))
    assert result.exit_code == 0, result.output
    ElementTree.parse(out / "quizzes" / "default" / "quiz.moodle.xml")
    result = run("quiz", "--corpus", str(out / "corpus.json"), "--out", str(tmp_path / "q"),
                 "--no-pdf", "--count", "4", "--title", "Quiz \x07\x0c bell")
    assert result.exit_code == 0, result.output
    ElementTree.parse(tmp_path / "q" / "quiz.moodle.xml")
    assert "Quiz  bell" in (tmp_path / "q" / "quiz.moodle.xml").read_text("utf-8")


@pytest.mark.parametrize("command", ["build", "quiz", "anki"])
def test_out_that_is_a_file_is_one_line_naming_it(built, tmp_path, command):
    target = tmp_path / "a-file"
    target.write_text("not a folder")
    args = [command, "--out", str(target)]
    if command == "build":
        args.insert(1, str(tmp_path / "book.txt"))
    else:
        args += ["--corpus", str(built / "corpus.json")]
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"drillbook: error: {target}: "
                             "the output folder is a file, not a folder\n")


def test_unwritable_out_is_one_line_naming_it(built, tmp_path, monkeypatch):
    import pipeline.outputs

    monkeypatch.setattr(pipeline.outputs, "_writable", lambda folder: False)
    result = run("build", str(tmp_path / "book.txt"), "--out", str(built))
    assert result.exit_code == 1
    assert result.stderr == (f"drillbook: error: {built}: cannot write to the output folder: "
                             "Permission denied\n")


def test_exit_codes_tell_input_usage_and_bugs_apart(tmp_path, monkeypatch):
    import pipeline.build

    assert run("build", str(tmp_path / "missing.txt")).exit_code == 1
    assert run("build", "--no-such-option").exit_code == 2
    assert run("quiz", "--count", "zero").exit_code == 2
    book = tmp_path / "book.txt"
    book.write_text(BOOK, encoding="utf-8")

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(pipeline.build, "run_build", broken)
    result = run("build", str(book))
    assert result.exit_code == 3
    assert result.stderr.startswith("drillbook: internal error: ZeroDivisionError: a bug")


def test_build_prints_a_count_and_the_first_warnings_on_stderr(tmp_path):
    problems = "".join(f"\nProblem {n}: Problem Number {n}\n\nSolution:\n\n1 Point\n\n"
                       f"- 👉 Explained {n}.\n\nExample: e{n}.\n\nTag\n" for n in range(1, 9))
    book = tmp_path / "book.txt"
    book.write_text("Book\n\nTable of Contents\n\n- [Only Topic](#) - 8 problems\n\n"
                    "Only Topic\n" + problems, encoding="utf-8")
    out = tmp_path / "out"
    short = run("build", str(book), "--out", str(out), "--no-cache")
    assert short.exit_code == 0, short.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    warnings = [d for d in report["diagnostics"] if d["severity"] == "warning"]
    assert len(warnings) >= 8  # every problem lacks its question
    lines = short.stderr.splitlines()
    assert lines[0] == (f"drillbook: {len(warnings)} warning(s); all of them, and the notes, "
                        f"are in {out}/report.json")
    assert [line for line in lines if line.startswith("drillbook: warning: ")] == [
        f"drillbook: warning: {book}:{w['where']['line']}: {w['message']}" if w["where"]
        else f"drillbook: warning: {w['message']}" for w in warnings[:5]]
    assert lines[-1] == f"drillbook: ... and {len(warnings) - 5} more (--verbose shows them all)"
    verbose = run("build", str(book), "--out", str(out), "--no-cache", "--verbose")
    assert len([x for x in verbose.stderr.splitlines() if " warning: " in x]) == len(warnings)


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs sysfs, where mkdir fails")
def test_out_where_no_folder_can_be_made_is_one_line_naming_it(built, tmp_path):
    result = run("build", str(tmp_path / "book.txt"), "--out", "/sys/drillbook-out")
    assert result.exit_code == 1
    assert result.stderr.startswith("drillbook: error: /sys/drillbook-out: cannot create the "
                                    "output folder: ")
    assert len(result.stderr.splitlines()) == 1


def test_a_book_dropped_into_raw_never_mixes_with_the_sample(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "raw", tmp_path / "raw")
    empty = run("build", "--out", "out")
    assert empty.exit_code == 1
    assert empty.stderr == ("drillbook: error: raw: folder holds nothing to read (expected "
                            ".txt, .md, .markdown, .pdf files); skipped raw/sample (name a "
                            "folder to build it)\n")
    (tmp_path / "raw" / "my-book.txt").write_text(BOOK, encoding="utf-8")
    result = run("build", "--out", "out")
    assert result.exit_code == 0, result.output
    corpus = json.loads((tmp_path / "out" / "corpus.json").read_text("utf-8"))
    assert [s["path"] for s in corpus["sources"]] == ["raw/my-book.txt"]
    ignored = subprocess.run(["git", "check-ignore", "-q", "raw/my-book.txt"], cwd=ROOT)
    assert ignored.returncode == 0  # what users drop into raw/ is never committed
    kept = subprocess.run(["git", "check-ignore", "-q", "raw/sample/sample-ebook.txt"], cwd=ROOT)
    assert kept.returncode == 1
