"""Dedupe at scale: LSH-blocked merge_repeats against all-pairs comparison on synthetic sets.

Each case runs in a fresh process so its time and peak memory are its own:

    python bench/dedupe_scale.py --size 100000 --mode blocked      # pipeline/blocking.py
    python bench/dedupe_scale.py --size 100000 --mode datasketch   # the same with datasketch

prints one JSON object. ``run_dedupe_bench()`` runs the standard cases for bench/run.py.
"""
from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.synthetic import pair_quality, predicted_clusters, synthetic_set  # noqa: E402
from pipeline import dedupe  # noqa: E402
from pipeline.config import DedupeConfig  # noqa: E402
from pipeline.ids import normalize_title  # noqa: E402

# all-pairs at this size or above is timed on a sample of its pairs and extrapolated
# (the full run takes ~10 minutes of both cores at 10k); --full-all-pairs runs it anyway.
ESTIMATE_ABOVE = 5000
SAMPLED_PAIRS = 300_000


def _rss_mb(field: str) -> float:
    """VmRSS / VmHWM of this process in MB (Linux); 0 elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _reset_peak() -> bool:
    """Reset the peak-RSS mark so the measured step's peak is its own (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _estimate_all_pairs(problems, seed: int = 1) -> dict[str, Any]:
    """Time all-pairs scoring on a random sample of pairs and scale to every pair."""
    start = time.perf_counter()
    titles = [normalize_title(p.title) for p in problems]
    bodies = [dedupe.body_text(p) for p in problems]
    sorted_titles = [" ".join(sorted(t.split())) for t in titles]
    prepare = time.perf_counter() - start
    n = len(problems)
    total = n * (n - 1) // 2
    rng = np.random.default_rng(seed)
    first = rng.integers(0, n, SAMPLED_PAIRS)
    second = rng.integers(0, n, SAMPLED_PAIRS)
    start = time.perf_counter()
    dedupe.pairwise_ratio(sorted_titles, first, second)
    dedupe.pairwise_ratio(bodies, first, second)
    per_pair = (time.perf_counter() - start) / SAMPLED_PAIRS
    return {"seconds": round(prepare + per_pair * total, 1), "estimated": True,
            "pairs": total, "sampled_pairs": SAMPLED_PAIRS,
            "microseconds_per_pair": round(per_pair * 1e6, 2)}


def _finder(mode: str):
    """The candidate-pair function a mode measures."""
    if mode == "datasketch":
        from bench.datasketch_blocks import candidate_pairs
        return candidate_pairs
    return dedupe.candidate_pairs if mode == "blocked" else dedupe.all_pairs


def run_case(size: int, mode: str, full_all_pairs: bool = False, seed: int = 7) -> dict[str, Any]:
    """One measurement in this process: generate, then time dedupe (blocked or all-pairs)."""
    dataset = synthetic_set(size, seed=seed)
    gc.collect()
    before = _rss_mb("VmRSS")
    peak_reset = _reset_peak()
    config = DedupeConfig()
    result: dict[str, Any] = {"size": size, "mode": mode,
                              "true_clusters": dataset.cluster_count, "decoys": dataset.decoys}
    if mode == "all-pairs" and size >= ESTIMATE_ABOVE and not full_all_pairs:
        result.update(_estimate_all_pairs(dataset.problems))
        peak = _rss_mb("VmHWM")
    else:
        find = _finder(mode)
        start, cpu = time.perf_counter(), time.process_time()
        merged = dedupe.merge_with_candidates(dataset.problems, config, find)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
        peak = _rss_mb("VmHWM")
        # The blocking step alone, for the breakdown (after the peak was read).
        titles = [normalize_title(p.title) for p in dataset.problems]
        bodies = [dedupe.body_text(p) for p in dataset.problems]
        start, cpu = time.perf_counter(), time.process_time()
        found = find(titles, bodies)
        blocking_seconds, blocking_cpu = time.perf_counter() - start, time.process_time() - cpu
        quality = pair_quality(dataset.clusters,
                               predicted_clusters(dataset.problems, merged.problems))
        # CPU seconds (all threads) next to wall time: on a shared machine they vary less.
        result.update({"seconds": round(seconds, 2), "estimated": False,
                       "cpu_seconds": round(cpu_seconds, 2),
                       "blocking_seconds": round(blocking_seconds, 2),
                       "blocking_cpu_seconds": round(blocking_cpu, 2),
                       "candidate_pairs": int(found.first.size),
                       "distinct_found": len(merged.problems),
                       "true_pairs": quality.true_pairs, "found_pairs": quality.found_pairs,
                       "recall": round(quality.recall, 5),
                       "precision": round(quality.precision, 5),
                       "near_misses": len(merged.near_misses)})
    result.update({"rss_before_mb": round(before, 1), "peak_rss_mb": round(peak, 1),
                   "peak_is_step_only": peak_reset})
    return result


def run_in_child(size: int, mode: str, full_all_pairs: bool = False) -> dict[str, Any]:
    """run_case in a fresh interpreter, so memory and warm caches do not leak between cases."""
    command = [sys.executable, str(Path(__file__).resolve()), "--size", str(size),
               "--mode", mode] + (["--full-all-pairs"] if full_all_pairs else [])
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        return {"size": size, "mode": mode, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout)


def run_dedupe_bench(sizes=(1000, 10_000, 100_000), all_pairs_sizes=(1000, 10_000),
                     full_all_pairs: bool = False, log=print,
                     datasketch_sizes=(10_000, 100_000)) -> dict[str, Any]:
    """The standard cases: blocked at each size, the same blocks built with datasketch
    (the library the hand-written blocks are measured against), all-pairs at the smaller
    sizes."""
    cases = []
    for size in sizes:
        log(f"dedupe: {size} problems, LSH blocks ...")
        cases.append(run_in_child(size, "blocked"))
    for size in datasketch_sizes:
        log(f"dedupe: {size} problems, LSH blocks with datasketch ...")
        cases.append(run_in_child(size, "datasketch"))
    for size in all_pairs_sizes:
        log(f"dedupe: {size} problems, all pairs ...")
        cases.append(run_in_child(size, "all-pairs", full_all_pairs))
    return {"cases": cases, "target": "100k problems in under 60 s with recall >= 0.99",
            "note": "synthetic problems from bench/synthetic.py (seed 7); recall and precision "
                    "are over pairs of copies, against the generator's true clusters"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--mode", choices=("blocked", "all-pairs", "datasketch"), default="blocked")
    parser.add_argument("--full-all-pairs", action="store_true",
                        help="run all-pairs completely even at large sizes (slow)")
    args = parser.parse_args()
    print(json.dumps(run_case(args.size, args.mode, args.full_all_pairs)))


if __name__ == "__main__":
    main()
