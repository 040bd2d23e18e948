"""Reading the overrides file: ``[[merge]]``, ``[[keep_apart]]``, ``[[move]]``, ``[[retitle]]``.

Every entry keeps the line of its ``[[kind]]`` header, and every error names the file and
the line (an unknown key, a missing one, an empty name, bad TOML). Parsing knows nothing of
the book: ``pipeline.overrides.apply`` matches the entries against a build.
"""
from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import DrillbookError
from ..ids import normalize_title

OverrideKind = Literal["merge", "keep_apart", "move", "retitle"]
# Entry keys per kind: the required ones, then the optional ones.
REQUIRED: dict[str, tuple[str, ...]] = {"merge": ("problems",), "keep_apart": ("problems",),
                                         "move": ("problem", "topic"),
                                         "retitle": ("problem", "title")}
OPTIONAL = ("reason",)
_TOML_LINE = re.compile(r"line (\d+)")
_HEADER = re.compile(r"^\s*\[\[\s*\"?([A-Za-z0-9_-]+)\"?\s*\]\]")


@dataclass(frozen=True, slots=True)
class Override:
    """One entry of the overrides file."""

    kind: OverrideKind
    problems: tuple[str, ...]  # references: ids or exact titles
    target: str | None = None  # the topic (move) or the new title (retitle)
    reason: str = ""
    line: int | None = None

    def describe(self) -> str:
        """A one-line description naming the entry, for diagnostics and the report."""
        names = " + ".join(repr(p) for p in self.problems)
        what = {"merge": f"merge {names}", "keep_apart": f"keep apart {names}",
                "move": f"move {names} to topic {self.target!r}",
                "retitle": f"retitle {names} as {self.target!r}"}[self.kind]
        return f"[[{self.kind}]] {what}"


@dataclass(frozen=True)
class Overrides:
    """Everything in the overrides file; ``Overrides()`` is the empty (or missing) file."""

    entries: tuple[Override, ...] = ()
    path: str | None = None


def load_toml(text: str, path: str) -> dict[str, Any]:
    """The file's TOML as data; a syntax error names the file and line.

    The only place the overrides file meets a TOML parser, so a shared loader (one that
    also reports the line of every value) can replace it here alone.
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        if line is None and "end of document" in str(exc):
            line = max(1, len(text.splitlines()))
        raise DrillbookError(f"invalid TOML: {exc}", path, line=line) from None


def _header_lines(text: str) -> dict[str, list[int]]:
    """Line numbers of every ``[[kind]]`` header, in order, per kind."""
    found: dict[str, list[int]] = defaultdict(list)
    for number, line in enumerate(text.splitlines(), 1):
        match = _HEADER.match(line)
        if match:
            found[match.group(1)].append(number)
    return found


def _key_line(text: str, key: str, start: int = 1, end: int | None = None) -> int | None:
    """The first line in [start, end) that assigns or opens ``key``."""
    name = re.escape(key)
    pattern = re.compile(rf"^\s*(?:\[\[?\s*\"?{name}\"?\s*\]\]?|\"?{name}\"?\s*=)")
    for number, line in enumerate(text.splitlines(), 1):
        if number < start or (end is not None and number >= end):
            continue
        if pattern.match(line):
            return number
    return None


def _text(value: Any, what: str, path: str, line: int | None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DrillbookError(f"{what} must be a non-empty string", path, line=line)
    return " ".join(value.split())


def _entry(kind: str, data: Any, path: str, text: str, line: int | None,
           next_line: int | None) -> Override:
    if not isinstance(data, dict):
        raise DrillbookError(f"each [[{kind}]] entry must be a table", path, line=line)
    known = REQUIRED[kind] + OPTIONAL
    for key in data:
        if key not in known:
            raise DrillbookError(f"unknown key {key!r} in [[{kind}]] (expected "
                                 f"{', '.join(known)})", path,
                                 line=_key_line(text, key, line or 1, next_line) or line)
    for key in REQUIRED[kind]:
        if key not in data:
            raise DrillbookError(f"[[{kind}]] needs {key!r}", path, line=line)
    at = lambda key: _key_line(text, key, line or 1, next_line) or line  # noqa: E731
    reason = _text(data["reason"], "reason", path, at("reason")) if "reason" in data else ""
    if kind in ("merge", "keep_apart"):
        problems = data["problems"]
        if not isinstance(problems, list) or len(problems) < 2:
            raise DrillbookError(f"'problems' of [[{kind}]] must list at least two problems "
                                 "(ids or titles)", path, line=at("problems"))
        refs = tuple(_text(p, f"each problem of [[{kind}]]", path, at("problems"))
                     for p in problems)
        if len({normalize_title(r) for r in refs}) < len(refs):
            raise DrillbookError(f"[[{kind}]] names the same problem twice", path,
                                 line=at("problems"))
        return Override(kind, refs, None, reason, line)  # type: ignore[arg-type]
    problem = _text(data["problem"], f"'problem' of [[{kind}]]", path, at("problem"))
    key = "topic" if kind == "move" else "title"
    target = _text(data[key], f"{key!r} of [[{kind}]]", path, at(key))
    return Override(kind, (problem,), target, reason, line)  # type: ignore[arg-type]


def parse_overrides(text: str, path: str = "overrides.toml") -> Overrides:
    """Parse the overrides file's text; errors name the file and line."""
    data = load_toml(text, path)
    for key in data:
        if key not in REQUIRED:
            raise DrillbookError(f"unknown key {key!r} (expected [[merge]], [[keep_apart]], "
                                 "[[move]] or [[retitle]] entries)", path,
                                 line=_key_line(text, key))
    headers = _header_lines(text)
    all_headers = sorted(n for lines in headers.values() for n in lines)
    entries: list[Override] = []
    for kind in REQUIRED:
        items = data.get(kind, [])
        if not isinstance(items, list):
            raise DrillbookError(f"{kind!r} must be written as [[{kind}]] entries", path,
                                 line=_key_line(text, kind))
        lines = headers.get(kind, [])
        for index, item in enumerate(items):
            line = lines[index] if index < len(lines) else _key_line(text, kind)
            later = [n for n in all_headers if line is not None and n > line]
            entries.append(_entry(kind, item, path, text, line, later[0] if later else None))
    entries.sort(key=lambda e: (e.line or 0))
    return Overrides(entries=tuple(entries), path=path)


def load_overrides(path: Path | str | None) -> Overrides:
    """Read the overrides file; a missing file (or None) is the empty file."""
    if path is None:
        return Overrides()
    path = Path(path)
    if not path.is_file():
        return Overrides(path=str(path))
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise DrillbookError("overrides file is not UTF-8 text", str(path)) from None
    return parse_overrides(text, str(path))
