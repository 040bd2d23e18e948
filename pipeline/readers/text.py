"""Reader for the text/markdown extraction of the book."""
from __future__ import annotations

from pathlib import Path

from ..errors import DrillbookError
from ..models import TextLines
from . import open_regular


def decode_text(data: bytes, display_path: str) -> str:
    """UTF-8 text of a file, or an error naming the file, line and byte offset."""
    offset = data.find(b"\x00")  # anywhere: one NUL deep in a file would reach every output
    if offset >= 0:
        line = data.count(b"\n", 0, offset) + 1
        raise DrillbookError(f"binary data (NUL byte at byte offset {offset}); "
                             "expected a UTF-8 text extraction of the book", display_path, line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DrillbookError(f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at byte offset "
                             f"{exc.start}); re-save the file as UTF-8",
                             display_path, line) from None
    return text.removeprefix("\ufeff")


def lines_of_text(text: str, source_id: str) -> TextLines:
    """Line records of a text, 1-based, over the text split on "\\n" (a "\\r" ending
    each line is dropped)."""
    texts = text.split("\n")
    if "\r" in text:
        texts = [raw.rstrip("\r") for raw in texts]
    return TextLines(texts, source_id)


def read_text_lines(path: Path, source_id: str, display_path: str | None = None) -> TextLines:
    """Read a text extraction into Line records."""
    shown = display_path or str(path)
    try:
        with open_regular(path, shown) as handle:
            data = handle.read()
    except OSError as exc:
        raise DrillbookError(f"cannot read file: {exc.strerror or exc}", shown) from None
    if not data.strip():
        raise DrillbookError("file is empty", shown)
    return lines_of_text(decode_text(data, shown), source_id)
