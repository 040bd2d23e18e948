"""Limits on what one PDF may cost: no book needs more, and a hostile file gets a clear
message instead of eating the machine.

- **Inflated streams.** pdfminer inflates every FlateDecode stream whole with
  ``zlib.decompress``; a few kilobytes can inflate to gigabytes (a decompression bomb).
  ``limit_inflation`` gives pdfminer's ``pdftypes`` module a ``zlib`` whose ``decompress``
  stops at ``MAX_INFLATED_BYTES`` and raises ``StreamTooLarge``. Everything else of ``zlib``
  is the real module.
- **Time per page.** ``page_deadline`` stops the parse of one page after
  ``MAX_PAGE_SECONDS`` (a page of a real book takes milliseconds) with ``PageTooSlow``.
  It uses a POSIX interval timer, so it only arms itself in a process's main thread (the
  CLI and each worker of the page pool) and when no other timer is running; elsewhere the
  page runs unbounded.
- **Objects per page.** ``MAX_PAGE_GLYPHS`` characters on one page is a hundred times a
  dense page of a book (pdf_page.py counts them).
"""
from __future__ import annotations

import signal
import threading
import types
import zlib
from contextlib import contextmanager
from typing import Iterator

MAX_INFLATED_BYTES = 128 << 20
MAX_PAGE_SECONDS = 20.0
MAX_PAGE_GLYPHS = 500_000


class StreamTooLarge(Exception):
    """A compressed stream inflates beyond MAX_INFLATED_BYTES."""


class PageTooSlow(Exception):
    """One page took longer than MAX_PAGE_SECONDS to parse."""


def _bounded_decompress(data: bytes, wbits: int = zlib.MAX_WBITS,
                        bufsize: int = zlib.DEF_BUF_SIZE) -> bytes:
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(data, MAX_INFLATED_BYTES + 1)
    if len(out) > MAX_INFLATED_BYTES or inflater.unconsumed_tail:
        raise StreamTooLarge(f"a compressed stream inflates to more than "
                             f"{MAX_INFLATED_BYTES >> 20} MB")
    if not inflater.eof:
        # What zlib.decompress says about a truncated stream (pdfminer then tries to
        # recover what it can, through decompressobj, which is not limited here...).
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    return out + inflater.flush()


class _BoundedDecompressObj:
    """zlib's decompressobj with an output limit across all calls."""

    def __init__(self, *args: object):
        self._inner = zlib.decompressobj(*args)  # type: ignore[arg-type]
        self._produced = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        room = MAX_INFLATED_BYTES + 1 - self._produced
        limit = room if max_length <= 0 else min(max_length, room)
        out = self._inner.decompress(data, limit)
        self._produced += len(out)
        if self._produced > MAX_INFLATED_BYTES:
            raise StreamTooLarge(f"a compressed stream inflates to more than "
                                 f"{MAX_INFLATED_BYTES >> 20} MB")
        return out

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


def limit_inflation() -> None:
    """Make pdfminer inflate streams through the bounded functions (idempotent)."""
    from pdfminer import pdftypes

    if getattr(pdftypes.zlib, "__drillbook_bounded__", False):
        return
    bounded = types.ModuleType("zlib")
    bounded.__dict__.update({name: getattr(zlib, name) for name in dir(zlib)
                             if not name.startswith("__")})
    bounded.decompress = _bounded_decompress  # type: ignore[attr-defined]
    bounded.decompressobj = _BoundedDecompressObj  # type: ignore[attr-defined]
    bounded.__drillbook_bounded__ = True  # type: ignore[attr-defined]
    pdftypes.zlib = bounded


@contextmanager
def page_deadline(seconds: float = MAX_PAGE_SECONDS) -> Iterator[None]:
    """Raise PageTooSlow in the body after ``seconds`` (main thread only, else no limit)."""
    if (threading.current_thread() is not threading.main_thread()
            or not hasattr(signal, "setitimer")):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise PageTooSlow(f"the page took longer than {seconds:g} s to parse")

    if signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield  # someone else's timer is running: leave it alone
        return
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
