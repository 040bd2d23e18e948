"""Applying the curator's overrides to a build's drafts, before and after dedupe.

Problems are named by id (as shown in corpus.json and the report: any id the rule in
``pipeline.ids`` could give the draft) or by exact title (case, punctuation and spacing
ignored). Before dedupe, retitles, moves and edits (of a point, or of the problem's question
or summary) change the drafts (every copy of the named problem), and merges and keep-aparts
become ``DraftPair`` records, each draft named by its occurrence, for ``merge_repeats``.
After dedupe, ``settle_overrides`` makes each merged problem show its fixed title and topic.
An override that matches nothing is a warning naming its line, never an error: the book may
have changed.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal, Mapping, NamedTuple, Sequence

from ..config import DedupeConfig
from ..errors import DrillbookError
from ..ids import candidate_ids, normalize_title
from ..models import Corpus, Diagnostic, DraftPair, Occurrence, Problem, Topic, Where
from ..segment import LOST_HEADING_HINT, TORN_QUESTION_HINT
from ..similarity import body_text, same_problem
from ..topics import find_topic
from .parse import Override, Overrides


@dataclass(frozen=True, slots=True)
class AppliedOverride:
    """What became of one override on this build."""

    override: Override
    status: Literal["applied", "unmatched", "no-op"]
    matched: tuple[str, ...]  # the printed titles of the drafts it acted on
    note: str = ""


@dataclass(frozen=True)
class OverrideResult:
    """Drafts with titles and topics fixed, the pairs dedupe must join or keep apart, and
    what became of each entry (a ``StageResult``)."""

    drafts: tuple[Problem, ...]
    forced_same: tuple[DraftPair, ...] = ()
    forced_apart: tuple[DraftPair, ...] = ()
    applied: tuple[AppliedOverride, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    path: str | None = None
    # A draft's occurrence -> its fixed topic / title, to settle merged problems whose kept
    # copy is one no override named.
    moved: Mapping[Occurrence, str] = field(default_factory=dict)
    retitled: Mapping[Occurrence, str] = field(default_factory=dict)
    # Where an untitled point (its heading lost in the extraction) starts -> the line of
    # the edit that gave it a title.
    titled: Mapping[Where, int | None] = field(default_factory=dict)
    # A draft's occurrence -> the line of the edit that gave it a new question.
    questioned: Mapping[Occurrence, int | None] = field(default_factory=dict)

    def report_section(self) -> dict[str, Any]:
        """JSON-ready data for report.json's "overrides" section."""
        return {"overrides": {
            "file": self.path,
            "entries": [{"kind": a.override.kind, "line": a.override.line,
                         "problems": list(a.override.problems),
                         "target": (a.override.target if a.override.point_number is None
                                    else a.override.point_number),
                         "changes": dict(a.override.changes),
                         "reason": a.override.reason, "status": a.status,
                         "matched": list(a.matched), "note": a.note,
                         "description": a.override.describe()} for a in self.applied]}}


class Settled(NamedTuple):
    """Merged problems showing their fixed titles and topics, and what settling noticed."""

    problems: tuple[Problem, ...]
    diagnostics: tuple[Diagnostic, ...]


class _Names:
    """What each draft can be called: its titles (printed and fixed) and its possible ids."""

    def __init__(self, drafts: Sequence[Problem], previous: Corpus | None,
                 config: DedupeConfig):
        self.drafts = drafts
        self.titles: list[set[str]] = [{normalize_title(d.title)} for d in drafts]
        self.ids: list[set[str]] = [self._ids_of(d.title, d) for d in drafts]
        self.previous = {p.id: p for p in previous.problems} if previous else {}
        self.config = config
        self.bodies = [body_text(d) for d in drafts]

    @staticmethod
    def _ids_of(title: str, draft: Problem) -> set[str]:
        # Every id pipeline.ids could give it: plain, or salted when a twin shares its title.
        return candidate_ids(draft, title)

    def add_title(self, index: int, title: str) -> None:
        self.titles[index].add(normalize_title(title))
        self.ids[index] |= self._ids_of(title, self.drafts[index])

    def resolve(self, ref: str) -> list[int]:
        """Indexes of the drafts ``ref`` names: by id, else by title."""
        by_id = [k for k, ids in enumerate(self.ids) if ref in ids]
        if by_id:
            return by_id
        if ref in self.previous:  # an id carried from an earlier edition
            return self.continuing(self.previous[ref])
        wanted = normalize_title(ref)
        return [k for k, titles in enumerate(self.titles) if wanted and wanted in titles]

    def continuing(self, before: Problem) -> list[int]:
        """Drafts that continue a previous corpus's problem (as id continuity matches them)."""
        titles = {normalize_title(before.title)} | {normalize_title(o.title)
                                                    for o in before.occurrences}
        found = [k for k, names in enumerate(self.titles) if names & titles]
        if found:
            return found
        body = body_text(before)
        return [k for k, d in enumerate(self.drafts)
                if same_problem(before, d, self.config, body, self.bodies[k])]

    def copies(self, indexes: Sequence[int], apart: set[tuple[int, int]]) -> set[int]:
        """``indexes`` plus every draft dedupe would call the same problem as one of them."""
        found = set(indexes)
        for k in indexes:
            for other, draft in enumerate(self.drafts):
                if other in found or (min(k, other), max(k, other)) in apart:
                    continue
                if same_problem(self.drafts[k], draft, self.config, self.bodies[k],
                                self.bodies[other]):
                    found.add(other)
        return found


class _Applier:
    """One pass over the overrides, in file order within each kind."""

    def __init__(self, drafts: Sequence[Problem], topics: Sequence[Topic],
                 overrides: Overrides, previous: Corpus | None, config: DedupeConfig):
        self.drafts = list(drafts)
        self.topics = topics
        self.overrides = overrides
        self.names = _Names(drafts, previous, config)
        self.outcome: dict[int, AppliedOverride] = {}  # entry index -> what became of it
        self.diagnostics: list[Diagnostic] = []
        self.titled: dict[Where, int | None] = {}  # untitled points given a title
        self.questioned: dict[Occurrence, int | None] = {}  # drafts given a new question

    def where(self, entry: Override) -> Where | None:
        return Where(self.overrides.path or "overrides.toml", entry.line, None)

    def titles_of(self, indexes: Sequence[int] | set[int]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.names.drafts[k].title for k in sorted(indexes)))

    def unmatched(self, number: int, entry: Override, refs: Sequence[str],
                  what: str = "problem") -> None:
        names = ", ".join(repr(r) for r in refs)
        self.diagnostics.append(Diagnostic(
            "warning", "override-unmatched",
            f"override {entry.describe()} (line {entry.line}): {names} matches no {what} "
            "of this build; the override was not applied", self.where(entry)))
        self.outcome[number] = AppliedOverride(entry, "unmatched", (),
                                               f"no {what} named {names}")

    def no_op(self, number: int, entry: Override, matched: set[int], why: str) -> None:
        self.diagnostics.append(Diagnostic(
            "info", "override-no-op",
            f"override {entry.describe()} (line {entry.line}) changes nothing: {why}",
            self.where(entry)))
        self.outcome[number] = AppliedOverride(entry, "no-op", self.titles_of(matched), why)

    def resolve_all(self, number: int, entry: Override) -> list[list[int]] | None:
        groups = [self.names.resolve(ref) for ref in entry.problems]
        missing = [ref for ref, group in zip(entry.problems, groups) if not group]
        if missing:
            self.unmatched(number, entry, missing)
            return None
        return groups

    def run(self) -> OverrideResult:
        entries = list(enumerate(self.overrides.entries))
        of_kind = lambda kind: [(n, e) for n, e in entries if e.kind == kind]  # noqa: E731
        # Titles first, so the other overrides may name a problem by its fixed title.
        titled = self.resolve_retitles(of_kind("retitle"))
        same_groups = self.merge(of_kind("merge"))
        apart = self.keep_apart(of_kind("keep_apart"), same_groups)
        groups = [g for _, g in same_groups]
        retitled = self.spread(titled, apart, groups)
        for k, title in retitled.items():
            self.drafts[k] = replace(self.drafts[k], title=title)
        moved = self.move(of_kind("move"), apart, groups)
        self.edit_points(of_kind("edit"), apart, groups)
        forced_same = sorted({(min(g), k) for g in groups for k in g if k != min(g)})
        return OverrideResult(
            drafts=tuple(self.drafts), forced_same=self.pairs(forced_same),
            forced_apart=self.pairs(sorted(apart)),
            applied=tuple(self.outcome[n] for n in sorted(self.outcome)),
            diagnostics=tuple(self.diagnostics), path=self.overrides.path,
            moved={self.drafts[k].occurrences[0]: t for k, t in moved.items()},
            retitled={self.drafts[k].occurrences[0]: t for k, t in retitled.items()},
            titled=self.titled, questioned=self.questioned)

    def edit_points(self, entries: list[tuple[int, Override]], apart: set[tuple[int, int]],
                    same_groups: list[set[int]]) -> None:
        """Give the named point of every copy of the named problem its new texts. A point
        is named by its title as printed, or by its number (a point the book printed with
        no title); one text of a point set two ways is an error."""
        claimed: dict[tuple[int, int | None, str], tuple[str, Override]] = {}
        for number, entry in entries:
            groups = self.resolve_all(number, entry)
            if groups is None:
                continue
            members = self.members(groups[0], apart, same_groups)
            if entry.target is None and entry.point_number is None:
                self.edit_problem(number, entry, members, claimed)
                continue
            wanted = normalize_title(entry.target or "")
            found = [(k, i) for k in sorted(members)
                     for i, point in enumerate(self.drafts[k].points)
                     if (point.number == entry.point_number if entry.point_number is not None
                         else normalize_title(point.title) == wanted)]
            if not found:
                self.unmatched(number, entry, [entry.target or f"#{entry.point_number}"],
                               f"point of {self.titles_of(groups[0])[0]!r}")
                continue
            changed = False
            for k, i in found:
                point = self.drafts[k].points[i]
                self.claim_texts(claimed, k, i, entry,
                                 f"point {point.title!r} of {self.drafts[k].title!r}")
                texts: dict[str, Any] = dict(entry.changes)  # title, explanation, example
                edited = replace(point, **texts)
                if not point.title and edited.title:
                    self.titled[point.where] = entry.line
                if edited != point:
                    changed = True
                    points = list(self.drafts[k].points)
                    points[i] = edited
                    self.drafts[k] = replace(self.drafts[k], points=tuple(points))
            matched = {k for k, _ in found}
            if changed:
                self.outcome[number] = AppliedOverride(entry, "applied", self.titles_of(matched))
            else:
                self.no_op(number, entry, matched, "the point already reads so")

    def edit_problem(self, number: int, entry: Override, members: set[int],
                     claimed: dict[tuple[int, int | None, str], tuple[str, Override]]) -> None:
        """Give every copy of the problem its new question or summary (an [[edit]] without
        a point); one text set two ways is an error."""
        changed = False
        for k in sorted(members):
            self.claim_texts(claimed, k, None, entry, repr(self.drafts[k].title))
            texts: dict[str, Any] = dict(entry.changes)  # question, summary
            edited = replace(self.drafts[k], **texts)
            if edited.question != self.drafts[k].question:
                self.questioned[edited.occurrences[0]] = entry.line
            if edited != self.drafts[k]:
                changed = True
                self.drafts[k] = edited
        if changed:
            self.outcome[number] = AppliedOverride(entry, "applied", self.titles_of(members))
        else:
            self.no_op(number, entry, members, "the problem already reads so")

    def pairs(self, indexes: Sequence[tuple[int, int]]) -> tuple[DraftPair, ...]:
        """Index pairs as records: each draft named by its occurrence, as dedupe takes them."""
        return tuple(DraftPair(self.drafts[i].occurrences[0], self.drafts[j].occurrences[0])
                     for i, j in indexes)

    def claim(self, direct: dict[int, tuple[str, Override]], drafts: list[int], target: str,
              entry: Override, twice: str) -> None:
        """Record ``target`` for each draft; a draft given two different targets is an error."""
        for k in drafts:
            if k in direct and direct[k][0] != target:
                first = twice.split()[-1]  # "as" / "to"
                raise DrillbookError(
                    f"{self.drafts[k].title!r} is {twice} {direct[k][0]!r} "
                    f"(line {direct[k][1].line}) and {first} {target!r}",
                    self.overrides.path, line=entry.line)
            direct[k] = (target, entry)

    def resolve_retitles(self, entries: list[tuple[int, Override]]
                         ) -> list[tuple[str, list[int]]]:
        """The drafts each retitle names; a draft retitled two ways is an error."""
        direct: dict[int, tuple[str, Override]] = {}
        found: list[tuple[str, list[int]]] = []
        for number, entry in entries:
            groups = self.resolve_all(number, entry)
            if groups is None:
                continue
            assert entry.target is not None
            self.claim(direct, groups[0], entry.target, entry, "retitled twice, as")
            if all(self.drafts[k].title == entry.target for k in groups[0]):
                self.no_op(number, entry, set(groups[0]), "the title is already printed so")
                continue
            self.outcome[number] = AppliedOverride(entry, "applied", self.titles_of(groups[0]))
            found.append((entry.target, groups[0]))
            for k in groups[0]:
                self.names.add_title(k, entry.target)
        return found

    def claim_texts(self, claimed: dict[tuple[int, int | None, str], tuple[str, Override]],
                    k: int, point: int | None, entry: Override, what: str) -> None:
        """Record the edit's texts for draft ``k``'s point (None: the problem itself); one
        text set two ways by two edits is an error naming the line."""
        for name, value in entry.changes:
            key = (k, point, name)
            if key in claimed and claimed[key][0] != value:
                raise DrillbookError(
                    f"the {name} of {what} is edited twice (line {claimed[key][1].line} and "
                    "here)", self.overrides.path, line=entry.line)
            claimed[key] = (value, entry)

    def members(self, indexes: Sequence[int], apart: set[tuple[int, int]],
                same_groups: list[set[int]]) -> set[int]:
        """The named drafts, their copies, and the forced merge groups they are in."""
        members = self.names.copies(indexes, apart)
        for group in same_groups:
            if group & members:
                members |= group
        return members

    def spread(self, named: list[tuple[str, list[int]]], apart: set[tuple[int, int]],
               same_groups: list[set[int]]) -> dict[int, str]:
        """Draft index -> value: named drafts, then their copies and forced merge groups.

        A value set directly on a draft is never replaced by one spread from another entry.
        """
        direct = {k: value for value, indexes in named for k in indexes}
        chosen: dict[int, str] = dict(direct)
        for value, indexes in named:
            members = self.members(indexes, apart, same_groups)
            for k in sorted(members):
                chosen.setdefault(k, value)
        return chosen

    def merge(self, entries: list[tuple[int, Override]]) -> list[tuple[int, set[int]]]:
        """The draft groups each merge joins (entry index, draft indexes)."""
        same_groups: list[tuple[int, set[int]]] = []
        for number, entry in entries:
            groups = self.resolve_all(number, entry)
            if groups is None:
                continue
            members = set().union(*map(set, groups))
            if all(set(g) == members for g in groups):
                self.no_op(number, entry, members, "every name refers to the same drafts")
                continue
            same_groups.append((number, members))
            self.outcome[number] = AppliedOverride(entry, "applied", self.titles_of(members))
        return same_groups

    def keep_apart(self, entries: list[tuple[int, Override]],
                   same_groups: list[tuple[int, set[int]]]) -> set[tuple[int, int]]:
        """Cross pairs between the named problems, over forced merge groups as well."""
        group_of: dict[int, set[int]] = {}
        for _, group in same_groups:
            for k in group:
                group_of[k] = group
        apart: set[tuple[int, int]] = set()
        for number, entry in entries:
            groups = self.resolve_all(number, entry)
            if groups is None:
                continue
            expanded = [set().union(*(group_of.get(k, {k}) for k in g)) for g in groups]
            pairs = {(min(a, b), max(a, b)) for x, first in enumerate(expanded)
                     for second in expanded[x + 1:] for a in first for b in second if a != b}
            for merge_number, group in same_groups:
                if any(a in group and b in group for a, b in pairs):
                    merge_entry = self.overrides.entries[merge_number]
                    raise DrillbookError(
                        f"overrides contradict each other: {entry.describe()} but "
                        f"{merge_entry.describe()} (line {merge_entry.line}) joins them",
                        self.overrides.path, line=entry.line)
            if not pairs:
                self.no_op(number, entry, set().union(*expanded),
                           "every name refers to the same drafts")
                continue
            apart |= pairs
            self.outcome[number] = AppliedOverride(entry, "applied",
                                                   self.titles_of(set().union(*expanded)))
        return apart

    def move(self, entries: list[tuple[int, Override]], apart: set[tuple[int, int]],
             same_groups: list[set[int]]) -> dict[int, str]:
        """Move named problems (and their copies) to another topic."""
        direct: dict[int, tuple[str, Override]] = {}
        named: list[tuple[str, list[int]]] = []
        for number, entry in entries:
            assert entry.target is not None
            groups = self.resolve_all(number, entry)
            if groups is None:
                continue
            topic = find_topic(entry.target, self.topics)
            if topic is None:
                self.unmatched(number, entry, [entry.target], what="topic")
                continue
            self.claim(direct, groups[0], topic.id, entry, "moved twice, to")
            if all(self.drafts[k].topic == topic.id for k in groups[0]):
                self.no_op(number, entry, set(groups[0]), f"already in topic {topic.id!r}")
                continue
            self.outcome[number] = AppliedOverride(entry, "applied", self.titles_of(groups[0]))
            named.append((topic.id, groups[0]))
        chosen = self.spread(named, apart, same_groups)
        for k, topic_id in chosen.items():
            self.drafts[k] = replace(self.drafts[k], topic=topic_id)
        return chosen


def apply_overrides(drafts: Sequence[Problem], topics: Sequence[Topic], overrides: Overrides,
                    previous: Corpus | None = None,
                    config: DedupeConfig = DedupeConfig()) -> OverrideResult:
    """Apply the curator's overrides to the drafts (reading order, before dedupe).

    Returns the drafts with retitles and moves applied (to every copy of a named problem)
    and ``forced_same``/``forced_apart`` pairs for ``merge_repeats``. ``previous`` (the
    last build's corpus) lets an override name a problem by an id it carried over from an
    earlier edition. Contradictory overrides raise DrillbookError naming the line.
    """
    if not overrides.entries:
        return OverrideResult(drafts=tuple(drafts), path=overrides.path)
    return _Applier(drafts, topics, overrides, previous, config).run()


def mended_notes(diagnostics: Sequence[Diagnostic], result: OverrideResult
                 ) -> list[Diagnostic]:
    """The reading's diagnostics, each one the curator has since mended saying so: a lost
    point heading titled by an [[edit]] (by number) becomes a note, and a torn question
    given a new one by an [[edit]] names it."""
    path = result.path or "overrides.toml"
    # Each draft's heading, in reading order, and the edit that gave it a new question.
    headings = sorted((o.source, o.line) for d in result.drafts for o in d.occurrences[:1]
                      if o.line is not None) if result.questioned else []
    questioned = {(o.source, o.line): line for o, line in result.questioned.items()}
    mended: list[Diagnostic] = []
    for note in diagnostics:
        where = note.where
        if note.code == "missing-point-heading" and where is not None and where in result.titled:
            note = replace(note, severity="info", message=(
                f"{note.message.partition(LOST_HEADING_HINT.partition('{')[0])[0]}; titled "
                f"by the [[edit]] at {path}:{result.titled[where]}"))
        elif note.code == "question-after-interviewer" and where is not None and \
                where.line is not None and result.questioned:
            # the note's problem: the last heading before it in its source
            before = [h for h in headings if h[0] == where.source and h[1] <= where.line]
            if before and before[-1] in questioned:
                note = replace(note, message=f"{note.message.removesuffix(TORN_QUESTION_HINT)}"
                               f"; the question is mended by the [[edit]] at "
                               f"{path}:{questioned[before[-1]]}")
        mended.append(note)
    return mended


def settle_overrides(problems: Sequence[Problem], result: OverrideResult) -> Settled:
    """After dedupe: make sure each merged problem shows its fixed topic and title.

    A merged problem keeps its best-evidenced copy, which may be one no override named;
    any overridden occurrence decides. Also warns when a keep-apart pair still ended up in
    one problem (merge_repeats blocks direct pairs only; a third copy can bridge them).
    """
    settled: list[Problem] = []
    diagnostics: list[Diagnostic] = []
    for problem in problems:
        topic = next((result.moved[o] for o in problem.occurrences if o in result.moved), None)
        title = next((result.retitled[o] for o in problem.occurrences if o in result.retitled),
                     None)
        changes: dict[str, Any] = {}
        if topic is not None and topic != problem.topic:
            changes["topic"] = topic
        if title is not None and title != problem.title:
            changes["title"] = title
        settled.append(replace(problem, **changes) if changes else problem)
    if result.forced_apart:
        title_of = {d.occurrences[0]: d.title for d in result.drafts}
        for problem in settled:
            inside = set(problem.occurrences)
            bridged = [p for p in result.forced_apart if p.a in inside and p.b in inside]
            if bridged:
                pair = bridged[0]
                diagnostics.append(Diagnostic(
                    "warning", "override-bridged",
                    f"{title_of.get(pair.a, pair.a.title)!r} and "
                    f"{title_of.get(pair.b, pair.b.title)!r} were to be kept apart but a "
                    f"third copy joined them into {problem.id!r}; keep it apart from the "
                    "others as well", None))
    return Settled(tuple(settled), tuple(diagnostics))
