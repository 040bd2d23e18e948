"""How people write tag rows: the prior over a row's shape (how many tags, how long).

Counted on tag rows whose boundaries are certain (links, backticks, one tag per line) in
a real interview book, and rounded: a tag is one to three words, most often two, and a
row holds two or three tags; a two-word row is more often one tag than two. The prior of
a shape is P(tags | words) × Π P(length) / Z, where Z sums Π P(length) over every way to
cut the row into that many tags, so that the length shares only choose *where* to cut.
"""
from __future__ import annotations

import math
from functools import lru_cache

TAG_LENGTH_SHARE = {1: 0.26, 2: 0.56, 3: 0.11, 4: 0.05}
LONGER_PER_WORD = 0.45  # each word past four
# A tag with a function word inside is a clause ("trade speed for safety"): longer.
CLAUSE_LENGTH_SHARE = {3: 0.35, 4: 0.37, 5: 0.14, 6: 0.07}
# P(number of tags | number of words), for 2..7 words; longer rows use the last line.
TAGS_PER_ROW = {
    2: (0.65, 0.35),
    3: (0.20, 0.65, 0.15),
    4: (0.08, 0.76, 0.14, 0.02),
    5: (0.04, 0.56, 0.36, 0.04),
    6: (0.08, 0.32, 0.52, 0.08),
    7: (0.03, 0.30, 0.57, 0.10),
}
LONG_ROW = (0.02, 0.25, 0.55, 0.15, 0.03)
RARE = 0.005  # any count the table leaves out


def length_share(length: int) -> float:
    """P(a tag is ``length`` words long)."""
    if length in TAG_LENGTH_SHARE:
        return TAG_LENGTH_SHARE[length]
    return TAG_LENGTH_SHARE[4] * LONGER_PER_WORD ** (length - 4)


def length_log_prior(length: int, clause: bool = False) -> float:
    """log P(length): added to every phrase of the split; ``clause``: one with a function
    word inside, which is at least three words long."""
    if clause:
        share = CLAUSE_LENGTH_SHARE.get(length, CLAUSE_LENGTH_SHARE[6] * 0.5 ** (length - 6))
        return math.log(share) if length >= 3 else math.log(RARE)
    return math.log(length_share(length))


@lru_cache(maxsize=1024)
def _partition_mass(words: int, tags: int) -> float:
    """Σ Π P(length) over every way to cut ``words`` words into ``tags`` tags."""
    if tags == 0:
        return 1.0 if words == 0 else 0.0
    return sum(length_share(first) * _partition_mass(words - first, tags - 1)
               for first in range(1, words - tags + 2))


def tags_share(tags: int, words: int) -> float:
    """P(a row of ``words`` words holds ``tags`` tags)."""
    if words <= 1:
        return 1.0 if tags == 1 else RARE
    table = TAGS_PER_ROW.get(words, LONG_ROW)
    return table[tags - 1] if tags <= len(table) else RARE


def count_log_prior(tags: int, words: int) -> float:
    """log P(tags | words) − log Z: added once per split, so the shape's prior is right."""
    return math.log(tags_share(tags, words)) - math.log(_partition_mass(words, tags))
