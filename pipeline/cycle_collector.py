"""Pausing Python's cyclic garbage collector while a stage makes many acyclic records.

The segmenter makes hundreds of thousands of records and no reference cycles, and so does
decoding the records segmentation workers send back; the collector would walk every one
of them again and again for nothing. Used by ``segment.segment`` and by the build while it
decodes its segmentation workers' answers (``build.segment_sources``).

The outputs are made from a corpus, a spaCy pipeline and a few hundred thousand other
objects that live until the build ends. ``frozen_for_outputs`` moves them out of the
collector's sight while the outputs are made (``gc.freeze``), which is what CPython's
documentation advises before forking worker processes: the collector in a worker no
longer writes to every inherited object (copying the page it sits on), and no process
walks them again in each full collection. ``skip_collection_at_exit`` does the same as a
process ends, when the interpreter's last collection would walk the whole heap to free it
a moment before the operating system does.
"""
from __future__ import annotations

import atexit
import gc
from contextlib import contextmanager
from typing import Iterator

__all__ = ["frozen_for_outputs", "paused_cycle_collection", "skip_collection_at_exit"]


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


@contextmanager
def frozen_for_outputs() -> Iterator[None]:
    """Every object alive now is left out of cyclic collections until the block ends
    (``gc.freeze``; ``gc.unfreeze`` after): in this process, and for good in the worker
    processes forked inside the block. Objects are still freed when their last reference
    goes; only a reference cycle among them waits for the block to end. Measured on the
    real book: the build's full collections took about 0.5 s of the main process."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def skip_collection_at_exit() -> None:
    """Leave the whole heap out of the interpreter's collections at exit (an ``atexit``
    hook of the command line): the process is ending and every file it wrote is closed.
    About 0.4 s at the end of a real-book build. Registered once however often called."""
    global _exit_hook
    if not _exit_hook:
        atexit.register(gc.freeze)
        _exit_hook = True


_exit_hook = False
