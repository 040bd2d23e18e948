"""The one exception type the CLI turns into a single line on stderr."""
from __future__ import annotations


class DrillbookError(Exception):
    """Bad input or a failed step, with the file (and line or page) it concerns."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 page: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.page = page

    def __str__(self) -> str:
        place = self.path or ""
        if self.path and self.line is not None:
            place += f":{self.line}"
        if self.path and self.page is not None:
            place += f" (page {self.page})"
        return f"{place}: {self.message}" if place else self.message


class NotEnoughMaterial(DrillbookError):
    """The corpus is too small for an optional output (a quiz): skip it, do not fail."""
