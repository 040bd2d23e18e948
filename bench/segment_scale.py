"""Segmentation at scale: synthetic books made from the invented sample, with varied titles.

    python bench/segment_scale.py --megabytes 100 --book-megabytes 1   # many books
    python bench/segment_scale.py --megabytes 3 --book-megabytes 3     # one 3 MB book

Each synthetic book is the sample's front matter, then its table of contents and body
repeated ``copies`` times; every copy renames its topics and problems with an invented
word pair ("Request Routing Kelvaro Dunith"), so a 3 MB book has about 900 distinct topics
and each section heading names the next one. Books are written to a temporary folder and
segmented one after another in this process, the way a build reads its sources; the
result records the wall and CPU time (on a shared machine the CPU time is the steadier
number), the megabytes per second and the peak memory after the first, middle and last
book, so memory that grows with the number of books shows.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "raw" / "sample" / "sample-ebook.txt"
TOC_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)+)\]\(#\)")
SYLLABLES = ("ka", "lo", "mi", "re", "tu", "vas", "dor", "en", "qui", "zel", "bra", "nox",
             "fi", "gar", "ho", "jun", "pel", "sor", "tam", "wik")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))).capitalize()


def _parts(sample: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """front matter, TOC lines, body lines of the sample, and the TOC titles as printed."""
    lines = sample.split("\n")
    toc = [i for i, line in enumerate(lines) if TOC_LINK.search(line) and "problem" in line]
    first, last = toc[0], toc[-1]
    titles = [re.sub(r"\\(.)", r"\1", TOC_LINK.search(lines[i])[1]) for i in toc]
    return lines[:first], lines[first:last + 1], lines[last + 1:], titles


def synthetic_book(sample: str, copies: int, seed: int) -> str:
    """One book: the sample's TOC and body ``copies`` times, each copy's titles renamed."""
    rng = random.Random(seed)
    front, toc, body, titles = _parts(sample)
    # Longest first, so "Caching Basics" inside a longer title is not renamed twice.
    order = sorted(set(titles), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(t) for t in order))
    escaped = re.compile("|".join(re.escape(t.replace("(", "\\(").replace(")", "\\)"))
                                  for t in order))
    problem = re.compile(r"(Problem\s+\d+\s*:\s*)(.+?)(\s*(?:\*\*)?\s*)$")
    toc_out: list[str] = []
    body_out: list[str] = []
    for _ in range(copies):
        tag = f"{_word(rng)} {_word(rng)}"

        def rename(m: re.Match[str], tag: str = tag) -> str:
            return f"{m[0]} {tag}"

        def retitle(m: re.Match[str], tag: str = tag) -> str:
            return f"{m[1]}{m[2]} {tag}{m[3]}"

        toc_out.extend(escaped.sub(rename, line) for line in toc)
        for line in body:
            line = pattern.sub(rename, line)
            body_out.append(problem.sub(retitle, line))
    title = f"Server-Side Drill Book, volume {seed}"
    front = [title if line.strip() == "Server-Side Drill Book" else line for line in front]
    return "\n".join(front + toc_out + body_out) + "\n"


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM belongs to the process's own memory
    map; ru_maxrss would also count the parent's peak at fork (Linux keeps it across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_segment_bench(megabytes: float, book_megabytes: float, keep: Path | None = None,
                      log: Any = None) -> dict[str, Any]:
    """Write synthetic books totalling ``megabytes`` and segment each; the measurements."""
    from pipeline.readers.text import read_text_lines
    from pipeline.segment import segment

    sample = SAMPLE.read_text("utf-8")
    copies = max(1, round(book_megabytes * 1e6 / len(sample.encode("utf-8"))))
    folder = keep or Path(tempfile.mkdtemp(prefix="drillbook-segment-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        total = 0
        paths = []
        for seed in range(1, max(1, round(megabytes / book_megabytes)) + 1):
            path = folder / f"book-{seed:04d}.txt"
            data = synthetic_book(sample, copies, seed).encode("utf-8")
            path.write_bytes(data)
            total += len(data)
            paths.append(path)
        start_rss = peak_rss_mb()
        rss_after: list[float] = []
        counts = {"lines": 0, "topics": 0, "problems": 0, "points": 0}
        slowest = 0.0
        start = time.perf_counter()
        cpu_start = time.process_time()
        for path in paths:
            began = time.perf_counter()
            lines = read_text_lines(path, path.stem)
            segmented, _ = segment(lines)
            slowest = max(slowest, time.perf_counter() - began)
            counts["lines"] += len(lines)
            counts["topics"] += len(segmented.topics)
            counts["problems"] += len(segmented.problems)
            counts["points"] += sum(len(p.points) for p in segmented.problems)
            del lines, segmented
            rss_after.append(peak_rss_mb())
            if log is not None and len(rss_after) % 20 == 0:
                log(f"  segmented {len(rss_after)}/{len(paths)} books")
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu_start
        return {"megabytes": round(total / 1e6, 1), "books": len(paths),
                "copies_of_sample_per_book": copies, **counts,
                "seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2),
                "megabytes_per_second": round(total / 1e6 / seconds, 2),
                "slowest_book_seconds": round(slowest, 2),
                "peak_rss_mb": {"before": start_rss, "after_first_book": rss_after[0],
                                "after_half": rss_after[len(rss_after) // 2],
                                "after_last_book": rss_after[-1]}}
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def run_build_segmentation(megabytes: float, book_megabytes: float,
                           log: Any = None) -> dict[str, Any]:
    """The same books through the build's own ``segment_sources`` (a process per core)."""
    from pipeline.build import segment_sources
    from pipeline.sources import SourceInput, identify_sources

    sample = SAMPLE.read_text("utf-8")
    copies = max(1, round(book_megabytes * 1e6 / len(sample.encode("utf-8"))))
    folder = Path(tempfile.mkdtemp(prefix="drillbook-segment-bench-"))
    try:
        total = 0
        inputs = []
        for seed in range(1, max(1, round(megabytes / book_megabytes)) + 1):
            path = folder / f"book-{seed:04d}.txt"
            data = synthetic_book(sample, copies, seed).encode("utf-8")
            path.write_bytes(data)
            total += len(data)
            inputs.append(SourceInput(path, path.name))
        sources = identify_sources(inputs)
        if log is not None:
            log(f"  {len(sources)} books written; segmenting them as a build does")
        start = time.perf_counter()
        cpu_start = time.process_time()
        children_start = resource.getrusage(resource.RUSAGE_CHILDREN)
        results = segment_sources(sources, cache=None)
        seconds = time.perf_counter() - start
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        child_cpu = (children.ru_utime + children.ru_stime
                     - children_start.ru_utime - children_start.ru_stime)
        return {"megabytes": round(total / 1e6, 1), "books": len(sources),
                "problems": sum(len(seg.problems) for seg, _ in results),
                "seconds": round(seconds, 2),
                "cpu_seconds": round(time.process_time() - cpu_start + child_cpu, 2),
                "megabytes_per_second": round(total / 1e6 / seconds, 2),
                "peak_rss_mb": peak_rss_mb()}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=100)
    parser.add_argument("--book-megabytes", type=float, default=1)
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the books here and keep them")
    parser.add_argument("--build", action="store_true",
                        help="segment through the build's segment_sources (in parallel)")
    args = parser.parse_args()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    result = (run_build_segmentation(args.megabytes, args.book_megabytes, log) if args.build
              else run_segment_bench(args.megabytes, args.book_megabytes, args.keep, log=log))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
