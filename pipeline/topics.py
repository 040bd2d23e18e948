"""Choosing topics by what a user types: a topic id, its title, or its title's slug."""
from __future__ import annotations

from typing import Sequence

from .errors import DrillbookError
from .ids import normalize_title, slugify
from .models import Corpus, Topic


def find_topic(ref: str, topics: Sequence[Topic]) -> Topic | None:
    """The topic ``ref`` names (its id, its title in any case and punctuation, or its slug)."""
    by_key: dict[str, Topic] = {}
    for topic in topics:
        by_key.setdefault(topic.id, topic)
        by_key.setdefault(slugify(topic.title, 64), topic)
        by_key.setdefault(normalize_title(topic.title), topic)
    return (by_key.get(ref) or by_key.get(normalize_title(ref))
            or by_key.get(slugify(ref, 64)))


def resolve_topics(corpus: Corpus, wanted: Sequence[str]) -> list[str] | None:
    """Topic ids for ids or titles the user gave; None means every topic."""
    if not wanted:
        return None
    found: list[str] = []
    for name in wanted:
        topic = find_topic(name, corpus.topics)
        if topic is None:
            known = ", ".join(t.id for t in corpus.topics[:8])
            raise DrillbookError(f"unknown topic {name!r} (topic ids look like: {known}, ...)")
        if topic.id not in found:
            found.append(topic.id)
    return found
