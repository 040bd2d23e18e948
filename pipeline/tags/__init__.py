"""The tags stage: split space-joined tag rows, normalize tags, apply the user's aliases.

    result = normalize_tags(corpus, evidence, load_aliases("raw/tags.toml"),
                            TagCache("build/.cache"))
    result.corpus      # points' tags = tag ids, problems' tags, corpus.tags
    result.splits      # every joined row's split, least confident first
"""
from .aliases import TagAliases, load_aliases, parse_aliases
from .cache import TagCache
from .stage import Split, TagResult, normalize_tags

__all__ = ["Split", "TagAliases", "TagCache", "TagResult", "load_aliases", "normalize_tags",
           "parse_aliases"]
