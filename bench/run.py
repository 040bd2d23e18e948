"""`make bench`: build times, PDF reader speed, segmentation and dedupe at scale, the cost
of the template sandbox, the study site's size and speed in a browser, written to bench.json.

    python bench/run.py --out build/bench.json [--quick] [--full-all-pairs]
                        [--only build,site,...] [--build-runs N]

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
SECTIONS = ("build", "quiz_versions", "pdf_reader", "segment", "template_sandbox", "site",
            "dedupe")


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
        main = [s for s in result["stages"] if s.get("process", "main") == "main"]
        result["outside_stages_seconds"] = round(seconds - sum(
            s["wall_s"] for s in main if s["depth"] == 0), 2)
        # The worker processes' own CPU, of the stages they ran (outputs built in parallel).
        result["worker_stages_cpu_seconds"] = round(sum(
            s["cpu_s"] for s in result["stages"]
            if s.get("process", "main") != "main" and s["depth"] == 1), 2)
    result["output"] = output.strip().splitlines()[-1:]
    if process.returncode != 0:
        result["exit_status"] = process.returncode
        result["error"] = error.strip().splitlines()[-1:]
    return result


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def stage_medians(runs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each stage's median wall and CPU seconds over runs (stages in the first run's order)."""
    rows: dict[tuple[str, int, str, int], dict[str, list[float]]] = {}
    for run in runs:
        seen: dict[tuple[str, int, str], int] = {}
        for s in run.get("stages", []):
            name = (s["stage"], s["depth"], s.get("process", "main"))
            seen[name] = seen.get(name, 0) + 1  # "quiz: items" twice: the quiz's, the site's
            row = rows.setdefault((*name, seen[name]), {"wall": [], "cpu": []})
            row["wall"].append(s["wall_s"])
            row["cpu"].append(s["cpu_s"])
    return [{"stage": name, "depth": depth, "process": process,
             "wall_s": round(median(row["wall"]), 3), "cpu_s": round(median(row["cpu"]), 3)}
            for (name, depth, process, _), row in rows.items()]


def summary_of(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Median wall and CPU time over runs (each a timed_child result), and per stage."""
    return {"runs": len(runs), "seconds": round(median([r["seconds"] for r in runs]), 2),
            "cpu_seconds": round(median([r["cpu_seconds"] for r in runs]), 2),
            "seconds_min_max": [min(r["seconds"] for r in runs),
                                max(r["seconds"] for r in runs)],
            "cpu_seconds_min_max": [min(r["cpu_seconds"] for r in runs),
                                    max(r["cpu_seconds"] for r in runs)],
            "stages": stage_medians(runs)}


def build_bench(source: Path, runs: int = 3) -> dict[str, Any]:
    """Cold builds into empty folders, each followed by a warm rebuild (nothing changed),
    ``runs`` times; then one full rebuild (--no-cache)."""
    stages = Path(tempfile.mkdtemp(prefix="drillbook-bench-stages-")) / "timings.json"
    cold_runs: list[dict[str, Any]] = []
    warm_runs: list[dict[str, Any]] = []
    folders: list[Path] = []
    try:
        for _ in range(max(1, runs)):
            folders.append(Path(tempfile.mkdtemp(prefix="drillbook-bench-")))
            command = [sys.executable, "-m", "pipeline", "build", str(source), "--out",
                       str(folders[-1]), "--timings", str(stages)]
            cold_runs.append({"load_average": round(os.getloadavg()[0], 2),
                              **timed_child(command, stages)})
            warm_runs.append(timed_child(command, stages))
        no_cache = timed_child(command + ["--no-cache"], stages)
        cold = summary_of(cold_runs)
        return {"cold": cold, "warm": summary_of(warm_runs), "no_cache": no_cache,
                "cold_runs": cold_runs, "warm_runs": warm_runs,
                "source_bytes": source.stat().st_size,
                "note": "wall and CPU time of `drillbook build` in a fresh process "
                        "(interpreter start included; CPU counts every worker process "
                        "too: the PDF renderers, the lemmatizer, the outputs built in "
                        "parallel); cold and warm: medians over the runs, each stage's "
                        "median too (stages: wall and CPU seconds per stage; depth 1 is "
                        "part of the depth-0 stage after it; process names the worker a "
                        "stage ran in, in parallel with the main process, whose stage "
                        "around it counts the worker's CPU once it is reaped; the PDF "
                        "workers' and the lemmatizer's CPU is counted when they end, "
                        "after the stages); warm = same input again (up to date); "
                        "no_cache = --no-cache rebuild over the previous output; "
                        "load_average: the machine's, when the run started",
                "target_cold_seconds": 3.0,
                "target_met": cold["seconds"] <= 3.0}
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
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


def _has_harfbuzz_subset() -> bool:
    from weasyprint.text.ffi import harfbuzz_subset
    return harfbuzz_subset is not None


def environment() -> dict[str, Any]:
    from importlib.metadata import version

    import numpy
    import rapidfuzz

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "numpy": numpy.__version__,
            "rapidfuzz": rapidfuzz.__version__, "datasketch": version("datasketch"),
            "weasyprint": version("weasyprint"),
            # WeasyPrint subsets fonts with HarfBuzz-Subset when the machine has it, else
            # with fontTools at about twice the CPU per paper (docs/quiz.md, "Why WeasyPrint").
            "harfbuzz_subset": _has_harfbuzz_subset(),
            "commit": commit or None,
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


def write_results(out: Path, report: dict) -> None:
    """Write the results atomically beside whatever else is in the folder: bench.json lives in
    build/, next to what `make build` made, so it is one file among others (not owned)."""
    from pipeline.outputs import write_outputs

    data = (json.dumps(report, indent=2) + "\n").encode("utf-8")
    write_outputs(out.parent, {out.name: data}, owned=False)


def compile_package() -> str:
    """Compile the package's bytecode before timing builds, as installing a wheel does (an
    editable install leaves it to the first run, and with PYTHONDONTWRITEBYTECODE set no run
    writes it: each timed build would compile every module of the package again)."""
    import compileall

    compiled = compileall.compile_dir(str(ROOT / "pipeline"), quiet=1)
    return ("compiled before timing, as an install does" if compiled
            else "could not be compiled; the builds compiled the package's modules")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json")
    parser.add_argument("--quick", action="store_true",
                        help="dedupe at 1k and 10k only (all-pairs at 1k)")
    parser.add_argument("--full-all-pairs", action="store_true",
                        help="run all-pairs at 10k completely instead of estimating it "
                             "(about 10 minutes of both cores)")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections to run (default all: "
                             f"{','.join(SECTIONS)})")
    parser.add_argument("--build-runs", type=int, default=3,
                        help="cold (and warm) builds of each book, for medians (default 3)")
    args = parser.parse_args()
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; "
                     f"choose from {', '.join(SECTIONS)}")

    report: dict[str, Any] = {"environment": environment()}
    if "build" in only:
        report["build"] = {"package_bytecode": compile_package()}
        log("build: sample ebook ...")
        report["build"]["sample"] = build_bench(SAMPLE, args.build_runs)
        book = os.environ.get("DRILLBOOK_BOOK")
        if book and Path(book).is_file():
            log("build: real book (DRILLBOOK_BOOK) ...")
            real = report["build"]["real_book"] = build_bench(Path(book), args.build_runs)
            log(f"  cold {real['cold']['seconds']} s wall, {real['cold']['cpu_seconds']} s "
                f"CPU; warm {real['warm']['seconds']} s (medians of {args.build_runs})")
        else:
            report["build"]["real_book"] = {"status": "skipped",
                                            "note": "DRILLBOOK_BOOK is not set"}
    if "quiz_versions" in only:
        log("quiz: 30 questions x 100 versions, PDFs included ...")
        from bench.quiz_versions import run as quiz_versions_bench

        report["quiz_versions"] = quiz_versions_bench(30, 100)
        log(f"  {report['quiz_versions']}")
    if "pdf_reader" in only:
        log("pdf reader ...")
        report["pdf_reader"] = pdf_bench()
    if "segment" in only:
        report["segment"] = segment_bench(args.quick)
    if "template_sandbox" in only:
        report["template_sandbox"] = sandbox_bench()
    if "site" in only:
        report["site"] = site_bench()
    if "dedupe" in only:
        sizes = (1000, 10_000) if args.quick else (1000, 10_000, 100_000)
        all_pairs = (1000,) if args.quick else (1000, 10_000)
        datasketch_sizes = (10_000,) if args.quick else (10_000, 100_000)
        report["dedupe"] = run_dedupe_bench(sizes, all_pairs, args.full_all_pairs, log=log,
                                            datasketch_sizes=datasketch_sizes)

    write_results(args.out, report)
    log(f"wrote {args.out}")
    for name, case in report.get("segment", {}).items():
        if isinstance(case, dict) and "seconds" in case:
            peak = case["peak_rss_mb"]  # per book one after another, or one figure
            peak = peak["after_last_book"] if isinstance(peak, dict) else peak
            log(f"  segment {name}: {case['megabytes']} MB in {case['seconds']} s, peak "
                f"{peak} MB")
    for name, case in report.get("site", {}).items():
        if isinstance(case, dict) and "bytes" in case:
            browser = case.get("browser", {})
            log(f"  site {name}: {case['bytes'] / 1e6:.2f} MB ({case['gzip_bytes'] / 1e6:.2f} MB "
                f"gzipped), interactive in {browser.get('ready_ms', '?')} ms (worst "
                f"{browser.get('worst_ready_ms', '?')} ms)")
    for case in report.get("dedupe", {}).get("cases", []):
        if "error" in case:
            log(f"  dedupe {case['mode']} {case['size']}: error {case['error']}")
            continue
        quality = (f", recall {case['recall']}, precision {case['precision']}"
                   if "recall" in case else " (estimated)")
        log(f"  dedupe {case['mode']:10s} {case['size']:>7}: {case['seconds']} s, "
            f"peak {case['peak_rss_mb']} MB{quality}")


if __name__ == "__main__":
    main()
