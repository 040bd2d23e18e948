"""Question pools for an LMS: the quiz's questions grouped by topic (or by kind).

An LMS draws questions per student from pools: Moodle and GIFT as question categories (the
teacher adds "random questions" from a category to a quiz), QTI as sections whose
``selection_number`` says how many items each student gets (Canvas calls them question
groups). ``pick`` is that number: ``[quiz] pool_pick``, or every item of the pool when it
is 0 or larger than the pool.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ...models import Corpus
from .assemble import PlacedItem, Quiz
from .interview import OpenItem

KIND_TITLES = {"name-concept": "Name the concept", "name-from-example": "Name it from an example",
               "which-approach": "Which approach", "which-technology": "Which technology",
               "open-interview": "Open interview questions"}


@dataclass(frozen=True)
class Pool:
    """Questions an LMS may draw from: ``pick`` of ``items`` (and ``open_items``) per student."""

    id: str  # topic id or kind
    title: str  # the category's name (plain text: topic titles are the book's Markdown)
    items: tuple[PlacedItem, ...]  # as version A prints them (options in its order)
    open_items: tuple[OpenItem, ...]
    pick: int

    @property
    def size(self) -> int:
        return len(self.items) + len(self.open_items)


def make_pools(corpus: Corpus, quiz: Quiz, by: str, pick: int) -> list[Pool]:
    """The quiz's questions (each once, in the order of version A) grouped ``by`` "topic"
    (in table-of-contents order) or "kind"."""
    from ...inline import plain_text

    items: Sequence[PlacedItem] = quiz.versions[0].items if quiz.versions else ()
    if by == "kind":
        order = list(KIND_TITLES)
        titles = KIND_TITLES
    else:
        topics = sorted(corpus.topics, key=lambda t: t.order)
        order = [t.id for t in topics]
        titles = {t.id: plain_text(t.title) for t in topics}

    def key(item: PlacedItem | OpenItem) -> str:
        question = item.item if isinstance(item, PlacedItem) else item
        return question.kind if by == "kind" else question.topic

    groups = {*map(key, items), *map(key, quiz.open_items)}
    order += sorted(groups - set(order))  # a topic the table of contents does not know
    pools = []
    for group in order:
        if group not in groups:
            continue
        members = tuple(i for i in items if key(i) == group)
        open_members = tuple(i for i in quiz.open_items if key(i) == group)
        size = len(members) + len(open_members)
        pools.append(Pool(group, titles.get(group, group), members, open_members,
                          size if pick <= 0 else min(pick, size)))
    return pools
