"""Identity (pipeline/ids.py): one rule for problem ids, unique, from content, order-free.

The expectations are computed here from the documented rule (sha1 of the normalized title,
salted with "<level>:<value>"), not read back from the code under test.
"""
from __future__ import annotations

import hashlib
import itertools
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.build import SourceInput, build_corpus
from pipeline.config import Config, DedupeConfig
from pipeline.continuity import carry_ids
from pipeline.dedupe import merge_repeats
from pipeline.errors import DrillbookError
from pipeline.ids import assign_problem_ids, check_unique_ids, problem_id
from pipeline.models import Corpus, DraftPair, Occurrence, Point, Problem, Where
from pipeline.overrides import apply_overrides, parse_overrides, settle_overrides

TITLE = "Draining a Worker Pool"  # invented; shared by every twin below
SLUG = "draining-a-worker-pool"
NORMAL = "draining a worker pool"


def expected_id(salt: str | None = None) -> str:
    """The documented rule, written out: slug, then 6 hex of sha1(normalized title \\x1f salt)."""
    payload = NORMAL + "\x1f" + ("" if salt is None else salt)
    return f"{SLUG}-{hashlib.sha1(payload.encode('utf-8')).hexdigest()[:6]}"


def twin(words: str, question: str = "", source: str = "a", line: int = 1,
         topic: str = "t") -> Problem:
    """A draft titled TITLE whose text is built from ``words`` (different words: different
    problems, as dedupe sees them)."""
    points = tuple(Point(f"{words} step {i}", f"Do the {words} thing {i} with care.",
                         f"A {words} case {i}.", Where(source, line + i)) for i in range(1, 4))
    return Problem(id="", title=TITLE, number=1, topic=topic, question=question,
                   summary=f"{words} in short.", points=points,
                   occurrences=(Occurrence(source, line, None, 1, TITLE, topic),))


QUESTION = "How do you stop the workers without losing jobs?"
FIRST = twin("lease heartbeat requeue", QUESTION, line=10)
SECOND = twin("signal grace period shutdown hook", QUESTION, line=40)
THIRD = twin("quota budget scheduler fairness", QUESTION, source="b", line=5)
BARE = twin("checkpoint offset replay", "", source="b", line=70)  # no question


def ids_by_words(problems) -> dict[str, str]:
    """Problem id keyed by the invented words its points use (its content, not its place)."""
    return {p.points[0].title.rsplit(" step", 1)[0]: p.id for p in problems}


def test_a_unique_title_keeps_the_plain_id_of_the_old_rule():
    # The old rule was slug + sha1("<normalized title>\x1f")[:6]; it must not move.
    assert problem_id(TITLE) == expected_id()
    alone = merge_repeats([FIRST], DedupeConfig()).problems[0]
    assert alone.id == expected_id()
    assert problem_id("Sizing a Bloom Filter!") == "sizing-a-bloom-filter-" + hashlib.sha1(
        "sizing a bloom filter\x1f".encode()).hexdigest()[:6]


def test_three_twins_sharing_title_and_question_get_three_ids():
    problems = merge_repeats([FIRST, SECOND, THIRD], DedupeConfig()).problems
    assert len(problems) == 3
    ids = [p.id for p in problems]
    assert len(set(ids)) == 3
    # The question tells none of them apart, so each is salted with its whole text.
    assert expected_id() not in ids and expected_id("question:" + "how do you stop the "
                                                    "workers without losing jobs") not in ids


def test_a_twin_with_its_own_question_is_salted_with_the_question():
    other = twin("lease heartbeat requeue", "Why would a pool drain slowly?", line=90)
    problems = merge_repeats([SECOND, other], DedupeConfig()).problems
    by_words = ids_by_words(problems)
    assert by_words["lease heartbeat requeue"] == expected_id(
        "question:why would a pool drain slowly")
    assert by_words["signal grace period shutdown hook"] == expected_id(
        "question:how do you stop the workers without losing jobs")


@pytest.mark.parametrize("drafts", [
    (FIRST, BARE), (FIRST, SECOND, THIRD), (FIRST, SECOND, BARE), (SECOND, BARE, THIRD)])
def test_ids_of_twins_do_not_depend_on_input_order(drafts):
    seen = None
    for order in itertools.permutations(drafts):
        problems = merge_repeats(list(order), DedupeConfig()).problems
        assert len(problems) == len(drafts) and len({p.id for p in problems}) == len(drafts)
        found = ids_by_words(problems)
        assert seen is None or found == seen, order
        seen = found


def test_ids_do_not_depend_on_which_copy_of_a_twin_was_kept():
    # Two copies of FIRST with equal evidence but a one-word edit: the first one read is
    # kept, yet the id (salted with the smallest text of the copies) is the same.
    edited = replace(FIRST, summary="lease heartbeat requeue, in short.",
                     occurrences=(Occurrence("b", 500, None, 1, TITLE, "t"),))
    ids = set()
    for order in ([FIRST, edited, SECOND], [SECOND, edited, FIRST]):
        problems = merge_repeats(order, DedupeConfig()).problems
        assert len(problems) == 2
        ids.add(ids_by_words(problems)["lease heartbeat requeue"])
    assert len(ids) == 1


def test_two_identical_problems_kept_apart_are_told_apart_by_where_they_are():
    copy = replace(FIRST, occurrences=(Occurrence("b", 3, None, 1, TITLE, "t"),))
    apart = DraftPair(FIRST.occurrences[0], copy.occurrences[0])
    problems = merge_repeats([FIRST, copy], DedupeConfig(), forced_apart=[apart]).problems
    assert len(problems) == 2 and len({p.id for p in problems}) == 2
    assert {p.id for p in problems} == {expected_id("place:a:10:"), expected_id("place:b:3:")}


def test_colliding_ids_stop_the_build_naming_both_problems():
    a = replace(FIRST, id="x-1")
    b = replace(BARE, id="x-1", title="Another Title")
    with pytest.raises(DrillbookError) as caught:
        check_unique_ids([a, b])
    message = caught.value.message
    assert "'x-1'" in message and repr(TITLE) in message and "'Another Title'" in message
    assert "(a:10)" in message and "(b:70)" in message
    assert (caught.value.path, caught.value.line) == ("b", 70)
    check_unique_ids([a, replace(b, id="x-2")])  # distinct ids pass


def test_assign_checks_what_it_hands_out():
    ids = assign_problem_ids([FIRST, SECOND, THIRD, BARE])
    assert len(set(ids)) == 4


# ----- overrides and continuity find twins by these ids --------------------------------------

TOPICS = ()


@pytest.mark.parametrize("target", [FIRST, SECOND, THIRD, BARE])
def test_an_override_names_any_twin_by_its_corpus_id(target):
    drafts = [FIRST, SECOND, THIRD, BARE]
    ids = ids_by_words(merge_repeats(drafts, DedupeConfig()).problems)
    words = target.points[0].title.rsplit(" step", 1)[0]
    toml = f'[[retitle]]\nproblem = "{ids[words]}"\ntitle = "Draining Pools Gently"\n'
    result = apply_overrides(drafts, TOPICS, parse_overrides(toml))
    assert [a.status for a in result.applied] == ["applied"]
    deduped = merge_repeats(result.drafts, DedupeConfig(), result.forced_same,
                            result.forced_apart)
    problems, _ = settle_overrides(deduped.problems, result)
    renamed = [p for p in problems if p.title == "Draining Pools Gently"]
    assert [p.points for p in renamed] == [target.points]


def test_continuity_keeps_twin_ids_across_a_rebuild_in_the_other_order():
    first = Corpus((), (), merge_repeats([FIRST, SECOND, BARE], DedupeConfig()).problems)
    again = Corpus((), (), merge_repeats([BARE, SECOND, FIRST], DedupeConfig()).problems)
    carried = carry_ids(again, first, DedupeConfig())
    assert ids_by_words(carried.corpus.problems) == ids_by_words(first.problems)
    assert carried.new == () and carried.retired == ()


def test_a_new_problem_whose_id_a_carried_one_holds_moves_to_its_salt():
    # Edition 1's "Draining a Worker Pool" became "Draining Pools Gently" in edition 2 (id
    # kept); edition 3 prints a new, different problem under the first title: it takes the
    # next id of the salt rule, not a counter.
    old = replace(twin("lease heartbeat requeue", QUESTION), id=expected_id(),
                  title="Draining Pools Gently")
    renamed = replace(old, id="")
    newcomer = twin("quota budget scheduler fairness", "Why would a pool drain slowly?",
                    line=90)
    new = Corpus((), (), merge_repeats([renamed, newcomer], DedupeConfig()).problems)
    result = carry_ids(new, Corpus((), (), (old,)), DedupeConfig())
    ids = {p.title: p.id for p in result.corpus.problems}
    assert ids["Draining Pools Gently"] == expected_id()
    assert ids[TITLE] == expected_id("question:why would a pool drain slowly")


def test_carry_stops_with_a_clear_error_when_every_id_of_a_problem_is_taken():
    from pipeline.ids import salts

    newcomer = replace(BARE, id=expected_id())
    options = [expected_id()] + [expected_id(salt) for salt in salts(BARE)]
    # Earlier editions' problems, retitled since, that carry every id the newcomer could get.
    holders = [replace(twin(f"holder {n} words"), title=f"Gone Title {n}", id=option)
               for n, option in enumerate(options)]
    successors = [replace(h, id="") for h in holders]  # same titles: matched, ids carried
    with pytest.raises(DrillbookError) as caught:
        carry_ids(Corpus((), (), tuple(successors) + (newcomer,)), Corpus((), (), tuple(holders)),
                  DedupeConfig())
    assert "'Gone Title 0'" in caught.value.message and repr(TITLE) in caught.value.message


# ----- end to end: two sources, either order ---------------------------------------------------

def book_text(problems: list[tuple[str, str, str]]) -> str:
    """A tiny book in the sample's layout: (title, question or "", words) per problem."""
    parts = ["Table of Contents", "", f"- [Worker Pools](#) - {len(problems)} problems", "",
             "Worker Pools", ""]
    for number, (title, question, words) in enumerate(problems, 1):
        parts += [f"Problem {number}: {title}", ""]
        if question:
            parts += [f"Question: INTERVIEWER: {question}", ""]
        parts += ["Solution:", "", f"The {words} way, in short.", ""]
        for i in range(1, 4):
            parts += [f"{i} The {words} step {i}", "", f"- 👉 Apply {words} rule {i} carefully.",
                      "", f"Example: A {words} case number {i}.", "", f"`{words.split()[0]}{i}`",
                      ""]
    return "\n".join(parts) + "\n"


@pytest.fixture
def two_sources(tmp_path) -> tuple[Path, Path]:
    one = tmp_path / "one.txt"
    two = tmp_path / "two.txt"
    one.write_text(book_text([(TITLE, QUESTION, "lease heartbeat requeue"),
                              (TITLE, "", "checkpoint offset replay")]), "utf-8")
    two.write_text(book_text([(TITLE, QUESTION, "signal grace period hook"),
                              ("Sizing the Pool", "How many workers?", "cores memory io wait")]),
                   "utf-8")
    return one, two


def test_two_sources_in_either_order_give_the_same_ids(two_sources):
    one, two = two_sources
    runs = []
    for order in ((one, two), (two, one)):
        corpus = build_corpus([SourceInput(p, p.name) for p in order], Config()).corpus
        runs.append({p.points[0].title: p.id for p in corpus.problems})
    assert runs[0] == runs[1]
    ids = list(runs[0].values())
    assert len(ids) == 4 == len(set(ids))
    assert runs[0]["The cores memory io wait step 1"] == problem_id("Sizing the Pool")
    assert expected_id() not in ids  # the three twins are all salted


def test_an_override_finds_the_question_less_twin_of_a_build_by_its_id(two_sources, tmp_path):
    one, two = two_sources
    corpus = build_corpus([SourceInput(one, one.name), SourceInput(two, two.name)],
                          Config()).corpus
    bare_id = next(p.id for p in corpus.problems if not p.question)
    overrides = parse_overrides(f'[[retitle]]\nproblem = "{bare_id}"\n'
                                'title = "Replaying Offsets"\n')
    rebuilt = build_corpus([SourceInput(two, two.name), SourceInput(one, one.name)], Config(),
                           overrides=replace(overrides, path="overrides.toml"))
    assert [e["status"] for e in rebuilt.sections["overrides"]["entries"]] == ["applied"]
    assert [p.question for p in rebuilt.corpus.problems if p.title == "Replaying Offsets"] == [""]


# ----- the real book (DRILLBOOK_BOOK): its ids must not move ----------------------------------

# sha256 of "\n".join(sorted problem ids) of the real book, built with the rule as it was
# before identity moved into pipeline/ids.py (149 ids; a digest reveals no text).
REAL_BOOK_ID_DIGEST = "452101c29a0b3d9bc9dadb737701627df04910c9e7bff9dc30ef43a2d3fc6027"


def test_real_book_ids_are_the_ids_of_the_old_rule(real_corpus):
    from collections import Counter

    from pipeline.ids import normalize_title, slugify

    titles = Counter(normalize_title(p.title) for p in real_corpus.problems)
    unique = [p for p in real_corpus.problems if titles[normalize_title(p.title)] == 1]
    assert len(unique) == len(real_corpus.problems) == 149  # no same-title problems today
    for problem in unique:
        digest = hashlib.sha1((normalize_title(problem.title) + "\x1f").encode()).hexdigest()
        assert problem.id == f"{slugify(problem.title)}-{digest[:6]}"
    ids = "\n".join(sorted(p.id for p in real_corpus.problems))
    assert hashlib.sha256(ids.encode("utf-8")).hexdigest() == REAL_BOOK_ID_DIGEST
