"""Choosing topics by what a user types: a topic id, its title, or its title's slug."""
from __future__ import annotations

from typing import Sequence

from ..errors import DrillbookError
from ..ids import normalize_title, slugify
from ..models import Corpus


def resolve_topics(corpus: Corpus, wanted: Sequence[str]) -> list[str] | None:
    """Topic ids for ids or titles the user gave; None means every topic."""
    if not wanted:
        return None
    by_key: dict[str, str] = {}
    for topic in corpus.topics:
        by_key[topic.id] = topic.id
        by_key[slugify(topic.title, 64)] = topic.id
        by_key[normalize_title(topic.title)] = topic.id
    found: list[str] = []
    for name in wanted:
        topic = (by_key.get(name) or by_key.get(normalize_title(name))
                 or by_key.get(slugify(name, 64)))
        if topic is None:
            known = ", ".join(t.id for t in corpus.topics[:8])
            raise DrillbookError(f"unknown topic {name!r} (topic ids look like: {known}, ...)")
        if topic not in found:
            found.append(topic)
    return found
