"""What every item builder shares: the item record, a declined build, distractor picking."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ...ids import quiz_item_id
from ...models import Problem
from .text import is_combined, is_nested, is_paraphrase, plain

OPTIONS_PER_ITEM = 4
MAX_LENGTH_RATIO = 2.0
# What a rebuild asks of the lengths (the builders' last argument; ``True`` is the first).
AVOID_LONGEST = 1  # at least one distractor longer than the key
AVOID_SHORTEST = 2  # at least one distractor shorter than the key


@dataclass(frozen=True)
class Item:
    """One question grounded in one problem: a stem, its key and its distractors.

    ``point`` is the title of the point the key comes from (what a rebuild starts from).
    """

    id: str
    kind: str
    problem: str  # problem id
    topic: str  # topic id
    stem: str
    key: str
    distractors: tuple[str, ...]
    point: str

    @property
    def options(self) -> tuple[str, ...]:
        return (self.key, *self.distractors)


@dataclass(frozen=True)
class Decline:
    """A build that found no fair item for this point, and why (false, like ``None``)."""

    reason: str

    def __bool__(self) -> bool:
        return False


def item_id(kind: str, problem: Problem, anchor: str) -> str:
    """A stable item id: the kind, the problem id and a hash of what the key comes from."""
    return quiz_item_id(kind, problem.id, anchor)


def option_length(text: str) -> int:
    """An option's length as printed: its plain text, marks and TeX resolved."""
    return len(plain(text).strip())


def lengths_fit(options: Iterable[str]) -> bool:
    lengths = [option_length(o) for o in options]
    return bool(lengths) and min(lengths) > 0 and max(lengths) <= MAX_LENGTH_RATIO * min(lengths)


def _breaks_tie(rule: int, distractor: int, key: int) -> bool:
    """A distractor length that keeps the key from being the longest (or shortest)."""
    return distractor > key if rule == AVOID_LONGEST else distractor < key


def pick_distractors(key: str, candidates: Iterable[str], count: int,
                     avoid_key_longest: int = 0,
                     group_of: dict[str, str] | None = None) -> tuple[str, ...] | None:
    """The first ``count`` candidates that keep the options distinct, homogeneous and clean.

    Candidates come in the caller's order of preference (already shuffled with the seed).
    A candidate is skipped when it would make the lengths uneven, paraphrases or nests
    inside another option ("Vertical Scaling" / "Vertical Scaling as Quick Fix": both could
    be right), or joins two others. With ``avoid_key_longest`` (``AVOID_LONGEST``, or
    ``True``) at least one pick is longer than the key, so the longest option is not a
    give-away; with ``AVOID_SHORTEST`` at least one is shorter. With ``group_of`` no two
    picks share a group.
    """
    picked: list[str] = []
    groups: set[str] = set()
    for candidate in candidates:
        if len(picked) == count:
            break
        if not lengths_fit([key, *picked, candidate]):
            continue
        if any(is_paraphrase(candidate, other) or is_nested(candidate, other)
               for other in (key, *picked)):
            continue
        if is_combined(candidate, [key, *picked]):
            continue
        group = group_of.get(candidate) if group_of else None
        if group is not None and group in groups:
            continue
        if len(picked) == count - 1 and avoid_key_longest and not any(
                _breaks_tie(avoid_key_longest, option_length(p), option_length(key))
                for p in (*picked, candidate)):
            continue
        picked.append(candidate)
        if group is not None:
            groups.add(group)
    return tuple(picked) if len(picked) == count else None
