"""MinHash LSH blocking: which pairs of documents are worth comparing, in O(n) not O(n²).

Documents are given as sets of 64-bit feature hashes in one flat array (CSR layout: the
features of document ``d`` are ``features[offsets[d]:offsets[d + 1]]``), so hashing runs in
numpy over all documents at once instead of one Python loop per document.

With ``bands`` bands of ``rows`` rows, two documents whose feature sets have Jaccard
similarity J become candidates with probability 1 - (1 - J**rows)**bands.

Written by hand rather than with datasketch: on the same 100,000 problems datasketch's
MinHash and MinHashLSH (one Python object per document and index) took about 4.5 times
the CPU time and 466 MB more memory for the same recall (bench/datasketch_blocks.py).
"""
from __future__ import annotations

import numpy as np

_CHUNK_FEATURES = 1 << 20  # features hashed per numpy pass: bounds the temporary arrays


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique's hash path is slow on millions of int64s)."""
    ordered = np.sort(values)
    if ordered.size == 0:
        return ordered
    return ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])]


def mix64(values: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: spreads structured keys (trigram codes, word pairs) evenly."""
    x = values.astype(np.uint64, copy=True)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def permutations(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Multiply-shift hash parameters: odd multipliers and offsets, fixed by ``seed``."""
    rng = np.random.default_rng(seed)
    multipliers = rng.integers(0, 1 << 63, count, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    offsets = rng.integers(0, 1 << 63, count, dtype=np.uint64)
    return multipliers, offsets


def minhash_signatures(features: np.ndarray, offsets: np.ndarray, count: int,
                       seed: int) -> np.ndarray:
    """MinHash signatures (documents x ``count``, uint32); empty documents get all-max rows."""
    documents = len(offsets) - 1
    signatures = np.full((documents, count), np.iinfo(np.uint32).max, dtype=np.uint32)
    multipliers, shifts = permutations(count, seed)
    lengths = np.diff(offsets)
    start_doc = 0
    while start_doc < documents:
        # Whole documents per chunk, about _CHUNK_FEATURES features each.
        end_doc = int(np.searchsorted(offsets, offsets[start_doc] + _CHUNK_FEATURES, "right"))
        end_doc = min(max(end_doc - 1, start_doc + 1), documents)
        docs = np.arange(start_doc, end_doc)
        present = docs[lengths[start_doc:end_doc] > 0]
        if present.size:
            chunk = mix64(features[offsets[start_doc]:offsets[end_doc]])
            starts = offsets[present] - offsets[start_doc]
            for k in range(count):
                hashed = (chunk * multipliers[k] + shifts[k]) >> np.uint64(32)
                signatures[present, k] = np.minimum.reduceat(hashed, starts)
        start_doc = end_doc
    return signatures


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per document and band (documents x bands)."""
    keys = np.zeros((signatures.shape[0], bands), dtype=np.uint64)
    weights = mix64(np.arange(1, rows + 1, dtype=np.uint64))
    for band in range(bands):
        block = signatures[:, band * rows:(band + 1) * rows].astype(np.uint64)
        keys[:, band] = mix64((block * weights).sum(axis=1, dtype=np.uint64))
    return keys


def _pair_codes(a: np.ndarray, b: np.ndarray, documents: int) -> np.ndarray:
    """Pairs as single int64 codes ``low * documents + high``: half the memory of pairs."""
    return np.minimum(a, b) * documents + np.maximum(a, b)


def _pairs_of_runs(members: np.ndarray, starts: np.ndarray, size: int,
                   documents: int) -> np.ndarray:
    """Codes of all pairs inside every run of ``size`` consecutive entries of ``members``."""
    first, second = np.triu_indices(size, k=1)
    return _pair_codes(members[starts[:, None] + first[None, :]].ravel(),
                       members[starts[:, None] + second[None, :]].ravel(), documents)


def _window_pairs(members: np.ndarray, signatures: np.ndarray, window: int) -> np.ndarray:
    """Codes of an oversized bucket's pairs: each member with its ``window`` nearest
    neighbours in signature order, so documents sharing more hash values sit closer
    (sorted neighbourhood)."""
    order = members[np.lexsort(signatures[members].T[::-1])]
    codes = [_pair_codes(order[:-offset], order[offset:], signatures.shape[0])
             for offset in range(1, min(window, len(order) - 1) + 1)]
    return np.concatenate(codes) if codes else np.empty(0, dtype=np.int64)


def candidate_pairs(signatures: np.ndarray, bands: int, rows: int, bucket_cap: int,
                    skip: np.ndarray | None = None) -> np.ndarray:
    """Codes ``i * documents + j`` (i < j, unique, sorted) of the pairs sharing a band key.

    A bucket larger than ``bucket_cap`` (many documents sharing a band: exact copies or
    near-empty feature sets) is not expanded into all its pairs; its members are compared
    with their nearest neighbours instead. ``skip`` marks documents left out (empty ones).
    """
    keys = band_keys(signatures, bands, rows)
    count = signatures.shape[0]
    documents = np.arange(count, dtype=np.int64)
    if skip is not None:
        documents = documents[~skip]
    found: list[np.ndarray] = [np.empty(0, dtype=np.int64)]
    for band in range(bands):
        band_key = keys[documents, band]
        order = np.argsort(band_key, kind="stable")
        sorted_keys = band_key[order]
        members = documents[order]
        boundaries = np.flatnonzero(np.diff(sorted_keys)) + 1
        run_starts = np.concatenate([[0], boundaries]).astype(np.int64)
        run_sizes = np.diff(np.concatenate([run_starts, [len(sorted_keys)]]))
        for size in np.unique(run_sizes[run_sizes > 1]):
            starts = run_starts[run_sizes == size]
            if size <= bucket_cap:
                found.append(_pairs_of_runs(members, starts, int(size), count))
            else:
                found.extend(_window_pairs(members[start:start + size], signatures, bucket_cap)
                             for start in starts)
    return unique_sorted(np.concatenate(found))
