"""Segmenter tests on small invented fixtures, one per kind of noise the real book has."""
from __future__ import annotations

from conftest import lines

from pipeline.overrides import apply_overrides, mended_notes, parse_overrides
from pipeline.segment import read_toc, segment

TOC = """Pocket Guide to Widgets

Table of Contents

- [Widget Basics](#) - 2 problems
- [Gadget Queues \\(Async\\)](#) - 1 problems

[Sprocket Storage](#) - 1 problems

Problems & Solutions
"""

POINT = """
{n} {title}

- 👉 {title} explained in one sentence.

Example: a {title} example with p95 < 20ms & more.

Alpha Beta Gamma
"""


def problem(number: int, title: str, question: str = "Question: INTERVIEWER: Why widgets?",
            points: int = 2, heading: str = "💡 Problem {n}: {t}") -> str:
    body = "".join(POINT.format(n=i, title=f"{title} step {i}") for i in range(1, points + 1))
    return (f"\n{heading.format(n=number, t=title)}\n\n{question}\n\nSolution:\n\n"
            f"Widgets need care.\n{body}")


def test_toc_reads_both_list_forms_and_escaped_parentheses():
    topics, end = read_toc(lines(TOC))
    assert [(t.title, t.declared_problems, t.order) for t in topics] == [
        ("Widget Basics", 2, 1), ("Gadget Queues (Async)", 1, 2), ("Sprocket Storage", 1, 3)]
    assert [t.id for t in topics] == ["widget-basics", "gadget-queues-async", "sprocket-storage"]
    assert end == 8


def test_four_heading_forms_with_exact_titles():
    text = (TOC + "\n\nWidget Basics\n" + problem(1, "Plain Form", heading="Problem {n}: {t}")
            + problem(2, "Bulb Form") + problem(3, "Dash Form", heading="- 💡 Problem {n}: {t}")
            + problem(4, "Bold Form", heading=" **Problem {n}: {t}**"))
    result, _ = segment(lines(text))
    assert [(p.number, p.title) for p in result.problems] == [
        (1, "Plain Form"), (2, "Bulb Form"), (3, "Dash Form"), (4, "Bold Form")]
    assert all(p.topic == "widget-basics" for p in result.problems)


def test_question_label_after_multiline_and_glued_forms():
    text = (TOC + "\n\nWidget Basics\n"
            + problem(1, "Label After", question="INTERVIEWER: Which widget wins?\n\nQuestion:")
            + problem(2, "Two Lines",
                      question="Question: INTERVIEWER: First half of it\nsecond half?")
            + problem(3, "Glued",
                      question="INTERVIEWER: Glued label here?\n\nQuestion:**Solution:**")
            .replace("\n\nSolution:\n", "\n", 1))
    result, _ = segment(lines(text))
    assert [p.question for p in result.problems] == [
        "Which widget wins?", "First half of it second half?", "Glued label here?"]
    assert [p.summary for p in result.problems] == ["Widgets need care."] * 3
    assert [len(p.points) for p in result.problems] == [2, 2, 2]


def test_a_figures_lead_in_run_onto_the_summary_is_left_off_and_noted():
    text = TOC + "\n\nWidget Basics\n" + problem(1, "Run On").replace(
        "Widgets need care.\n", "Widgets need care. Here's how widgets fit together \n\n"
        "Here's how to oil a widget 👇\n") + problem(2, "Plain How").replace(
        "Widgets need care.\n", "Widgets need care; here is how they age.\n")
    result, notes = segment(lines(text))
    # the lead-in on a line of its own was never part of the summary; run on, it is cut
    # off; a sentence of the summary that only starts like one is kept
    assert [p.summary for p in result.problems] == [
        "Widgets need care.", "Widgets need care; here is how they age."]
    assert [n.code for n in notes if n.code == "summary-lead-in"] == ["summary-lead-in"]


def test_placeholders_never_become_the_question():
    for placeholder in ("(Question box placeholder goes here)", "[Redacted]", "[Answer](#)"):
        text = TOC + "\n\nWidget Basics\n" + problem(
            1, "Boxed", question=f"INTERVIEWER: Real question?\n\nQuestion:\n\n{placeholder}")
        result, notes = segment(lines(text))
        assert result.problems[0].question == "Real question?"
        placeholders = [n.code for n in notes if n.code == "placeholder-question"]
        assert placeholders == ["placeholder-question"]


def test_a_question_label_after_the_interviewer_line_is_kept_and_noted():
    # The box's label normally opens the question; text after a late one was torn out of
    # the question by the extraction, so the curator is told where (and the text is kept).
    text = TOC + "\n\nWidget Basics\n" + problem(
        1, "Torn", question="INTERVIEWER: A user types in the box — what breaks?\n\n"
                            "Question: `DROP TABLE`")
    result, notes = segment(lines(text))
    assert result.problems[0].question == "A user types in the box — what breaks? `DROP TABLE`"
    torn = [n for n in notes if n.code == "question-after-interviewer"]
    assert len(torn) == 1 and "`DROP TABLE`" in torn[0].message
    assert torn[0].where.line == text.split("\n").index("Question: `DROP TABLE`") + 1
    for usual in ("Question: INTERVIEWER: Whole question?",
                  "INTERVIEWER: Real question?\n\nQuestion:\n\n[Redacted]",
                  "Question: INTERVIEWER: First half of it\nsecond half?"):
        _, notes = segment(lines(TOC + "\n\nWidget Basics\n" + problem(1, "Usual",
                                                                      question=usual)))
        assert "question-after-interviewer" not in [n.code for n in notes], usual


def test_a_torn_literal_goes_back_into_the_one_gap_where_a_typed_value_belongs():
    def read(question):
        text = TOC + "\n\nWidget Basics\n" + problem(1, "Torn", question=question)
        result, notes = segment(lines(text))
        return result.problems[0].question, [n for n in notes
                                             if n.code == "question-after-interviewer"]
    asked, torn = read('INTERVIEWER: A visitor pastes into the search box — what breaks?\n\n'
                       'Question: "; DROP TABLE users; --')
    assert asked == 'A visitor pastes `"; DROP TABLE users; --` into the search box — what breaks?'
    assert len(torn) == 1 and "put back" in torn[0].message
    # no literal (no quote or operator), or no single gap for it: kept at the end
    for question, kept in [
            ("INTERVIEWER: A visitor pastes into the box — what breaks?\n\nQuestion: a long name",
             "A visitor pastes into the box — what breaks? a long name"),
            ("INTERVIEWER: One types in a name, one enters in a tag. Why?\n\nQuestion: 'x'='x",
             "One types in a name, one enters in a tag. Why? 'x'='x")]:
        asked, torn = read(question)
        assert asked == kept and "put back" not in torn[0].message


def test_a_torn_question_note_names_the_edit_that_mends_it():
    text = TOC + "\n\nWidget Basics\n" + problem(
        1, "Torn", question="INTERVIEWER: A user types in the box — what breaks?\n\n"
                            "Question: `DROP TABLE`") + problem(2, "Whole")
    result, notes = segment(lines(text))
    applied = apply_overrides(result.problems, result.topics, parse_overrides(
        '[[edit]]\nproblem = "Torn"\nquestion = "A user types `DROP TABLE` — what breaks?"\n'))
    torn = [n for n in mended_notes(notes, applied) if n.code == "question-after-interviewer"]
    assert len(torn) == 1 and torn[0].message.endswith(
        "the question is mended by the [[edit]] at overrides.toml:1")
    # an edit of another problem's question leaves the note as it was
    other = apply_overrides(result.problems, result.topics, parse_overrides(
        '[[edit]]\nproblem = "Whole"\nquestion = "Why widgets at all?"\n'))
    assert [n for n in mended_notes(notes, other) if n.code == "question-after-interviewer"
            ] == [n for n in notes if n.code == "question-after-interviewer"]


def test_points_with_and_without_marker_and_debris():
    text = TOC + "\n\nWidget Basics\n\n💡 Problem 1: Markers\n\nQuestion: INTERVIEWER: Q?\n\n" \
        "Solution:\n\nSummary line.\nHere's how 🤗\n\n1 First Point\n\n- 👉 Dash marker.\n\n" \
        "Example: one.\n\nTag A\n\n\\n\n\n2 Second Point\n\n👉 Bare marker.\n\nExample: two.\n\n" \
        "Tag B\n\n\\n\\n\n\n3 Third Point\n\n No marker at all.\n\n*Example: three.*\n\nTag C\n"
    result, notes = segment(lines(text))
    points = result.problems[0].points
    assert [(p.number, p.title, p.explanation, p.example) for p in points] == [
        (1, "First Point", "Dash marker.", "one."), (2, "Second Point", "Bare marker.", "two."),
        (3, "Third Point", "No marker at all.", "three.")]
    assert [[t.text for t in p.raw_tags] for p in points] == [["Tag A"], ["Tag B"], ["Tag C"]]
    assert result.problems[0].summary == "Summary line."
    raw = text.split("\n")
    assert [p.where.line for p in points] == [
        raw.index(h) + 1 for h in ("1 First Point", "2 Second Point", "3 Third Point")]
    assert not [n for n in notes if n.severity != "info"]


def test_split_point_number_and_lost_point_heading():
    text = TOC + "\n\nWidget Basics\n\n💡 Problem 1: Odd Numbers\n\nQuestion: INTERVIEWER: Q?\n\n" \
        "Solution:\n\nS.\n" + "".join(POINT.format(n=i, title=f"P{i}") for i in range(1, 10)) + \
        "\n👉 Heading lost.\n\nExample: ten.\n\nTen Tag\n\n1 1 Eleventh Point\n\n👉 E.\n\n" \
        "Example: e.\n"
    result, notes = segment(lines(text))
    points = result.problems[0].points
    assert [p.number for p in points] == list(range(1, 12))
    assert points[9].title == "" and points[9].explanation == "Heading lost."
    assert points[10].title == "Eleventh Point"
    assert [n.code for n in notes if n.severity == "warning"] == ["missing-point-heading"]
    # The warning says how to mend it; once an [[edit]] titles point 10, it is a note.
    assert "an [[edit]] of point = 10 in overrides.toml can give it one" in notes[-1].message
    applied = apply_overrides(result.problems, result.topics, parse_overrides(
        '[[edit]]\nproblem = "Odd Numbers"\npoint = 10\ntitle = "Tenth Point"\n'))
    assert [p.title for p in applied.drafts[0].points][9] == "Tenth Point"
    mended = [n for n in mended_notes(notes, applied) if n.code == "missing-point-heading"]
    assert [(n.severity, n.message.endswith("titled by the [[edit]] at overrides.toml:1"),
             "can give it one" in n.message) for n in mended] == [("info", True, False)]


def test_tag_layouts():
    body = ("Question: INTERVIEWER: Q?\n\nSolution:\n\nS.\n\n1 Joined\n\n👉 E.\n\nExample: x.\n\n"
            "Alpha Beta Gamma\n\n2 One Per Line\n\n👉 E.\n\nExample: x.\n\n"
            "First Tag\n\nSecond Tag\n\n"
            "3 Links\n\n👉 E.\n\nExample: x.\n\n[Link One](#) [Link \\(Two\\)](#)\n\n"
            "4 Ticks And Bold\n\n👉 E.\n\nExample: x.\n\n`tick-tag` **Bold Tag** rest words\n\n"
            "5 None\n\n👉 E.\n\nExample: x.\n")
    text = TOC + "\n\nWidget Basics\n\nProblem 1: Tags\n\n" + body
    result, _ = segment(lines(text))
    got = [[(t.text, t.layout) for t in p.raw_tags] for p in result.problems[0].points]
    assert got == [
        [("Alpha Beta Gamma", "joined")],
        [("First Tag", "line"), ("Second Tag", "line")],
        [("Link One", "link"), ("Link (Two)", "link")],
        [("tick-tag", "backtick"), ("Bold Tag", "bold"), ("rest words", "joined")],
        [],
    ]


def test_headers_only_start_the_next_topic():
    text = (TOC + "\n\nWidget Basics\n" + problem(1, "One")
            + "\n\n\nSprocket Storage\n" + problem(2, "Out Of Place Header Ignored")
            + "\n\nWidget Basics\n" + problem(3, "Running Header Ignored")
            + "\n\n\nPocket Guide to Widgets\n" + problem(4, "Title Header Ignored")
            + "\n\n\nLeftover Section Name\n" + problem(5, "Unknown Header Ignored")
            + "\n\n\nGadget Queues (Async)\n\nTopic 2: Gadget Queues (Async)\n" + problem(6, "Two")
            + "\n\nTopic 3: Sprocket Storage (Blobs)\n" + problem(7, "Three"))
    result, notes = segment(lines(text))
    assert [p.topic for p in result.problems] == ["widget-basics"] * 5 + [
        "gadget-queues-async", "sprocket-storage"]
    stray = [n for n in notes if n.code == "stray-header"]
    assert len(stray) == 5
    # header lines never leak into the previous point's tags
    for p in result.problems:
        for point in p.points:
            assert [t.text for t in point.raw_tags] == ["Alpha Beta Gamma"]


def test_topic_name_inside_a_problem_is_a_tag_not_a_header():
    text = (TOC + "\n\nWidget Basics\n\nProblem 1: Tagged\n\nQuestion: INTERVIEWER: Q?\n\n"
            "Solution:\n\nS.\n\n1 P\n\n👉 E.\n\nExample: x.\n\n"
            "Gadget Queues (Async)\n\nOther tag\n\n"
            "2 Q\n\n👉 E.\n\nExample: y.\n\nSprocket Storage widgets\n")
    result, notes = segment(lines(text))
    assert [p.topic for p in result.problems] == ["widget-basics"]
    assert [t.text for t in result.problems[0].points[0].raw_tags] == [
        "Gadget Queues (Async)", "Other tag"]
    assert not [n for n in notes if n.code == "stray-header"]


def test_reused_numbers_are_kept_as_printed():
    text = TOC + "\n\nWidget Basics\n" + problem(36, "First Thirty Six") + problem(36, "Second")
    result, _ = segment(lines(text))
    assert [(p.number, p.title) for p in result.problems] == [(36, "First Thirty Six"),
                                                               (36, "Second")]


def test_no_problems_is_an_error_diagnostic():
    _, notes = segment(lines("Just some prose.\nNothing else.\n"))
    assert [n.code for n in notes if n.severity == "error"] == ["no-problems"]


def test_closing_prose_after_the_last_point_is_not_a_tag():
    text = (TOC + "\n\nWidget Basics\n" + problem(1, "Last One")
            + "\nWell done! You have reached the end of this guide!\n\nauthor_handle\n")
    result, notes = segment(lines(text))
    assert [t.text for t in result.problems[0].points[-1].raw_tags] == ["Alpha Beta Gamma"]
    assert [n.code for n in notes] == ["trailing-text"]


def test_toc_entries_without_links_as_a_pdf_without_annotations_gives_them():
    topics, _ = read_toc(lines("Book\n\nTable of Contents\n\nWidget Basics - 2 problems\n"
                               "Gadget Queues (Async) - 1 problems\n"))
    assert [(t.title, t.declared_problems) for t in topics] == [
        ("Widget Basics", 2), ("Gadget Queues (Async)", 1)]


def test_text_beside_tag_pills_is_never_a_tag():
    from pipeline.models import Line, Style

    text = (TOC + "\n\nWidget Basics\n\nProblem 1: Pills\n\nQuestion: INTERVIEWER: Q?\n\n"
            "Solution:\n\nS.\n\n1 Pilled\n\n👉 E.\n\nExample: the first half of an example\n")
    read = list(lines(text))
    number = len(read)
    read += [Line(text="and its unjoined tail", source="s", line=number + 1),
             Line(text="Alpha Beta", source="s", line=number + 2,
                  style=Style(pills=("Alpha", "Beta"))),
             Line(text="Tags: Gamma", source="s", line=number + 3),
             Line(text="Gamma", source="s", line=number + 4, style=Style(pills=("Gamma",)))]
    result, notes = segment(read)
    (point,) = result.problems[0].points
    assert [(t.text, t.layout) for t in point.raw_tags] == [
        ("Alpha", "pill"), ("Beta", "pill"), ("Gamma", "pill")]
    beside = [n for n in notes if n.code == "text-beside-pills"]
    assert [n.where.line for n in beside] == [number + 1, number + 3]


def test_an_example_whose_italics_swallowed_a_wildcard_gets_it_back_with_a_note():
    text = TOC + "\n\nWidget Basics\n" + problem(1, "Routing").replace(
        "Example: a Routing step 1 example with p95 < 20ms & more.",
        "Example: Bind \"widget..made\" and \"widget.blue.*\" to one queue.*")
    result, notes = segment(lines(text))
    point = result.problems[0].points[0]
    assert point.example == "Bind \"widget.\\*.made\" and \"widget.blue.*\" to one queue."
    put_back = [n for n in notes if n.code == "lost-wildcard"]
    assert len(put_back) == 1
    assert put_back[0].where.line == text.split("\n").index(
        "Example: Bind \"widget..made\" and \"widget.blue.*\" to one queue.*") + 1
    assert result.problems[0].points[1].example.startswith("a Routing step 2 example")
