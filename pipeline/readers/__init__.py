"""Readers: one per input format behind one interface, chosen by file extension.

A reader turns one file into a ``Source`` and its ``Line`` records and raises
``DrillbookError`` (naming the file and line or page) on input it cannot read.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..errors import DrillbookError
from ..files import open_regular
from ..models import Diagnostic, Line, Source

@dataclass(frozen=True)
class ReadOptions:
    """How to read: the path to show in errors, where slow readers may cache, and whether
    the caller (the CLI, on a terminal) wants a progress bar."""

    display_path: str
    cache_dir: Path | None = None  # None when caching is off
    progress: bool = False


@dataclass(frozen=True)
class ReadResult:
    """A reader's lines and what it noticed on the way (warnings naming pages, notes)."""

    lines: Sequence[Line]
    diagnostics: tuple[Diagnostic, ...] = ()


ReadFn = Callable[[Path, str, ReadOptions], ReadResult]


@dataclass(frozen=True)
class Reader:
    """A format name, the extensions it claims and the function that reads it."""

    format: str
    extensions: tuple[str, ...]
    read: ReadFn
    version: str  # part of cache keys: bump when the output of ``read`` changes


def _read_text(path: Path, source_id: str, options: ReadOptions) -> ReadResult:
    from .text import read_text_lines

    # Reading text is cheaper than caching it, and too quick for a progress bar.
    return ReadResult(read_text_lines(path, source_id, options.display_path))


def _read_pdf(path: Path, source_id: str, options: ReadOptions) -> ReadResult:
    from .pdf import read_pdf  # pdfplumber is imported only for PDFs

    lines, notes = read_pdf(path, source_id, cache=options.cache_dir, progress=options.progress,
                            display_path=options.display_path)
    return ReadResult(lines, tuple(notes))


READERS: tuple[Reader, ...] = (
    Reader("text", (".txt", ".md", ".markdown"), _read_text, "text-1"),
    Reader("pdf", (".pdf",), _read_pdf, "pdf-2"),
)


def reader_for(path: Path) -> Reader | None:
    """The reader that claims this file's extension, or None."""
    suffix = path.suffix.lower()
    for reader in READERS:
        if suffix in reader.extensions:
            return reader
    return None


def supported_extensions() -> tuple[str, ...]:
    return tuple(ext for reader in READERS for ext in reader.extensions)


def file_sha256(path: Path, display_path: str | None = None) -> str:
    """The sha256 of a file's bytes; unreadable files raise DrillbookError naming them."""
    digest = hashlib.sha256()
    try:
        with open_regular(path, display_path) as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise DrillbookError(f"cannot read file: {exc.strerror or exc}",
                             display_path or str(path)) from None
    return digest.hexdigest()


def source_for(path: Path, display_path: str) -> Source:
    """The Source record of a file: its id is derived from its content hash."""
    reader = reader_for(path)
    if reader is None:
        raise DrillbookError(
            f"unsupported file type {path.suffix or '(none)'!r}; "
            f"expected one of {', '.join(supported_extensions())}", display_path)
    sha = file_sha256(path, display_path)
    return Source(id=f"{path.stem[:40]}-{sha[:8]}", path=display_path, sha256=sha,
                  format=reader.format)  # type: ignore[arg-type]
