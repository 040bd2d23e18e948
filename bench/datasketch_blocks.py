"""The candidate pairs of ``pipeline.dedupe.candidate_pairs``, built with datasketch instead.

Same features (title character trigrams, body word pairs), same bands and rows, same bucket
cap, same result type: only the MinHash signatures (``datasketch.MinHash``) and the band
index (``datasketch.MinHashLSH``) come from the library. ``bench/dedupe_scale.py --mode
datasketch`` times it against the hand-written numpy blocks (docs/dedupe.md, "Dedupe at scale").
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH

from pipeline import blocking, dedupe


def _identity(value: int) -> int:
    # The features are already 64-bit hashes; datasketch premixes them (MurmurHash3 fmix).
    return int(value)


def _signatures(features: np.ndarray, offsets: np.ndarray, count: int,
                seed: int) -> list[MinHash | None]:
    """One datasketch MinHash per document (None for a document with no features)."""
    template = MinHash(num_perm=count, seed=seed, hashfunc=_identity, scheme="affine64")
    found: list[MinHash | None] = []
    for d in range(len(offsets) - 1):
        chunk = features[offsets[d]:offsets[d + 1]]
        if chunk.size == 0:
            found.append(None)
            continue
        minhash = template.copy()
        minhash.update_batch(chunk.tolist())
        found.append(minhash)
    return found


def _index_pairs(texts: Sequence[str], features_of, bands: int, rows: int,
                 seed: int) -> np.ndarray:
    """Pair codes (i * n + j) of the documents sharing a band bucket of a MinHashLSH."""
    minhashes: list[MinHash | None] = []
    for start in range(0, len(texts), 4096):
        features, offsets = features_of(texts[start:start + 4096])
        minhashes.extend(_signatures(features, offsets, bands * rows, seed))
    lsh = MinHashLSH(num_perm=bands * rows, params=(bands, rows))
    with lsh.insertion_session() as session:
        for key, minhash in enumerate(minhashes):
            if minhash is not None:
                session.insert(key, minhash, check_duplication=False)
    count = len(texts)
    found: list[np.ndarray] = [np.empty(0, dtype=np.int64)]
    by_size: dict[int, list[list[int]]] = {}  # buckets of one size expand in one numpy pass
    signatures = None
    for table in lsh.hashtables:
        for bucket in table.keys():
            members = sorted(table.get(bucket))
            if len(members) < 2:
                continue
            if len(members) <= dedupe.BUCKET_CAP:
                by_size.setdefault(len(members), []).append(members)
                continue
            if signatures is None:  # only for oversized buckets (exact copies)
                signatures = np.array([m.hashvalues if m is not None
                                       else np.zeros(bands * rows, np.uint64)
                                       for m in minhashes])
            found.append(blocking._window_pairs(np.array(members, dtype=np.int64),
                                                signatures, dedupe.BUCKET_CAP))
    for size, buckets in by_size.items():
        grid = np.array(buckets, dtype=np.int64)
        first, second = np.triu_indices(size, k=1)
        found.append((grid[:, first] * count + grid[:, second]).ravel())
    return blocking.unique_sorted(np.concatenate(found))


def candidate_pairs(titles: Sequence[str], bodies: Sequence[str]) -> dedupe.Candidates:
    """``dedupe.candidate_pairs`` with datasketch doing the MinHash and the LSH index."""
    words = dedupe._WordHashes()
    title_codes = _index_pairs(titles, dedupe.title_features, *dedupe.TITLE_BLOCKS,
                               seed=dedupe._TITLE_SEED)
    body_codes = _index_pairs(bodies, lambda chunk: dedupe.body_features(chunk, words),
                              *dedupe.BODY_BLOCKS, seed=dedupe._BODY_SEED)
    merged = blocking.unique_sorted(np.concatenate([title_codes, body_codes]))
    body_block = np.zeros(merged.size, dtype=bool)
    body_block[np.searchsorted(merged, body_codes)] = True
    size = max(len(titles), 1)
    return dedupe.Candidates(first=merged // size, second=merged % size, body_block=body_block)
