"""The Anki tags of a note: drillbook's tags under one root, only those a filtered deck uses.

Every tag drillbook puts on a card starts with ``drillbook::`` so it sits in one branch of
the learner's tag list:

- ``drillbook::topic::<topic id>``: the note's topic;
- ``drillbook::tech::<technology>``: a technology the point's tags name or are about
  (``Redis sessions`` gives ``drillbook::tech::redis``): always, one technology is worth a
  filtered deck however rarely the book names it (``[anki] tag_technologies``);
- ``drillbook::concept::<label>`` and ``drillbook::command::<label>``: a concept or command
  shared by at least ``[anki] tag_min_points`` points of the corpus;
- ``drillbook::retired``: notes of problems that left the corpus (see manifest.py).

A tag of one point only, or a remark printed as a tag (kind ``note``), stays in corpus.json
but not on cards. Names come from the tag's label as printed (slugged), never from a folded
key, so ``HttpOnly cookies`` stays ``httponly-cookies``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from ...ids import slugify
from ...models import Tag

ROOT = "drillbook"
TOPIC_PREFIX = f"{ROOT}::topic::"


@dataclass(frozen=True)
class TagPolicy:
    """Which corpus tags reach cards (the [anki] settings)."""

    min_points: int = 3
    technologies: bool = True


def topic_tag(topic_id: str) -> str:
    return f"{TOPIC_PREFIX}{topic_id}"


class CardTags:
    """Corpus tag ids -> the Anki tags they put on a card (none for most)."""

    def __init__(self, tags: Sequence[Tag], policy: TagPolicy):
        self._names: dict[str, tuple[str, ...]] = {}
        for tag in tags:
            names: list[str] = []
            if policy.technologies and tag.technology:
                names.append(f"{ROOT}::tech::{slugify(tag.technology, 64)}")
            if tag.kind in ("concept", "command") and tag.count >= policy.min_points:
                names.append(f"{ROOT}::{tag.kind}::{slugify(tag.label, 64)}")
            self._names[tag.id] = tuple(names)

    def of(self, tag_ids: Iterable[str]) -> set[str]:
        """The Anki tags of a note carrying these corpus tags."""
        return {name for tag_id in tag_ids for name in self._names.get(tag_id, ())}
