"""Writing outputs: everything goes to temporary files first and is renamed into place.

A failed build therefore never leaves half-written files, and the previous ``build/``
stays as it was until every new file is ready.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Mapping

from .errors import DrillbookError

_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_outputs(out_dir: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (relative path -> bytes) under ``out_dir``, all or nothing."""
    staged: list[tuple[Path, Path]] = []
    try:
        for relative, data in sorted(files.items()):
            target = (out_dir / relative)
            if ".." in Path(relative).parts or Path(relative).is_absolute():
                raise DrillbookError(f"refusing to write outside the output folder: {relative}",
                                     str(out_dir))
            target.parent.mkdir(parents=True, exist_ok=True)
            handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.",
                                                 suffix=".tmp", delete=False)
            with handle:
                handle.write(data)
            # NamedTemporaryFile creates 0600 files; outputs are ordinary files.
            os.chmod(handle.name, 0o666 & ~_UMASK)
            staged.append((Path(handle.name), target))
    except OSError as exc:
        _discard(staged)
        raise DrillbookError(f"cannot write output: {exc.strerror or exc}",
                             getattr(exc, "filename", None) or str(out_dir)) from None
    except BaseException:
        _discard(staged)
        raise
    for temporary, target in staged:
        os.replace(temporary, target)
    return [target for _, target in staged]


def _discard(staged: list[tuple[Path, Path]]) -> None:
    for temporary, _ in staged:
        try:
            temporary.unlink()
        except OSError:
            pass
