"""Reading a TOML file with the line of every key, so errors about a value can name its line.

``tomllib`` parses (and is the judge of what is valid TOML) but keeps no positions. After
it has accepted the text, a small scanner walks the same text once and records the line
where each key is written, under the key's path in the parsed data:

    [dedupe]                  ("dedupe",)                  -> 1
    title_threshold = 85      ("dedupe", "title_threshold") -> 2
    [[merge]]                 ("merge", 0)                 -> 3
    problems = ["a",          ("merge", 0, "problems")     -> 4
                "b"]          ("merge", 0, "problems", 1)  -> 5

Array items and inline-table keys get their own paths too. ``TomlFile.error(message, *path)``
makes the ``DrillbookError`` naming the file and the line of the nearest recorded path, so
every caller (settings, overrides, tag aliases) reports bad values the same way.

Every TOML file drillbook reads goes through it: the settings (``pipeline.config``),
``overrides.toml`` (``pipeline.overrides.parse``) and ``tags.toml``
(``pipeline.tags.aliases``). A reader calls ``load_toml(path)`` (or ``parse_toml(text,
path)``), reads ``toml.data`` and raises ``toml.error("needs 'problem'", "move", 2)`` for
the third ``[[move]]`` entry. Invalid TOML, missing files, folders and non-UTF-8 files
raise one-line errors naming the file (and line).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .errors import DrillbookError
from .files import open_regular

KeyPath = tuple[str | int, ...]
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOML_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True)
class TomlFile:
    """A parsed TOML file: its data, its path as shown to the user, and the line of each key."""

    path: str
    data: dict[str, Any]
    lines: Mapping[KeyPath, int] = field(default_factory=dict)

    def line_of(self, *path: str | int) -> int | None:
        """The line of ``path``, or of its nearest written ancestor (None: nothing written)."""
        keys: KeyPath = tuple(path)
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return None

    def error(self, message: str, *path: str | int) -> DrillbookError:
        """A DrillbookError about the value at ``path``: ``file:LINE: message``."""
        return DrillbookError(message, self.path, line=self.line_of(*path))


def parse_toml(text: str, path: str) -> TomlFile:
    """Parse TOML text; invalid TOML raises DrillbookError with the line tomllib names."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line = int(match.group(1)) if match else None
        if line is None and "end of document" in str(exc):
            line = max(1, len(text.splitlines()))  # e.g. an array never closed
        raise DrillbookError(f"invalid TOML: {message}", path, line=line) from None
    return TomlFile(path, data, _KeyScanner(text).scan())


def load_toml(path: Path, display: str | None = None, missing_ok: bool = False) -> TomlFile:
    """Read and parse a TOML file; a missing file is an empty one when ``missing_ok``."""
    shown = display or str(path)
    if missing_ok and not path.exists():
        return TomlFile(shown, {})
    if not path.exists():
        raise DrillbookError("file not found", shown)
    if path.is_dir():
        raise DrillbookError("is a folder, expected a TOML file", shown)
    try:
        with open_regular(path, shown) as handle:  # a FIFO or a device would block forever
            text = handle.read().decode("utf-8")
    except UnicodeDecodeError:
        raise DrillbookError("not UTF-8 text", shown) from None
    except OSError as exc:
        raise DrillbookError(f"cannot read file: {exc.strerror or exc}", shown) from None
    return parse_toml(text, shown)


class _KeyScanner:
    """Walks text tomllib has accepted and records where each key path is written.

    Being lenient is safe: the text is valid TOML, so the scanner only needs to find
    headers, keys and the extent of values (strings, arrays, inline tables, scalars).
    """

    def __init__(self, text: str):
        self.text = text
        self.i = 0
        self.line = 1
        self.lines: dict[KeyPath, int] = {}
        self.array_tables: dict[KeyPath, int] = {}

    # ----- characters ----------------------------------------------------------------------

    def peek(self, offset: int = 0) -> str:
        at = self.i + offset
        return self.text[at] if at < len(self.text) else ""

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.i < len(self.text):
                if self.text[self.i] == "\n":
                    self.line += 1
                self.i += 1

    def skip_blank(self, newlines: bool) -> None:
        """Spaces and tabs (and newlines and comments when ``newlines``)."""
        while self.i < len(self.text):
            char = self.text[self.i]
            if char in " \t\r" or (newlines and char == "\n"):
                self.advance()
            elif char == "#" and newlines:
                while self.peek() not in ("\n", ""):
                    self.advance()
            else:
                return

    def skip_line(self) -> None:
        while self.peek() not in ("\n", ""):
            self.advance()

    # ----- pieces --------------------------------------------------------------------------

    def string(self) -> str:
        """A basic, literal or multi-line string at the cursor; returns its value."""
        quote = self.peek()
        start = self.i
        if self.text.startswith(quote * 3, self.i):
            self.advance(3)
            end = self.text.find(quote * 3, self.i)
            while end != -1 and quote == '"' and _escaped(self.text, end):
                end = self.text.find(quote * 3, end + 1)
            # A closing run may hold up to two more quotes that belong to the content.
            end = len(self.text) if end == -1 else end
            while self.text.startswith(quote, end + 3):
                end += 1
            self.advance(end + 3 - self.i)
        else:
            self.advance()
            while self.peek() not in (quote, "\n", ""):
                if quote == '"' and self.peek() == "\\":
                    self.advance()
                self.advance()
            self.advance()
        return tomllib.loads("v = " + self.text[start:self.i])["v"]

    def key(self) -> KeyPath:
        """A dotted key (bare or quoted parts) at the cursor."""
        parts: list[str | int] = []
        while True:
            self.skip_blank(newlines=False)
            if self.peek() in ('"', "'"):
                parts.append(self.string())
            else:
                match = _BARE_KEY.match(self.text, self.i)
                if match is None:
                    return tuple(parts)
                parts.append(match.group(0))
                self.advance(match.end() - self.i)
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return tuple(parts)
            self.advance()

    def value(self, path: KeyPath) -> None:
        """Skip one value, recording array items and inline-table keys under ``path``."""
        self.skip_blank(newlines=False)
        char = self.peek()
        if char in ('"', "'"):
            self.string()
        elif char == "[":
            self.advance()
            index = 0
            while True:
                self.skip_blank(newlines=True)
                if self.peek() in ("]", ""):
                    self.advance()
                    return
                self.lines.setdefault(path + (index,), self.line)
                self.value(path + (index,))
                index += 1
                self.skip_blank(newlines=True)
                if self.peek() == ",":
                    self.advance()
        elif char == "{":
            self.advance()
            while True:
                self.skip_blank(newlines=True)
                if self.peek() in ("}", ""):
                    self.advance()
                    return
                if self.peek() == ",":
                    self.advance()
                    continue
                line = self.line
                key = path + self.key()
                self.lines.setdefault(key, line)
                self.skip_blank(newlines=False)
                self.advance()  # "="
                self.value(key)
        else:  # number, boolean, date: up to the next delimiter
            while self.peek() not in (",", "]", "}", "\n", "#", ""):
                self.advance()

    # ----- the document --------------------------------------------------------------------

    def scan(self) -> dict[KeyPath, int]:
        table: KeyPath = ()
        while True:
            self.skip_blank(newlines=True)
            if not self.peek():
                return self.lines
            line = self.line
            if self.peek() == "[":
                double = self.peek(1) == "["
                self.advance(2 if double else 1)
                name = self.key()
                if double:
                    index = self.array_tables.get(name, -1) + 1
                    self.array_tables[name] = index
                    # Tables nested in an array table hang off its latest element.
                    self.array_tables = {k: v for k, v in self.array_tables.items()
                                         if k[:len(name)] != name or k == name}
                    table = self._resolve(name) + (index,)
                else:
                    table = self._resolve(name)
                self.lines.setdefault(table, line)
                self.lines.setdefault(table[:-1] if double else table, line)
                self.skip_line()
                continue
            key = table + self.key()
            self.lines.setdefault(key, line)
            self.skip_blank(newlines=False)
            if self.peek() == "=":
                self.advance()
            self.value(key)
            self.skip_line()

    def _resolve(self, name: KeyPath) -> KeyPath:
        """``name`` with the current element index of every array table it lies in."""
        resolved: list[str | int] = []
        for depth in range(1, len(name) + 1):
            resolved.append(name[depth - 1])
            prefix = name[:depth]
            if prefix in self.array_tables and depth < len(name):
                resolved.append(self.array_tables[prefix])
        return tuple(resolved)


def _escaped(text: str, at: int) -> bool:
    """True when the character at ``at`` follows an odd number of backslashes."""
    count = 0
    while at - count - 1 >= 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1
