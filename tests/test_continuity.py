"""Ids survive editions: a revised book keeps the id of every problem that survived it."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from pipeline.build import SourceInput, build_corpus
from pipeline.config import Config, DedupeConfig
from pipeline.continuity import carry_ids, match_problems, previous_corpus
from pipeline.emit.corpus_json import corpus_json_bytes
from pipeline.errors import DrillbookError
from pipeline.ids import problem_id
from pipeline.models import Corpus, Occurrence, Point, Problem, Where

SAMPLE = ROOT / "raw" / "sample" / "sample-ebook.txt"
REVISED = FIXTURES / "sample-revised-edition.txt"
EXPECTED = json.loads((FIXTURES / "sample_expected.json").read_text("utf-8"))["revised_edition"]
CONFIG = DedupeConfig()


def built(path: Path) -> Corpus:
    return build_corpus([SourceInput(path, path.name)], Config()).corpus


@pytest.fixture(scope="module")
def editions() -> tuple[Corpus, Corpus]:
    return built(SAMPLE), built(REVISED)


def ids_by_title(corpus: Corpus) -> dict[str, str]:
    return {p.title: p.id for p in corpus.problems}


def test_revised_edition_keeps_the_id_of_every_surviving_problem(editions):
    first, second = editions
    result = carry_ids(second, first, CONFIG)
    before, after = ids_by_title(first), ids_by_title(result.corpus)
    for old_title, new_title in EXPECTED["same_as_sample"]:
        assert after[new_title] == before[old_title], (old_title, new_title)
    assert set(result.kept) == {before[old] for old, _ in EXPECTED["same_as_sample"]}
    assert set(result.retired) == {before[title] for title in EXPECTED["removed"]}
    assert {p.title for p in result.corpus.problems if p.id in result.new} == set(
        EXPECTED["added"])
    assert sorted((r.old_title, r.new_title) for r in result.renamed) == sorted(
        map(tuple, EXPECTED["retitled"]))


def test_the_decoy_gets_an_id_of_its_own(editions):
    first, second = editions
    after = ids_by_title(carry_ids(second, first, CONFIG).corpus)
    for decoy, look_alike in EXPECTED["decoy_look_alikes"].items():
        assert after[decoy] != after[look_alike]
        assert after[decoy] not in ids_by_title(first).values()


def test_without_a_previous_corpus_ids_are_the_fresh_title_ids(editions):
    _, second = editions
    result = carry_ids(second, None, CONFIG)
    assert result.corpus == second and result.kept == () and result.retired == ()
    retitled = dict(map(tuple, EXPECTED["retitled"]))
    fresh = ids_by_title(second)
    for new_title in retitled.values():
        assert fresh[new_title] == problem_id(new_title)


def test_carrying_is_idempotent_and_survives_a_third_edition(editions, tmp_path):
    first, second = editions
    carried = carry_ids(second, first, CONFIG).corpus
    (tmp_path / "corpus.json").write_bytes(corpus_json_bytes(carried))
    previous = previous_corpus(tmp_path / "corpus.json")  # what the next build reads
    again = carry_ids(second, previous, CONFIG)
    assert corpus_json_bytes(again.corpus) == corpus_json_bytes(carried)
    assert again.new == () and again.retired == () and again.renamed == ()


def test_ids_stay_unique_when_a_new_problem_takes_a_kept_title():
    """Edition 2 retitled Alpha to Beta (id kept); edition 3 adds a new, unrelated Alpha."""
    beta = replace(make("Beta Problem", "one two three four five six seven"),
                   id=problem_id("Alpha Problem"))  # the id it carried from edition 1
    previous = Corpus(sources=(), topics=(), problems=(beta,))
    new_alpha = make("Alpha Problem", "entirely different words about caches and queues")
    new_beta = make("Beta Problem", "one two three four five six seven")
    result = carry_ids(Corpus(sources=(), topics=(), problems=(new_beta, new_alpha)),
                       previous, CONFIG)
    ids = [p.id for p in result.corpus.problems]
    assert ids[0] == problem_id("Alpha Problem")  # Beta keeps its history
    assert ids[1] != ids[0] and ids[1].startswith("alpha-problem-")
    assert result.kept == (ids[0],) and result.new == (ids[1],)


def test_a_rewritten_body_under_the_same_title_keeps_its_id():
    old = replace(make("Gamma Problem", "one two three four five six"), id="gamma-carried-1")
    new = make("Gamma Problem", "completely rewritten text with other ideas")
    result = carry_ids(Corpus((), (), (new,)), Corpus((), (), (old,)), CONFIG)
    assert result.corpus.problems[0].id == "gamma-carried-1"
    assert match_problems([old], [new], CONFIG)[0].how == "title"


def test_unreadable_previous_corpus_is_an_error_that_suggests_fresh_ids(tmp_path):
    assert previous_corpus(tmp_path / "corpus.json") is None
    (tmp_path / "corpus.json").write_text("{not json", "utf-8")
    with pytest.raises(DrillbookError) as caught:
        previous_corpus(tmp_path / "corpus.json")
    assert "--fresh-ids" in caught.value.message


def test_report_section_lists_kept_new_retired_and_renamed(editions):
    first, second = editions
    section = carry_ids(second, first, CONFIG).report_section()["ids"]
    assert len(section["kept"]) == len(EXPECTED["same_as_sample"])
    assert [r["title"] for r in section["retired"]] == EXPECTED["removed"]
    assert {r["matched_by"] for r in section["kept"]} >= {"id", "content"}


def test_real_book_carried_onto_itself_keeps_every_id(real_corpus):
    corpus = real_corpus
    result = carry_ids(corpus, corpus, CONFIG)
    assert result.corpus == corpus
    assert len(result.kept) == len(corpus.problems) and result.new == () == result.retired


def make(title: str, words: str) -> Problem:
    points = tuple(Point(f"{words} point {i}", f"Explain {words} {i}.", f"Example {words} {i}.",
                         Where("s", i)) for i in range(3))
    return Problem(id=problem_id(title), title=title, number=1, topic="t",
                   question=f"What about {words}?", summary=f"{words}.", points=points,
                   occurrences=(Occurrence("s", 1, None, 1, title, "t"),))


def test_id_map_renames_the_builds_own_ids_for_merge_records(editions):
    first, second = editions
    result = carry_ids(second, first, CONFIG)
    for old_title, new_title in EXPECTED["retitled"]:
        assert result.rename(problem_id(new_title)) == ids_by_title(first)[old_title]
    unchanged = EXPECTED["same_as_sample"][0][1]
    assert result.rename(problem_id(unchanged)) == problem_id(unchanged)
