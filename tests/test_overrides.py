"""Overrides: merge, keep apart, move and retitle, by id or title; validation with lines."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
from conftest import FIXTURES, ROOT

from pipeline.config import DedupeConfig
from pipeline.dedupe import merge_repeats
from pipeline.errors import DrillbookError
from pipeline.ids import problem_id
from pipeline.inline import plain_text
from pipeline.models import Corpus, Diagnostic, DraftPair, Occurrence, Point, Problem, Topic, Where
from pipeline.overrides import (Overrides, apply_overrides, load_overrides, mended_notes,
                                parse_overrides, settle_overrides)

TOPICS = (Topic("queues", "Queues", 1, 2), Topic("storage", "Storage Engines", 2, 2),
          Topic("caching", "Caching", 3, 1))


def draft(title: str, line: int, words: str, topic: str = "queues") -> Problem:
    """A one-occurrence draft whose body is made of ``words`` (alike words, alike bodies)."""
    points = tuple(Point(title=f"{words} idea {i}", explanation=f"Apply the {words} rule {i}.",
                         example=f"A {words} case {i}.", where=Where("book", line + i))
                   for i in range(1, 4))
    return Problem(id="", title=title, number=1, topic=topic, question=f"Why {words}?",
                   summary=f"{words} in short.", points=points,
                   occurrences=(Occurrence("book", line, None, 1, title, topic),))


# Invented problems: a repeat pair, a look-alike pair, and two unrelated problems.
GULP = draft("Batching Consumer Acks", 10, "ack batch window offset commit")
GULP_AGAIN = draft("Batching Consumer Acks", 300, "ack batch window offset commit")
LOG = draft("Compacting the Write Log", 40, "segment merge tombstone compaction", "storage")
LOG_REWORDED = draft("Compacting a Write Log", 340,
                     "segment merge tombstone compaction", "storage")
WARM = draft("Warming a Cold Cache", 70, "prefetch hot keys before traffic", "caching")
BLOOM = draft("Sizing a Bloom Filter", 90, "false positive rate bits per key", "storage")
DRAFTS = (GULP, LOG, WARM, BLOOM, GULP_AGAIN, LOG_REWORDED)


def run(toml: str, drafts=DRAFTS, previous: Corpus | None = None):
    overrides = parse_overrides(toml, "overrides.toml")
    result = apply_overrides(drafts, TOPICS, overrides, previous=previous)
    deduped = merge_repeats(result.drafts, DedupeConfig(), result.forced_same,
                            result.forced_apart)
    problems, notes = settle_overrides(deduped.problems, result)
    return result, problems, notes


def by_title(problems, title):
    found = [p for p in problems if p.title == title]
    assert len(found) == 1, [p.title for p in problems]
    return found[0]


def test_without_overrides_the_repeats_merge_and_nothing_else():
    _, problems, _ = run("")
    assert sorted(p.title for p in problems) == sorted(
        ["Batching Consumer Acks", "Compacting the Write Log", "Warming a Cold Cache",
         "Sizing a Bloom Filter"])


# ----- reading the file ----------------------------------------------------------------------

def test_missing_file_and_none_are_empty(tmp_path):
    assert load_overrides(None).entries == ()
    missing = load_overrides(tmp_path / "overrides.toml")
    assert missing.entries == () and missing.path == str(tmp_path / "overrides.toml")


def test_entries_are_read_with_their_lines(tmp_path):
    path = tmp_path / "overrides.toml"
    path.write_text('# comment\n\n[[retitle]]\nproblem = "A"\ntitle = "B"\n\n'
                    '[[merge]]\nproblems = ["C", "D"]\nreason = "same thing"\n', "utf-8")
    overrides = load_overrides(path)
    assert [(e.kind, e.line, e.problems, e.target, e.reason) for e in overrides.entries] == [
        ("retitle", 3, ("A",), "B", ""), ("merge", 7, ("C", "D"), None, "same thing")]


@pytest.mark.parametrize("text, line, words", [
    ('[[merge]]\nproblems = ["A", "B"\n', 2, "invalid TOML"),
    ('[[merge]]\nproblems = ["A", "B"]\n\n[[mege]]\nproblems = ["C", "D"]\n', 4,
     "unknown key 'mege'"),
    ('[[move]]\nproblem = "A"\ntopic = "T"\n\n[[move]]\nproblem = "B"\ntopik = "T"\n', 7,
     "unknown key 'topik'"),
    ('[[merge]]\nproblems = ["only one"]\n', 2, "at least two"),
    ('\n[[retitle]]\nproblem = "A"\n', 2, "needs 'title'"),
    ('[[retitle]]\nproblem = "A"\ntitle = "  "\n', 3, "non-empty string"),
    ('merge = "A"\n', 1, "[[merge]] entries"),
    ('[[keep_apart]]\nproblems = ["A", "a"]\n', 2, "same problem twice"),
    ('[[edit]]\nproblem = "A"\npoint = "P"\n', 1, "needs a new title, explanation or example"),
    ('[[edit]]\nproblem = "A"\npoint = "P"\nexample = "x"\nsummary = "y"\n', 5,
     "'summary' is a text of the problem: give it in an [[edit]] without 'point'"),
    ('[[edit]]\nproblem = "A"\nexample = "x"\n', 3,
     "'example' is a text of a point: name the point with 'point'"),
    ('[[edit]]\nproblem = "A"\n', 1, "needs a new question or summary (or a 'point' to edit)"),
    ('[[edit]]\nproblem = "A"\npoint = 0\ntitle = "x"\n', 3, "its number (1 or more)"),
    ('[[edit]]\nproblem = "A"\npoint = true\ntitle = "x"\n', 3, "non-empty string"),
    ('[[edit]]\nproblem = "A"\npoint = "P"\nexample = "x"\ntopic = "y"\n', 5,
     "unknown key 'topic'"),
    ('[[edit]]\nproblem = "A"\npoint = "P"\nexplanation = " "\n', 4, "non-empty string"),
])
def test_bad_files_name_the_file_and_line(text, line, words):
    with pytest.raises(DrillbookError) as caught:
        parse_overrides(text, "raw/overrides.toml")
    assert caught.value.path == "raw/overrides.toml"
    assert caught.value.line == line
    assert words in caught.value.message


def test_the_shipped_example_is_harmless_and_every_commented_entry_is_valid():
    text = (ROOT / "raw" / "sample" / "overrides.toml").read_text("utf-8")
    assert load_overrides(ROOT / "raw" / "sample" / "overrides.toml").entries == ()
    # Uncomment the example entries: each documented kind must parse as written.
    uncommented = "\n".join(re.sub(r"^# (?=\[\[|\w+ = )", "", line)
                            for line in text.splitlines())
    kinds = [e.kind for e in parse_overrides(uncommented).entries]
    assert kinds == ["merge", "keep_apart", "move", "retitle", "edit", "edit"]


# ----- each kind -----------------------------------------------------------------------------

def test_merge_by_title_joins_two_different_problems():
    result, problems, _ = run('[[merge]]\nproblems = ["Warming a Cold Cache", '
                              '"sizing a bloom filter"]\n')
    assert result.forced_same == (DraftPair(WARM.occurrences[0], BLOOM.occurrences[0]),)
    assert len(problems) == 3
    merged = [p for p in problems if len(p.occurrences) == 2 and p.topic != "queues"
              and {o.title for o in p.occurrences} == {"Warming a Cold Cache",
                                                       "Sizing a Bloom Filter"}]
    assert len(merged) == 1
    assert result.applied[0].status == "applied"


def test_keep_apart_separates_copies_dedupe_would_merge():
    result, problems, _ = run('[[keep_apart]]\nproblems = ["Compacting the Write Log", '
                              '"Compacting a Write Log"]\nreason = "different engines"\n')
    assert result.forced_apart == (DraftPair(LOG.occurrences[0], LOG_REWORDED.occurrences[0]),)
    titles = sorted(p.title for p in problems)
    assert titles.count("Compacting the Write Log") == 1
    assert titles.count("Compacting a Write Log") == 1
    assert len(problems) == 5


def test_move_by_id_moves_every_copy_and_accepts_a_topic_title():
    ref = problem_id("Batching Consumer Acks")
    result, problems, _ = run(f'[[move]]\nproblem = "{ref}"\ntopic = "Storage Engines"\n')
    assert {d.topic for d in result.drafts if d.title == "Batching Consumer Acks"} == {"storage"}
    assert by_title(problems, "Batching Consumer Acks").topic == "storage"
    # provenance keeps the topic the book printed it under
    assert {o.topic for o in by_title(problems, "Batching Consumer Acks").occurrences} == {
        "queues"}


def test_move_reaches_a_reworded_copy_too():
    _, problems, _ = run('[[move]]\nproblem = "Compacting the Write Log"\ntopic = "caching"\n')
    merged = by_title(problems, "Compacting the Write Log")
    assert len(merged.occurrences) == 2 and merged.topic == "caching"


def test_retitle_fixes_every_copy_and_the_id_follows_the_fixed_title():
    result, problems, _ = run('[[retitle]]\nproblem = "Sizing a Bloom Filter"\n'
                              'title = "Sizing Bloom Filters"\n')
    fixed = by_title(problems, "Sizing Bloom Filters")
    assert fixed.id == problem_id("Sizing Bloom Filters")
    assert fixed.occurrences[0].title == "Sizing a Bloom Filter"  # as printed
    assert result.applied[0].matched == ("Sizing a Bloom Filter",)


def test_edit_gives_the_named_point_of_every_copy_its_new_texts():
    point = "ack batch window offset commit idea 2"
    result, problems, _ = run(f'[[edit]]\nproblem = "Batching Consumer Acks"\n'
                              f'point = "{point.upper()}"\nexplanation = "Commit after '
                              f'the whole batch."\nexample = ""\n')
    edited = [d for d in result.drafts if d.title == "Batching Consumer Acks"]
    assert len(edited) == 2  # both copies, so dedupe still merges them
    for found in (*edited, by_title(problems, "Batching Consumer Acks")):
        assert [(p.title, p.explanation, p.example) for p in found.points][1] == (
            point, "Commit after the whole batch.", "")
        assert [(p.title, p.explanation) for p in found.points[::2]] == [
            (p.title, p.explanation) for p in GULP.points[::2]]
    assert [a.status for a in result.applied] == ["applied"]
    assert result.report_section()["overrides"]["entries"][0]["changes"] == {
        "explanation": "Commit after the whole batch.", "example": ""}


def test_edit_names_an_untitled_point_by_its_number_and_gives_it_a_title():
    # The extraction lost point 2's heading in both copies: it has no title to name it by.
    def untitled(problem):
        points = tuple(replace(p, number=i, title="" if i == 2 else p.title)
                       for i, p in enumerate(problem.points, 1))
        return replace(problem, points=points)

    drafts = (untitled(GULP), LOG, WARM, BLOOM, untitled(GULP_AGAIN), LOG_REWORDED)
    result, problems, _ = run('[[edit]]\nproblem = "Batching Consumer Acks"\npoint = 2\n'
                              'title = "Commit After the Batch"\n', drafts=drafts)
    titled = result
    for found in (*[d for d in result.drafts if d.title == "Batching Consumer Acks"],
                  by_title(problems, "Batching Consumer Acks")):
        assert [p.title for p in found.points] == [
            GULP.points[0].title, "Commit After the Batch", GULP.points[2].title]
    entry = result.report_section()["overrides"]["entries"][0]
    assert (entry["status"], entry["target"]) == ("applied", 2)
    result, _, _ = run('[[edit]]\nproblem = "Batching Consumer Acks"\npoint = 9\n'
                       'title = "Nine"\n', drafts=drafts)
    assert [a.status for a in result.applied] == ["unmatched"]
    assert "'#9' matches no point of 'Batching Consumer Acks'" in result.diagnostics[0].message
    # The reading's warning about the lost heading becomes a note naming the edit.
    lost = [Diagnostic("warning", "missing-point-heading", "kept as point 2 with an empty "
                       "title (an [[edit]] of point = 2 in overrides.toml can give it one)",
                       GULP.points[1].where),
            Diagnostic("warning", "missing-point-heading", "elsewhere", Where("book", 999))]
    fixed, untouched = mended_notes(lost, titled)
    assert (fixed.severity, fixed.message) == (
        "info", "kept as point 2 with an empty title; titled by the [[edit]] at "
                "overrides.toml:1")
    assert untouched == lost[1]


def test_edit_without_a_point_gives_every_copy_of_the_problem_its_new_question():
    result, problems, _ = run('[[edit]]\nproblem = "Batching Consumer Acks"\n'
                              'question = "When may a consumer acknowledge a batch?"\n')
    copies = [d for d in result.drafts if d.title == "Batching Consumer Acks"]
    merged = by_title(problems, "Batching Consumer Acks")
    assert len(copies) == 2
    for found in (*copies, merged):
        assert (found.question, found.summary) == (
            "When may a consumer acknowledge a batch?", GULP.summary)
        assert [(p.title, p.explanation, p.example) for p in found.points] == [
            (p.title, p.explanation, p.example) for p in GULP.points]
    assert len(merged.occurrences) == 2  # the edited copies still merge
    assert by_title(problems, "Warming a Cold Cache").question == WARM.question
    assert result.report_section()["overrides"]["entries"][0]["changes"] == {
        "question": "When may a consumer acknowledge a batch?"}
    twice = ('[[edit]]\nproblem = "Batching Consumer Acks"\nsummary = "{}"\n')
    with pytest.raises(DrillbookError) as caught:
        run(twice.format("one") + "\n" + twice.format("two"))
    assert caught.value.line == 5 and "summary of 'Batching Consumer Acks' is edited twice" \
        in caught.value.message
    result, _, _ = run(twice.format(GULP.summary))
    assert [a.status for a in result.applied] == ["no-op"]


def test_edit_texts_are_the_books_markdown_so_an_escaped_asterisk_stays_literal():
    # As docs/curating.md says: two bare asterisks become emphasis, an escaped one is a character.
    point = "ack batch window offset commit idea 3"
    edit = ('[[edit]]\nproblem = "Batching Consumer Acks"\n'
            f'point = "{point}"\nexample = \'{{}}\'\n')
    cases = ((r'Bind "acks.\*.eu" or "acks.batch.\*".', 'Bind "acks.*.eu" or "acks.batch.*".'),
             ('Bind "acks.*.eu" or "acks.batch.*".', 'Bind "acks..eu" or "acks.batch.".'))
    for written, plain in cases:
        _, problems, _ = run(edit.format(written))
        example = by_title(problems, "Batching Consumer Acks").points[2].example
        assert example == written and plain_text(example) == plain


def test_edit_of_a_point_the_problem_lacks_is_a_warning_and_two_texts_are_an_error():
    result, problems, _ = run('[[edit]]\nproblem = "Batching Consumer Acks"\n'
                              'point = "No Such Point"\nexample = "x"\n')
    assert [a.status for a in result.applied] == ["unmatched"]
    assert "'No Such Point' matches no point of 'Batching Consumer Acks'" in \
        result.diagnostics[0].message
    assert [p.example for p in by_title(problems, "Batching Consumer Acks").points] == [
        p.example for p in GULP.points]
    same = ('[[edit]]\nproblem = "Batching Consumer Acks"\n'
            'point = "ack batch window offset commit idea 1"\nexample = "{}"\n')
    with pytest.raises(DrillbookError) as caught:
        run(same.format("one") + "\n" + same.format("two"))
    assert caught.value.line == 6 and "edited twice" in caught.value.message
    result, _, _ = run(same.format(GULP.points[0].example))
    assert [a.status for a in result.applied] == ["no-op"]


def test_other_overrides_may_name_a_problem_by_its_fixed_title():
    _, problems, _ = run('[[retitle]]\nproblem = "Warming a Cold Cache"\ntitle = "Cache Warm-Up"\n'
                         '\n[[move]]\nproblem = "Cache Warm-Up"\ntopic = "queues"\n')
    assert by_title(problems, "Cache Warm-Up").topic == "queues"


def test_id_carried_from_an_earlier_edition_still_names_the_problem():
    # The previous corpus kept an old id for the write-log problem across a retitle.
    old = replace(LOG, id="compacting-the-log-abc123", title="Compacting the Log")
    previous = Corpus(sources=(), topics=TOPICS, problems=(old,))
    _, problems, _ = run('[[move]]\nproblem = "compacting-the-log-abc123"\ntopic = "caching"\n',
                         previous=previous)
    assert by_title(problems, "Compacting the Write Log").topic == "caching"


def test_settle_gives_a_merged_problem_the_fixed_topic_even_if_another_copy_is_kept():
    result = apply_overrides(DRAFTS, TOPICS, parse_overrides(
        '[[move]]\nproblem = "Batching Consumer Acks"\ntopic = "caching"\n'))
    # Pretend dedupe kept a copy no override touched.
    merged = replace(GULP, id="x", occurrences=GULP.occurrences + GULP_AGAIN.occurrences)
    settled, _ = settle_overrides([merged], result)
    assert settled[0].topic == "caching"


# ----- validation against the build ------------------------------------------------------------

def test_an_override_that_matches_nothing_is_a_warning_naming_its_line():
    toml = ('[[merge]]\nproblems = ["Warming a Cold Cache", "Gone From the Book"]\n\n'
            '[[move]]\nproblem = "Sizing a Bloom Filter"\ntopic = "No Such Topic"\n')
    result, problems, _ = run(toml)
    warnings = [d for d in result.diagnostics if d.code == "override-unmatched"]
    assert [(d.severity, d.where.source, d.where.line) for d in warnings] == [
        ("warning", "overrides.toml", 1), ("warning", "overrides.toml", 4)]
    assert "'Gone From the Book'" in warnings[0].message
    assert "'No Such Topic'" in warnings[1].message and "topic" in warnings[1].message
    assert [a.status for a in result.applied] == ["unmatched", "unmatched"]
    assert len(problems) == 4  # nothing applied


def test_an_override_that_changes_nothing_is_a_note():
    ref = problem_id("Warming a Cold Cache")
    result, _, _ = run(f'[[merge]]\nproblems = ["{ref}", "Warming a Cold Cache"]\n\n'
                       '[[move]]\nproblem = "Warming a Cold Cache"\ntopic = "caching"\n')
    assert [(d.severity, d.code) for d in result.diagnostics] == [
        ("info", "override-no-op"), ("info", "override-no-op")]


def test_contradicting_overrides_are_an_error_naming_the_line():
    toml = ('[[merge]]\nproblems = ["Warming a Cold Cache", "Sizing a Bloom Filter"]\n\n'
            '[[keep_apart]]\nproblems = ["Sizing a Bloom Filter", "Warming a Cold Cache"]\n')
    with pytest.raises(DrillbookError) as caught:
        run(toml)
    assert caught.value.line == 4 and "contradict" in caught.value.message
    with pytest.raises(DrillbookError) as twice:
        run('[[retitle]]\nproblem = "Warming a Cold Cache"\ntitle = "One"\n\n'
            '[[retitle]]\nproblem = "Warming a Cold Cache"\ntitle = "Two"\n')
    assert twice.value.line == 5


def test_report_section_lists_every_entry_with_its_status():
    result, _, _ = run('[[keep_apart]]\nproblems = ["Compacting the Write Log", '
                       '"Compacting a Write Log"]\n\n[[retitle]]\nproblem = "Nope"\ntitle = "X"\n')
    section = result.report_section()["overrides"]
    assert section["file"] == "overrides.toml"
    assert [(e["kind"], e["line"], e["status"]) for e in section["entries"]] == [
        ("keep_apart", 1, "applied"), ("retitle", 4, "unmatched")]


def test_empty_overrides_change_nothing():
    result = apply_overrides(DRAFTS, TOPICS, Overrides())
    assert result.drafts == DRAFTS and result.forced_same == () and result.applied == ()


# ----- on the sample ebook ---------------------------------------------------------------------

def test_overrides_on_the_sample_ebook():
    import json

    from pipeline.readers.text import lines_of_text
    from pipeline.segment import segment

    expected = json.loads((FIXTURES / "sample_expected.json").read_text("utf-8"))
    sample_text = (ROOT / "raw" / "sample" / "sample-ebook.txt").read_text("utf-8")
    segmented, _ = segment(lines_of_text(sample_text, "sample"))
    toml = ('[[merge]]\nproblems = ["Choosing a Cache Eviction Policy", '
            '"Choosing a Cache Expiry Policy"]\n\n'
            '[[move]]\nproblem = "Controlling Log Volume"\ntopic = "Caching Basics"\n\n'
            '[[retitle]]\nproblem = "Signing Webhook Payloads"\ntitle = "Signing Webhooks"\n')
    result = apply_overrides(segmented.problems, segmented.topics, parse_overrides(toml))
    deduped = merge_repeats(result.drafts, DedupeConfig(), result.forced_same,
                            result.forced_apart)
    problems, _ = settle_overrides(deduped.problems, result)
    assert len(problems) == len(expected["distinct_problems"]) - 1
    assert by_title(problems, "Controlling Log Volume").topic == "caching-basics"
    assert by_title(problems, "Signing Webhooks").id == problem_id("Signing Webhooks")
    assert not result.diagnostics
