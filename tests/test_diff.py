"""drillbook diff: problems added, retired, retitled, moved and points edited."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT

from pipeline.build import SourceInput, build_corpus
from pipeline.cli import main
from pipeline.config import Config, DedupeConfig
from pipeline.continuity import carry_ids
from pipeline.diff import diff_corpora, diff_json, diff_points, diff_text
from pipeline.emit.corpus_json import corpus_json_bytes
from pipeline.models import Corpus, Occurrence, Point, Problem, Where

SAMPLE = ROOT / "raw" / "sample" / "sample-ebook.txt"
REVISED = FIXTURES / "sample-revised-edition.txt"
EXPECTED = json.loads((FIXTURES / "sample_expected.json").read_text("utf-8"))["revised_edition"]


def built(path: Path) -> Corpus:
    return build_corpus([SourceInput(path, path.name)], Config()).corpus


@pytest.fixture(scope="module")
def editions() -> tuple[Corpus, Corpus, Corpus]:
    """The sample, the revised edition with fresh ids, and with ids carried from the sample."""
    first, second = built(SAMPLE), built(REVISED)
    return first, second, carry_ids(second, first, DedupeConfig()).corpus


def point(title: str, explanation: str = "Explain it.", example: str = "An example.",
          tags: tuple[str, ...] = ()) -> Point:
    return Point(title, explanation, example, Where("s", 1), tags=tags)


def problem(title: str, points: tuple[Point, ...], topic: str = "t", pid: str = "") -> Problem:
    return Problem(id=pid or title.lower().replace(" ", "-"), title=title, number=1, topic=topic,
                   question="Why?", summary="Because.", points=points,
                   occurrences=(Occurrence("s", 1, None, 1, title, topic),))


@pytest.mark.parametrize("carried", [True, False], ids=["ids-carried", "fresh-ids"])
def test_revised_edition_diff_matches_the_hand_written_changes(editions, carried):
    first, fresh, carried_corpus = editions
    d = diff_corpora(first, carried_corpus if carried else fresh)
    assert sorted(p.title for p in d.added) == sorted(EXPECTED["added"])
    assert [p.title for p in d.retired] == EXPECTED["removed"]
    assert sorted((c.old_title, c.new_title) for c in d.changes if c.retitled) == sorted(
        map(tuple, EXPECTED["retitled"]))
    edited = {(c.new_title, p.title): p.fields for c in d.changes for p in c.points}
    by_old = dict(map(tuple, EXPECTED["same_as_sample"]))
    for change in EXPECTED["edited_explanations"]:
        assert edited[(by_old[change["problem"]], change["point"])] == ("explanation",)
    assert len(edited) == len(EXPECTED["edited_explanations"])
    assert d.counts["moved"] == 0
    assert d.counts["id_changed"] == (0 if carried else len(EXPECTED["retitled"]))


def test_a_corpus_against_itself_has_no_changes(editions):
    first, _, _ = editions
    d = diff_corpora(first, first)
    assert d.is_empty
    assert diff_text(d).splitlines()[-1] == "no changes"
    data = diff_json(d)
    assert data["added"] == data["retired"] == data["changed"] == []
    assert data["counts"]["unchanged"] == len(first.problems)


def test_point_changes_added_removed_retitled_and_edited_fields():
    old = (point("Use a Queue"), point("Batch Writes", example="Write 100 rows."),
           point("Retry Politely"), point("Drop Old Data", tags=("ttl",)))
    new = (point("Use a Queue"), point("Batch Writes", example="Write 500 rows."),
           point("Retry Politely With Backoff"), point("Drop Old Data", tags=("ttl", "cron")),
           point("Measure Lag", explanation="Something entirely new to say about lag."))
    changes = diff_points(old, new)
    summary = [(c.kind, c.title, c.fields) for c in changes]
    assert summary == [
        ("edited", "Batch Writes", ("example",)),
        ("edited", "Retry Politely With Backoff", ("title",)),
        ("edited", "Drop Old Data", ("tags",)),
        ("added", "Measure Lag", ()),
    ]
    removed = diff_points(new[:2], new[:1])
    assert [(c.kind, c.title, c.old_position) for c in removed] == [
        ("removed", "Batch Writes", 2)]


def test_an_unrelated_point_in_the_same_place_is_added_and_removed_not_edited():
    old = (point("Use a Queue"), point("Batch Writes", "Group rows into one round trip."))
    new = (point("Use a Queue"), point("Encrypt Backups", "Keys live in a separate vault."))
    assert [(c.kind, c.title) for c in diff_points(old, new)] == [
        ("added", "Encrypt Backups"), ("removed", "Batch Writes")]


def test_moved_and_question_edits_are_reported_but_renumbering_alone_is_not():
    a = problem("Sizing a Pool", (point("Count Cores"),), topic="pools", pid="sizing-a-pool-1")
    b = problem("Sizing a Pool", (point("Count Cores"),), topic="threads", pid="sizing-a-pool-1")
    c = replace(a, number=9, question="Why now?")
    renumbered = replace(a, number=42)
    moved = diff_corpora(Corpus((), (), (a,)), Corpus((), (), (b,)))
    assert moved.counts["moved"] == 1 and "moved from topic pools to threads" in diff_text(moved)
    edited = diff_corpora(Corpus((), (), (a,)), Corpus((), (), (c,)))
    assert edited.changes[0].fields == ("question",)
    assert diff_corpora(Corpus((), (), (a,)), Corpus((), (), (renumbered,))).is_empty


def test_text_output_names_each_change(editions):
    first, _, carried = editions
    text = diff_text(diff_corpora(first, carried))
    lines = text.splitlines()
    assert lines[0].startswith("2 added, 1 retired, 2 retitled, 0 moved, 3 edited")
    for title in EXPECTED["added"]:
        assert any(line.startswith("+ added") and repr(title) in line for line in lines)
    assert any(line.startswith("- retired") and repr(EXPECTED["removed"][0]) in line
               for line in lines)
    assert "    retitled from 'Choosing a Shard Key'" in lines


def test_cli_diff_text_and_json(editions, tmp_path):
    first, _, carried = editions
    (tmp_path / "old.json").write_bytes(corpus_json_bytes(first))
    (tmp_path / "new.json").write_bytes(corpus_json_bytes(carried))
    runner = CliRunner()
    text = runner.invoke(main, ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")])
    assert text.exit_code == 0, text.output
    assert text.output.startswith("2 added, 1 retired")
    as_json = runner.invoke(main, ["diff", "--json", str(tmp_path / "old.json"),
                                   str(tmp_path / "new.json")])
    data = json.loads(as_json.output)
    assert data["counts"]["added"] == 2 and data["counts"]["retired"] == 1
    assert sorted(p["title"] for p in data["added"]) == sorted(EXPECTED["added"])
    same = runner.invoke(main, ["diff", str(tmp_path / "old.json"), str(tmp_path / "old.json")])
    assert same.output.splitlines()[-1] == "no changes"


def test_cli_diff_missing_file_is_one_line_and_exit_1(tmp_path):
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "a.json"), str(tmp_path / "b.json")])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "corpus not found" in result.output


def test_real_book_against_itself_has_no_changes(real_corpus):
    corpus = real_corpus
    assert diff_corpora(corpus, corpus).is_empty
