"""Item selection: which points are asked, in which kind, checked, and rebalanced for length.

Everything random flows from the quiz seed (string seeds for per-item draws, so an item's
options do not depend on which items came before it).
"""
from __future__ import annotations

import random
from typing import Callable, Iterator, Sequence

from ...config import QuizSettings
from ...models import Point, Problem
from .checks import CheckTally, item_findings, key_is_longest, key_is_shortest
from .contrast import WHICH_CONTRAST
from .generate import BUILDERS, OPTIONS_PER_ITEM, Bank, Item
from .items import AVOID_LONGEST, AVOID_SHORTEST, Decline
from .solver import SubjectModel
from .text import GENERIC, content_lemmas, normalized, plain

REPAIR_ATTEMPTS = 5
# Kinds whose items from one problem would show each other's options: one per problem.
ONE_PER_PROBLEM = frozenset({WHICH_CONTRAST})
# Two items of a quiz share at most this many options: items that share options answer
# each other (the option only one of two items has is likely its key; four ACID items with
# the same four options answer each other by elimination). A quiz too long for that takes
# items sharing up to FILL_SHARED_OPTIONS last.
MAX_SHARED_OPTIONS = 1
FILL_SHARED_OPTIONS = 3


def spread(problems: Sequence[Problem], rng: random.Random) -> Iterator[tuple[Problem, Point]]:
    """(problem, point) pairs spread over topics and problems: round-robin, seeded."""
    by_topic: dict[str, list[Problem]] = {}
    for problem in problems:
        by_topic.setdefault(problem.topic, []).append(problem)
    queues: list[list[tuple[Problem, Point]]] = []
    for topic in sorted(by_topic):
        topic_problems = list(by_topic[topic])
        rng.shuffle(topic_problems)
        points = [list(p.points) for p in topic_problems]
        for pts in points:
            rng.shuffle(pts)
        # Interleave the topic's problems, so its first items come from different problems.
        queue = [(p, pts[i]) for i in range(max((len(x) for x in points), default=0))
                 for p, pts in zip(topic_problems, points) if i < len(pts)]
        queues.append(queue)
    rng.shuffle(queues)
    for i in range(max((len(q) for q in queues), default=0)):
        for queue in queues:
            if i < len(queue):
                yield queue[i]


def build_checked(bank: Bank, kind: str, problem: Problem, point: Point, seed: int,
                  tally: CheckTally, avoid_key_longest: int = 0,
                  subjects: SubjectModel | None = None) -> Item | None:
    """Build an item and check it; a failing item is rebuilt with another draw, then dropped.

    Every rejection is recorded with its reasons (``tally.rejected``); a point that gives no
    item at all is counted under its builder's reason (``tally.declined``).

    The outcome is a pure function of its arguments (the draws are seeded from them), so it
    is worked out once per bank and kept there with the counts it made: the build's quiz and
    the site's quiz share a bank and try the same candidates first, and each still counts
    every finding in its own tally."""
    key = (kind, problem.id, point, seed, int(avoid_key_longest), subjects)
    if key not in bank.checked:
        counts = CheckTally.empty()
        bank.checked[key] = (_build_checked(bank, kind, problem, point, seed, counts,
                                            avoid_key_longest, subjects), counts)
    item, counts = bank.checked[key]
    tally.add(counts)
    return item


def _build_checked(bank: Bank, kind: str, problem: Problem, point: Point, seed: int,
                   tally: CheckTally, avoid_key_longest: int,
                   subjects: SubjectModel | None) -> Item | None:
    builder = BUILDERS[kind]
    for attempt in range(REPAIR_ATTEMPTS):
        rng = random.Random(f"{seed}:{kind}:{problem.id}:{point.title}:{attempt}:"
                            f"{int(avoid_key_longest)}")
        item = builder(bank, problem, point, rng, avoid_key_longest)
        if item is None or isinstance(item, Decline):
            tally.decline(kind, item.reason if item is not None else "nothing fits")
            return None  # nothing fits: not an item, so nothing to repair
        tally.built += 1
        findings = item_findings(item, OPTIONS_PER_ITEM, subjects)
        if not findings:
            if attempt:
                tally.repaired += 1
            return item
        tally.reject(item, findings, attempt)
    tally.dropped += 1
    return None


def select_items(bank: Bank, options: QuizSettings, kinds: Sequence[str],
                 tally: CheckTally, progress: bool = False,
                 subjects: SubjectModel | None = None) -> list[Item]:
    """Up to ``options.count`` checked items, kinds in equal turns, spread over topics.

    ``progress``: count the items on a progress bar on stderr (a large quiz takes a while).
    """
    from tqdm import tqdm

    with tqdm(total=options.count, desc="quiz items", unit="item", leave=False,
              disable=not progress) as bar:
        return _select_items(bank, options, kinds, tally, bar.update, subjects)


def _select_items(bank: Bank, options: QuizSettings, kinds: Sequence[str], tally: CheckTally,
                  made: Callable[[int], object], subjects: SubjectModel | None) -> list[Item]:
    """Kinds in turns; an item whose options overlap a chosen item's is set aside, and the
    set-aside items fill the quiz only when the rest runs out (a long quiz from a small
    book). A key is never asked twice."""
    rng = random.Random(options.seed)
    orders = {kind: spread(bank.selected, rng) for kind in kinds}
    used_points: set[tuple[str, str]] = set()
    once: set[tuple[str, str]] = set()  # (kind, problem) of the one-per-problem kinds
    keys: set[str] = set()  # no key asked twice (the book repeats some points' titles)
    option_sets: list[set[str]] = []
    aside: dict[str, list[tuple[tuple[str, str], Item]]] = {kind: [] for kind in kinds}
    items: list[Item] = []

    def take(kind: str, anchor: tuple[str, str], item: Item) -> None:
        used_points.add(anchor)
        keys.add(normalized(item.key))
        option_sets.append({normalized(o) for o in item.options})
        if kind in ONE_PER_PROBLEM:
            once.add((kind, anchor[0]))
        items.append(item)
        made(1)

    def fresh(kind: str) -> bool:
        for problem, point in orders[kind]:
            anchor = (problem.id, point.title)
            if anchor in used_points or (kind, problem.id) in once:
                continue
            item = build_checked(bank, kind, problem, point, options.seed, tally,
                                 subjects=subjects)
            if item is None:
                continue
            if _repeats_key(item, keys):
                tally.decline(kind, "its key (or the same idea) is asked by another item")
            elif _shares_options(item, option_sets):
                aside[kind].append((anchor, item))
            else:
                take(kind, anchor, item)
                return True
        return False

    def set_aside(kind: str) -> bool:
        for index, (anchor, item) in enumerate(aside[kind]):
            if anchor in used_points or (kind, anchor[0]) in once or _repeats_key(item, keys):
                continue
            if _shares_options(item, option_sets, FILL_SHARED_OPTIONS):
                continue
            del aside[kind][index]
            take(kind, anchor, item)
            return True
        return False

    for source in (fresh, set_aside):
        active = list(kinds)
        turn = 0
        while len(items) < options.count and active:
            kind = active[turn % len(active)]
            if source(kind):
                turn += 1
            else:
                active.remove(kind)  # nothing left of this kind; the others fill its turns
    for kind, left in aside.items():
        for anchor, _ in left:
            if anchor not in used_points:
                tally.decline(kind, "its options overlap an item already chosen")
    return items


def _repeats_key(item: Item, keys: set[str]) -> bool:
    """The item asks a key already asked, or one naming the same idea ("Display Staleness
    Warnings" and "Display Staleness to User" from two problems)."""
    words = content_lemmas(plain(item.key)) - GENERIC
    return any(key == normalized(item.key) or _same_idea(words, key) for key in keys)


def _shares_options(item: Item, option_sets: list[set[str]],
                    limit: int = MAX_SHARED_OPTIONS) -> bool:
    """The item shares more than ``limit`` options with a chosen item."""
    mine = {normalized(o) for o in item.options}
    return any(len(mine & other) > limit for other in option_sets)


def _same_idea(words: frozenset[str], other_key: str) -> bool:
    theirs = content_lemmas(other_key) - GENERIC
    shared = words & theirs
    return len(shared) >= 2 and len(shared) * 3 >= 2 * min(len(words), len(theirs))


def rebalance_longest_keys(bank: Bank, items: list[Item], options: QuizSettings,
                           tally: CheckTally, subjects: SubjectModel | None = None) -> list[Item]:
    """Rebuild items whose key is the longest option until at most 1/k of keys are, then
    likewise for the shortest.

    Chance alone makes the key the longest (or the shortest) in about 1/k of items;
    rebuilding with at least one longer (shorter) distractor keeps a quiz from drifting
    above that, so neither "pick the longest" nor "never the longest" pays.
    """
    by_anchor = {(p.id, pt.title): (p, pt) for p in bank.corpus.problems for pt in p.points}
    allowed = len(items) // OPTIONS_PER_ITEM
    result = list(items)
    for rule, stands_out in ((AVOID_LONGEST, key_is_longest), (AVOID_SHORTEST, key_is_shortest)):
        for index, item in enumerate(result):
            if sum(stands_out(i) for i in result) <= allowed:
                break
            if not stands_out(item):
                continue
            problem, point = by_anchor[(item.problem, item.point)]
            rebuilt = build_checked(bank, item.kind, problem, point, options.seed, tally,
                                    avoid_key_longest=rule, subjects=subjects)
            if rebuilt is not None and rebuilt.key == item.key and not stands_out(rebuilt) \
                    and not key_is_longest(rebuilt):
                result[index] = rebuilt
                tally.rebalanced += 1
    return result
