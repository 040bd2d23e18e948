"""Quiz assembly: items chosen and checked (select.py), laid out in shuffled versions.

Everything random flows from ``random.Random`` seeded with the quiz seed (string seeds
for per-item draws, so an item's options do not depend on which items came before it).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Sequence

from ...config import QuizSettings
from ...errors import DrillbookError, NotEnoughMaterial
from ...models import Corpus, Diagnostic
from .checks import (CheckTally, item_check_report, letters_balanced, longest_run,
                     near_pairs_kept, MAX_RUN)
from .generate import DEFAULT_KINDS, KINDS, OPTIONS_PER_ITEM, RETIRED, Bank, Item
from .kinds import usable_kinds
from .select import rebalance_longest_keys, select_items
from .solver import CueSolver
from ...topics import resolve_topics

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# The cue solver's accuracy is worth a warning only over this many items (over fewer, one
# lucky guess moves it by several points).
SOLVER_MIN_ITEMS = 40


# What a quiz is made of; the same options and corpus give the same quiz. The record and
# its defaults are the [quiz] settings (pipeline.config), so they are defined once.
QuizOptions = QuizSettings


@dataclass(frozen=True)
class PlacedItem:
    """An item as printed in one version: its options in order and the key's index."""

    item: Item
    options: tuple[str, ...]
    answer: int

    @property
    def letter(self) -> str:
        return LETTERS[self.answer]


@dataclass(frozen=True)
class Version:
    """One printable version: the items in this version's order."""

    name: str
    items: tuple[PlacedItem, ...]


@dataclass
class Quiz:
    """The assembled quiz: its versions, the check report and what was noticed."""

    options: QuizOptions
    items: list[Item]
    versions: list[Version]
    checks: dict[str, object]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def assign_letters(order: Sequence[Item], k: int, rng: random.Random,
                   earlier: Sequence[dict[str, int]]) -> list[int]:
    """Key positions for one version: balanced, no run over MAX_RUN, unlike earlier versions.

    Starts from a balanced multiset of letters and moves letters (swaps, or re-letters one
    of the n % k extras) while that does not add conflicts, until none are left.
    """
    n = len(order)
    letters = [letter for letter in range(k) for _ in range(n // k)]
    letters += rng.sample(range(k), n % k)
    rng.shuffle(letters)
    # With more versions than letters, only the last k-1 versions can all differ.
    recent = list(earlier)[-(k - 1):]

    def cost(current: list[int]) -> int:
        clash = sum(1 for i in range(n) for version in recent
                    if version.get(order[i].id) == current[i])
        runs = 0
        run = 0
        for i in range(n):
            run = run + 1 if i and current[i] == current[i - 1] else 1
            runs += run > MAX_RUN
        return clash + runs

    best = cost(letters)
    for _ in range(20000):
        if best == 0:
            break
        a, b = rng.randrange(n), rng.randrange(n)
        old = list(letters)
        if letters[a] != letters[b]:
            letters[a], letters[b] = letters[b], letters[a]
        else:
            letters[a] = rng.randrange(k)
            if not letters_balanced(letters, k) or \
                    max(letters.count(x) for x in range(k)) > -(-n // k):
                letters = old
                continue
        new = cost(letters)
        if new <= best:
            best = new
        else:
            letters = old
    return letters


def lay_out(items: Sequence[Item], options: QuizOptions) -> list[Version]:
    """The versions: each its own item order, key positions and distractor order."""
    rng = random.Random(f"{options.seed}:versions")
    k = OPTIONS_PER_ITEM
    versions: list[Version] = []
    earlier: list[dict[str, int]] = []
    for number in range(options.versions):
        order = list(items)
        rng.shuffle(order)
        letters = assign_letters(order, k, rng, earlier)
        placed = []
        for item, letter in zip(order, letters):
            distractors = list(item.distractors)
            rng.shuffle(distractors)
            distractors.insert(letter, item.key)
            placed.append(PlacedItem(item, tuple(distractors), letter))
        earlier.append({p.item.id: p.answer for p in placed})
        versions.append(Version(LETTERS[number], tuple(placed)))
    return versions


def version_report(versions: Sequence[Version], k: int) -> dict[str, object]:
    """Key-position checks per version, and whether later versions moved every key."""
    report: dict[str, object] = {}
    per_version = {}
    for version in versions:
        letters = [p.answer for p in version.items]
        per_version[version.name] = {
            "letters": {LETTERS[i]: letters.count(i) for i in range(k)},
            "balanced": letters_balanced(letters, k),
            "longest_run": longest_run(letters),
            "runs_ok": longest_run(letters) <= MAX_RUN}
    report["key_positions"] = per_version
    moved = []
    for previous, current in zip(versions, versions[1:]):
        before = {p.item.id: p.answer for p in previous.items}
        same = sum(1 for p in current.items if before.get(p.item.id) == p.answer)
        moved.append({"versions": f"{previous.name}->{current.name}",
                      "key_letter_changed_rate": round(1 - same / max(1, len(current.items)), 4),
                      "item_order_changed": [p.item.id for p in previous.items]
                      != [p.item.id for p in current.items]})
    report["version_changes"] = moved
    return report


def build_quiz(corpus: Corpus, options: QuizOptions, progress: bool = False) -> Quiz:
    """Generate, check and lay out a quiz from the corpus (a pure function of its inputs).

    ``progress``: show the items being made on a progress bar on stderr.
    """
    if options.count < 1:
        raise DrillbookError("quiz count must be at least 1")
    if not 1 <= options.versions <= len(LETTERS):
        raise DrillbookError(f"quiz versions must be between 1 and {len(LETTERS)}")
    unknown = [k for k in options.kinds if k not in KINDS]
    if unknown or not options.kinds:
        raise DrillbookError(f"unknown quiz kind {', '.join(unknown) or '(none)'}; "
                             f"choose from {', '.join(KINDS)}")
    topics = resolve_topics(corpus, options.topics)
    bank = Bank(corpus, topics)
    diagnostics: list[Diagnostic] = []
    if not bank.selected:
        raise NotEnoughMaterial("no problems to make a quiz from (empty corpus or topics)")
    kinds, skipped, noticed = usable_kinds(bank, options.kinds)
    diagnostics += noticed
    if not kinds:
        retired = [k for k in options.kinds if k in RETIRED]
        if retired and len(retired) == len(set(options.kinds)):
            raise NotEnoughMaterial(f"quiz kind(s) {', '.join(retired)} are retired and make no "
                                    f"items; choose from {', '.join(DEFAULT_KINDS)}")
        raise NotEnoughMaterial("none of the requested quiz kinds can be made from this corpus")
    tally = CheckTally.empty()
    solver = CueSolver(corpus)
    items = select_items(bank, options, kinds, tally, progress, solver.subjects)
    items = rebalance_longest_keys(bank, items, options, tally, solver.subjects)
    if len(items) < options.count:
        diagnostics.append(Diagnostic("warning", "quiz-short",
                                      f"only {len(items)} of {options.count} quiz items could "
                                      "be made with good distractors"))
    if not items:
        raise NotEnoughMaterial("no quiz item passed the checks")
    versions = lay_out(items, options)
    checks = {"items": len(items), "requested": options.count,
              "options_per_item": OPTIONS_PER_ITEM,
              "kinds": {kind: sum(1 for i in items if i.kind == kind) for kind in kinds},
              "skipped_kinds": skipped,
              "candidates_built": tally.built, "repaired": tally.repaired,
              "dropped": tally.dropped, "rebalanced_for_length": tally.rebalanced, "near_pairs_kept": near_pairs_kept(items),
              **item_check_report(items, tally, OPTIONS_PER_ITEM, solver),
              **version_report(versions, OPTIONS_PER_ITEM)}
    for name, result in checks.items():
        if isinstance(result, dict) and result.get("rate", 1.0) < 1.0:
            diagnostics.append(Diagnostic("warning", "quiz-check",
                                          f"quiz check {name} passes for {result['rate']:.0%}"))
    solved = checks["cue_solver"]
    if not solved["ok"] and len(items) >= SOLVER_MIN_ITEMS:
        diagnostics.append(Diagnostic("warning", "quiz-check",
                                      f"a knowledge-free cue solver answers "
                                      f"{solved['accuracy']:.0%} of items (target at most "
                                      f"{solved['max']:.0%}; chance is 25%)"))
    longest = checks["key_not_longest_cue"]
    if not longest["ok"]:
        diagnostics.append(Diagnostic("warning", "quiz-check",
                                      f"the key is the longest option in "
                                      f"{longest['key_longest_rate']:.0%} of items (target at "
                                      f"most {longest['max']:.0%})"))
    return Quiz(replace(options, kinds=tuple(kinds)), items, versions, checks, diagnostics)
