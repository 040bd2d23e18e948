"""The study site's files: what a build and `drillbook site` write, without a browser.

(tests/test_site_browser.py drives the site in Chromium.)
"""
from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from conftest import ROOT

from pipeline.cli import main
from pipeline.emit import site as site_output

SITE_JS = ("boot.js", "app.js", "browse.js", "cards.js", "quiz.js", "interview.js")
VENDOR = ROOT / "templates" / "site" / "vendor"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample built by `drillbook build` (no quiz PDFs), then its site on its own."""
    folder = tmp_path_factory.mktemp("site-unit")
    settings = folder / "drillbook.toml"
    settings.write_text("[quiz]\npdf = false\n", "utf-8")
    out = folder / "build"
    result = CliRunner().invoke(main, ["build", str(ROOT / "raw" / "sample"), "--out", str(out),
                                       "--config", str(settings)])
    assert result.exit_code == 0, result.output
    return out


def data_of(site) -> dict:
    text = (site / "data.js").read_text("utf-8")
    prefix = "window.DRILLBOOK_DATA = "
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix):-2])


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1


def test_a_build_writes_the_site_beside_the_corpus(built):
    site = built / "site"
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert names == {"index.html", "data.js", ".nojekyll", *site_output.ASSETS}
    report = json.loads((built / "report.json").read_text("utf-8"))
    corpus = json.loads((built / "corpus.json").read_text("utf-8"))
    titled = sum(1 for p in corpus["problems"] for pt in p["points"] if pt["title"])
    # The sample has fewer quiz items than the site's 50 or the default quiz's 20: both take
    # every item it can make.
    quiz = json.loads((built / "quizzes" / "default" / "quiz.json").read_text("utf-8"))
    made = len(quiz["versions"][0]["items"])
    assert made < 20
    assert report["site"] == {"folder": "site", "problems": len(corpus["problems"]),
                              "cards": len(corpus["problems"]) + titled, "quiz_items": made}


def test_the_page_loads_only_its_own_files_and_no_inline_code(built):
    site = built / "site"
    page = Collector()
    page.feed((site / "index.html").read_text("utf-8"))
    assert page.inline_scripts == 0
    scripts = [a["src"] for tag, a in page.tags if tag == "script"]
    styles = [a["href"] for tag, a in page.tags if tag == "link"]
    assert scripts[:1] == ["boot.js"] and len(scripts) == 9 and styles == ["site.css"]
    for name in scripts + styles:
        assert (site / name).is_file() and "//" not in name
    assert not [a for tag, a in page.tags for k, v in a.items() if k.startswith("on") or
                k == "style" or (k in ("href", "src") and re.match(r"[a-z]+:", v or ""))]
    (policy,) = [a["content"] for tag, a in page.tags
                 if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'" and directives["script-src"] == "'self'"
    assert "unsafe" not in policy and "http" not in policy and "*" not in policy


def test_the_scripts_never_parse_markup_or_reach_the_network():
    for name in SITE_JS:
        code = (ROOT / "templates" / "site" / name).read_text("utf-8")
        code = re.sub(r"^\s*//.*$", "", code, flags=re.M)  # comments may name them
        for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                          "eval(", "new Function", "fetch(", "XMLHttpRequest", "WebSocket",
                          "sendBeacon", "import("):
            assert forbidden not in code, f"{name} uses {forbidden}"


def test_data_js_holds_the_corpus_plain_text_with_markup_characters_escaped(built):
    text = (built / "site" / "data.js").read_text("utf-8")
    body = text[text.index("{"):]
    assert "<" not in body and ">" not in body and "&" not in body
    data = data_of(built / "site")
    corpus = json.loads((built / "corpus.json").read_text("utf-8"))
    assert [p["id"] for p in data["problems"]] == [p["id"] for p in corpus["problems"]]
    first, printed = data["problems"][0], corpus["problems"][0]
    assert first["question"] == printed["plain"]["question"]
    assert [pt["title"] for pt in first["points"]] == [pt["plain"]["title"]
                                                      for pt in printed["points"]]
    assert first["points"][0]["key"].startswith(printed["id"] + "/")
    used = {t for p in corpus["problems"] for t in p["tags"]}
    assert {t["id"] for t in data["tags"]} == used
    assert data["storage"] == "drillbook:backend-interview-problems"


def test_the_quiz_items_are_the_quiz_librarys(built, tmp_path):
    result = CliRunner().invoke(main, ["quiz", "--corpus", str(built / "corpus.json"),
                                       "--count", "50", "--versions", "1", "--no-pdf",
                                       "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    printed = json.loads((tmp_path / "quiz.json").read_text("utf-8"))["versions"][0]["items"]
    data = data_of(built / "site")
    assert [(i["id"], i["answer"]) for i in data["quiz"]] == [(i["id"], i["answer"])
                                                            for i in printed]
    page = (built / "site" / "index.html").read_text("utf-8")
    assert [f'id="quiz:{item["id"]}"' in page for item in printed] == [True] * len(printed)


def test_vendored_libraries_are_the_npm_files_named_in_their_readme(built):
    readme = (VENDOR / "README.md").read_text("utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| \[([a-z-]+)\]\S+ (\d+\.\d+\.\d+) .*`([0-9a-f]{64})` \|$",
                      readme, re.M)
    assert {(name, package) for name, package, _, _ in rows} == {
        ("minisearch.js", "minisearch"), ("ts-fsrs.js", "ts-fsrs")}
    for name, package, _version, digest in rows:
        for copy in (VENDOR / name, built / "site" / "vendor" / name):
            assert hashlib.sha256(copy.read_bytes()).hexdigest() == digest, copy
        assert (VENDOR / f"LICENSE-{package}.txt").read_text("utf-8").startswith(
            ("MIT License", "Copyright"))


def test_settings_turn_the_site_off_and_shape_it(tmp_path):
    settings = tmp_path / "drillbook.toml"
    settings.write_text('[quiz]\npdf = false\n[site]\nbuild = false\n', "utf-8")
    out = tmp_path / "build"
    result = CliRunner().invoke(main, ["build", str(ROOT / "raw" / "sample"), "--out", str(out),
                                       "--config", str(settings)])
    assert result.exit_code == 0, result.output
    assert not (out / "site").exists()
    settings.write_text('[site]\ntitle = "Week <3>"\nquiz_count = 0\nnew_cards_per_day = 5\n',
                        "utf-8")
    result = CliRunner().invoke(main, ["site", "--corpus", str(out / "corpus.json"),
                                       "--out", str(tmp_path / "mine"), "--config", str(settings)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {tmp_path / 'mine'}/index.html: 21 problems, 99 "
                                    "flashcards, 0 quiz items")
    data = data_of(tmp_path / "mine")
    assert (data["title"], data["newCardsPerDay"], data["quiz"]) == ("Week <3>", 5, [])
    page = (tmp_path / "mine" / "index.html").read_text("utf-8")
    assert "<title>Week &lt;3&gt;</title>" in page and "built without a quiz" in page


@pytest.mark.parametrize("text, message", [
    ("[site]\nquiz_count = -1\n", "2: site.quiz_count must be between 0 and 2000, not -1"),
    ("[site]\nbuild = \"yes\"\n", "2: site.build must be true or false, not 'yes'"),
    ("[site]\ncolour = \"red\"\n", "2: unknown setting 'colour' in [site]"),
])
def test_bad_site_settings_name_their_line(tmp_path, text, message):
    settings = tmp_path / "bad.toml"
    settings.write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["site", "--config", str(settings)])
    assert result.exit_code == 1
    assert message in result.stderr


def test_a_templates_folder_replaces_the_page_and_the_static_files(built, tmp_path):
    mine = tmp_path / "templates" / "site"
    mine.mkdir(parents=True)
    (mine / "site.css").write_text("body { color: red }\n", "utf-8")
    (mine / "index.html").write_text(
        '{% extends "default/site/index.html" %}{% block nothing %}{% endblock %}', "utf-8")
    result = CliRunner().invoke(main, ["site", "--corpus", str(built / "corpus.json"),
                                       "--out", str(tmp_path / "out"),
                                       "--templates", str(tmp_path / "templates")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "site.css").read_text("utf-8") == "body { color: red }\n"
    assert (tmp_path / "out" / "index.html").read_text("utf-8") == (
        built / "site" / "index.html").read_text("utf-8")


def test_a_missing_corpus_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["site", "--corpus", str(tmp_path / "none.json")])
    assert result.exit_code == 1
    assert result.stderr == (f"drillbook: error: {tmp_path / 'none.json'}: corpus not found "
                             "(run 'drillbook build' first)\n")


TINY_BOOK = """Two Cards

Table of Contents

- [Lone Topic](#) - 1 problems

Lone Topic

Problem 1: Counting Sheep

Question: INTERVIEWER: How many?

Solution:

Count them.

1 By Hand

- 👉 One at a time.

Example: Ten sheep, ten ticks.

tally marks
"""


def test_a_corpus_too_small_for_a_quiz_still_gets_its_site(tmp_path):
    book = tmp_path / "book.txt"
    book.write_text(TINY_BOOK, "utf-8")
    result = CliRunner().invoke(main, ["build", str(book), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    site = tmp_path / "out" / "site"
    assert "built without a quiz" in (site / "index.html").read_text("utf-8")
    data = data_of(site)
    assert data["quiz"] == [] and [p["title"] for p in data["problems"]] == ["Counting Sheep"]
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert report["site"]["cards"] == 2
    assert "site-no-quiz" in [d["code"] for d in report["diagnostics"] if d["severity"] == "info"]
