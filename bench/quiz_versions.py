"""Per-student papers at scale: 30 questions x 100 versions, every file including the PDFs.

    python bench/quiz_versions.py [--versions 100] [--count 30]

Runs ``drillbook quiz`` in a fresh process on a built corpus (the real book's when
DRILLBOOK_BOOK is set, else the sample's) and reports wall and CPU time (the process and
its PDF workers), peak memory, the files written and the target.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "raw" / "sample"
# Set after measuring on the 2-core build machine (docs/bench.md, "make bench"): rendering is
# WeasyPrint's layout, about 1 CPU second per 30-question paper, spread over both cores.
# CPU time is the target (the shared machine's load moves wall time by a factor of two);
# on two idle cores the wall time is about half of it.
TARGET_CPU_SECONDS = 120.0


def run(count: int = 30, versions: int = 100) -> dict[str, Any]:
    book = os.environ.get("DRILLBOOK_BOOK")
    source = Path(book) if book and Path(book).is_file() else SAMPLE
    work = Path(tempfile.mkdtemp(prefix="drillbook-bench-quiz-"))
    try:
        build = subprocess.run([sys.executable, "-m", "pipeline", "build", str(source), "--out",
                                str(work / "build")], cwd=ROOT, capture_output=True, text=True)
        if build.returncode != 0:
            return {"error": build.stderr.strip().splitlines()[-1:]}
        command = [sys.executable, "-m", "pipeline", "quiz", "--corpus",
                   str(work / "build" / "corpus.json"), "--count", str(count), "--versions",
                   str(versions), "--out", str(work / "quiz"), "--name", "per-student"]
        start = time.perf_counter()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err)
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
            err.seek(0)
            error = err.read().decode("utf-8", "replace")
        quiz_dir = work / "quiz"
        files = sorted(p.name for p in quiz_dir.iterdir()) if quiz_dir.is_dir() else []
        grid = (work / "quiz" / "answer-key.csv")
        result: dict[str, Any] = {
            "source": "real book" if source != SAMPLE else "sample",
            "count": count, "versions": versions,
            "wall_s": round(wall, 2),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "pdfs": sum(name.endswith(".pdf") for name in files), "files": len(files),
            "grading_rows": len(grid.read_text().splitlines()) - 1 if grid.is_file() else 0,
            "target_cpu_s": TARGET_CPU_SECONDS,
            "note": "cpu_s counts the quiz process and its PDF worker processes; the wall "
                    "time depends on what else the shared machine runs"}
        result["meets_target"] = result["cpu_s"] <= TARGET_CPU_SECONDS
        if os.waitstatus_to_exitcode(status) != 0:
            result["error"] = error.strip().splitlines()[-1:]
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--versions", type=int, default=100)
    args = parser.parse_args()
    print(json.dumps(run(args.count, args.versions), indent=2))


if __name__ == "__main__":
    main()
