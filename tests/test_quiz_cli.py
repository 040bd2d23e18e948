"""`drillbook quiz` through click's CliRunner: what it writes and how it fails."""
from __future__ import annotations

import json
import shutil

from click.testing import CliRunner
from conftest import QUIZ_CORPUS as FIXTURE

from pipeline.cli import main


def _run(*args: str):
    return CliRunner().invoke(main, ["quiz", *args])


def test_quiz_writes_every_file_into_out(tmp_path):
    out = tmp_path / "myquiz"
    result = _run("--corpus", str(FIXTURE), "--count", "12", "--seed", "3", "--versions", "2",
                  "--kinds", "name-concept,which-command", "--out", str(out), "--no-pdf")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "answer-key.csv", "answer-key.html", "quiz.gift", "quiz.json", "quiz.moodle.xml",
        "quiz.qti.zip", "version-A.html", "version-B.html"]
    data = json.loads((out / "quiz.json").read_text())
    assert data["seed"] == 3
    assert [len(v["items"]) for v in data["versions"]] == [12, 12]
    assert {i["kind"] for i in data["versions"][0]["items"]} == {"name-concept",
                                                                 "which-command"}
    assert "12 questions" in result.output


def test_default_paths_are_build_corpus_and_build_quizzes_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "build").mkdir()
    shutil.copy(FIXTURE, tmp_path / "build" / "corpus.json")
    result = _run("--count", "5", "--name", "week-1", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "quizzes" / "week-1" / "quiz.json").is_file()


def test_same_seed_same_bytes_with_pdf(tmp_path):
    for name in ("one", "two"):
        result = _run("--corpus", str(FIXTURE), "--count", "4", "--seed", "8", "--versions", "1",
                      "--out", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    for file in ("quiz.json", "version-A.pdf", "answer-key.pdf", "quiz.gift"):
        assert (tmp_path / "one" / file).read_bytes() == (tmp_path / "two" / file).read_bytes()


def test_topics_can_be_titles_or_ids_repeated_or_comma_separated(tmp_path):
    result = _run("--corpus", str(FIXTURE), "--count", "6", "--topics", "Search Indexing",
                  "--topics", "edge-proxies", "--out", str(tmp_path), "--no-pdf")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "quiz.json").read_text())
    problems = {i["problem"] for i in data["versions"][0]["items"]}
    corpus = json.loads(FIXTURE.read_text())
    allowed = {p["id"] for p in corpus["problems"]
               if p["topic"] in ("search-indexing", "edge-proxies")}
    assert problems and problems <= allowed


def test_errors_are_one_line_and_exit_1(tmp_path):
    cases = [
        (["--corpus", str(tmp_path / "missing.json")], "corpus not found"),
        (["--corpus", str(FIXTURE), "--topics", "no-such-topic"], "unknown topic"),
        (["--corpus", str(FIXTURE), "--kinds", "essay"], "unknown quiz kind"),
        (["--corpus", str(FIXTURE), "--name", "Week 1"], "lowercase slug"),
    ]
    for args, message in cases:
        result = _run(*args, "--out", str(tmp_path / "x"), "--no-pdf")
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "x").exists()  # nothing half-written


def test_a_quiz_shows_its_progress_on_stderr_when_asked(quiz_fixture_corpus, capsys):
    # The CLI asks for progress only when stderr is a terminal (sys.stderr.isatty()).
    from pipeline.build import emit_context
    from pipeline.config import Config
    from pipeline.emit import quiz as quiz_output
    from pipeline.templating import make_environment

    config = Config()
    quiet = emit_context(config, make_environment(), None, progress=False)
    quiz_output.emit(quiz_fixture_corpus, quiet).complete()
    assert capsys.readouterr().err == ""
    shown = emit_context(config, make_environment(), None, progress=True)
    quiz_output.emit(quiz_fixture_corpus, shown).complete()  # the PDFs render when collected
    err = capsys.readouterr().err
    assert "quiz items" in err and "rendering quizzes/default" in err
