"""Opening user files safely: only regular files are read, never a FIFO or a device."""
from __future__ import annotations

import os
import stat
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
