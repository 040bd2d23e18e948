"""Dedupe: repeated problems merge into one, with every occurrence kept.

Identity is never the printed number (the book reuses numbers) and never the title alone
(different problems can have titles that are 80% alike). Two copies are the same problem
when their titles and their bodies are both alike, or their bodies are nearly identical
(a later edition may retitle a problem). Candidate pairs come from MinHash LSH blocks over
title trigrams and body word pairs, so the work grows with the number of problems, not
with its square; every candidate is then scored with rapidfuzz.
"""
from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

import numpy as np
from rapidfuzz import fuzz

from .config import DedupeConfig
from .ids import normalize_title, problem_id
from .models import Diagnostic, Occurrence, Problem, RawTag, Where

UNAMBIGUOUS_LAYOUTS = {"link", "backtick", "bold", "pill", "line"}
_PERMUTATIONS = 32
_BANDS = 16  # 16 bands of 2 rows: pairs with Jaccard 0.5 become candidates 99% of the time
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20261128)  # fixed: blocks must be the same on every run
_A = _rng.integers(1, _PRIME, _PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, _PERMUTATIONS, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class PairScore:
    """How alike two copies are, and what was decided."""

    a: Occurrence
    b: Occurrence
    title: float
    body: float
    merged: bool


@dataclass(frozen=True, slots=True)
class Merge:
    """One merged problem: its occurrences, the variant kept and why, and the scores."""

    problem_id: str
    kept: Occurrence
    reason: str
    occurrences: tuple[Occurrence, ...]
    pairs: tuple[PairScore, ...]


@dataclass(frozen=True, slots=True)
class DedupeResult:
    problems: tuple[Problem, ...]
    merges: tuple[Merge, ...]
    near_misses: tuple[PairScore, ...]
    evidence: tuple[RawTag, ...]  # raw tags of every copy, for the tags stage
    diagnostics: tuple[Diagnostic, ...]


def body_text(problem: Problem) -> str:
    """What two copies of a problem share regardless of their tag layout."""
    parts = [problem.question, problem.summary]
    for point in problem.points:
        parts.extend((point.title, point.explanation, point.example))
    return normalize_title(" ".join(parts))


def _minhash(features: Iterable[str]) -> np.ndarray:
    hashes = np.fromiter((zlib.crc32(f.encode("utf-8")) for f in set(features)), dtype=np.uint64)
    if hashes.size == 0:
        return np.zeros(_PERMUTATIONS, dtype=np.uint64)
    # (a*h + b) mod p with h < 2**32; products wrap in uint64, which is fine for hashing
    mixed = (np.outer(_A, hashes) + _B[:, None]) % np.uint64(_PRIME)
    return mixed.min(axis=1)


def _title_features(title: str) -> list[str]:
    text = f"  {normalize_title(title)}  "
    return [text[i:i + 3] for i in range(len(text) - 2)]


def _body_features(body: str) -> list[str]:
    words = body.split()
    return [f"{a} {b}" for a, b in zip(words, words[1:])] or words


def candidate_pairs(titles: Sequence[str], bodies: Sequence[str]) -> set[tuple[int, int]]:
    """Pairs of indexes that share an LSH band on their title or their body."""
    pairs: set[tuple[int, int]] = set()
    rows = _PERMUTATIONS // _BANDS
    for features in ([_title_features(t) for t in titles], [_body_features(b) for b in bodies]):
        buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
        for index, feats in enumerate(features):
            signature = _minhash(feats)
            for band in range(_BANDS):
                buckets[(band, signature[band * rows:(band + 1) * rows].tobytes())].append(index)
        for members in buckets.values():
            for i, first in enumerate(members):
                for second in members[i + 1:]:
                    pairs.add((first, second))
    return pairs


def _evidence_score(problem: Problem) -> tuple[int, ...]:
    """How well-evidenced a copy is: a real question, complete points, certain tag layouts."""
    complete = sum(1 for p in problem.points if p.title and p.explanation and p.example)
    certain_tags = sum(1 for p in problem.points for t in p.raw_tags
                       if t.layout in UNAMBIGUOUS_LAYOUTS)
    return (1 if problem.question else 0, complete, len(problem.points), certain_tags)


class _UnionFind:
    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def score_pair(title_a: str, title_b: str, body_a: str, body_b: str) -> tuple[float, float]:
    """Title and body similarity (0-100) of two copies."""
    return (fuzz.token_sort_ratio(title_a, title_b), fuzz.ratio(body_a, body_b))


def is_same_problem(title: float, body: float, config: DedupeConfig) -> bool:
    """Alike titles AND alike bodies, or nearly identical bodies (a retitled copy)."""
    return ((title >= config.title_threshold and body >= config.body_threshold)
            or body >= config.strong_body_threshold)


def merge_repeats(problems: Sequence[Problem], config: DedupeConfig,
                  forced_same: Iterable[tuple[int, int]] = (),
                  forced_apart: Iterable[tuple[int, int]] = ()) -> DedupeResult:
    """Cluster copies of the same problem and merge each cluster into one Problem.

    ``problems`` come in reading order (source order, then position), one occurrence
    each; the result keeps that order by first occurrence and assigns stable ids.
    ``forced_same``/``forced_apart`` are index pairs from the curator's overrides.
    """
    titles = [normalize_title(p.title) for p in problems]
    bodies = [body_text(p) for p in problems]
    apart = {tuple(sorted(pair)) for pair in forced_apart}
    clusters = _UnionFind(len(problems))
    scored: list[tuple[int, int, PairScore]] = []
    for i, j in sorted(candidate_pairs(titles, bodies)):
        title_score, body_score = score_pair(titles[i], titles[j], bodies[i], bodies[j])
        same = is_same_problem(title_score, body_score, config) and (i, j) not in apart
        if same:
            clusters.union(i, j)
        scored.append((i, j, PairScore(problems[i].occurrences[0], problems[j].occurrences[0],
                                       round(title_score, 1), round(body_score, 1), same)))
    for i, j in forced_same:
        clusters.union(i, j)

    members: dict[int, list[int]] = defaultdict(list)
    for index in range(len(problems)):
        members[clusters.find(index)].append(index)

    merged: list[Problem] = []
    merges: list[Merge] = []
    used_ids: dict[str, int] = {}
    for root in sorted(members):
        group = members[root]
        best = max(group, key=lambda k: (_evidence_score(problems[k]), -k))
        chosen = problems[best]
        occurrences = tuple(o for k in group for o in problems[k].occurrences)
        new_id = problem_id(chosen.title)
        if new_id in used_ids:  # equal titles, different problems: separate them by content
            new_id = problem_id(chosen.title, salt=chosen.question or str(root))
        used_ids[new_id] = root
        merged.append(replace(chosen, id=new_id, occurrences=occurrences))
        if len(group) > 1:
            group_set = set(group)
            reason = ("first copy" if best == group[0] and len({_evidence_score(problems[k])
                                                                for k in group}) == 1
                      else "best-evidenced copy (question, complete points, certain tag layout)")
            merges.append(Merge(problem_id=new_id, kept=chosen.occurrences[0], reason=reason,
                                occurrences=occurrences,
                                pairs=tuple(s for i, j, s in scored
                                            if i in group_set and j in group_set)))

    near = tuple(s for i, j, s in scored if not s.merged and (
        s.title >= config.title_threshold - config.near_miss_margin
        or s.body >= config.body_threshold - config.near_miss_margin))
    diagnostics = tuple(
        Diagnostic("info", "near-miss",
                   f"not merged: {s.a.title!r} and {s.b.title!r} (title {s.title}, body {s.body})",
                   Where(s.b.source, s.b.line, s.b.page)) for s in near)
    evidence = tuple(t for p in problems for point in p.points for t in point.raw_tags)
    return DedupeResult(problems=tuple(merged), merges=tuple(merges), near_misses=near,
                        evidence=evidence, diagnostics=diagnostics)
