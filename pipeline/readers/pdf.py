"""Reader for the book as a PDF (pdfplumber): the same ``Line`` records as the text reader,
with page numbers and style hints (size, weight, colour, question box, tag pills).

Parsing pages is nearly all the cost, so pages are read once each (pdf_page.py), split
over a process pool, and the resulting lines are cached by the file's hash and the
reader's version: a second build of an unchanged PDF skips extraction. The document-level
work (running headers, joining wrapped lines) is in pdf_layout.py.
"""
from __future__ import annotations

import hashlib
import json
import logging
import sys
import zlib
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from ..cache import Cache, cache_key
from ..cores import usable_cores
from ..errors import DrillbookError
from ..models import Diagnostic, Line, Style, Where
from . import file_sha256
from .pdf_layout import drop_running_text, lines_from_segments
from .pdf_limits import PageTooSlow, StreamTooLarge, limit_inflation, page_deadline
from .pdf_page import PageText, read_page

# Bump when the lines read from an unchanged PDF change; the code's own hash is part of
# the cache key as well, so a forgotten bump costs a re-read, never a stale result.
READER_VERSION = "pdf-lines-2"
# Below this many pages a process pool costs more than it saves.
MIN_PAGES_PER_WORKER = 6
CHUNK_PAGES = 8

# pdfminer logs oddities of the file it parses ("CropBox missing…"); without a handler of
# its own Python would print them on stderr around the CLI's output. Applications that
# configure logging still receive them (the records propagate).
logging.getLogger("pdfminer").addHandler(logging.NullHandler())
# Here and in every worker of the page pool (they import this module to run).
limit_inflation()


def read_pdf_lines(path: Path, source_id: str, *, workers: int | None = None,
                   cache: Cache | Path | str | None = None, progress: bool | None = None,
                   display_path: str | None = None) -> list[Line]:
    """Read a PDF into Line records (see ``read_pdf``; its diagnostics are left out)."""
    return read_pdf(path, source_id, workers=workers, cache=cache, progress=progress,
                    display_path=display_path)[0]


def read_pdf(path: Path, source_id: str, *, workers: int | None = None,
             cache: Cache | Path | str | None = None, progress: bool | None = None,
             display_path: str | None = None) -> tuple[list[Line], list[Diagnostic]]:
    """Read a PDF into Line records (1-based ``page``, ``line`` None, ``style`` set) and
    what the reader noticed on the way (pages read column by column, unmapped text).

    workers: processes to parse pages with (default: one per core; 1 = in this process).
    cache: a Cache or its folder (such as build/.cache) to keep the lines in.
    progress: show a progress bar on stderr (default: only when stderr is a terminal).
    """
    shown = display_path or str(path)
    store = Cache(cache) if isinstance(cache, (str, Path)) else cache
    key = None
    if store is not None:
        key = cache_key(READER_VERSION, reader_code_hash(), file_sha256(path, shown))
        cached = store.get(key)
        if cached is not None:
            decoded = _decode_lines(cached, source_id)
            if decoded is not None:
                return decoded
    pages = extract_pages(path, shown, workers=workers, progress=progress)
    if not any(page.chars for page in pages):
        if any(page.images for page in pages):
            raise DrillbookError("the PDF has no text layer: its pages are images (a scan?); "
                                 "run OCR on it first (for example with ocrmypdf)", shown)
        raise DrillbookError("the PDF holds no text", shown)
    lines = lines_from_segments(drop_running_text(pages), source_id)
    notes = page_notes(pages, source_id)
    if store is not None and key is not None:
        store.put(key, _encode_lines(lines, notes))
    return lines, notes


def page_notes(pages: Sequence[PageText], source_id: str) -> list[Diagnostic]:
    """Diagnostics naming the pages read column by column and those that lost text."""
    notes: list[Diagnostic] = []
    columns = [page.number for page in pages if page.columns > 1]
    if columns:
        notes.append(Diagnostic(
            "info", "pdf-columns",
            f"{_pages(columns)} laid out in two columns: read left column first, then right",
            Where(source_id, page=columns[0])))
    unmapped = [page for page in pages if page.unmapped]
    if unmapped:
        count = sum(page.unmapped for page in unmapped)
        notes.append(Diagnostic(
            "warning", "pdf-unmapped-text",
            f"{count:,} characters in a font without a Unicode map could not be read and "
            f"were dropped on {_pages([p.number for p in unmapped])}; export the PDF with "
            "its fonts' Unicode maps, or build from a text extraction",
            Where(source_id, page=unmapped[0].number)))
    return notes


def _pages(numbers: Sequence[int]) -> str:
    """"page 3", "pages 2, 5-7" (ranges folded)."""
    ranges: list[list[int]] = []
    for number in numbers:
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    shown = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges[:20])
    if len(ranges) > 20:
        shown += f" and {len(ranges) - 20} more ranges"
    return f"page{'s' if len(numbers) > 1 else ''} {shown}"


def extract_pages(path: Path, shown: str, *, workers: int | None = None,
                  progress: bool | None = None) -> list[PageText]:
    """Every page's text segments, in page order (in parallel for long documents)."""
    pdf = _open(path, shown)
    try:
        count = _page_count(pdf, shown)
        workers = min(workers or usable_cores(), max(1, count // MIN_PAGES_PER_WORKER))
        bar = _progress_bar(count, shown, progress)
        try:
            if workers <= 1:
                return _read_pages_here(pdf, shown, count, bar)
            pdf.close()  # the workers open their own
            return _read_pages_in_pool(path, shown, count, workers, bar)
        finally:
            if bar is not None:
                bar.close()
    finally:
        pdf.close()




def _open(path: Path, shown: str) -> Any:
    import pdfplumber

    try:
        return pdfplumber.open(path)
    except FileNotFoundError:
        raise DrillbookError("no such file", shown) from None
    except OSError as exc:
        raise DrillbookError(f"cannot read file: {exc.strerror or exc}", shown) from None
    except StreamTooLarge as exc:
        raise DrillbookError(f"{exc} (a decompression bomb?); refusing to read it",
                             shown) from None
    except Exception as exc:  # pdfminer raises many kinds; all mean the same to a user
        raise _open_error(exc, shown) from None


def _open_error(exc: Exception, shown: str) -> DrillbookError:
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    name = type(cause).__name__
    if "Password" in name or "Encrypt" in name:
        return DrillbookError("the PDF is encrypted and needs a password to open; save an "
                              "unprotected copy and build from that", shown)
    detail = str(cause).strip() or name
    return DrillbookError(f"not a readable PDF (damaged or truncated: {detail})", shown)


def _page_count(pdf: Any, shown: str) -> int:
    try:
        count = len(pdf.pages)
    except Exception as exc:
        raise _open_error(exc, shown) from None
    if count == 0:
        raise DrillbookError("the PDF has no pages", shown)
    return count


def _read_one(pdf: Any, index: int, shown: str) -> PageText:
    try:
        with page_deadline():
            return read_page(pdf.pages[index], index + 1)
    except DrillbookError as exc:
        exc.path = exc.path or shown
        raise
    except StreamTooLarge as exc:
        raise DrillbookError(f"{exc} (a decompression bomb?); refusing to read it", shown,
                             page=index + 1) from None
    except PageTooSlow as exc:
        raise DrillbookError(f"{exc} (a hostile or broken file?); refusing to read it", shown,
                             page=index + 1) from None
    except Exception as exc:
        detail = str(exc).strip() or type(exc).__name__
        raise DrillbookError(f"cannot read the page (damaged or truncated PDF: {detail})",
                             shown, page=index + 1) from None


def _read_pages_here(pdf: Any, shown: str, count: int, bar: Any) -> list[PageText]:
    pages = []
    for index in range(count):
        pages.append(_read_one(pdf, index, shown))
        if bar is not None:
            bar.update(1)
    return pages


# Each worker opens the PDF once and keeps it for all the page ranges it is given.
_worker_pdf: Any = None
_worker_shown = ""


def _start_worker(path: str, shown: str) -> None:
    global _worker_pdf, _worker_shown
    import pdfplumber

    _worker_pdf = pdfplumber.open(path)
    _worker_shown = shown


def _read_range(start: int, stop: int) -> list[PageText] | tuple[str, int | None]:
    """Pages start..stop-1 in a worker; an error comes back as (message, page) because
    DrillbookError's fields do not survive pickling."""
    try:
        return [_read_one(_worker_pdf, index, _worker_shown) for index in range(start, stop)]
    except DrillbookError as exc:
        return (exc.message, exc.page)


def _read_pages_in_pool(path: Path, shown: str, count: int, workers: int,
                        bar: Any) -> list[PageText]:
    ranges = [(start, min(count, start + CHUNK_PAGES)) for start in range(0, count, CHUNK_PAGES)]
    results: list[list[PageText]] = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                             initargs=(str(path), shown)) as pool:
        futures = [pool.submit(_read_range, start, stop) for start, stop in ranges]
        try:
            for future, (start, stop) in zip(futures, ranges):
                outcome = future.result()
                if isinstance(outcome, tuple):
                    raise DrillbookError(outcome[0], shown, page=outcome[1])
                results.append(outcome)
                if bar is not None:
                    bar.update(stop - start)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return [page for chunk in results for page in chunk]


def _progress_bar(total: int, shown: str, wanted: bool | None) -> Any:
    if wanted is None:
        wanted = sys.stderr.isatty()
    if not wanted:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="page", desc=f"reading {Path(shown).name}", file=sys.stderr,
                leave=False, dynamic_ncols=True)


@lru_cache(maxsize=1)
def reader_code_hash() -> str:
    """Hash of the PDF reader's own modules and pdfplumber's version."""
    import pdfplumber

    digest = hashlib.sha256(pdfplumber.__version__.encode())
    here = Path(__file__).resolve().parent
    for name in ("pdf.py", "pdf_page.py", "pdf_layout.py", "pdf_style.py", "pdf_checks.py",
                 "pdf_limits.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def _encode_lines(lines: Sequence[Line], notes: Sequence[Diagnostic] = ()) -> bytes:
    rows = []
    for line in lines:
        style = line.style or Style()
        rows.append([line.text, line.page, style.size, style.bold, style.color, style.box,
                     list(style.pills) if style.pills is not None else None])
    return zlib.compress(json.dumps({
        "version": READER_VERSION, "lines": rows,
        "notes": [[n.severity, n.code, n.message, n.where.page if n.where else None]
                  for n in notes]}, ensure_ascii=False).encode("utf-8"), 6)


def _decode_lines(data: bytes, source_id: str) -> tuple[list[Line], list[Diagnostic]] | None:
    try:
        payload = json.loads(zlib.decompress(data).decode("utf-8"))
        if payload.get("version") != READER_VERSION:
            return None
        lines = [Line(text=text, source=source_id, page=page,
                      style=Style(size=size, bold=bold, color=color, box=box,
                                  pills=tuple(pills) if pills is not None else None))
                 for text, page, size, bold, color, box, pills in payload["lines"]]
        notes = [Diagnostic(severity, code, message, Where(source_id, page=page))
                 for severity, code, message, page in payload["notes"]]
        return lines, notes
    except (ValueError, zlib.error, TypeError, KeyError, AttributeError):
        return None  # a damaged entry is simply read again
