"""Item-writing checks, applied to every item and reported as rates.

These are written independently of the generator's own precautions, so they catch what
the generator lets through (a check that merely repeated the generator would prove nothing).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from .generate import MAX_LENGTH_RATIO, Item, option_length
from .text import ABOVE, is_combined, is_paraphrase, normalized, similarity, stem_cues

# Per-item checks, in report order: name -> what it guards against.
ITEM_CHECKS = {
    "four_options": "exactly four non-empty options and one key",
    "options_distinct": "no two options equal after normalization",
    "no_paraphrase": "no option paraphrases another (differing words decide, not a fuzzy score)",
    "no_all_none_above": "no 'all/none of the above' style option",
    "no_combined_option": "no option that joins two others",
    "length_homogeneous": f"longest option at most {MAX_LENGTH_RATIO:g}x the shortest",
    "no_stem_key_cue": "no stem word shared only with the key",
}
# Option pairs scoring at least this are reported when kept because their words differ.
NEAR_PAIR_SCORE = 85.0
MAX_RUN = 3


def item_failures(item: Item, options_per_item: int = 4) -> list[str]:
    """The names of the per-item checks this item fails (empty when it is fine)."""
    options = item.options
    failed: list[str] = []
    if len(options) != options_per_item or any(not o.strip() for o in options):
        failed.append("four_options")
    if len({normalized(o) for o in options}) != len(options):
        failed.append("options_distinct")
    if any(is_paraphrase(a, b) for i, a in enumerate(options) for b in options[i + 1:]):
        failed.append("no_paraphrase")
    if any(ABOVE.search(o) for o in options):
        failed.append("no_all_none_above")
    if any(is_combined(o, [x for x in options if x is not o]) for o in options):
        failed.append("no_combined_option")
    lengths = [option_length(o) for o in options]
    if not lengths or min(lengths) == 0 or max(lengths) > MAX_LENGTH_RATIO * min(lengths):
        failed.append("length_homogeneous")
    if stem_cues(item.stem, item.key, item.distractors):
        failed.append("no_stem_key_cue")
    return failed


def key_is_longest(item: Item) -> bool:
    """The key is strictly longer than every distractor (a test-wise student's cue)."""
    return all(option_length(item.key) > option_length(d) for d in item.distractors)


def key_is_shortest(item: Item) -> bool:
    return all(option_length(item.key) < option_length(d) for d in item.distractors)


def near_pairs_kept(items: Iterable[Item]) -> int:
    """Option pairs with a high fuzzy score that were kept because a deciding word differs."""
    return sum(1 for item in items for i, a in enumerate(item.options)
               for b in item.options[i + 1:] if similarity(a, b) >= NEAR_PAIR_SCORE)


def longest_run(letters: Sequence[int]) -> int:
    run = best = 0
    previous = None
    for letter in letters:
        run = run + 1 if letter == previous else 1
        previous = letter
        best = max(best, run)
    return best


def letters_balanced(letters: Sequence[int], k: int) -> bool:
    """Every letter used within one of n/k times."""
    counts = Counter(letters)
    return all(abs(counts.get(letter, 0) - len(letters) / k) <= 1 for letter in range(k))


@dataclass
class CheckTally:
    """Counts kept while items are generated: what the checks caught before shipping."""

    caught: Counter
    built: int = 0
    repaired: int = 0
    dropped: int = 0
    rebalanced: int = 0  # rebuilt so the key is not the longest option

    @classmethod
    def empty(cls) -> "CheckTally":
        return cls(Counter())


def rate(passed: int, total: int) -> float:
    return round(passed / total, 4) if total else 1.0


def item_check_report(items: Sequence[Item], tally: CheckTally, k: int) -> dict[str, object]:
    """Rates over the shipped items, plus what was caught (and repaired or dropped) on the way."""
    failures = [set(item_failures(item, k)) for item in items]
    checks: dict[str, object] = {}
    for name, meaning in ITEM_CHECKS.items():
        checks[name] = {"rate": rate(sum(name not in f for f in failures), len(items)),
                        "target": 1.0, "caught": tally.caught.get(name, 0), "meaning": meaning}
    longest = sum(key_is_longest(i) for i in items)
    target = round(1 / k + 0.05, 4)
    checks["key_not_longest_cue"] = {
        "key_longest_rate": rate(longest, len(items)), "max": target,
        "ok": rate(longest, len(items)) <= target,
        "key_shortest_rate": rate(sum(key_is_shortest(i) for i in items), len(items))}
    return checks
