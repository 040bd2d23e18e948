"""Quiz files: escaping, printable PDFs (no question split across pages), GIFT and Moodle XML."""
from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pdfplumber
import pytest
from conftest import QUIZ_CORPUS as FIXTURE

from pipeline.emit.corpus_json import load_corpus
from pipeline.emit.quiz import QuizOptions, quiz_outputs
from pipeline.emit.quiz.render import gift_text
from pipeline.inline import plain_text, render_html
from pipeline.templating import make_environment


def mathjax_html(text: str) -> str:
    return str(render_html(text, math="mathjax"))


def gift_html(text: str) -> str:
    return mathjax_html(" ".join(text.split()))

FOLDER = "quizzes/fixture"


@pytest.fixture(scope="module")
def built():
    corpus = load_corpus(FIXTURE)
    return quiz_outputs(corpus, QuizOptions(count=20, seed=5, versions=2, name="fixture",
                                            title="Fixture <Quiz> & Co"), make_environment())


@pytest.fixture(scope="module")
def data(built):
    return json.loads(built.files[f"{FOLDER}/quiz.json"])


def test_files_are_all_there(built):
    names = {path.removeprefix(FOLDER + "/") for path in built.files}
    assert names == {"quiz.json", "version-A.html", "version-B.html", "version-A.pdf",
                     "version-B.pdf", "answer-key.html", "answer-key.pdf", "answer-key.csv",
                     "quiz.gift", "quiz.moodle.xml", "quiz.qti.zip"}


def test_quiz_json_shape(data):
    assert data["seed"] == 5
    assert [v["name"] for v in data["versions"]] == ["A", "B"]
    for version in data["versions"]:
        assert len(version["items"]) == 20
        for item in version["items"]:
            assert set(item) == {"id", "kind", "problem", "stem", "options", "answer"}
            assert len(item["options"]) == 4 and len(set(item["options"])) == 4
            assert 0 <= item["answer"] < 4
    assert data["checks"]["items"] == 20


def _placed(data, version, text):
    """The item of a version whose stem or options contain ``text``."""
    for number, item in enumerate(data["versions"][version]["items"], 1):
        if text in item["stem"] or any(text in o for o in item["options"]):
            return number, item
    return None, None


def test_html_escapes_markup_and_template_syntax(built, data):
    page = built.files[f"{FOLDER}/version-A.html"].decode()
    assert "Fixture &lt;Quiz&gt; &amp; Co" in page
    assert "<Quiz>" not in page
    # Every stem and option (the book's Markdown) shows up rendered and escaped, never as
    # live markup: the blank as "___", quotes and brackets as entities.
    for item in data["versions"][0]["items"]:
        for text in (item["stem"], *item["options"]):
            assert str(render_html(text)) in page
            if "\\_" in text:
                assert "\\_" not in str(render_html(text)) and "___" in str(render_html(text))
    assert "<script>" not in page
    number, item = _placed(data, 0, "{{")
    assert item is not None  # the fixture's template-syntax texts made it into the quiz


def test_every_page_says_version_and_page_x_of_y(built):
    for version in ("A", "B"):
        with pdfplumber.open(io.BytesIO(built.files[f"{FOLDER}/version-{version}.pdf"])) as pdf:
            total = len(pdf.pages)
            assert total >= 2  # the test is about page breaks: make sure there are some
            for index, page in enumerate(pdf.pages, 1):
                text = page.extract_text()
                assert f"Version {version}" in text
                assert f"Page {index} of {total}" in text


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_no_question_split(files: dict[str, bytes], folder: str, data: dict) -> None:
    """Each question's number, whole stem and four options are on one page of its PDF."""
    for version_data in data["versions"]:
        items = version_data["items"]
        pdf_bytes = files[f"{folder}/version-{version_data['name']}.pdf"]
        with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
            pages = [_squash(page.extract_text()) for page in pdf.pages]
        for number, item in enumerate(items, 1):
            whole = _squash(f"{number}. {plain_text(item['stem'])}")
            holding = [i for i, page in enumerate(pages) if whole in page]
            assert holding, f"question {number}'s stem is not whole on any page"
            page = pages[holding[0]]
            for letter, option in zip("ABCD", item["options"]):
                assert _squash(f"{letter}. {plain_text(option)}") in page, \
                    f"question {number} option {letter} is on another page"


def test_no_question_is_split_across_pages(built, data):
    assert_no_question_split(built.files, FOLDER, data)


def test_answer_key_lists_every_version_on_its_own_page(built, data):
    with pdfplumber.open(io.BytesIO(built.files[f"{FOLDER}/answer-key.pdf"])) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    starts = [i for i, t in enumerate(texts) if "Answer key — Version" in t]
    assert len(starts) == 2 and not any("Version B" in t for t in texts[:starts[1]]
                                          if "Answer key — Version B" not in t)
    key_html = built.files[f"{FOLDER}/answer-key.html"].decode()
    for version in data["versions"]:
        letters = re.findall(r'<td class="answer">([A-D])</td>',
                             key_html.split(f"Answer key — Version {version['name']}")[1]
                             .split("</table>")[0])
        assert letters == ["ABCD"[item["answer"]] for item in version["items"]]


def test_the_grading_table_has_a_row_per_version_and_a_letter_per_question(built, data,
                                                                           monkeypatch):
    from pipeline.emit.quiz import render

    # Wide tables are cut every KEY_COLUMNS questions; the fixture's 20 at 8 make 8, 8, 4.
    monkeypatch.setattr(render, "KEY_COLUMNS", 8)
    built = quiz_outputs(load_corpus(FIXTURE), QuizOptions(count=20, seed=5, versions=2,
                                                           name="fixture", pdf=False,
                                                           title="Fixture <Quiz> & Co"),
                         make_environment())
    key_html = built.files[f"{FOLDER}/answer-key.html"].decode()
    grid = key_html.split('class="key-grid"')[1].split("</section>")[0]
    tables = grid.split('<table class="grid">')[1:]
    assert len(tables) == 3
    assert [len(re.findall(r"<th>\d+</th>", t)) for t in tables] == [8, 8, 4]
    for version in data["versions"]:
        letters = []
        for table in tables:
            row = re.search(rf'<tr><td class="code">{version["name"]}</td>(.*?)</tr>',
                            table).group(1)
            letters += re.findall(r"<td>([A-D])</td>", row)
        assert letters == ["ABCD"[item["answer"]] for item in version["items"]]
    rows = built.files[f"{FOLDER}/answer-key.csv"].decode().splitlines()
    assert rows[0] == "version," + ",".join(str(n) for n in range(1, 21))
    for row, version in zip(rows[1:], data["versions"]):
        assert row == ",".join([version["name"], *("ABCD"[i["answer"]] for i in version["items"])])


def test_pdf_is_byte_stable_even_when_the_clock_moves(monkeypatch):
    import fontTools.misc.timeTools as time_tools

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    corpus = load_corpus(FIXTURE)
    options = QuizOptions(count=4, seed=1, versions=1)
    clock = iter([1_000_000_000.0, 1_900_000_000.0])
    monkeypatch.setattr(time_tools.time, "time", lambda: next(clock, 1_950_000_000.0))
    first = quiz_outputs(corpus, options, make_environment()).files
    monkeypatch.setattr(time_tools.time, "time", lambda: 1_990_000_000.0)
    second = quiz_outputs(corpus, options, make_environment()).files
    assert first["quizzes/default/version-A.pdf"] == second["quizzes/default/version-A.pdf"]


# A small GIFT reader, enough for multiple-choice questions: what Moodle would import
# (for an [html] question, the HTML itself, GIFT's backslashes removed).
def _gift_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _split_unescaped(text: str, char: str) -> int:
    """Index of the first ``char`` not escaped by a backslash."""
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == char:
            return i
        i += 1
    raise AssertionError(f"no unescaped {char!r} in {text!r}")


def parse_gift(source: str) -> list[dict]:
    questions = []
    blocks = re.split(r"\n\s*\n", source)
    current = None
    for block in blocks:
        lines = [line for line in block.splitlines() if not line.startswith("//")]
        text = "\n".join(lines).strip()
        if text.startswith("$CATEGORY:"):
            current = text.removeprefix("$CATEGORY:").strip()
            continue
        if not text:
            continue
        match = re.match(r"::(.*?)::\[html\]", text)
        assert match, f"no title/format in {text[:60]!r}"
        body = text[match.end():]
        open_at = _split_unescaped(body, "{")
        stem = body[:open_at].strip()
        answers_text = body[open_at + 1:]
        close_at = _split_unescaped(answers_text, "}")
        assert answers_text[close_at + 1:].strip() == ""
        if not answers_text[:close_at].strip():  # {} : an essay
            questions.append({"id": match.group(1), "stem": _gift_unescape(stem),
                              "category": current, "essay": True})
            continue
        answers = []
        for line in answers_text[:close_at].strip().splitlines():
            line = line.strip()
            assert line[0] in "=~", line
            answers.append((line[0] == "=", _gift_unescape(line[1:])))
        questions.append({"id": match.group(1), "stem": _gift_unescape(stem),
                          "category": current, "essay": False,
                          "options": [a for _, a in answers],
                          "answer": [i for i, (right, _) in enumerate(answers) if right]})
    return questions


def test_gift_escaping_of_special_characters():
    assert gift_text("a~b=c#d{e}f:g\\h <i> & j") == \
        "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h &lt;i&gt; &amp; j"
    assert gift_text("two\nlines") == "two lines"


def test_gift_file_parses_back_to_every_version_and_the_pools(built, data):
    questions = parse_gift(built.files[f"{FOLDER}/quiz.gift"].decode())
    base = "$course$/top/Fixture <Quiz> & Co"
    expected = [(f"{base}/Versions/Version {v['name']}", item) for v in data["versions"]
                for item in v["items"]]
    pooled = {item["id"]: item for item in data["versions"][0]["items"]}
    expected += [(f"{base}/Pools/{pool['title']}", pooled[item_id])
                 for pool in data["pools"] for item_id in pool["items"]]
    assert sorted(pooled) == sorted(i for pool in data["pools"] for i in pool["items"])
    assert len(questions) == len(expected) == 20 * 3
    for question, (category, item) in zip(questions, expected):
        assert question["category"] == category
        assert question["id"] == item["id"]
        # [html]: what Moodle reads is the stem's HTML, math as MathJax \( \)
        assert question["stem"] == gift_html(item["stem"])
        assert question["options"] == [gift_html(o) for o in item["options"]]
        assert question["answer"] == [item["answer"]]


def test_moodle_xml_is_valid_and_matches_every_version(built, data):
    root = ET.fromstring(built.files[f"{FOLDER}/quiz.moodle.xml"])
    assert root.tag == "quiz"
    questions = root.findall("question[@type='multichoice']")
    items = [item for version in data["versions"] for item in version["items"]]
    assert len(questions) == len(items) + 20  # every version, then the pools
    for question, item in zip(questions, items):
        # format="html": the XML text is the HTML of the book's Markdown.
        assert question.findtext("questiontext/text") == mathjax_html(item["stem"])
        answers = question.findall("answer")
        assert [a.findtext("text") for a in answers] == [mathjax_html(o) for o in item["options"]]
        assert "\\_" not in question.findtext("questiontext/text")
        assert [a.get("fraction") for a in answers].count("100") == 1
        assert answers[item["answer"]].get("fraction") == "100"
    categories = [c.text for c in root.findall("question[@type='category']/category/text")]
    base = "$course$/top/Fixture <Quiz> & Co"
    assert categories[:2] == [f"{base}/Versions/Version A", f"{base}/Versions/Version B"]
    assert categories[2:] == [f"{base}/Pools/{pool['title']}" for pool in data["pools"]]


def test_the_split_check_fails_when_a_question_is_forced_across_a_page(tmp_path):
    """The page-break test above can fail: a user stylesheet that splits question 2 is caught."""
    default_css = (Path(__file__).parent.parent / "templates" / "quiz" / "print.css").read_text()
    (tmp_path / "quiz").mkdir()
    (tmp_path / "quiz" / "print.css").write_text(
        default_css + "\n#q2 .options li:nth-child(3) { break-before: page; }\n")
    corpus = load_corpus(FIXTURE)
    split = quiz_outputs(corpus, QuizOptions(count=6, seed=5, versions=2, name="fixture"),
                         make_environment(tmp_path))
    with pytest.raises(AssertionError, match="question 2 option C"):
        assert_no_question_split(split.files, FOLDER,
                                 json.loads(split.files[f"{FOLDER}/quiz.json"]))


def test_a_user_template_can_extend_the_default_paper(tmp_path):
    (tmp_path / "quiz").mkdir()
    (tmp_path / "quiz" / "paper.html").write_text(
        '{% extends "default/quiz/paper.html" %}'
        "{% block instructions %}Circle one letter, {{ '<no>' }} erasing{% endblock %}")
    corpus = load_corpus(FIXTURE)
    built = quiz_outputs(corpus, QuizOptions(count=3, seed=1, versions=1, pdf=False),
                         make_environment(tmp_path))
    page = built.files["quizzes/default/version-A.html"].decode()
    assert "Circle one letter, &lt;no&gt; erasing" in page
    assert page.count('class="question"') == 3
    assert "Choose the one best answer" not in page


def test_html_papers_get_mathml_and_pdfs_get_svg_formulas():
    import pipeline.emit.quiz.render as render

    env = make_environment()
    screen = render.quiz_environment(env, "mathml")
    paper = render.quiz_environment(env, "svg")
    assert "inline" not in env.filters  # the caller's environment is untouched
    assert screen.filters["inline"]("$n^2$").startswith("<math")
    assert paper.filters["inline"]("$n^2$").startswith('<img class="math"')
