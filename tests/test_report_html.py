"""report.html: every section present, absent data says so, everything escaped, no network."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from conftest import ROOT

from pipeline.build import SourceInput, build_corpus
from pipeline.config import Config
from pipeline.emit.report import report_data
from pipeline.emit.report_html import report_html
from pipeline.templating import make_environment

SECTIONS = ("summary", "overrides", "ids", "diagnostics", "merges", "near-misses", "toc",
            "tags", "quiz")
SAMPLE = ROOT / "raw" / "sample" / "sample-ebook.txt"


class Page(HTMLParser):
    """What a test needs from the page: elements by id, their text, links and resources."""

    def __init__(self, html: bytes):
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, str] = {}  # id -> tag
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.section_text: dict[str, list[str]] = {}
        self._open_sections: list[str] = []
        self.feed(html.decode("utf-8"))
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.append((tag, name, value))
            if name == "id":
                self.ids[value] = tag
        if tag == "section":
            self._open_sections.append(dict(attrs).get("id", ""))

    def handle_endtag(self, tag):
        if tag == "section" and self._open_sections:
            self._open_sections.pop()

    def handle_data(self, data):
        for section in self._open_sections:
            self.section_text.setdefault(section, []).append(data)

    def text(self, section: str) -> str:
        return " ".join(" ".join(self.section_text.get(section, [])).split())


def sample_report() -> dict:
    build = build_corpus([SourceInput(SAMPLE, "raw/sample/sample-ebook.txt")], Config())
    data = report_data(build)
    data.pop("tags", None)
    data.pop("quiz", None)
    return data


@pytest.fixture(scope="module")
def report() -> dict:
    return sample_report()


def render(data: dict) -> Page:
    return Page(report_html(data, make_environment()))


def test_every_section_is_present_and_absent_data_says_not_available(report):
    page = render(report)
    for section in SECTIONS:
        assert page.ids.get(section) == "section", section
    for section in ("overrides", "ids", "tags", "quiz"):
        assert "Not available" in page.text(section), section
    assert "Not available" not in page.text("merges")


def test_summary_merges_near_misses_and_toc_show_the_report_data(report):
    page = render(report)
    summary = page.text("summary")
    assert f"{report['summary']['distinct_problems']} distinct problems" in summary
    merges = [i for i in page.ids if i.startswith("merge-")]
    assert len(merges) == len(report["merges"]) == 3  # the sample's three repeats
    for merge in report["merges"]:
        for occurrence in merge["occurrences"]:
            assert f"{shown_path(report, occurrence['source'])}:{occurrence['line']}" in page.text(
                "merges")
    # The sample prints the eviction problem twice: both copies near-miss the expiry
    # problem, and the page shows that pair of problems once.
    assert len(report["near_misses"]) == 2
    assert page.text("near-misses").count("Choosing a Cache Expiry Policy") == 1
    toc = page.text("toc")
    for row in report["toc"]:
        assert row["title"] in toc


def test_diagnostics_are_grouped_by_kind_with_their_line(report):
    page = render(report)
    kinds = {d["code"] for d in report["diagnostics"]}
    assert {i[len("kind-"):] for i in page.ids if i.startswith("kind-")} == kinds
    assert sum(1 for i in page.ids if i.startswith("diag-")) == len(report["diagnostics"])
    stray = next(d for d in report["diagnostics"] if d["code"] == "stray-header")
    shown = shown_path(report, stray["where"]["source"])
    assert f"{shown}:{stray['where']['line']}" in page.text("diagnostics")


def shown_path(report, source_id):
    """Where the page shows a source: its path when the report lists sources, else its id."""
    paths = {s["id"]: s["path"] for s in report.get("sources", [])}
    return paths.get(source_id, source_id)


def test_source_paths_replace_source_ids_when_the_report_lists_sources(report):
    source_id = report["diagnostics"][0]["where"]["source"]
    data = dict(report, sources=[{"id": source_id, "path": "raw/my-book.txt"}])
    text = render(data).text("diagnostics")
    assert "raw/my-book.txt:" in text and f"{source_id}:" not in text


def test_markup_in_the_data_is_escaped_not_interpreted(report):
    evil = "<script>alert('x')</script> & <b>bold</b>"
    data = dict(report, diagnostics=[{"severity": "warning", "code": "odd<kind>",
                                      "message": evil, "where": {"source": "a<b", "line": 3,
                                                                  "page": None}}])
    data["merges"] = [dict(report["merges"][0], problem="x\"><img src=x>")]
    html = report_html(data, make_environment())
    page = Page(html)
    assert "script" not in page.tags and "img" not in page.tags and "b" not in page.tags
    assert evil in page.text("diagnostics")
    assert "a<b:3" in page.text("diagnostics")
    assert b"&lt;script&gt;" in html


def test_the_page_needs_no_network_and_no_files(report):
    page = render(report)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(page.tags)
    for tag, name, value in page.attrs:
        if name in ("href", "src", "action"):
            assert value is not None and value.startswith("#"), (tag, name, value)
    assert "style" in page.tags  # the CSS is inline


def test_optional_sections_render_when_present(report):
    data = dict(report)
    data["overrides"] = {"file": "raw/overrides.toml", "entries": [
        {"kind": "merge", "line": 4, "problems": ["A", "B"], "target": None, "reason": "same",
         "status": "applied", "matched": ["A", "B"], "note": "",
         "description": "[[merge]] merge 'A' + 'B'"},
        {"kind": "move", "line": 9, "problems": ["Gone"], "target": "t", "reason": "",
         "status": "unmatched", "matched": [], "note": "no problem named 'Gone'",
         "description": "[[move]] move 'Gone' to topic 't'"}]}
    data["ids"] = {"kept": [{"id": "k-1", "title": "Kept One", "matched_by": "content"}],
                   "new": [{"id": "n-1", "title": "Brand New"}],
                   "retired": [{"id": "r-1", "title": "Gone Away"}],
                   "renamed": [{"id": "k-1", "old_title": "Old Name", "new_title": "Kept One"}]}
    data["tags"] = {"stats": {"joined_rows": 3}, "splits": [
        {"text": "alpha beta", "parts": ["alpha", "beta"], "confidence": 0.3, "reason": "r1",
         "runner_up": None, "problem": "p", "where": {"source": "s", "line": 5, "page": None}},
        {"text": "gamma delta", "parts": ["gamma delta"], "confidence": 0.95, "reason": "r2",
         "runner_up": ["gamma", "delta"], "problem": "p",
         "where": {"source": "s", "line": 6, "page": None}}],
        "kinds": {"tags_per_kind": {"technology": 2, "command": 0, "concept": 1, "note": 0},
                  "tags_per_family": {"cache": 1},
                  "unknown": [{"id": "gizmo", "label": "<Gizmo>", "kind": "technology",
                               "count": 4, "reason": "a name the list does not know",
                               "candidates": ["cache", "queue"]}]}}
    data["quiz"] = {"name": "default", "folder": "quizzes/default", "checks": {
        "items": 20, "options_distinct": {"rate": 0.95, "target": 1.0, "caught": 2,
                                          "meaning": "no two options equal"},
        "key_not_longest_cue": {"key_longest_rate": 0.25, "max": 0.3, "ok": True}}}
    page = render(data)
    for section in ("overrides", "ids", "tags", "quiz"):
        assert "Not available" not in page.text(section), section
    assert {"override-4", "override-9"} <= set(page.ids)
    assert "unmatched: no problem named 'Gone'" in page.text("overrides")
    ids = page.text("ids")
    assert "Old Name Kept One" in ids and "n-1 Brand New" in ids and "r-1 Gone Away" in ids
    tags = page.text("tags")
    # least confident first: the doubtful band holds alpha beta, the confident one gamma delta
    assert tags.index("alpha beta") < tags.index("gamma delta")
    assert "doubtful (confidence 0.0–0.5): 1" in tags
    assert "technology 2" in tags and "families : 1" in tags and "unknown : 1" in tags
    # escaped: an unescaped "<Gizmo>" would be an element, not text
    assert "<Gizmo> technology 4 a name the list does not know cache · queue" in tags
    quiz = page.text("quiz")
    assert "options distinct 95.0% 100.0% 2" in quiz and "key longest option 25.0% 30.0%" in quiz


def test_rendering_is_deterministic(report):
    env = make_environment()
    assert report_html(report, env) == report_html(report, env)


def test_real_book_report_renders_every_section(real_book):
    build = build_corpus([SourceInput(real_book, real_book.name)], Config())
    page = render(report_data(build))
    for section in SECTIONS:
        assert page.ids.get(section) == "section"
    assert sum(1 for i in page.ids if i.startswith("merge-")) == len(build.dedupe.merges)


def test_titles_show_the_books_formatting(report):
    merge = report["merges"][0]
    title = r"Caching `GET /x` at $O(1)$ for \$5 <b>"
    occurrences = [dict(o, title=title) for o in merge["occurrences"]]
    data = dict(report, merges=[dict(merge, occurrences=occurrences)])
    page = render(data)
    assert "code" in page.tags and "math" in page.tags and "b" not in page.tags
    merges = page.text("merges")
    assert "Caching GET /x at" in merges and "for $5 <b>" in merges
    assert "`" not in merges and "\\$" not in merges


def test_quiz_figures_are_written_in_words_not_as_dictionaries(report):
    checks = {"items": 8, "kinds": {"name-concept": 5, "which-approach": 3},
              "skipped_kinds": {"which-technology": "no technology tags"},
              "key_positions": {"A": {"letters": {"A": 2, "B": 2, "C": 2, "D": 2},
                                      "balanced": True, "longest_run": 2, "runs_ok": True}},
              "version_changes": [{"versions": "A->B", "key_letter_changed_rate": 1.0,
                                   "item_order_changed": True}]}
    text = render(dict(report, quiz={"name": "default", "checks": checks})).text("quiz")
    assert "5 name-concept, 3 which-approach" in text
    assert "which-technology: no technology tags" in text
    assert ("version A: keys on A 2, B 2, C 2, D 2; balanced; "
            "the longest run of one letter is 2") in text
    assert "A to B: 100% of keys on another letter, items in another order" in text
    assert not any(mark in text for mark in ("{", "}", "letters:", "'", "->", "_"))


def test_quiz_rejections_and_the_cue_solver_are_readable(report):
    checks = {"items": 2, "cue_solver": {"accuracy": 0.3, "chance": 0.25, "max": 0.35,
                                         "per_kind": {"name-concept": 0.25},
                                         "answered_by": {"letters": 2}},
              "declined": {"name-concept": {"the description repeats the key's words": 4}},
              "rejected": [{"id": "x", "kind": "which-command", "problem": "p",
                            "point": "Rank `Top` Pages", "attempt": 1, "key": "ZREVRANGE",
                            "failed": {"stem_echo_even": "ZRANGEBYSCORE"}}]}
    page = render(dict(report, quiz={"name": "default", "checks": checks}))
    text = page.text("quiz")
    assert "30% of items answered from cues alone (chance 25%, target at most 35%)" in text
    assert "name-concept 25%" in text and "answered by: letters 2" in text
    assert "name-concept: 4 the description repeats the key's words" in text
    assert "rejected items (rebuilt with another draw, or dropped): 1" in text
    assert "stem echo even: ZRANGEBYSCORE" in text and "Rank Top Pages" in text
