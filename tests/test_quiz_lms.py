"""LMS files: the QTI 1.2 package (validated against the published IMS DTD and the structure
Canvas documents), pools, every version, open interview questions as Moodle essays."""
from __future__ import annotations

import io
import json
import re
import zipfile
import xml.etree.ElementTree as ET

import pdfplumber
import pytest
from conftest import QUIZ_CORPUS as FIXTURE

from pipeline.emit.corpus_json import load_corpus
from pipeline.emit.quiz import QuizOptions, quiz_outputs
from pipeline.inline import plain_text, render_html
from pipeline.templating import make_environment
from qti_schema import qti_dtd, without_namespace_and_extensions

FOLDER = "quizzes/lms"
Q = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CANVAS = "{http://canvas.instructure.com/xsd/cccv1p0}"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"


def mathjax(text: str) -> str:
    return str(render_html(text, math="mathjax"))


@pytest.fixture(scope="module")
def built():
    options = QuizOptions(count=16, seed=4, versions=3, name="lms", title="LMS <Quiz> & Co",
                          kinds=("name-concept", "which-approach", "open-interview"),
                          pool_pick=2)
    return quiz_outputs(load_corpus(FIXTURE), options, make_environment())


@pytest.fixture(scope="module")
def data(built):
    return json.loads(built.files[f"{FOLDER}/quiz.json"])


@pytest.fixture(scope="module")
def package(built):
    archive = zipfile.ZipFile(io.BytesIO(built.files[f"{FOLDER}/quiz.qti.zip"]))
    return {name: archive.read(name) for name in archive.namelist()}


def _assessments(package):
    return {name: ET.fromstring(data) for name, data in package.items()
            if name.count("/") == 1 and not name.endswith("assessment_meta.xml")}


def test_the_package_is_laid_out_as_canvas_exports_it(package, data):
    manifest = ET.fromstring(package["imsmanifest.xml"])
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    qti = [r for r in resources if r.get("type") == "imsqti_xmlv1p2"]
    assert len(qti) == len(data["versions"]) + 1  # every version, and the pools
    listed = set()
    for resource in resources:
        for file in resource.findall(f"{CP}file"):
            listed.add(file.get("href"))
    assert listed == set(package) - {"imsmanifest.xml"}
    for resource in qti:
        ident = resource.get("identifier")
        assert resource.find(f"{CP}file").get("href") == f"{ident}/{ident}.xml"
        meta = ET.fromstring(package[f"{ident}/assessment_meta.xml"])
        assert meta.tag == f"{CANVAS}quiz" and meta.get("identifier") == ident
        assert meta.findtext(f"{CANVAS}shuffle_answers") == ("true" if ident.endswith("pools")
                                                             else "false")


def test_every_assessment_is_valid_against_the_ims_qti_1_2_dtd(package):
    from lxml import etree

    dtd = etree.DTD(str(qti_dtd()))
    for name, data in package.items():
        if name.count("/") == 1 and not name.endswith("assessment_meta.xml"):
            tree = without_namespace_and_extensions(data)
            assert dtd.validate(tree), f"{name}: {dtd.error_log.filter_from_errors()[:3]}"


def test_the_dtd_check_can_fail(package):
    from lxml import etree

    dtd = etree.DTD(str(qti_dtd()))
    name = next(n for n in package if n.endswith("-version-a.xml"))
    broken = package[name].replace(b"<outcomes>", b"<outcome>").replace(b"</outcomes>",
                                                                        b"</outcome>")
    assert not dtd.validate(without_namespace_and_extensions(broken))


def test_each_version_is_its_paper_as_canvas_reads_a_multiple_choice_item(package, data):
    assessments = _assessments(package)
    for version in data["versions"]:
        name = next(n for n in assessments if n.endswith(f"-version-{version['name'].lower()}.xml"))
        root = assessments[name]
        assert (root.find(f"{Q}assessment").get("title")
                == f"LMS <Quiz> & Co — Version {version['name']}")
        items = root.findall(f".//{Q}item")
        assert len(items) == len(version["items"])
        for element, item in zip(items, version["items"]):
            fields = {f.findtext(f"{Q}fieldlabel"): f.findtext(f"{Q}fieldentry")
                      for f in element.iter(f"{Q}qtimetadatafield")}
            assert fields["question_type"] == "multiple_choice_question"
            stem = element.find(f"{Q}presentation/{Q}material/{Q}mattext")
            assert stem.text == mathjax(item["stem"])
            labels = element.findall(f".//{Q}response_label")
            assert [label.findtext(f"{Q}material/{Q}mattext") for label in labels] == \
                [mathjax(o) for o in item["options"]]
            idents = [label.get("ident") for label in labels]
            assert len(set(idents)) == 4 and fields["original_answer_ids"] == ",".join(idents)
            right = element.findtext(f".//{Q}respcondition/{Q}conditionvar/{Q}varequal")
            assert right == idents[item["answer"]]
            assert element.find(f".//{Q}respcondition/{Q}setvar").text == "100"


def test_the_pools_draw_pool_pick_items_per_student(package, data):
    root = next(r for n, r in _assessments(package).items() if n.endswith("-pools.xml"))
    sections = root.findall(f"{Q}assessment/{Q}section/{Q}section")
    choice_pools = [p for p in data["pools"] if any(not i.startswith("open-") for i in p["items"])]
    assert [s.get("title") for s in sections] == [p["title"] for p in choice_pools]
    for section, pool in zip(sections, choice_pools):
        choice_items = [i for i in pool["items"] if not i.startswith("open-")]
        assert section.findtext(f".//{Q}selection_number") == str(min(2, len(choice_items)))
        assert section.findtext(f".//{Q}selection_extension/{Q}points_per_item") == "1.0"
        assert [i.get("title") for i in section.findall(f"{Q}item")] == choice_items


def test_pools_group_every_question_once_by_topic_or_kind(quiz_fixture_corpus, data):
    pooled = [i for pool in data["pools"] for i in pool["items"]]
    asked = [i["id"] for i in data["versions"][0]["items"]] + [o["id"] for o in data["open"]]
    assert sorted(pooled) == sorted(asked)
    titles = {t.id: plain_text(t.title) for t in quiz_fixture_corpus.topics}
    assert all(pool["title"] == titles[pool["id"]] for pool in data["pools"])
    by_kind = quiz_outputs(quiz_fixture_corpus, QuizOptions(count=8, seed=4, pools="kind",
                                                            pdf=False), make_environment())
    kinds = json.loads(by_kind.files["quizzes/default/quiz.json"])["pools"]
    assert {p["id"] for p in kinds} <= {"name-concept", "name-from-example", "which-command",
                                        "which-contrast"}


def test_the_same_quiz_gives_the_same_package(built):
    options = QuizOptions(count=16, seed=4, versions=3, name="lms", title="LMS <Quiz> & Co",
                          kinds=("name-concept", "which-approach", "open-interview"),
                          pool_pick=2, pdf=False)
    again = quiz_outputs(load_corpus(FIXTURE), options, make_environment())
    assert again.files[f"{FOLDER}/quiz.qti.zip"] == built.files[f"{FOLDER}/quiz.qti.zip"]


def test_open_questions_are_moodle_essays_with_the_rubric_for_the_grader(built, data):
    root = ET.fromstring(built.files[f"{FOLDER}/quiz.moodle.xml"])
    essays = root.findall("question[@type='essay']")
    assert len(essays) == len(data["open"]) == 16 // 3
    by_id = {e.findtext("idnumber"): e for e in essays}
    for item in data["open"]:
        essay = by_id[item["id"]]
        assert essay.findtext("questiontext/text") == mathjax(item["question"])
        assert essay.findtext("responseformat") == "editor"
        grader = essay.findtext("graderinfo/text")
        assert grader.startswith(f"<p>{mathjax(item['summary'])}</p><ul>")
        assert grader.count("<li>") == len(item["rubric"]) >= 1
        for point in item["rubric"]:
            assert f"<strong>{mathjax(point['point'])}</strong>: {mathjax(point['gist'])}" in grader
        assert essay.findtext("defaultgrade") == str(len(item["rubric"]))
    assert "<script>" not in built.files[f"{FOLDER}/quiz.moodle.xml"].decode()


def test_open_questions_print_as_a_question_sheet_and_a_rubric_sheet(built, data):
    def pages(stem):
        with pdfplumber.open(io.BytesIO(built.files[f"{FOLDER}/{stem}.pdf"])) as pdf:
            return [re.sub(r"\s+", "", p.extract_text()) for p in pdf.pages]

    questions, rubric = pages("interview-questions"), pages("interview-rubric")
    assert all("Interviewquestions" in page for page in questions)
    assert all("Rubric(fortheinterviewer)" in page for page in rubric)
    for number, item in enumerate(data["open"], 1):
        asked = re.sub(r"\s+", "", f"{number}. {plain_text(item['question'])}")
        assert any(asked in page for page in questions)
        assert any(asked in page for page in rubric)
        for point in item["rubric"]:  # a checklist box, the point and its gist
            box = f"☐ {plain_text(point['point'])}: {plain_text(point['gist'])}"
            line = re.sub(r"\s+", "", box)
            assert any(line in page for page in rubric), point
        gist_words = " ".join(plain_text(p["gist"]) for p in item["rubric"])
        assert not any(word in "".join(questions) for word in [gist_words] if len(gist_words) > 20)


def test_an_open_only_quiz_has_no_papers_but_sheets_and_moodle(quiz_fixture_corpus):
    built = quiz_outputs(quiz_fixture_corpus, QuizOptions(count=3, seed=2, pdf=False,
                                                          kinds=("open-interview",)),
                         make_environment())
    names = {p.rsplit("/", 1)[1] for p in built.files}
    assert names == {"quiz.json", "interview-questions.html", "interview-rubric.html",
                     "quiz.gift", "quiz.moodle.xml"}
    gift = built.files["quizzes/default/quiz.gift"].decode()
    assert gift.count("::[html]") == 3 and gift.count(" {}") == 3  # GIFT essays
