"""Stage timings (`drillbook build --timings`) and PDFs rendered by forked workers."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import ROOT

from pipeline.cli import main
from pipeline import parallel
from pipeline.emit.quiz import pdf
from pipeline.timing import recording, stage


def test_stages_nest_and_record_nothing_unless_recorded():
    with stage("outside"):
        pass
    with recording() as timings:
        with stage("outer"):
            with stage("inner"):
                sum(range(10000))
    assert [(name, depth, process) for name, depth, _, _, process in timings.stages] == [
        ("inner", 1, "main"), ("outer", 0, "main")]
    inner, outer = timings.stages
    assert 0 <= inner[2] <= outer[2] and inner[3] >= 0


def test_build_writes_the_timings_of_every_stage(tmp_path):
    out, timings = tmp_path / "build", tmp_path / "timings.json"
    result = CliRunner().invoke(main, ["build", str(ROOT / "raw" / "sample" / "sample-ebook.txt"),
                                       "--out", str(out), "--timings", str(timings)])
    assert result.exit_code == 0, result.output
    stages = json.loads(timings.read_text())["stages"]
    names = [s["stage"] for s in stages if s["depth"] == 0]
    assert names == ["up-to-date check", "read and segment", "overrides and dedupe", "tags",
                     "outputs", "output: report", "publish"]
    assert {s["process"] for s in stages if s["depth"] == 0} == {"main"}
    outputs = {s["stage"]: s for s in stages if s["depth"] == 1}
    assert set(outputs) == {"output: corpus_json", "output: anki", "output: quiz",
                            "output: site", "quiz: PDFs"}
    # the quiz leaves its PDFs rendering; they are collected once the site is made
    here = [s["stage"] for s in stages if s["depth"] == 1 and s["process"] == "main"]
    assert here.index("quiz: PDFs") > here.index("output: site") > here.index("output: quiz")
    # On two cores the deck is made in a worker process while the others are made here.
    deck = "main" if parallel.usable_cores() < 2 or not parallel.can_fork() else "worker 1"
    assert outputs["output: anki"]["process"] == deck
    assert outputs["output: quiz"]["process"] == outputs["output: site"]["process"] == "main"
    assert "quiz: items" in {s["stage"] for s in stages if s["depth"] == 2}
    again = CliRunner().invoke(main, ["build", str(ROOT / "raw" / "sample" / "sample-ebook.txt"),
                                      "--out", str(out), "--timings", str(timings)])
    assert again.exit_code == 0
    assert [s["stage"] for s in json.loads(timings.read_text())["stages"]] == ["up-to-date check"]


PAGE = "<html><body><h1>{}</h1><p>Page text</p></body></html>"


def test_forked_workers_make_the_bytes_one_process_makes():
    pages = [(f"p{i}", PAGE.format(i)) for i in range(3)]
    alone = {name: pdf.html_to_pdf(html)[0] for name, html in pages}
    pdf.start_workers()
    try:
        assert pdf._warm or pdf.workers_for(2) == 0
        warmed = pdf.render_pdfs(pages)
    finally:
        pdf.stop_workers()
    assert list(warmed) == ["p0", "p1", "p2"]
    assert {name: data for name, (data, _) in warmed.items()} == alone
    assert {name: data for name, (data, _) in pdf.render_pdfs(pages).items()} == alone


@pytest.mark.skipif(pdf.workers_for(4) < 2, reason="needs two cores and fork")
def test_a_builds_few_papers_get_one_early_renderer_and_many_get_every_core():
    for pages, expected in ((3, 1), (11, pdf.workers_for(11))):
        pdf.start_workers(pages)
        try:
            assert pdf._warm[0]._max_workers == expected
        finally:
            pdf.stop_workers()


@pytest.mark.skipif(pdf.workers_for(2) < 2, reason="needs two cores and fork")
def test_the_early_renderer_makes_the_bytes_one_process_makes_and_yields_the_cpu():
    import os

    pages = [(f"p{i}", PAGE.format(i)) for i in range(3)]
    alone = {name: pdf.html_to_pdf(html)[0] for name, html in pages}
    pdf.start_early_renderer()
    try:
        renderer = pdf._early[0]
        pdf.start_workers(3)  # a build's three papers: the early renderer takes them
        assert not pdf._warm
        collect = pdf.start_pdfs(pages)
        assert renderer.used
        made = collect()
        assert os.getpriority(os.PRIO_PROCESS, renderer.process.pid) >= pdf.RENDERER_NICENESS
    finally:
        pdf.stop_workers()
    assert list(made) == ["p0", "p1", "p2"]
    assert {name: data for name, (data, _) in made.items()} == alone
    assert not pdf._early and renderer.process.exitcode == 0


@pytest.mark.skipif(pdf.workers_for(2) < 2, reason="needs two cores and fork")
def test_an_unused_early_renderer_ends_by_itself_when_the_build_ends():
    pdf.start_early_renderer()
    renderer = pdf._early[0]
    pdf.stop_workers()
    assert renderer.process.exitcode == 0  # it saw the end of the pipe; not terminated


@pytest.mark.skipif(pdf.workers_for(2) < 2, reason="needs two cores and fork")
def test_pages_a_dead_early_renderer_did_not_send_are_rendered_here():
    pages = [(f"p{i}", PAGE.format(i)) for i in range(2)]
    pdf.start_early_renderer()
    try:
        renderer = pdf._early[0]
        renderer.process.kill()
        renderer.process.join()
        made = pdf.start_pdfs(pages)()
    finally:
        pdf.stop_workers()
    assert {name: data for name, (data, _) in made.items()} == {
        name: pdf.html_to_pdf(html)[0] for name, html in pages}


@pytest.mark.skipif(pdf.workers_for(4) < 2, reason="needs two cores and fork")
def test_more_papers_than_the_early_renderer_takes_get_a_pool_instead():
    pdf.start_early_renderer()
    renderer = pdf._early[0]
    try:
        pdf.start_workers(11)
        assert not pdf._early and pdf._warm
    finally:
        pdf.stop_workers()
    assert renderer.process.exitcode == 0
