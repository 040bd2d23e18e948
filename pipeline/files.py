"""Opening user files safely (only regular files are read, never a FIFO or a device), and
writing a file whole or not at all."""
from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

from .errors import DrillbookError

_NOT_REGULAR = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def open_regular(path: Path, display_path: str | None = None) -> BinaryIO:
    """``path`` opened for reading, refusing anything but a regular file.

    Reading a FIFO or a device (given directly or through a symlink) would block forever
    or never end, so the file is opened without blocking and checked before any read.
    """
    shown = display_path or str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise DrillbookError(f"cannot read file: {exc.strerror or exc}", shown) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = next((name for test, name in _NOT_REGULAR if test(mode)), "not a file")
        raise DrillbookError(f"{kind}, not a regular file; only regular files are read",
                             shown)
    if hasattr(os, "set_blocking"):
        os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "rb")


def write_whole(path: Path, data: bytes, prefix: str | None = None, mode: int | None = None,
                sync: bool = False) -> None:
    """Write ``data`` to ``path`` whole or not at all: into a temporary file beside it
    (``prefix`` its name's start, ``.NAME.`` by default), then renamed over it, so a reader
    sees the old file or the new one, never part of one. ``mode``: the file's permissions
    (a temporary file is made 0600); ``sync``: on disk before the rename. Raises the
    ``OSError``; the temporary file is removed then."""
    temporary: str | None = None
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=prefix or f".{path.name}.",
                                         suffix=".tmp", delete=False) as handle:
            temporary = handle.name
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise
