"""Item-writing checks, applied to every item and reported as rates.

These are written independently of the generator's own precautions, so they catch what
the generator lets through (a check that merely repeated the generator would prove
nothing). They read what a reader reads: the plain text of the stem and the options, their
forms, and (for ``same_subject``) which topics their words are used in.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ...inline import parse
from .contrast import WHICH_CONTRAST
from .family_cue import family_cue
from .items import MAX_LENGTH_RATIO, Item, lengths_fit, option_length
from .meaning import MEANING_MARGIN
from .solver import (CueSolver, SubjectModel, lone_word, odd_one_out, solver_report,
                     surface_kind)
from .text import (ABOVE, BLANK, GENERIC, STOP, echo_even, echoed, is_combined, is_nested,
                   is_paraphrase, normalized, plain, similarity, stem_cues, words)

# Per-item checks, in report order: name -> what it guards against.
ITEM_CHECKS = {
    "four_options": "exactly four non-empty options and one key",
    "options_distinct": "no two options equal after normalization",
    "no_paraphrase": "no option paraphrases another (differing words decide, not a fuzzy score)",
    "no_nested_option": "no option's words all inside another's (a case of it: both can be right)",
    "no_all_none_above": "no 'all/none of the above' style option",
    "no_combined_option": "no option that joins two others",
    "length_homogeneous": f"longest option at most {MAX_LENGTH_RATIO:g}x the shortest",
    "no_stem_key_cue": "no stem word the key repeats and no distractor does, near forms, "
                       "synonyms and acronyms included (Expiration/EXPIRE, outdated/Stale, "
                       "proxy/ProxySQL)",
    "stem_echo_even": "the stem repeats words of none of the options or of all of them (an "
                      "echoed distractor is ruled out as too easy: an anti-cue)",
    "same_kind": "no option of another form than the other three (a command among phrases, "
                 "a 'When to ...' among technique names), and no word three options print "
                 "and the fourth does not (the key, or a distractor ruled out at once)",
    "same_subject": "every distractor's words live in some of the topics the key's words live "
                    "in (no off-subject distractor)",
    "no_meaning_cue": "the key is not the only option on the stem's subject: the rest of the "
                      "book does not use the key's words with the stem's much more than any "
                      f"distractor's (fit lead under {MEANING_MARGIN:g}; meaning.py)",
    "no_family_cue": "the stem names no technology (PostgreSQL) whose family only one "
                     "option says (Database ...): matching the two needs no knowledge "
                     "(family_cue.py)",
    "stem_readable": "at most one blank, no markup left in the text, quotes closed",
}
# A distractor whose words and the key's share less than this of their topics (cosine of
# their topic vectors) is off the key's subject. Measured on the real book: distractors from
# the key's own problem score 0.24 or more in 95% of cases, point titles from topics five or
# more places away 0.11 or less in half.
OFF_SUBJECT_FIT = 0.12
# Option pairs scoring at least this are reported when kept because their words differ.
NEAR_PAIR_SCORE = 85.0
MAX_RUN = 3
# Marks a reader should never see: a backtick, a backslash, a double star.
_MARKUP = re.compile(r"`|\\|\*\*")


def _stray_markup(text: str) -> bool:
    """Markup left showing in the text a reader sees (code and formulas may hold any
    character: only the text between them counts)."""
    return any(span.kind == "text" and _MARKUP.search(span.plain) for span in parse(text).spans)


def item_findings(item: Item, options_per_item: int = 4,
                  subjects: SubjectModel | None = None) -> dict[str, str]:
    """The per-item checks this item fails, each with what it saw (empty when it is fine).

    ``subjects`` enables ``same_subject`` (it needs the corpus's topics)."""
    options = item.options
    found: dict[str, str] = {}
    if len(options) != options_per_item or any(not plain(o).strip() for o in options):
        found["four_options"] = f"{len(options)} options"
    if len({normalized(o) for o in options}) != len(options):
        found["options_distinct"] = "two options read the same"
    for i, a in enumerate(options):
        for b in options[i + 1:]:
            if is_paraphrase(a, b):
                found.setdefault("no_paraphrase", f"{plain(a)!r} ~ {plain(b)!r}")
            elif is_nested(a, b):
                found.setdefault("no_nested_option", f"{plain(a)!r} / {plain(b)!r}")
    if any(ABOVE.search(plain(o)) for o in options):
        found["no_all_none_above"] = "an option points at the others"
    combined = [o for o in options if is_combined(o, [x for x in options if x is not o])]
    if combined:
        found["no_combined_option"] = plain(combined[0])
    if not lengths_fit(options):
        lengths = [option_length(o) for o in options]
        found["length_homogeneous"] = f"lengths {min(lengths)} to {max(lengths)}"
    cues = stem_cues(item.stem, item.key, item.distractors)
    if cues:
        found["no_stem_key_cue"] = ", ".join(sorted(cues))
    if not echo_even(item.stem, options):
        found["stem_echo_even"] = ", ".join(plain(o) for o, e in zip(options,
                                                                    echoed(item.stem, options))
                                             if e)
    lone = odd_one_out(options, surface_kind)
    word = lone_word(item.key, item.distractors)
    odd = [(d, w) for d in item.distractors
           if (w := lone_content_word(d, [o for o in options if o is not d]))]
    if word:
        found["same_kind"] = f"every distractor says {word!r}, the key does not"
    elif odd:
        found["same_kind"] = f"every other option says {odd[0][1]!r}, " \
                             f"{plain(odd[0][0])!r} does not (ruled out at once)"
    elif lone is not None:
        found["same_kind"] = f"{plain(options[lone])!r} is a {surface_kind(options[lone])}, " \
                             f"the others a {surface_kind(options[lone - 1])}"
    if subjects is not None:
        off = [d for d in item.distractors if subjects.fit(item.key, d) < OFF_SUBJECT_FIT]
        if off:
            found["same_subject"] = f"{plain(off[0])!r} is off the key's subject"
        meaning = subjects.meaning
        lead = meaning.lead(item.stem, item.key, item.distractors, item.problem)
        if lead >= MEANING_MARGIN:
            shared = meaning.shared(item.stem, item.key, item.problem)
            found["no_meaning_cue"] = f"the key leads by {lead:.2f} (through " \
                                      f"{', '.join(shared) or 'nothing'})"
    family = family_cue(item.stem, item.key, item.distractors,
                        contrast=item.kind == WHICH_CONTRAST)
    if family:
        found["no_family_cue"] = family
    stem = plain(item.stem)
    if stem.count(BLANK) > 1 or stem.count("“") != stem.count("”") or \
            any(_stray_markup(text) for text in (item.stem, *options)):
        found["stem_readable"] = "blanks, markup or quotes"
    return found


def lone_content_word(option: str, others: Sequence[str]) -> str | None:
    """A content word ("S3", "Shard"; not "for" or "use") the three other options all print
    and this one does not."""
    sets = [{w.lower() for w in words(plain(o))} for o in others]
    shared = set.intersection(*sets) - {w.lower() for w in words(plain(option))}
    shared = {w for w in shared if len(w) > 1 and not w.isdigit() and w not in STOP
              and w not in GENERIC}
    return min(shared) if shared else None


def item_failures(item: Item, options_per_item: int = 4,
                  subjects: SubjectModel | None = None) -> list[str]:
    """The names of the per-item checks this item fails (empty when it is fine)."""
    return list(item_findings(item, options_per_item, subjects))


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
    """Counts kept while items are generated: what the checks caught before shipping.

    ``rejected`` lists every built item a check rejected, with the reasons; ``declined``
    counts, per kind, why points gave no item at all."""

    caught: Counter
    built: int = 0
    repaired: int = 0
    dropped: int = 0
    rebalanced: int = 0  # rebuilt so the key is not the longest option
    rejected: list[dict[str, object]] = field(default_factory=list)
    declined: dict[str, Counter] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> "CheckTally":
        return cls(Counter())

    def reject(self, item: Item, findings: dict[str, str], attempt: int) -> None:
        self.caught.update(list(findings))
        self.rejected.append({"id": item.id, "kind": item.kind, "problem": item.problem,
                              "point": item.point, "attempt": attempt, "key": item.key,
                              "failed": dict(findings)})

    def decline(self, kind: str, reason: str) -> None:
        self.declined.setdefault(kind, Counter())[reason] += 1

    def add(self, other: "CheckTally") -> None:
        """Count ``other``'s findings here too (an outcome worked out once, counted again)."""
        self.caught.update(other.caught)
        self.built += other.built
        self.repaired += other.repaired
        self.dropped += other.dropped
        self.rebalanced += other.rebalanced
        self.rejected.extend(other.rejected)
        for kind, reasons in other.declined.items():
            self.declined.setdefault(kind, Counter()).update(reasons)


def rate(passed: int, total: int) -> float:
    return round(passed / total, 4) if total else 1.0


def item_check_report(items: Sequence[Item], tally: CheckTally, k: int,
                      solver: CueSolver | None = None) -> dict[str, object]:
    """Rates over the shipped items, plus what was caught (and repaired or dropped) on the
    way, every rejected item with its reasons, and the cue solver's accuracy."""
    subjects = solver.subjects if solver else None
    failures = [set(item_failures(item, k, subjects)) for item in items]
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
    if solver is not None:
        checks["cue_solver"] = solver_report(items, solver)
    checks["rejected"] = tally.rejected
    checks["declined"] = {kind: dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
                          for kind, reasons in sorted(tally.declined.items())}
    return checks
