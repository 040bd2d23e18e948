"""What rendering in Jinja's SandboxedEnvironment costs against a plain Environment.

    python bench/template_sandbox.py [BOOK.txt]      # default: the sample ebook

Builds the corpus once, then renders every template output of a build (Anki fields, the
default quiz without its PDF, report.html) with each environment class in turn, several
rounds interleaved, and reports the median CPU time spent inside ``templating.render``.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ROUNDS = 7


def run_sandbox_bench(source: Path) -> dict[str, Any]:
    import jinja2
    import jinja2.sandbox

    import pipeline.emit.anki.notes as notes
    import pipeline.emit.quiz.render as quiz_render
    import pipeline.emit.report_html as report_html
    from pipeline import templating
    from pipeline.build import build_corpus, corpus_outputs, find_source_files, finish_corpus
    from pipeline.config import Config
    from pipeline.emit.anki import AnkiOptions, anki_outputs
    from pipeline.emit.quiz import quiz_outputs
    from pipeline.emit.quiz.assemble import QuizOptions

    config = Config()
    build = build_corpus(find_source_files([source]), config)
    finish_corpus(build, config)
    spent = {"seconds": 0.0, "renders": 0}
    original = templating.render

    def timed(env: Any, name: str, **context: Any) -> str:
        start = time.process_time()
        try:
            return original(env, name, **context)
        finally:
            spent["seconds"] += time.process_time() - start
            spent["renders"] += 1

    modules = [m for m in (templating, notes, quiz_render, report_html) if hasattr(m, "render")]
    sandboxed = jinja2.sandbox.SandboxedEnvironment

    def one_round(cls: type) -> float:
        spent.update(seconds=0.0, renders=0)
        templating.jinja2.sandbox.SandboxedEnvironment = cls  # what make_environment builds
        try:
            env = templating.make_environment(None)
            anki_outputs(build.corpus, AnkiOptions(deck="Bench"), None, 0, env)
            quiz_outputs(build.corpus, QuizOptions(count=100, versions=2, seed=1, pdf=False), env)
            corpus_outputs(build, config, env)
        finally:
            templating.jinja2.sandbox.SandboxedEnvironment = sandboxed
        return spent["seconds"]

    for module in modules:
        module.render = timed
    try:
        times: dict[str, list[float]] = {"plain": [], "sandboxed": []}
        for _ in range(ROUNDS):
            times["plain"].append(one_round(jinja2.Environment))
            times["sandboxed"].append(one_round(sandboxed))
    finally:
        for module in modules:
            module.render = original
    plain, boxed = statistics.median(times["plain"]), statistics.median(times["sandboxed"])
    return {"source_bytes": source.stat().st_size, "renders_per_round": spent["renders"],
            "rounds": ROUNDS, "plain_cpu_seconds": round(plain, 3),
            "sandboxed_cpu_seconds": round(boxed, 3),
            "overhead_percent": round(100 * (boxed - plain) / plain, 1) if plain else None,
            "note": "median CPU time inside templating.render per round (Anki fields, default "
                    "quiz without PDF, report.html)"}


if __name__ == "__main__":
    book = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "raw" / "sample" / "sample-ebook.txt"
    print(json.dumps(run_sandbox_bench(book), indent=2))
