"""Publishing outputs into the output folder: every file of a build changes together.

``publish(out_dir, files, owned=True)``:

1. checks every output that must parse (XML) before anything is written;
2. stages every file in ``OUT/.drillbook-staging-*/`` (the same file system as its target);
3. writes a journal (``OUT/.drillbook-journal.json``): the renames to make and the files
   of the previous build that this one no longer writes;
4. renames the staged files into place, removes those stale files, records the new list
   (``OUT/.drillbook-outputs.json``) and deletes the journal.

A build killed before step 3 leaves a staging folder and the previous outputs untouched;
killed during step 4, it leaves the journal, and the next publish into the folder (every
build and every ``drillbook quiz`` / ``anki`` publishes) finishes those renames first, so
the folder holds one build's outputs, never a mix. Either way the leftovers are removed.
A lock (``flock`` on the folder) keeps two drillbook processes from publishing into one
folder at once.
Only files drillbook wrote are ever removed; anything else in the folder is left alone.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import tempfile
import xml.etree.ElementTree as ElementTree
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

from .errors import DrillbookError
from .files import write_whole

STAGING_PREFIX = ".drillbook-staging-"
JOURNAL = ".drillbook-journal.json"
OUTPUTS_LIST = ".drillbook-outputs.json"  # also marks a folder as drillbook's output
# What the earlier writer left when killed: ".corpus.json.k3j2_x9a.tmp".
_OLD_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
# Characters XML 1.0 forbids anywhere, even escaped: C0 controls but tab, LF and CR, and
# the non-characters U+FFFE/U+FFFF (surrogates cannot reach UTF-8 text).
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_UMASK = os.umask(0o022)
os.umask(_UMASK)


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (control characters)."""
    return XML_FORBIDDEN.sub("", text)


def check_outputs(files: Mapping[str, bytes]) -> None:
    """Every XML output must be well-formed (a template may have broken it)."""
    for relative, data in sorted(files.items()):
        if relative.endswith(".xml"):
            try:
                ElementTree.fromstring(data)
            except ElementTree.ParseError as exc:
                line = exc.position[0] if exc.position else None
                raise DrillbookError(f"output is not well-formed XML, nothing was written: "
                                     f"{exc}", relative, line=line) from None


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def check_output_folder(out_dir: Path) -> None:
    """Fail early, naming the folder as the user gave it, when it cannot be an output folder."""
    if out_dir.exists():
        if not out_dir.is_dir():
            raise DrillbookError("the output folder is a file, not a folder", str(out_dir))
        if not _writable(out_dir):
            raise DrillbookError("cannot write to the output folder: Permission denied",
                                 str(out_dir))
        return
    parent = out_dir.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise DrillbookError(f"cannot create the output folder: {parent} is a file",
                             str(out_dir))
    if not _writable(parent):
        raise DrillbookError(f"cannot create the output folder: {parent} is not writable",
                             str(out_dir))


def ensure_output_folder(out_dir: Path) -> None:
    """Create the output folder (and its parents); failing names the folder the user gave."""
    check_output_folder(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DrillbookError(f"cannot create the output folder: {exc.strerror or exc}",
                             str(out_dir)) from None


def is_output_folder(folder: Path) -> bool:
    """True for a folder drillbook publishes into (never read as a source)."""
    return (folder / OUTPUTS_LIST).is_file() or (folder / JOURNAL).is_file()


def previous_outputs(out_dir: Path) -> list[str]:
    """The files the last build published into ``out_dir`` (relative paths)."""
    try:
        data = json.loads((out_dir / OUTPUTS_LIST).read_text("utf-8"))
        files = data.get("files", []) if isinstance(data, dict) else []
        return [f for f in files if isinstance(f, str) and _safe_relative(f)]
    except (OSError, ValueError):
        return []


def _safe_relative(relative: str) -> bool:
    path = Path(relative)
    return bool(relative) and not path.is_absolute() and ".." not in path.parts


@contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    # flock on the folder itself: no lock file to leave behind.
    descriptor = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _write_atomically(path: Path, data: bytes) -> None:
    write_whole(path, data, mode=0o666 & ~_UMASK, sync=True)  # as the umask says, not 0600


def _finish(out_dir: Path, journal: dict) -> None:
    """Carry out a journal (again: every step may already be done)."""
    staging = out_dir / journal["staging"]
    for relative in journal["moves"]:
        staged, target = staging / relative, out_dir / relative
        if staged.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            os.replace(staged, target)
    for relative in journal["remove"]:
        target = out_dir / relative
        try:
            target.unlink()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            pass
        _remove_empty_parents(target.parent, out_dir)
    _write_atomically(out_dir / OUTPUTS_LIST,
                      json.dumps({"format": 1, "files": journal["outputs"]}, indent=1).encode())
    (out_dir / JOURNAL).unlink(missing_ok=True)


def _remove_empty_parents(folder: Path, out_dir: Path) -> None:
    while folder != out_dir and out_dir in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _clean_leftovers(out_dir: Path) -> None:
    """Finish a killed publish, then remove staging folders and old temporary files."""
    try:
        journal = json.loads((out_dir / JOURNAL).read_text("utf-8"))
    except FileNotFoundError:
        journal = None
    except (OSError, ValueError):
        journal = None  # a journal is written atomically; an unreadable one is not ours
        (out_dir / JOURNAL).unlink(missing_ok=True)
    if journal is not None:
        _finish(out_dir, journal)
    for entry in out_dir.iterdir():
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
    folders = {out_dir} | {(out_dir / f).parent for f in previous_outputs(out_dir)}
    for folder in folders:
        if folder.is_dir():
            for entry in folder.iterdir():
                if _OLD_TEMPORARY.match(entry.name) and entry.is_file():
                    entry.unlink(missing_ok=True)


def recover(out_dir: Path) -> None:
    """Bring a folder a killed build left back to one build's outputs (before reading it)."""
    if out_dir.is_dir() and ((out_dir / JOURNAL).exists()
                             or any(e.name.startswith(STAGING_PREFIX) for e in out_dir.iterdir())):
        with _locked(out_dir):
            _clean_leftovers(out_dir)


def publish(out_dir: Path, files: Mapping[str, bytes], owned: bool = True) -> list[Path]:
    """Write ``files`` (relative path -> bytes) under ``out_dir``, all or nothing.

    ``owned``: these files are the folder's whole build (``drillbook build``), so files of
    the previous build that are not among them are removed. ``drillbook quiz`` and
    ``anki`` add to a folder without removing anything.
    """
    for relative in files:
        if not _safe_relative(relative):
            raise DrillbookError(f"refusing to write outside the output folder: {relative}",
                                 str(out_dir))
    check_outputs(files)
    ensure_output_folder(out_dir)
    staging: Path | None = None
    try:
        with _locked(out_dir):
            _clean_leftovers(out_dir)
            before = previous_outputs(out_dir)
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
            for relative, data in sorted(files.items()):
                staged = staging / relative
                staged.parent.mkdir(parents=True, exist_ok=True)
                staged.write_bytes(data)
                os.chmod(staged, 0o666 & ~_UMASK)
            names = sorted(files)
            # Only a build owns the list: what quiz/anki add is never removed as stale.
            journal = {"staging": staging.name, "moves": names,
                       "remove": sorted(set(before) - set(names)) if owned else [],
                       "outputs": names if owned else before}
            _write_atomically(out_dir / JOURNAL, json.dumps(journal, indent=1).encode())
            _finish(out_dir, journal)
    except OSError as exc:
        raise DrillbookError(f"cannot write to the output folder: {exc.strerror or exc}",
                             str(out_dir)) from None
    finally:
        if staging is not None and not (out_dir / JOURNAL).exists():
            shutil.rmtree(staging, ignore_errors=True)  # a journal still needs it
    return [out_dir / relative for relative in sorted(files)]


# The name the earlier code used; every caller now publishes.
write_outputs = publish
