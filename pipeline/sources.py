"""Finding the books to read: given files as they are, folders scanned for supported files.

A folder scan skips hidden files and folders, documentation (README, LICENSE, CHANGELOG),
subfolders named in the ``[sources] skip_folders`` setting (``sample``: raw/sample/ holds
the invented sample book), and every drillbook output folder (``--out`` and any folder a
build published into), so a build never reads its own quizzes as books.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Sequence

from .errors import DrillbookError
from .models import Source
from .outputs import is_output_folder
from .readers import reader_for, source_for, supported_extensions

# Files in a source folder that are documentation or settings, never a book.
NOT_BOOKS = ("readme", "license", "changelog")


@dataclass(frozen=True)
class SourceInput:
    """A file to read and the path to show for it (relative where possible)."""

    path: Path
    display: str


def _scan(folder: Path, skip_folders: Collection[str], exclude: Collection[Path],
          seen: set[Path] | None = None, skipped: list[Path] | None = None) -> list[Path]:
    """Supported files under ``folder``, without the folders a scan skips (``skipped``
    collects the subfolders skipped by name)."""
    seen = set() if seen is None else seen
    skipped = [] if skipped is None else skipped
    if folder.resolve() in seen:  # a symlink loop, or a folder reached twice
        return []
    seen.add(folder.resolve())
    found: list[Path] = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if entry.name in skip_folders:
                skipped.append(entry)
                continue
            if is_output_folder(entry) or entry.resolve() in exclude:
                continue
            found.extend(_scan(entry, skip_folders, exclude, seen, skipped))
        elif (entry.is_file() and reader_for(entry) is not None
              and not entry.stem.lower().startswith(NOT_BOOKS)):
            found.append(entry)
    return found


def find_source_files(paths: Sequence[Path], skip_folders: Collection[str] = (),
                      out_dir: Path | None = None) -> list[SourceInput]:
    """The files to read; ``out_dir`` (the build's output folder) is never read."""
    exclude = {out_dir.resolve()} if out_dir is not None else set()
    found: list[SourceInput] = []
    for path in paths:
        if not path.exists():
            raise DrillbookError("no such file or folder", str(path))
        resolved = path.resolve()
        if resolved in exclude or any(folder in resolved.parents for folder in exclude):
            raise DrillbookError("is inside the output folder (--out); drillbook never reads "
                                 "its own outputs as a book", str(path))
        if path.is_dir():
            skipped: list[Path] = []
            files = sorted(_scan(path, skip_folders, exclude, skipped=skipped))
            if not files:
                hint = (f"; skipped {', '.join(str(p) for p in skipped)} (name a folder to "
                        "build it)" if skipped else "")
                raise DrillbookError("folder holds nothing to read (expected "
                                     f"{', '.join(supported_extensions())} files){hint}",
                                     str(path))
            found.extend(SourceInput(f, str(f)) for f in files)
        else:
            if reader_for(path) is None:
                raise DrillbookError(f"unsupported file type {path.suffix or '(none)'!r}; "
                                     f"expected one of {', '.join(supported_extensions())}",
                                     str(path))
            found.append(SourceInput(path, str(path)))
    # The same file named twice (or through a folder and directly) is read once.
    unique: dict[Path, SourceInput] = {}
    for item in found:
        unique.setdefault(item.path.resolve(), item)
    return list(unique.values())


def identify_sources(inputs: Sequence[SourceInput]) -> list[tuple[SourceInput, Source]]:
    """Each input with its Source record; inputs with identical content are kept once."""
    result: list[tuple[SourceInput, Source]] = []
    seen: set[str] = set()
    for item in inputs:
        source = source_for(item.path, item.display)
        if source.sha256 not in seen:
            seen.add(source.sha256)
            result.append((item, source))
    return result
