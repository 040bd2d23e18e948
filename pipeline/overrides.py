"""The curator's overrides (``raw/overrides.toml``): merge, keep apart, move, retitle.

The file is read on every build and never written by drillbook, so a curator's decisions
survive rebuilds. Problems are named by id (as shown in corpus.json and the report) or by
exact title (case, punctuation and spacing ignored). Overrides act on the segmenter's
drafts before dedupe: merges and keep-aparts become index pairs for ``merge_repeats``;
retitles and moves change the drafts (every copy of the named problem). An override that
matches nothing is a warning naming its line, never an error: the book may have changed.
"""
from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Sequence

from .config import DedupeConfig
from .errors import DrillbookError
from .ids import candidate_ids, normalize_title
from .models import Corpus, Diagnostic, Occurrence, Problem, Topic, Where
from .similarity import body_text, same_problem
from .topics import find_topic

OverrideKind = Literal["merge", "keep_apart", "move", "retitle"]
# Entry keys per kind: the required ones, then the optional ones.
REQUIRED: dict[str, tuple[str, ...]] = {"merge": ("problems",), "keep_apart": ("problems",),
                                         "move": ("problem", "topic"),
                                         "retitle": ("problem", "title")}
OPTIONAL = ("reason",)
_TOML_LINE = re.compile(r"line (\d+)")
_HEADER = re.compile(r"^\s*\[\[\s*\"?([A-Za-z0-9_-]+)\"?\s*\]\]")


@dataclass(frozen=True, slots=True)
class Override:
    """One entry of the overrides file."""

    kind: OverrideKind
    problems: tuple[str, ...]  # references: ids or exact titles
    target: str | None = None  # the topic (move) or the new title (retitle)
    reason: str = ""
    line: int | None = None

    def describe(self) -> str:
        """A one-line description naming the entry, for diagnostics and the report."""
        names = " + ".join(repr(p) for p in self.problems)
        what = {"merge": f"merge {names}", "keep_apart": f"keep apart {names}",
                "move": f"move {names} to topic {self.target!r}",
                "retitle": f"retitle {names} as {self.target!r}"}[self.kind]
        return f"[[{self.kind}]] {what}"


@dataclass(frozen=True)
class Overrides:
    """Everything in the overrides file; ``Overrides()`` is the empty (or missing) file."""

    entries: tuple[Override, ...] = ()
    path: str | None = None


@dataclass(frozen=True, slots=True)
class AppliedOverride:
    """What became of one override on this build."""

    override: Override
    status: Literal["applied", "unmatched", "no-op"]
    matched: tuple[str, ...]  # the printed titles of the drafts it acted on
    note: str = ""


@dataclass
class OverrideResult:
    """Drafts with titles and topics fixed, index pairs for dedupe, and what was done."""

    drafts: tuple[Problem, ...]
    forced_same: list[tuple[int, int]]
    forced_apart: list[tuple[int, int]]
    applied: list[AppliedOverride]
    diagnostics: list[Diagnostic]
    path: str | None = None
    # Occurrence -> fixed topic / title, to settle merged problems whose kept copy differs.
    moved: dict[tuple[str, int | None, int | None], str] = field(default_factory=dict)
    retitled: dict[tuple[str, int | None, int | None], str] = field(default_factory=dict)

    def report_section(self) -> dict[str, Any]:
        """JSON-ready data for report.json's "overrides" section."""
        return {"overrides": {
            "file": self.path,
            "entries": [{"kind": a.override.kind, "line": a.override.line,
                         "problems": list(a.override.problems), "target": a.override.target,
                         "reason": a.override.reason, "status": a.status,
                         "matched": list(a.matched), "note": a.note,
                         "description": a.override.describe()} for a in self.applied]}}


# ----- reading the file ----------------------------------------------------------------------

def _header_lines(text: str) -> dict[str, list[int]]:
    """Line numbers of every ``[[kind]]`` header, in order, per kind."""
    found: dict[str, list[int]] = defaultdict(list)
    for number, line in enumerate(text.splitlines(), 1):
        match = _HEADER.match(line)
        if match:
            found[match.group(1)].append(number)
    return found


def _key_line(text: str, key: str, start: int = 1, end: int | None = None) -> int | None:
    """The first line in [start, end) that assigns or opens ``key``."""
    name = re.escape(key)
    pattern = re.compile(rf"^\s*(?:\[\[?\s*\"?{name}\"?\s*\]\]?|\"?{name}\"?\s*=)")
    for number, line in enumerate(text.splitlines(), 1):
        if number < start or (end is not None and number >= end):
            continue
        if pattern.match(line):
            return number
    return None


def _text(value: Any, what: str, path: str, line: int | None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DrillbookError(f"{what} must be a non-empty string", path, line=line)
    return " ".join(value.split())


def _entry(kind: str, data: Any, path: str, text: str, line: int | None,
           next_line: int | None) -> Override:
    if not isinstance(data, dict):
        raise DrillbookError(f"each [[{kind}]] entry must be a table", path, line=line)
    known = REQUIRED[kind] + OPTIONAL
    for key in data:
        if key not in known:
            raise DrillbookError(f"unknown key {key!r} in [[{kind}]] (expected "
                                 f"{', '.join(known)})", path,
                                 line=_key_line(text, key, line or 1, next_line) or line)
    for key in REQUIRED[kind]:
        if key not in data:
            raise DrillbookError(f"[[{kind}]] needs {key!r}", path, line=line)
    at = lambda key: _key_line(text, key, line or 1, next_line) or line  # noqa: E731
    reason = _text(data["reason"], "reason", path, at("reason")) if "reason" in data else ""
    if kind in ("merge", "keep_apart"):
        problems = data["problems"]
        if not isinstance(problems, list) or len(problems) < 2:
            raise DrillbookError(f"'problems' of [[{kind}]] must list at least two problems "
                                 "(ids or titles)", path, line=at("problems"))
        refs = tuple(_text(p, f"each problem of [[{kind}]]", path, at("problems"))
                     for p in problems)
        if len({normalize_title(r) for r in refs}) < len(refs):
            raise DrillbookError(f"[[{kind}]] names the same problem twice", path,
                                 line=at("problems"))
        return Override(kind, refs, None, reason, line)  # type: ignore[arg-type]
    problem = _text(data["problem"], f"'problem' of [[{kind}]]", path, at("problem"))
    key = "topic" if kind == "move" else "title"
    target = _text(data[key], f"{key!r} of [[{kind}]]", path, at(key))
    return Override(kind, (problem,), target, reason, line)  # type: ignore[arg-type]


def parse_overrides(text: str, path: str = "overrides.toml") -> Overrides:
    """Parse the overrides file's text; errors name the file and line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        if line is None and "end of document" in str(exc):
            line = max(1, len(text.splitlines()))
        raise DrillbookError(f"invalid TOML: {exc}", path, line=line) from None
    for key in data:
        if key not in REQUIRED:
            raise DrillbookError(f"unknown key {key!r} (expected [[merge]], [[keep_apart]], "
                                 "[[move]] or [[retitle]] entries)", path,
                                 line=_key_line(text, key))
    headers = _header_lines(text)
    all_headers = sorted(n for lines in headers.values() for n in lines)
    entries: list[Override] = []
    for kind in REQUIRED:
        items = data.get(kind, [])
        if not isinstance(items, list):
            raise DrillbookError(f"{kind!r} must be written as [[{kind}]] entries", path,
                                 line=_key_line(text, kind))
        lines = headers.get(kind, [])
        for index, item in enumerate(items):
            line = lines[index] if index < len(lines) else _key_line(text, kind)
            later = [n for n in all_headers if line is not None and n > line]
            entries.append(_entry(kind, item, path, text, line, later[0] if later else None))
    entries.sort(key=lambda e: (e.line or 0))
    return Overrides(entries=tuple(entries), path=path)


def load_overrides(path: Path | str | None) -> Overrides:
    """Read the overrides file; a missing file (or None) is the empty file."""
    if path is None:
        return Overrides()
    path = Path(path)
    if not path.is_file():
        return Overrides(path=str(path))
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise DrillbookError("overrides file is not UTF-8 text", str(path)) from None
    return parse_overrides(text, str(path))


# ----- applying it ---------------------------------------------------------------------------

def _key(o: Occurrence) -> tuple[str, int | None, int | None]:
    return (o.source, o.line, o.page)


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
        forced_same = sorted({(min(g), k) for g in groups for k in g if k != min(g)})
        return OverrideResult(
            drafts=tuple(self.drafts), forced_same=forced_same, forced_apart=sorted(apart),
            applied=[self.outcome[n] for n in sorted(self.outcome)],
            diagnostics=self.diagnostics, path=self.overrides.path,
            moved={_key(self.drafts[k].occurrences[0]): t for k, t in moved.items()},
            retitled={_key(self.drafts[k].occurrences[0]): t for k, t in retitled.items()})

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

    def spread(self, named: list[tuple[str, list[int]]], apart: set[tuple[int, int]],
               same_groups: list[set[int]]) -> dict[int, str]:
        """Draft index -> value: named drafts, then their copies and forced merge groups.

        A value set directly on a draft is never replaced by one spread from another entry.
        """
        direct = {k: value for value, indexes in named for k in indexes}
        chosen: dict[int, str] = dict(direct)
        for value, indexes in named:
            members = self.names.copies(indexes, apart)
            for group in same_groups:
                if group & members:
                    members |= group
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
    and ``forced_same``/``forced_apart`` index pairs for ``merge_repeats``. ``previous``
    (the last build's corpus) lets an override name a problem by an id it carried over
    from an earlier edition. Contradictory overrides raise DrillbookError naming the line.
    """
    if not overrides.entries:
        return OverrideResult(drafts=tuple(drafts), forced_same=[], forced_apart=[],
                              applied=[], diagnostics=[], path=overrides.path)
    return _Applier(drafts, topics, overrides, previous, config).run()


def settle_overrides(problems: Sequence[Problem],
                     result: OverrideResult) -> tuple[tuple[Problem, ...], list[Diagnostic]]:
    """After dedupe: make sure each merged problem shows its fixed topic and title.

    A merged problem keeps its best-evidenced copy, which may be one no override named;
    any overridden occurrence decides. Also warns when a keep-apart pair still ended up in
    one problem (merge_repeats blocks direct pairs only; a third copy can bridge them).
    """
    settled: list[Problem] = []
    diagnostics: list[Diagnostic] = []
    for problem in problems:
        keys = [_key(o) for o in problem.occurrences]
        topic = next((result.moved[k] for k in keys if k in result.moved), None)
        title = next((result.retitled[k] for k in keys if k in result.retitled), None)
        changes: dict[str, Any] = {}
        if topic is not None and topic != problem.topic:
            changes["topic"] = topic
        if title is not None and title != problem.title:
            changes["title"] = title
        settled.append(replace(problem, **changes) if changes else problem)
    if result.forced_apart:
        where_of = {_key(d.occurrences[0]): k for k, d in enumerate(result.drafts)}
        for problem in settled:
            inside = {where_of[_key(o)] for o in problem.occurrences if _key(o) in where_of}
            bridged = [p for p in result.forced_apart if p[0] in inside and p[1] in inside]
            if bridged:
                a, b = bridged[0]
                diagnostics.append(Diagnostic(
                    "warning", "override-bridged",
                    f"{result.drafts[a].title!r} and {result.drafts[b].title!r} were to be "
                    f"kept apart but a third copy joined them into {problem.id!r}; keep it "
                    "apart from the others as well", None))
    return tuple(settled), diagnostics
