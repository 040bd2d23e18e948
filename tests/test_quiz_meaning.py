"""The meaning cue: the key the only option on the stem's subject without sharing a word with
it, seen through the words the invented fixture book uses together."""
from __future__ import annotations

import pytest

from pipeline.emit.quiz.checks import item_findings
from pipeline.emit.quiz.generate import Item
from pipeline.emit.quiz.meaning import MEANING_MARGIN, MeaningModel, stem_passage
from pipeline.emit.quiz.text import echoes

SEARCH = "slow-product-search-a1fdd9"  # the fixture problem whose points define search words


@pytest.fixture(scope="module")
def model(quiz_fixture_corpus):
    return MeaningModel(quiz_fixture_corpus)


def _item(stem, key, *distractors, problem="elsewhere"):
    return Item("i", "name-concept", problem, "t", stem, key, tuple(distractors), key)


# No word of the stem is in any option: only meaning links "documents that contain each
# word" to the inverted index.
STEM = "Which one finds the documents that contain each word?"
LINKED = _item(STEM, "Inverted Index Engine", "Rotate Passwords", "Least Privilege",
               "Audit Access")


def test_words_used_in_one_point_are_linked_and_others_not(model):
    # one fixture point maps words to the documents containing them
    assert model.association("document", "invert") == pytest.approx(2 ** -0.5)
    assert model.association("document", "password") == 0.0
    assert model.association("word", "word") == 1.0


def test_words_never_used_together_fit_through_the_company_they_keep(model):
    # the fixture never says "compile" and "syntax" in one point, but both go with templates
    assert model.association("compile", "syntax") == 0.0
    assert model.fit("“compile”", "syntax") > 0.1
    assert "template" in model.shared("“compile”", "syntax")
    assert model.fit("“compile”", "password") < 0.05  # hardly anything in common


def test_the_items_own_problem_is_left_out(model):
    # only that problem uses "document" with "invert": without it, nothing links them
    assert model.association("document", "invert", without=SEARCH) == 0.0
    # another problem (stale search results) still links an index to documents
    assert 0 < model.fit(STEM, "Inverted Index Engine", without=SEARCH) < \
        model.fit(STEM, "Inverted Index Engine")


def test_the_lead_is_the_keys_fit_less_the_best_distractors(model):
    assert not any(echoes(STEM, o) for o in LINKED.options)  # no surface cue at all
    assert model.lead(STEM, LINKED.key, LINKED.distractors) >= MEANING_MARGIN
    # a distractor as linked as the key takes the lead away
    assert model.lead(STEM, "Rotate Passwords", ("Inverted Index Engine",)) < 0


def test_a_quantity_counts_as_its_unit(model):
    assert model.words("Each job holds 128MB and 2GB") >= {"mb", "gb"}
    assert "128mb" not in model.words("Each job holds 128MB")


def test_the_stem_passage_leaves_out_the_context_title():
    stem = "In “Slow Product Search”, which idea is described here: “Accept small typos.”?"
    assert stem_passage(stem) == "Accept small typos."
    assert stem_passage("Which Redis command fills the blank? “a” “b”") == "a b"


def test_the_check_rejects_an_item_with_a_meaning_cue(solver):
    found = item_findings(LINKED, 4, solver.subjects)
    assert "no_meaning_cue" in found and "invert" in found["no_meaning_cue"]
    fair = _item(STEM, "Typo Tolerance", "Rotate Passwords", "Least Privilege",
                 "Audit Access", problem=SEARCH)  # its own problem is what links it
    assert "no_meaning_cue" not in item_findings(fair, 4, solver.subjects)


def test_the_solver_answers_from_the_meaning_cue(solver):
    answer = solver.answer(LINKED)
    assert answer.cue == "meaning" and answer.picks == (0,) and answer.credit == 1.0
    # pointing at a distractor, the cue costs the solver the item
    swapped = _item(STEM, "Rotate Passwords", "Inverted Index Engine", "Least Privilege",
                    "Audit Access")
    assert solver.answer(swapped).credit == 0.0


def test_a_naming_item_whose_key_alone_is_on_the_stems_subject_is_not_made(quiz_fixture_corpus):
    import random

    from pipeline.emit.quiz.bank import Bank
    from pipeline.emit.quiz.naming import build_concept_item

    bank = Bank(quiz_fixture_corpus)
    problem = next(p for p in quiz_fixture_corpus.problems if p.title == "Nightly Report Overruns")
    point = next(pt for pt in problem.points if pt.title == "Chunk the Work")
    # "split one giant job into small batches": the rest of the fixture book keeps "job" and
    # "work" together (the signup emails), and none of the sibling titles near either
    stem = f"“{point.explanation}”"
    assert bank.meaning.fit(stem, point.title, problem.id) >= MEANING_MARGIN
    assert all(bank.meaning.fit(stem, other.title, problem.id) < 0.05
               for other in problem.points if other is not point)
    built = build_concept_item(bank, problem, point, random.Random(1), 0)
    assert not built and built.reason == "the key is the only option on the stem's subject"
