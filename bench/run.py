"""`make bench`: build times, PDF reader speed, segmentation and dedupe at scale, the cost
of the template sandbox, the study site's size and speed in a browser, written to bench.json.

    python bench/run.py --out build/bench.json [--quick] [--full-all-pairs]

Every measurement runs in its own process, so each time and peak memory is its own.
The real book is timed only when DRILLBOOK_BOOK names it; its outputs go to a temporary
folder and only numbers are recorded.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dedupe_scale import run_dedupe_bench  # noqa: E402

SAMPLE = ROOT / "raw" / "sample" / "sample-ebook.txt"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed_child(command: Sequence[str], timings: Path | None = None) -> dict[str, Any]:
    """Run a command; its wall time, CPU time (it and its children), exit status and peak
    memory (from wait4's rusage); with ``timings``, also the stages it wrote there."""
    start = time.perf_counter()
    # Files, not pipes: wait4 must reap the child itself to get its rusage.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, error = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    result: dict[str, Any] = {"seconds": round(seconds, 2),
                              "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
                              "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}
    if timings is not None and timings.is_file():
        result["stages"] = json.loads(timings.read_text("utf-8"))["stages"]
        result["outside_stages_seconds"] = round(seconds - sum(
            s["wall_s"] for s in result["stages"] if s["depth"] == 0), 2)
    result["output"] = output.strip().splitlines()[-1:]
    if process.returncode != 0:
        result["exit_status"] = process.returncode
        result["error"] = error.strip().splitlines()[-1:]
    return result


def build_bench(source: Path) -> dict[str, Any]:
    """Cold build into an empty folder, warm rebuild (nothing changed), full rebuild."""
    out = Path(tempfile.mkdtemp(prefix="drillbook-bench-"))
    stages = Path(tempfile.mkdtemp(prefix="drillbook-bench-stages-")) / "timings.json"
    try:
        command = [sys.executable, "-m", "pipeline", "build", str(source), "--out", str(out),
                   "--timings", str(stages)]
        cold = timed_child(command, stages)
        warm = timed_child(command, stages)
        no_cache = timed_child(command + ["--no-cache"], stages)
        return {"cold": cold, "warm": warm, "no_cache": no_cache,
                "source_bytes": source.stat().st_size,
                "note": "wall and CPU time of `drillbook build` in a fresh process "
                        "(interpreter start included; CPU counts its PDF worker processes "
                        "too); stages: wall and CPU seconds per stage of this process "
                        "(depth 1 is part of the next depth-0 stage; the PDF workers' CPU "
                        "is counted when they end, after the stages); warm = same input "
                        "again (up to date); no_cache = --no-cache rebuild over the "
                        "previous output",
                "target_cold_seconds": 3.0}
    finally:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(stages.parent, ignore_errors=True)


def pdf_bench() -> dict[str, Any]:
    """The PDF reader against a bare pdfplumber pass (bench/pdf_reader.py, when present)."""
    try:
        from bench.pdf_reader import run_pdf_bench
    except ImportError:
        return {"status": "pending", "note": "bench/pdf_reader.py is not there yet"}
    return run_pdf_bench()


def child_json(script: str, *args: str) -> dict[str, Any]:
    """Run a bench script in its own process and read the JSON it prints."""
    result = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        return {"error": (result.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(result.stdout)


def segment_bench(quick: bool) -> dict[str, Any]:
    """Segmentation of synthetic books (bench/segment_scale.py), each run in its own process:
    one 3 MB book (the size that took 81 s when the segmenter was quadratic) and a corpus
    of 1 MB books, 100 MB in all (10 MB with --quick)."""
    total = "10" if quick else "100"
    log("segment: one 3 MB book ...")
    one_book = child_json("segment_scale.py", "--megabytes", "3", "--book-megabytes", "3")
    log(f"segment: {total} MB of 1 MB books ...")
    many = child_json("segment_scale.py", "--megabytes", total, "--book-megabytes", "1")
    log(f"segment: {total} MB of 1 MB books through the build (a process per core) ...")
    build = child_json("segment_scale.py", "--megabytes", total, "--book-megabytes", "1",
                       "--build")
    return {"one_3mb_book": one_book, "many_books": many, "many_books_build": build,
            "note": "one_3mb_book and many_books: each book read and segmented in turn in "
                    "one process, peak RSS after the first, middle and last book (memory "
                    "stays flat); many_books_build: the same books through the build's "
                    "segment_sources, one process per core, cpu_seconds including the workers"}


def sandbox_bench() -> dict[str, Any]:
    """What Jinja's SandboxedEnvironment costs (bench/template_sandbox.py)."""
    log("template sandbox: sample ...")
    result = {"sample": child_json("template_sandbox.py", str(SAMPLE))}
    book = os.environ.get("DRILLBOOK_BOOK")
    if book and Path(book).is_file():
        log("template sandbox: real book ...")
        result["real_book"] = child_json("template_sandbox.py", book)
    return result


def site_bench() -> dict[str, Any]:
    """The study site's size, making time and speed in Chromium (bench/site.py)."""
    log("site: sample ...")
    result = {"sample": child_json("site.py", str(SAMPLE)),
              "targets": {"max_bytes": 2_000_000, "max_ready_ms": 1000}}
    book = os.environ.get("DRILLBOOK_BOOK")
    if book and Path(book).is_file():
        log("site: real book ...")
        result["real_book"] = child_json("site.py", book)
    else:
        result["real_book"] = {"status": "skipped", "note": "DRILLBOOK_BOOK is not set"}
    return result


def environment() -> dict[str, Any]:
    from importlib.metadata import version

    import numpy
    import rapidfuzz

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "numpy": numpy.__version__,
            "rapidfuzz": rapidfuzz.__version__, "datasketch": version("datasketch"),
            "commit": commit or None,
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json")
    parser.add_argument("--quick", action="store_true",
                        help="dedupe at 1k and 10k only (all-pairs at 1k)")
    parser.add_argument("--full-all-pairs", action="store_true",
                        help="run all-pairs at 10k completely instead of estimating it "
                             "(about 10 minutes of both cores)")
    args = parser.parse_args()

    report: dict[str, Any] = {"environment": environment(), "build": {}}
    log("build: sample ebook ...")
    report["build"]["sample"] = build_bench(SAMPLE)
    book = os.environ.get("DRILLBOOK_BOOK")
    if book and Path(book).is_file():
        log("build: real book (DRILLBOOK_BOOK) ...")
        report["build"]["real_book"] = build_bench(Path(book))
    else:
        report["build"]["real_book"] = {"status": "skipped", "note": "DRILLBOOK_BOOK is not set"}
    log("quiz: 30 questions x 100 versions, PDFs included ...")
    from bench.quiz_versions import run as quiz_versions_bench

    report["quiz_versions"] = quiz_versions_bench(30, 100)
    log(f"  {report['quiz_versions']}")
    log("pdf reader ...")
    report["pdf_reader"] = pdf_bench()
    report["segment"] = segment_bench(args.quick)
    report["template_sandbox"] = sandbox_bench()
    report["site"] = site_bench()
    sizes = (1000, 10_000) if args.quick else (1000, 10_000, 100_000)
    all_pairs = (1000,) if args.quick else (1000, 10_000)
    datasketch_sizes = (10_000,) if args.quick else (10_000, 100_000)
    report["dedupe"] = run_dedupe_bench(sizes, all_pairs, args.full_all_pairs, log=log,
                                        datasketch_sizes=datasketch_sizes)

    from pipeline.outputs import write_outputs

    data = (json.dumps(report, indent=2) + "\n").encode("utf-8")
    write_outputs(args.out.parent, {args.out.name: data})
    log(f"wrote {args.out}")
    for name, case in report["segment"].items():
        if isinstance(case, dict) and "seconds" in case:
            log(f"  segment {name}: {case['megabytes']} MB in {case['seconds']} s, peak "
                f"{case['peak_rss_mb']['after_last_book']} MB")
    for name, case in report["site"].items():
        if isinstance(case, dict) and "bytes" in case:
            browser = case.get("browser", {})
            log(f"  site {name}: {case['bytes'] / 1e6:.2f} MB ({case['gzip_bytes'] / 1e6:.2f} MB "
                f"gzipped), interactive in {browser.get('ready_ms', '?')} ms (worst "
                f"{browser.get('worst_ready_ms', '?')} ms)")
    for case in report["dedupe"]["cases"]:
        if "error" in case:
            log(f"  dedupe {case['mode']} {case['size']}: error {case['error']}")
            continue
        quality = (f", recall {case['recall']}, precision {case['precision']}"
                   if "recall" in case else " (estimated)")
        log(f"  dedupe {case['mode']:10s} {case['size']:>7}: {case['seconds']} s, "
            f"peak {case['peak_rss_mb']} MB{quality}")


if __name__ == "__main__":
    main()
