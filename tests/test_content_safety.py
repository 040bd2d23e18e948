"""Book text that looks like markup or template syntax reaches every output literally."""
from __future__ import annotations

import json
import sqlite3
import zipfile

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import ROOT

from pipeline.cli import main

EVIL = "<script>alert(1)</script> {{ 7*7 }} {% if x %} &amp; {{c1::cloze}}"
HEADER = "Mesh <Basics> & {{ more }}"


@pytest.fixture(scope="module")
def evil_build(tmp_path_factory):
    text = (ROOT / "raw" / "sample" / "sample-ebook.txt").read_text("utf-8")
    assert "\nService Mesh Basics\n" in text  # a stray header the segmenter reports
    text = text.replace("INTERVIEWER: ", f"INTERVIEWER: {EVIL} ")
    text = text.replace("👉 ", f"👉 {EVIL} ")  # explanations: the naming items quote them
    text = text.replace("\nService Mesh Basics\n", f"\n{HEADER}\n")
    folder = tmp_path_factory.mktemp("evil")
    book = folder / "book.txt"
    book.write_text(text, "utf-8")
    out = folder / "out"
    result = CliRunner().invoke(main, ["build", str(book), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_corpus_json_keeps_the_text_as_printed(evil_build):
    corpus = json.loads((evil_build / "corpus.json").read_text("utf-8"))
    assert all(p["question"].startswith(EVIL) for p in corpus["problems"])


def test_report_html_escapes_it(evil_build):
    html = (evil_build / "report.html").read_text("utf-8")
    assert "Mesh &lt;Basics&gt; &amp; {{ more }}" in html
    assert "<Basics>" not in html


def test_quiz_html_and_pdf_show_it_literally(evil_build):
    folder = evil_build / "quizzes" / "default"
    quiz = json.loads((folder / "quiz.json").read_text("utf-8"))
    stems = [i["stem"] for i in quiz["versions"][0]["items"] if "<script>" in i["stem"]]
    assert stems, "expected name-concept items quoting an explanation"
    html = (folder / "version-A.html").read_text("utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "&amp;amp;" in html
    with pdfplumber.open(folder / "version-A.pdf") as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "<script>alert(1)</script>" in text and "{{ 7*7 }}" in text
    gift = (folder / "quiz.gift").read_text("utf-8")
    assert "\\{\\{ 7*7 \\}\\}" in gift


def test_anki_fields_escape_markup_and_braces(evil_build):
    (deck,) = (evil_build / "anki").glob("*.apkg")
    with zipfile.ZipFile(deck) as archive:
        (evil_build / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(evil_build / "collection.anki2") as db:
        fields = [row[0] for row in db.execute("select flds from notes")]
    quoted = [f for f in fields if "alert(1)" in f]
    assert quoted
    for field in quoted:
        assert "<script>" not in field and "&lt;script&gt;" in field
        assert "{{" not in field and "&#123;&#123;c1::cloze&#125;&#125;" in field


# Markdown and TeX that try to become markup: none of it may, in any output.
HOSTILE_MD = (r"[x](javascript:alert(1)) <img src=x onerror=alert(1)> <http://evil.invalid> "
              r"`</code><script>` $\text{<b>}\href{javascript:alert(2)}{y}$ [sound:a.mp3]")
LIVE = ("<img", "<script", "<b>", "href=\"javascript", "href=javascript", "href=\"http://evil")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    text = (ROOT / "raw" / "sample" / "sample-ebook.txt").read_text("utf-8")
    text = text.replace("INTERVIEWER: ", f"INTERVIEWER: {HOSTILE_MD} ")
    text = text.replace("👉 ", f"👉 {HOSTILE_MD} ")  # explanations: the naming items quote them
    folder = tmp_path_factory.mktemp("hostile")
    book = folder / "book.txt"
    book.write_text(text, "utf-8")
    out = folder / "out"
    result = CliRunner().invoke(main, ["build", str(book), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_hostile_markdown_stays_text_everywhere(hostile_build):
    corpus = json.loads((hostile_build / "corpus.json").read_text("utf-8"))
    # (the segmenter already strips link syntax; the rest reaches the corpus as printed)
    assert all("<img src=x onerror=alert(1)> <http://evil.invalid> `</code><script>`"
               in p["question"] for p in corpus["problems"])
    folder = hostile_build / "quizzes" / "default"
    pages = {"report.html": (hostile_build / "report.html").read_text("utf-8"),
             "version-A.html": (folder / "version-A.html").read_text("utf-8"),
             "quiz.moodle.xml": __import__("html").unescape(
                 (folder / "quiz.moodle.xml").read_text("utf-8"))}
    (deck,) = (hostile_build / "anki").glob("*.apkg")
    with zipfile.ZipFile(deck) as archive:
        (hostile_build / "c.anki2").write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(hostile_build / "c.anki2") as db:
        pages["anki"] = "\n".join(row[0] for row in db.execute("select flds from notes"))
    assert "alert(1)" in pages["version-A.html"] and "alert(1)" in pages["anki"]
    for name, page in pages.items():
        for live in LIVE:
            # quiz.moodle.xml was unescaped once: what Moodle reads is HTML, still escaped
            assert live not in page, (name, live)
    # the code span is code, its content text; the formula is a formula, its \href gone
    assert "<code>&lt;/code&gt;&lt;script&gt;</code>" in pages["anki"]
    assert "&#91;sound:a.mp3]" in pages["anki"]
