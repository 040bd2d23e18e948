"""Dedupe: repeated problems merge into one, with every occurrence kept.

Identity is never the printed number (the book reuses numbers) and never the title alone
(different problems can have titles that are 80% alike). Two copies are the same problem
when their titles and their bodies are both alike, or their bodies are nearly identical
(a later edition may retitle a problem). Candidate pairs come from MinHash LSH blocks over
title trigrams and body word pairs (pipeline/blocking.py), so the work grows with the
number of problems, not with its square; the candidates are then scored in bulk with
rapidfuzz. 100,000 synthetic problems take 34-46 CPU seconds (bench/dedupe_scale.py; the
numbers are in docs/dedupe.md). Ids come from ``pipeline.ids``, the merge rule from
``pipeline.similarity``.
"""
from __future__ import annotations

import zlib
from array import array
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from typing import Any, Callable, Iterable, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from . import blocking
from .config import DedupeConfig
from .ids import assign_problem_ids, normalize_title
from .models import Diagnostic, DraftPair, Occurrence, Problem, RawTag, Where
from .similarity import body_text, is_same_problem

__all__ = ["merge_repeats", "merge_with_candidates", "candidate_pairs", "all_pairs",
           "pairwise_ratio", "body_text", "DedupeResult", "Merge", "PairScore", "Candidates"]

UNAMBIGUOUS_LAYOUTS = {"link", "backtick", "bold", "pill", "line"}
# On the synthetic sets, copies merged on their body alone have body word-pair Jaccard
# >= 0.63 and copies merged on title and body have title trigram Jaccard >= 0.69. With 20
# bands of 3 rows such a pair shares a band with probability 1 - (1 - J**3)**20 >= 0.996,
# while unrelated bodies (Jaccard < 0.02) do so with probability < 2e-4. The two indexes
# back each other up: a pair found by either is compared.
TITLE_BLOCKS = (20, 3)  # (bands, rows)
BODY_BLOCKS = (20, 3)
BUCKET_CAP = 100  # a band bucket holding more documents compares neighbours only
_SCORE_SLICE = 250_000
_FEATURE_CHUNK = 4096
_TITLE_SEED, _BODY_SEED = 20261128, 20261129  # fixed: blocks must be the same on every run


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


def _pair_dict(score: PairScore) -> dict[str, Any]:
    return {"a": asdict(score.a), "b": asdict(score.b), "title_score": score.title,
            "body_score": score.body, "merged": score.merged}


@dataclass(frozen=True, slots=True)
class DedupeResult:
    """The merged problems, how each merge came about, and the near misses (a
    ``StageResult``)."""

    problems: tuple[Problem, ...]
    merges: tuple[Merge, ...]
    near_misses: tuple[PairScore, ...]
    evidence: tuple[RawTag, ...]  # raw tags of every copy, for the tags stage
    diagnostics: tuple[Diagnostic, ...]

    def report_section(self) -> dict[str, Any]:
        """JSON-ready data for report.json's "merges" and "near_misses" sections."""
        return {"merges": [{"problem": m.problem_id, "kept": asdict(m.kept), "reason": m.reason,
                            "occurrences": [asdict(o) for o in m.occurrences],
                            "pairs": [_pair_dict(p) for p in m.pairs]} for m in self.merges],
                "near_misses": [_pair_dict(p) for p in self.near_misses]}


class _WordHashes(dict):
    """crc32 of each distinct word, computed once: stable across runs, unlike hash()."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


def _csr(lengths: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)


def _gather(lengths: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Flat indexes ``starts[d] + 0 .. starts[d] + lengths[d] - 1`` for every document d."""
    offsets = _csr(lengths)
    return (np.arange(offsets[-1]) - np.repeat(offsets[:-1], lengths)
            + np.repeat(starts, lengths))


def title_features(titles: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Character trigrams of each normalized (ASCII) title, padded: flat codes and offsets."""
    padded = [f"  {normalize_title(t)}  ".encode("ascii") for t in titles]
    lengths = np.fromiter((len(p) for p in padded), dtype=np.int64, count=len(padded))
    text = np.frombuffer(b"".join(padded), dtype=np.uint8).astype(np.uint64)
    codes = (text[:-2] << np.uint64(16)) | (text[1:-1] << np.uint64(8)) | text[2:]
    starts = _csr(lengths)[:-1]
    counts = lengths - 2
    return codes[_gather(counts, starts)], _csr(counts)


def _word_pair_keys(bodies: Sequence[str], cache: _WordHashes) -> tuple[np.ndarray, np.ndarray]:
    hashes = array("Q")  # 8 bytes a word; a list of Python ints would take ~40
    lengths = []
    for body in bodies:
        words = body.split()
        lengths.append(len(words))
        hashes.extend(map(cache.__getitem__, words))
    count = np.array(lengths, dtype=np.int64)
    codes = np.frombuffer(hashes, dtype=np.uint64) if hashes else np.empty(0, np.uint64)
    pairs = np.concatenate([(codes[:-1] << np.uint64(32)) | codes[1:], [0]]).astype(np.uint64)
    features = np.where(count >= 2, count - 1, count)
    first_word = _gather(features, _csr(count)[:-1])
    several = np.repeat(count >= 2, features)
    return np.where(several, pairs[first_word], codes[first_word]), features


def body_features(bodies: Sequence[str],
                  cache: _WordHashes | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Word pairs of each body (the word itself for one-word bodies): flat keys and offsets."""
    keys, counts = _word_pair_keys(bodies, cache if cache is not None else _WordHashes())
    return keys, _csr(counts)


def _signatures(texts: Sequence[str], features_of, count: int,
                seed: int) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures of every text and which texts had no features, a few thousand
    texts at a time so no feature array for all 100k problems is ever built."""
    parts, empty = [], []
    for start in range(0, len(texts), _FEATURE_CHUNK):
        features, offsets = features_of(texts[start:start + _FEATURE_CHUNK])
        parts.append(blocking.minhash_signatures(features, offsets, count, seed))
        empty.append(np.diff(offsets) == 0)
    if not parts:
        return np.empty((0, count), dtype=np.uint32), np.empty(0, dtype=bool)
    return np.concatenate(parts), np.concatenate(empty)


@dataclass(frozen=True, slots=True)
class Candidates:
    """Index pairs (i < j, sorted) to score, and whether their bodies shared a block."""

    first: np.ndarray
    second: np.ndarray
    body_block: np.ndarray  # False: found through the title index only


def candidate_pairs(titles: Sequence[str], bodies: Sequence[str]) -> Candidates:
    """Pairs of indexes that share an LSH band on their title or their body."""
    codes = []
    words = _WordHashes()
    for texts, features_of, (bands, rows), seed in (
            (titles, title_features, TITLE_BLOCKS, _TITLE_SEED),
            (bodies, lambda chunk: body_features(chunk, words), BODY_BLOCKS, _BODY_SEED)):
        signatures, empty = _signatures(texts, features_of, bands * rows, seed)
        codes.append(blocking.candidate_pairs(signatures, bands, rows, BUCKET_CAP, skip=empty))
    title_codes, body_codes = codes
    # Both lists are sorted and distinct: merge them and mark where the body codes landed.
    merged = blocking.unique_sorted(np.concatenate([title_codes, body_codes]))
    body_block = np.zeros(merged.size, dtype=bool)
    body_block[np.searchsorted(merged, body_codes)] = True
    size = max(len(titles), 1)
    return Candidates(first=merged // size, second=merged % size, body_block=body_block)


def all_pairs(titles: Sequence[str], bodies: Sequence[str]) -> Candidates:
    """Every pair, for small inputs and as the baseline the blocks are measured against."""
    first, second = np.triu_indices(len(titles), k=1)
    return Candidates(first=first.astype(np.int64), second=second.astype(np.int64),
                      body_block=np.ones(first.size, dtype=bool))


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


def pairwise_ratio(texts: Sequence[str], first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """fuzz.ratio of texts[first[k]] and texts[second[k]] for every k, in rapidfuzz's C++."""
    scores = np.empty(first.size, dtype=np.float64)
    # In slices: cpdist copies its strings, and millions of candidates add up.
    for start in range(0, first.size, _SCORE_SLICE):
        left = [texts[i] for i in first[start:start + _SCORE_SLICE].tolist()]
        right = [texts[j] for j in second[start:start + _SCORE_SLICE].tolist()]
        scores[start:start + len(left)] = process.cpdist(
            left, right, scorer=fuzz.ratio, dtype=np.float64,
            workers=-1 if len(left) > 1000 else 1)
    return scores


def _score_candidates(candidates: Candidates, sorted_titles: Sequence[str],
                      bodies: Sequence[str], near_title: float
                      ) -> tuple[list[int], list[int], list[float], list[float]]:
    """Title and body scores of the candidate pairs worth keeping, computed in bulk."""
    title_scores = pairwise_ratio(sorted_titles, candidates.first, candidates.second)
    # Pairs that shared only title trigrams and whose titles are not even a near miss are
    # dropped: bodies alike enough to matter would have shared a body block.
    keep = candidates.body_block | (title_scores >= near_title)
    first, second = candidates.first[keep], candidates.second[keep]
    body_scores = pairwise_ratio(bodies, first, second)
    return first.tolist(), second.tolist(), title_scores[keep].tolist(), body_scores.tolist()


def _indexes(problems: Sequence[Problem], pairs: Iterable[DraftPair]) -> list[tuple[int, int]]:
    """The curator's pairs as (i < j) positions in ``problems``; a pair naming a draft that
    is not there is a bug in the caller, not bad input."""
    pairs = list(pairs)
    if not pairs:
        return []
    index_of = {o: k for k, p in enumerate(problems) for o in p.occurrences}
    found = []
    for pair in pairs:
        if pair.a not in index_of or pair.b not in index_of:
            raise ValueError(f"dedupe was given a pair of drafts it does not have: {pair}")
        i, j = index_of[pair.a], index_of[pair.b]
        found.append((min(i, j), max(i, j)))
    return found


def merge_repeats(problems: Sequence[Problem], config: DedupeConfig,
                  forced_same: Iterable[DraftPair] = (),
                  forced_apart: Iterable[DraftPair] = ()) -> DedupeResult:
    """Cluster copies of the same problem and merge each cluster into one Problem.

    ``problems`` come in reading order (source order, then position), one occurrence
    each; the result keeps that order by first occurrence and assigns the ids of
    ``pipeline.ids``. ``forced_same``/``forced_apart`` are the curator's pairs, each draft
    named by its occurrence.
    """
    return merge_with_candidates(problems, config, candidate_pairs, forced_same, forced_apart)


def merge_with_candidates(problems: Sequence[Problem], config: DedupeConfig,
                          find_candidates: Callable[[Sequence[str], Sequence[str]], Candidates],
                          forced_same: Iterable[DraftPair] = (),
                          forced_apart: Iterable[DraftPair] = ()) -> DedupeResult:
    """``merge_repeats`` with the pairs to compare chosen by ``find_candidates``
    (``candidate_pairs`` for LSH blocks, ``all_pairs`` for the exhaustive baseline)."""
    titles = [normalize_title(p.title) for p in problems]
    bodies = [body_text(p) for p in problems]
    # token_sort_ratio is the ratio of the titles' sorted words: sort each title once.
    sorted_titles = [" ".join(sorted(t.split())) for t in titles]
    apart = set(_indexes(problems, forced_apart))
    clusters = _UnionFind(len(problems))
    scored: list[tuple[int, int, PairScore]] = []
    first, second, title_scores, body_scores = _score_candidates(
        find_candidates(titles, bodies), sorted_titles, bodies,
        config.title_threshold - config.near_miss_margin)
    for i, j, title_score, body_score in zip(first, second, title_scores, body_scores):
        same = is_same_problem(title_score, body_score, config) and (i, j) not in apart
        if same:
            clusters.union(i, j)
        scored.append((i, j, PairScore(problems[i].occurrences[0], problems[j].occurrences[0],
                                       round(title_score, 1), round(body_score, 1), same)))
    for i, j in _indexes(problems, forced_same):
        clusters.union(i, j)

    members: dict[int, list[int]] = defaultdict(list)
    for index in range(len(problems)):
        members[clusters.find(index)].append(index)

    pairs_of: dict[int, list[PairScore]] = defaultdict(list)
    for i, j, pair in scored:
        root = clusters.find(i)
        if clusters.find(j) == root:
            pairs_of[root].append(pair)

    chosen_of: list[tuple[list[int], int, str]] = []  # (cluster members, copy kept, why)
    for root in sorted(members):
        group = members[root]
        if len(group) == 1:
            chosen_of.append((group, group[0], ""))
            continue
        evidence_of = {k: _evidence_score(problems[k]) for k in group}
        best = max(group, key=lambda k: (evidence_of[k], -k))
        reason = ("first copy" if best == group[0] and len(set(evidence_of.values())) == 1
                  else "best-evidenced copy (question, complete points, certain tag layout)")
        chosen_of.append((group, best, reason))
    # Ids from the kept copies' titles; a same-title problem is salted with its copies' content.
    ids = assign_problem_ids([problems[best] for _, best, _ in chosen_of],
                             [[problems[k] for k in group] for group, _, _ in chosen_of])
    merged = [replace(problems[best], id=new_id,
                      occurrences=tuple(o for k in group for o in problems[k].occurrences))
              for (group, best, _), new_id in zip(chosen_of, ids)]
    merges: list[Merge] = []
    for problem, (group, best, reason) in zip(merged, chosen_of):
        if len(group) > 1:
            merges.append(Merge(problem_id=problem.id, kept=problems[best].occurrences[0],
                                reason=reason, occurrences=problem.occurrences,
                                pairs=tuple(pairs_of[clusters.find(group[0])])))

    near, cap_notes = _capped_near_misses(tuple(s for i, j, s in scored if not s.merged and (
        s.title >= config.title_threshold - config.near_miss_margin
        or s.body >= config.body_threshold - config.near_miss_margin)), config)
    diagnostics = tuple(
        Diagnostic("info", "near-miss",
                   f"not merged: {s.a.title!r} and {s.b.title!r} (title {s.title}, body {s.body})",
                   Where(s.b.source, s.b.line, s.b.page)) for s in near) + cap_notes
    evidence = tuple(t for p in problems for point in p.points for t in point.raw_tags)
    return DedupeResult(problems=tuple(merged), merges=tuple(merges), near_misses=near,
                        evidence=evidence, diagnostics=diagnostics)


# Nobody reads more near misses than this; a corpus of thousands of look-alike problems
# would otherwise put hundreds of thousands of them in the report.
MAX_NEAR_MISSES = 500


def _capped_near_misses(near: tuple[PairScore, ...], config: DedupeConfig
                        ) -> tuple[tuple[PairScore, ...], tuple[Diagnostic, ...]]:
    """The ``MAX_NEAR_MISSES`` pairs closest to a threshold, in their found order."""
    if len(near) <= MAX_NEAR_MISSES:
        return near, ()
    def shortfall(pair: PairScore) -> float:
        return min(config.title_threshold - pair.title, config.body_threshold - pair.body)
    keep = set(sorted(range(len(near)), key=lambda k: (shortfall(near[k]), k))[:MAX_NEAR_MISSES])
    note = Diagnostic("info", "near-miss-cap",
                      f"{len(near):,} near misses; the report lists the {MAX_NEAR_MISSES:,} "
                      "closest to a threshold", None)
    return tuple(pair for k, pair in enumerate(near) if k in keep), (note,)
