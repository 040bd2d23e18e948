"""Pausing Python's cyclic garbage collector while a stage makes many acyclic records.

The segmenter makes hundreds of thousands of records and no reference cycles, and so does
decoding the records segmentation workers send back; the collector would walk every one
of them again and again for nothing. Used by ``segment.segment`` and by the build while it
decodes its segmentation workers' answers (``build.segment_sources``).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

__all__ = ["paused_cycle_collection"]


@contextmanager
def paused_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused: the segmenter makes hundreds of thousands of
    records and no reference cycles, and the collector would walk every one of them again
    and again for nothing (about a fifth of the segmenting time). Decoding segmented
    records from worker processes is the same. It is enabled again afterwards only if it
    was enabled before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
