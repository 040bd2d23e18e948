"""The study site: its size, how long drillbook takes to make it, how fast it opens.

    python bench/site.py [BOOK.txt]      # default: the sample ebook; prints JSON

Builds the book once (``drillbook build``, quiz PDFs off) into a temporary folder, times
the site output alone in this process, adds up its files (and their gzip sizes, what a
static host such as GitHub Pages sends), then opens ``site/index.html`` from disk in
Debian's Chromium (Playwright) several times, each in a fresh browser context with
nothing cached, and records:

- ``ready_ms``: navigation start to the moment the page is interactive (every script run,
  the first view drawn, every control wired: ``html[data-ready]``);
- ``index_ms``: building the search index (minisearch), done when the browser is idle
  after ``ready``; ``searchable_ms``: navigation start to that index being built;
- ``search_ms``: one search over the whole book once the index exists;
- ``card_ms``: showing and grading a flashcard (ts-fsrs and local storage).

Targets (issue 19): under 2 MB and interactive in under 1 s on a laptop. Only numbers are
recorded; nothing from the book is kept.
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "raw" / "sample" / "sample-ebook.txt"
LOADS = 7
QUERIES = ("cache", "retry timeout", "kafka consumer", "idempotent", "shard key", "rate limit")
MAX_BYTES = 2_000_000
MAX_READY_MS = 1000
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def build(source: Path, out: Path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    settings = out.parent / "drillbook.toml"
    settings.write_text("[quiz]\npdf = false\n", "utf-8")
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(out),
                                       "--config", str(settings)])
    if result.exit_code != 0:
        raise SystemExit(f"build failed: {result.output.strip().splitlines()[-1:]}")


def emit_seconds(out: Path) -> float:
    """CPU time of the site output alone (quiz items included), median of three."""
    from pipeline.build import emit_context
    from pipeline.config import Config
    from pipeline.emit.corpus_json import load_corpus
    from pipeline.emit.site import site_files
    from pipeline.templating import make_environment

    corpus = load_corpus(out / "corpus.json")
    ctx = emit_context(Config(), make_environment(), None)
    times = []
    for _ in range(3):
        start = time.process_time()
        site_files(corpus, ctx)
        times.append(time.process_time() - start)
    return round(statistics.median(times), 3)


def sizes(site: Path) -> dict[str, Any]:
    files = {p.relative_to(site).as_posix(): p.read_bytes()
             for p in sorted(site.rglob("*")) if p.is_file()}
    total = sum(len(b) for b in files.values())
    return {"bytes": total, "gzip_bytes": sum(len(gzip.compress(b, 6)) for b in files.values()),
            "files": {name: len(data) for name, data in files.items()},
            "under_2_mb": total < MAX_BYTES}


def browser_timings(site: Path) -> dict[str, Any]:
    chromium = os.environ.get("DRILLBOOK_CHROMIUM") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"status": "skipped", "note": "the playwright package is not installed"}
    if not os.access(chromium, os.X_OK):
        return {"status": "skipped", "note": f"no Chromium at {chromium}"}
    url = (site / "index.html").resolve().as_uri()
    loads: list[dict[str, float]] = []
    search: list[float] = []
    cards: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        version = browser.version
        for _ in range(LOADS):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector("html[data-ready]")
            page.wait_for_function("() => window.drillbook.indexMs !== undefined")
            loads.append(page.evaluate("""() => {
                const n = performance.getEntriesByType('navigation')[0];
                return {ready_ms: window.drillbook.readyAt, index_ms: window.drillbook.indexMs,
                        searchable_ms: window.drillbook.indexedAt,
                        dom_content_loaded_ms: n.domContentLoadedEventEnd,
                        load_ms: n.loadEventEnd}; }"""))
            search.extend(page.evaluate("""queries => queries.map(q => {
                const start = performance.now();
                window.drillbook.modes.browse.search(q);
                return performance.now() - start; })""", list(QUERIES)))
            page.evaluate("() => { location.hash = '#/cards'; }")
            page.wait_for_selector("#card:not([hidden])")
            cards.append(page.evaluate("""() => {
                const start = performance.now();
                document.getElementById('card-show').click();
                document.querySelector('#card-grades [data-grade="3"]').click();
                return performance.now() - start; }"""))
            context.close()
        browser.close()

    def median(values: list[float]) -> float:
        return round(statistics.median(values), 1)

    summary = {key: median([load[key] for load in loads]) for key in loads[0]}
    summary.update({"worst_ready_ms": round(max(load["ready_ms"] for load in loads), 1),
                    "search_ms": median(search), "card_ms": median(cards),
                    "loads": LOADS, "chromium": version,
                    "interactive_under_1_s": max(load["ready_ms"] for load in loads)
                    < MAX_READY_MS})
    return summary


def run_site_bench(source: Path) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="drillbook-site-bench-"))
    try:
        out = folder / "build"
        build(source, out)
        site = out / "site"
        result = {"emit_cpu_seconds": emit_seconds(out), **sizes(site),
                  "browser": browser_timings(site)}
        corpus = json.loads((out / "corpus.json").read_text("utf-8"))
        result["problems"] = len(corpus["problems"])
        result["points"] = sum(len(p["points"]) for p in corpus["problems"])
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    book = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    print(json.dumps(run_site_bench(book), indent=2))
