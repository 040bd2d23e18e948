"""The user's tag file (``raw/tags.toml``): aliases, pinned splits, phrases and products.

It is read, never written, by the pipeline, so a user's edits survive every rebuild.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DrillbookError
from .families import KINDS
from .words import clean_tag_text, match_key, tag_words

KNOWN_KEYS = ("phrases", "products", "aliases", "splits", "kinds", "families")
_TOML_LINE = re.compile(r"line (\d+)")


@dataclass(frozen=True)
class TagAliases:
    """What the user told the tags stage; ``TagAliases()`` is the empty file."""

    aliases: dict[str, str] = field(default_factory=dict)  # variant as written -> canonical
    splits: dict[str, tuple[str, ...]] = field(default_factory=dict)  # match key -> parts
    phrases: tuple[str, ...] = ()  # always one tag when met in a row
    products: frozenset[str] = frozenset()  # names that keep their case and stand alone
    kinds: dict[str, str] = field(default_factory=dict)  # tag as written -> its kind
    families: dict[str, str] = field(default_factory=dict)  # tag as written -> its family
    path: str | None = None

    def user_phrases(self) -> list[str]:
        """Every phrase the splitter must keep whole: phrases, variants, canonicals, parts."""
        found = list(self.phrases) + list(self.aliases) + list(self.aliases.values())
        found += [part for parts in self.splits.values() for part in parts]
        return found


def _line_of(text: str, key: str) -> int | None:
    """The first line that mentions ``key`` (for errors about a value, not the syntax)."""
    for number, line in enumerate(text.splitlines(), 1):
        if key in line:
            return number
    return None


def _line_in_table(text: str, table: str, key: str) -> int | None:
    """The line of ``key`` inside ``[table]`` (else anywhere), for errors about a value."""
    lines = text.splitlines()
    start = next((n for n, line in enumerate(lines) if line.strip() == f"[{table}]"), None)
    if start is not None:
        for number in range(start + 1, len(lines)):
            if lines[number].lstrip().startswith("["):
                break
            if key in lines[number]:
                return number + 1
    return _line_of(text, key)


def _strings(value: Any, what: str, path: str, text: str, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DrillbookError(f"{what} must be a string or a list of non-empty strings",
                             path, line=_line_of(text, key))
    return [clean_tag_text(v) for v in value]


def _named_values(data: dict[str, Any], key: str, path: str, text: str,
                  allowed: tuple[str, ...] | None = None) -> dict[str, str]:
    """A [kinds] or [families] table: tag = value (one of ``allowed`` when given)."""
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise DrillbookError(f"[{key}] must be a table of \"tag\" = \"{key[:-1]}\"", path,
                             line=_line_of(text, key))
    found: dict[str, str] = {}
    for tag, value in table.items():
        label = clean_tag_text(tag)
        if not label:
            raise DrillbookError(f"[{key}] needs a tag before '='", path,
                                 line=_line_in_table(text, key, tag))
        if not isinstance(value, str) or not value.strip():
            raise DrillbookError(f"the {key[:-1]} of {tag!r} must be a non-empty string",
                                 path, line=_line_in_table(text, key, tag))
        value = value.strip()
        if allowed is not None and value not in allowed:
            raise DrillbookError(f"the kind of {tag!r} must be one of {', '.join(allowed)} "
                                 f"(got {value!r})", path, line=_line_in_table(text, key, tag))
        found[label] = value
    return found


def parse_aliases(text: str, path: str = "tags.toml") -> TagAliases:
    """Parse the tag file's text; errors name the file and line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        raise DrillbookError(f"invalid TOML: {exc}", path,
                             line=int(match.group(1)) if match else None) from None
    unknown = sorted(set(data) - set(KNOWN_KEYS))
    if unknown:
        raise DrillbookError(f"unknown key {unknown[0]!r} (expected one of "
                             f"{', '.join(KNOWN_KEYS)})", path, line=_line_of(text, unknown[0]))
    aliases: dict[str, str] = {}
    raw_aliases = data.get("aliases", {})
    if not isinstance(raw_aliases, dict) or not all(isinstance(v, (str, list))
                                                    for v in raw_aliases.values()):
        raise DrillbookError("[aliases] must be a table of canonical = [variants]", path,
                             line=_line_of(text, "aliases"))
    for canonical, variants in raw_aliases.items():
        label = clean_tag_text(canonical)
        if not label:
            raise DrillbookError("an alias needs a canonical tag", path,
                                 line=_line_of(text, canonical))
        for variant in _strings(variants, f"aliases of {canonical!r}", path, text, canonical):
            if variant in aliases and aliases[variant] != label:
                raise DrillbookError(f"{variant!r} is an alias of both {aliases[variant]!r} "
                                     f"and {label!r}", path, line=_line_of(text, variant))
            aliases[variant] = label
    splits: dict[str, tuple[str, ...]] = {}
    raw_splits = data.get("splits", {})
    if not isinstance(raw_splits, dict):
        raise DrillbookError("[splits] must be a table of \"row\" = [parts]", path,
                             line=_line_of(text, "splits"))
    for row, parts in raw_splits.items():
        parts = _strings(parts, f"the split of {row!r}", path, text, row)
        if [w for p in parts for w in tag_words(p)] != tag_words(row):
            raise DrillbookError(f"the parts of {row!r} must be its words in order, "
                                 f"cut into tags (got {parts})", path, line=_line_of(text, row))
        splits[match_key(row)] = tuple(parts)
    kinds = _named_values(data, "kinds", path, text, allowed=KINDS)
    families = _named_values(data, "families", path, text)
    phrases = data.get("phrases", [])
    products = data.get("products", [])
    return TagAliases(aliases=aliases, splits=splits, kinds=kinds, families=families,
                      phrases=tuple(_strings(phrases, "phrases", path, text, "phrases")),
                      products=frozenset(_strings(products, "products", path, text, "products")),
                      path=path)


def load_aliases(path: Path | str | None) -> TagAliases:
    """Read the tag file; a missing file (or None) is the empty file."""
    if path is None:
        return TagAliases()
    path = Path(path)
    if not path.is_file():
        return TagAliases(path=str(path))
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise DrillbookError("tag file is not UTF-8 text", str(path)) from None
    return parse_aliases(text, str(path))
