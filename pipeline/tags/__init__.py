"""The tags stage: split space-joined tag rows, normalize tags, apply the user's aliases.

    result = normalize_tags(corpus, evidence, load_aliases("raw/tags.toml"),
                            TagCache("build/.cache"))
    result.corpus      # points' tags = tag ids, problems' tags, corpus.tags
    result.splits      # every joined row's split, least confident first
"""
from __future__ import annotations

import importlib
from typing import Any

# Names are loaded on first use: the up-to-date check of a build only needs
# ``tags.lemmas.lemmatizer_id`` and should not pay for importing the whole stage.
_EXPORTS = {"TagAliases": "aliases", "load_aliases": "aliases", "parse_aliases": "aliases",
            "TagCache": "cache", "Split": "stage", "TagResult": "stage",
            "normalize_tags": "stage"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
