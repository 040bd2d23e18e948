"""Quiz assembly: items chosen and checked (select.py), laid out in shuffled versions.

Everything random flows from ``random.Random`` seeded with the quiz seed (string seeds
for per-item draws, so an item's options do not depend on which items came before it).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Any, Sequence

from ...config import QuizSettings
from ...errors import DrillbookError, NotEnoughMaterial
from ...models import Corpus, Diagnostic
from ..base import RunState
from .checks import (CheckTally, item_check_report, letters_balanced, longest_run,
                     near_pairs_kept, MAX_RUN)
from .generate import DEFAULT_KINDS, KINDS, OPTIONS_PER_ITEM, RETIRED, Bank, Item
from .interview import OPEN_INTERVIEW, OpenItem, select_open_items
from .kinds import usable_kinds
from .select import rebalance_longest_keys, select_items
from .solver import CueSolver
from ...topics import resolve_topics

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
REPAIR_ATTEMPTS = 3
MAX_VERSIONS = 999  # per-student papers: one seed, up to this many versions
LETTER_MOVES = 20000  # moves assign_letters tries per version before it settles
# The cue solver's accuracy is worth a warning only over this many items (over fewer, one
# lucky guess moves it by several points).
SOLVER_MIN_ITEMS = 40


def version_code(number: int) -> str:
    """The code printed on version ``number`` (0-based): A … Z, then AA, AB … (as
    spreadsheet columns), so the 26 versions of a class keep their letters and version 200
    is "GR"."""
    code = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, len(LETTERS))
        code = LETTERS[rest] + code
    return code


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
    items: list[Item]  # the multiple-choice items (none when only open questions were asked)
    versions: list[Version]
    checks: dict[str, object]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    open_items: list[OpenItem] = field(default_factory=list)  # open interview questions


ALL_KINDS = (*KINDS, OPEN_INTERVIEW)


def open_share(options: QuizOptions) -> int:
    """How many of ``options.count`` questions are open ones: kinds take equal turns."""
    if OPEN_INTERVIEW not in options.kinds:
        return 0
    if len(options.kinds) == 1:
        return options.count
    return options.count // len(options.kinds)


def assign_letters(order: Sequence[Item], k: int, rng: random.Random,
                   earlier: Sequence[dict[str, int]]) -> list[int]:
    """Key positions for one version: balanced, no run over MAX_RUN, unlike earlier versions.

    Starts from a balanced multiset of letters and moves letters (swaps, or re-letters one
    of the n % k extras) while that does not add conflicts, until none are left. A move's
    effect on the conflicts is counted where it happens (its positions, and the runs that
    can end within MAX_RUN after them), so a version costs the same whatever the number of
    versions before it; the moves and their outcome are those of counting everything anew.
    """
    n = len(order)
    letters = [letter for letter in range(k) for _ in range(n // k)]
    letters += rng.sample(range(k), n % k)
    rng.shuffle(letters)
    # With more versions than letters, only the last k-1 versions can all differ.
    recent = list(earlier)[-(k - 1):]
    # clashes[i][letter]: how many recent versions put item i's key on that letter.
    clashes = [[0] * k for _ in range(n)]
    for version in recent:
        for i, item in enumerate(order):
            if item.id in version:
                clashes[i][version[item.id]] += 1
    counts = [letters.count(letter) for letter in range(k)]
    most = -(-n // k)

    def run_ends(i: int) -> int:
        """1 when position i ends a run longer than MAX_RUN (the letters before it agree)."""
        if i < MAX_RUN:
            return 0
        letter = letters[i]
        return int(all(letters[i - back] == letter for back in range(1, MAX_RUN + 1)))

    def local(positions: tuple[int, ...]) -> int:
        """The conflicts a change at ``positions`` can alter."""
        touched = {i for p in positions for i in range(p, min(n, p + MAX_RUN + 1))}
        return (sum(clashes[p][letters[p]] for p in set(positions))
                + sum(run_ends(i) for i in touched))

    best = sum(clashes[i][letters[i]] for i in range(n)) + sum(run_ends(i) for i in range(n))
    for _ in range(LETTER_MOVES):
        if best == 0:
            break
        a, b = rng.randrange(n), rng.randrange(n)
        if letters[a] != letters[b]:
            before = local((a, b))
            letters[a], letters[b] = letters[b], letters[a]
            new = best - before + local((a, b))
            if new <= best:
                best = new
            else:
                letters[a], letters[b] = letters[b], letters[a]
            continue
        old = letters[a]
        before = local((a,))
        letters[a] = rng.randrange(k)
        counts[old] -= 1
        counts[letters[a]] += 1
        if not all(abs(c - n / k) <= 1 for c in counts) or max(counts) > most:
            counts[letters[a]] -= 1
            counts[old] += 1
            letters[a] = old
            continue
        new = best - before + local((a,))
        if new <= best:
            best = new
        else:
            counts[letters[a]] -= 1
            counts[old] += 1
            letters[a] = old
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
        # Up to k versions, keys move away from all earlier letters (the k-th version has one
        # letter left per key, so balance and short runs may keep a key in place). Beyond k
        # versions the last k-1 would leave most items one letter, and balance and short runs
        # could not be had: each key moves away from the version before it.
        letters = assign_letters(order, k, rng, earlier if options.versions <= k else earlier[-1:])
        placed = []
        for item, letter in zip(order, letters):
            distractors = list(item.distractors)
            rng.shuffle(distractors)
            distractors.insert(letter, item.key)
            placed.append(PlacedItem(item, tuple(distractors), letter))
        earlier.append({p.item.id: p.answer for p in placed})
        versions.append(Version(version_code(number), tuple(placed)))
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


def build_quiz(corpus: Corpus, options: QuizOptions, progress: bool = False,
               state: RunState | None = None) -> Quiz:
    """Generate, check and lay out a quiz from the corpus (a pure function of its inputs).

    Multiple-choice kinds and open interview questions take equal turns of ``count``.
    ``progress``: show the items being made on a progress bar on stderr. ``state``: where
    the run keeps the corpus's ``Bank`` and cue solver for its other quizzes (see
    ``shared_bank``).
    """
    if options.count < 1:
        raise DrillbookError("quiz count must be at least 1")
    if not 1 <= options.versions <= MAX_VERSIONS:
        raise DrillbookError(f"quiz versions must be between 1 and {MAX_VERSIONS}")
    unknown = [k for k in options.kinds if k not in ALL_KINDS]
    if unknown or not options.kinds:
        raise DrillbookError(f"unknown quiz kind {', '.join(unknown) or '(none)'}; "
                             f"choose from {', '.join(ALL_KINDS)}")
    open_count = open_share(options)
    if OPEN_INTERVIEW not in options.kinds:
        return build_choice_quiz(corpus, options, progress, state)
    topics = resolve_topics(corpus, options.topics)
    chosen = None if topics is None else set(topics)
    problems = [p for p in corpus.problems if chosen is None or p.topic in chosen]
    if not problems:
        raise NotEnoughMaterial("no problems to make a quiz from (empty corpus or topics)")
    choice_kinds = tuple(k for k in KINDS if k in options.kinds)
    if choice_kinds and options.count > open_count:
        quiz = build_choice_quiz(corpus, replace(options, count=options.count - open_count,
                                                 kinds=choice_kinds), progress, state)
    else:
        quiz = Quiz(options, [], [], {"items": 0, "requested": 0})
    asked = {item.problem for item in quiz.items}  # asked as multiple choice: come last
    open_items = select_open_items(problems, open_count, options.seed, avoid=asked)
    diagnostics = list(quiz.diagnostics)
    if len(open_items) < open_count:
        diagnostics.append(Diagnostic("warning", "quiz-short",
                                      f"only {len(open_items)} of {open_count} open interview "
                                      "questions could be made (problems with a question and "
                                      "points)"))
    if not open_items and not quiz.items:
        raise NotEnoughMaterial("no problem has an interviewer question and points")
    checks = {**quiz.checks, "open_questions": {"items": len(open_items),
                                                 "requested": open_count}}
    kinds = tuple(k for k in ALL_KINDS if k in quiz.options.kinds or
                  (k == OPEN_INTERVIEW and open_items))
    return Quiz(replace(options, kinds=kinds), quiz.items, quiz.versions, checks, diagnostics,
                open_items)


def shared_bank(corpus: Corpus, topics: Sequence[str] | None,
                state: RunState | None) -> tuple[Bank, CueSolver]:
    """The quiz ``Bank`` of ``corpus`` limited to ``topics``, and the corpus's cue solver:
    made once per run and kept in ``state`` (the build's quiz and the site's quiz ask for the
    same ones), or made afresh without a state. Both are pure functions of the corpus (and
    the topics); the bank also keeps each checked candidate it was asked for, itself a pure
    function of what it was made from (``select.build_checked``), so sharing them changes no
    item and no count."""
    if state is None:
        solver = CueSolver(corpus)
        return Bank(corpus, topics, meaning=solver.subjects.meaning), solver
    chosen = None if topics is None else tuple(topics)
    # Keyed by the corpus object, which each value keeps alive: its id is not reused.
    owner, solver = state.shared(("quiz cue solver", id(corpus)),
                                 lambda: (corpus, CueSolver(corpus)))
    bank = state.shared(("quiz bank", id(corpus), chosen),
                        lambda: Bank(corpus, topics, meaning=solver.subjects.meaning))
    assert bank.corpus is corpus and owner is corpus
    return bank, solver


def build_choice_quiz(corpus: Corpus, options: QuizOptions, progress: bool = False,
                      state: RunState | None = None) -> Quiz:
    """The multiple-choice part: items of ``options.kinds`` checked and laid out in versions."""
    topics = resolve_topics(corpus, options.topics)
    bank, solver = shared_bank(corpus, topics, state)
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
    items = select_items(bank, options, kinds, tally, progress, solver.subjects)
    items = rebalance_longest_keys(bank, items, options, tally, solver.subjects)
    if len(items) < options.count:
        diagnostics.append(Diagnostic("warning", "quiz-short",
                                      f"only {len(items)} of {options.count} quiz items could "
                                      "be made with good distractors"))
    if not items:
        raise NotEnoughMaterial("no quiz item passed the checks")
    versions = lay_out(items, options)
    # JSON-shaped (quiz.json's checks); the entries read below are dicts.
    checks: dict[str, Any] = {
        "items": len(items), "requested": options.count,
        "options_per_item": OPTIONS_PER_ITEM,
        "kinds": {kind: sum(1 for i in items if i.kind == kind) for kind in kinds},
        "skipped_kinds": skipped,
        "candidates_built": tally.built, "repaired": tally.repaired,
        "dropped": tally.dropped, "rebalanced_for_length": tally.rebalanced,
        "near_pairs_kept": near_pairs_kept(items),
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
