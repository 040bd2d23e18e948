"""The curator's loop through `drillbook build`: ids survive a new edition, overrides apply."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT

from pipeline.cli import main

EXPECTED = json.loads((FIXTURES / "sample_expected.json").read_text("utf-8"))["revised_edition"]


def build(*args: str) -> None:
    result = CliRunner().invoke(main, ["build", *args])
    assert result.exit_code == 0, result.output


def ids_by_title(out) -> dict[str, str]:
    corpus = json.loads((out / "corpus.json").read_text("utf-8"))
    return {p["title"]: p["id"] for p in corpus["problems"]}


@pytest.fixture
def editions(tmp_path):
    first, second = tmp_path / "v1", tmp_path / "v2"
    first.mkdir()
    second.mkdir()
    shutil.copy(ROOT / "raw" / "sample" / "sample-ebook.txt", first / "book.txt")
    shutil.copy(FIXTURES / "sample-revised-edition.txt", second / "book.txt")
    return first, second, tmp_path / "out"


def test_new_edition_keeps_ids_and_fresh_ids_resets_them(editions):
    first, second, out = editions
    build(str(first), "--out", str(out))
    old = ids_by_title(out)
    build(str(second), "--out", str(out))
    new = ids_by_title(out)
    for old_title, new_title in EXPECTED["same_as_sample"]:
        assert new[new_title] == old[old_title], (old_title, new_title)
    for title in EXPECTED["added"]:
        assert new[title] not in old.values()
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert "ids" in report
    html = (out / "report.html").read_text("utf-8")
    ids_section = html[html.index('<section id="ids">'):html.index('<section id="diagnostics">')]
    retired_id = old[EXPECTED["removed"][0]]
    assert retired_id in ids_section and "Not available" not in ids_section
    build(str(second), "--out", str(out), "--fresh-ids")
    fresh = ids_by_title(out)
    retitled_new = [new_title for _, new_title in EXPECTED["retitled"]]
    assert all(fresh[t] != new[t] for t in retitled_new)


def test_overrides_beside_the_book_apply_on_every_build(editions):
    first, _, out = editions
    (first / "overrides.toml").write_text(
        '[[move]]\nproblem = "Choosing a Cache Expiry Policy"\ntopic = "Request Routing"\n'
        '[[retitle]]\nproblem = "Sticky Sessions Without Regret"\ntitle = "Sticky Sessions"\n'
        '[[keep_apart]]\nproblems = ["No Such Problem", "Sticky Sessions"]\n', "utf-8")
    result = CliRunner().invoke(main, ["build", str(first), "--out", str(out)])
    assert result.exit_code == 0, result.output
    corpus = json.loads((out / "corpus.json").read_text("utf-8"))
    by_title = {p["title"]: p for p in corpus["problems"]}
    assert by_title["Choosing a Cache Expiry Policy"]["topic"] == "request-routing"
    assert "Sticky Sessions" in by_title and "Sticky Sessions Without Regret" not in by_title
    report = json.loads((out / "report.json").read_text("utf-8"))
    unmatched = [d for d in report["diagnostics"] if d["code"] == "override-unmatched"]
    assert len(unmatched) == 1 and unmatched[0]["where"]["line"] == 7
