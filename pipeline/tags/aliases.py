"""The user's tag file (``raw/tags.toml``): aliases, pinned splits, phrases and products.

It is read, never written, by the pipeline, so a user's edits survive every rebuild.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..tomlfile import TomlFile, load_toml, parse_toml
from .families import KINDS
from .words import clean_tag_text, match_key, tag_words

KNOWN_KEYS = ("phrases", "products", "aliases", "splits", "kinds", "families")


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


def _strings(value: Any, what: str, toml: TomlFile, *at: str | int) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise toml.error(f"{what} must be a string or a list of non-empty strings", *at)
    return [clean_tag_text(v) for v in value]


def _named_values(toml: TomlFile, key: str,
                  allowed: tuple[str, ...] | None = None) -> dict[str, str]:
    """A [kinds] or [families] table: tag = value (one of ``allowed`` when given)."""
    table = toml.data.get(key, {})
    if not isinstance(table, dict):
        raise toml.error(f"[{key}] must be a table of \"tag\" = \"{key[:-1]}\"", key)
    found: dict[str, str] = {}
    for tag, value in table.items():
        label = clean_tag_text(tag)
        if not label:
            raise toml.error(f"[{key}] needs a tag before '='", key, tag)
        if not isinstance(value, str) or not value.strip():
            raise toml.error(f"the {key[:-1]} of {tag!r} must be a non-empty string", key, tag)
        value = value.strip()
        if allowed is not None and value not in allowed:
            raise toml.error(f"the kind of {tag!r} must be one of {', '.join(allowed)} "
                             f"(got {value!r})", key, tag)
        found[label] = value
    return found


def aliases_from_toml(toml: TomlFile) -> TagAliases:
    """The tag file's settings from its parsed TOML; errors name the file and line."""
    data = toml.data
    unknown = sorted(set(data) - set(KNOWN_KEYS))
    if unknown:
        raise toml.error(f"unknown key {unknown[0]!r} (expected one of "
                         f"{', '.join(KNOWN_KEYS)})", unknown[0])
    aliases: dict[str, str] = {}
    raw_aliases = data.get("aliases", {})
    if not isinstance(raw_aliases, dict) or not all(isinstance(v, (str, list))
                                                    for v in raw_aliases.values()):
        raise toml.error("[aliases] must be a table of canonical = [variants]", "aliases")
    for canonical, variants in raw_aliases.items():
        label = clean_tag_text(canonical)
        if not label:
            raise toml.error("an alias needs a canonical tag", "aliases", canonical)
        cleaned = _strings(variants, f"aliases of {canonical!r}", toml, "aliases", canonical)
        for index, variant in enumerate(cleaned):
            if variant in aliases and aliases[variant] != label:
                at = ("aliases", canonical) + ((index,) if isinstance(variants, list) else ())
                raise toml.error(f"{variant!r} is an alias of both {aliases[variant]!r} "
                                 f"and {label!r}", *at)
            aliases[variant] = label
    splits: dict[str, tuple[str, ...]] = {}
    raw_splits = data.get("splits", {})
    if not isinstance(raw_splits, dict):
        raise toml.error("[splits] must be a table of \"row\" = [parts]", "splits")
    for row, parts in raw_splits.items():
        parts = _strings(parts, f"the split of {row!r}", toml, "splits", row)
        if [w for p in parts for w in tag_words(p)] != tag_words(row):
            raise toml.error(f"the parts of {row!r} must be its words in order, "
                             f"cut into tags (got {parts})", "splits", row)
        splits[match_key(row)] = tuple(parts)
    kinds = _named_values(toml, "kinds", allowed=KINDS)
    families = _named_values(toml, "families")
    phrases = data.get("phrases", [])
    products = data.get("products", [])
    return TagAliases(aliases=aliases, splits=splits, kinds=kinds, families=families,
                      phrases=tuple(_strings(phrases, "phrases", toml, "phrases")),
                      products=frozenset(_strings(products, "products", toml, "products")),
                      path=toml.path)


def parse_aliases(text: str, path: str = "tags.toml") -> TagAliases:
    """Parse the tag file's text; errors name the file and line."""
    return aliases_from_toml(parse_toml(text, path))


def load_aliases(path: Path | str | None) -> TagAliases:
    """Read the tag file; a missing file (or None) is the empty file."""
    if path is None:
        return TagAliases()
    path = Path(path)
    if not path.is_file():
        return TagAliases(path=str(path))
    return aliases_from_toml(load_toml(path))
