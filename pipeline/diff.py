"""What changed between two corpora: problems added, retired, retitled, moved and edited.

Problems are matched by id first, then by the fuzzy test dedupe uses (see
``pipeline.continuity.match_problems``), so a diff across editions built with
``--fresh-ids`` still pairs a retitled problem with its earlier self. Points of a matched
problem are aligned by title; a point whose title changed is paired by position.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from .config import DedupeConfig
from .continuity import match_problems
from .ids import normalize_title
from .models import Corpus, Point, Problem

POINT_FIELDS = ("title", "explanation", "example", "tags")
PROBLEM_FIELDS = ("question", "summary")


@dataclass(frozen=True, slots=True)
class PointChange:
    """One point added, removed or edited (``fields`` names what was edited)."""

    kind: str  # "added" | "removed" | "edited"
    title: str  # the new title (the old one for "removed")
    old_title: str | None = None
    fields: tuple[str, ...] = ()
    old_position: int | None = None  # 1-based
    new_position: int | None = None


@dataclass(frozen=True, slots=True)
class ProblemChange:
    """A problem present in both corpora, and what differs."""

    old_id: str
    new_id: str
    old_title: str
    new_title: str
    old_topic: str
    new_topic: str
    matched_by: str  # "id", "title" or "content"
    fields: tuple[str, ...] = ()  # question/summary edits
    points: tuple[PointChange, ...] = ()
    old_number: int | None = None
    new_number: int | None = None

    @property
    def retitled(self) -> bool:
        return self.old_title != self.new_title

    @property
    def moved(self) -> bool:
        return self.old_topic != self.new_topic

    @property
    def renumbered(self) -> bool:
        return self.old_number != self.new_number

    @property
    def changed(self) -> bool:
        """Anything a reader would notice (printed numbers alone do not count)."""
        return bool(self.retitled or self.moved or self.fields or self.points
                    or self.old_id != self.new_id)


@dataclass(frozen=True)
class CorpusDiff:
    """Problems added, retired and changed between two corpora."""

    added: tuple[Problem, ...]
    retired: tuple[Problem, ...]
    changes: tuple[ProblemChange, ...]  # every matched problem, new corpus order
    topics_added: tuple[str, ...] = ()
    topics_removed: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.retired or self.topics_added or self.topics_removed
                    or any(c.changed for c in self.changes))


def _point_fields(old: Point, new: Point) -> tuple[str, ...]:
    return tuple(name for name in POINT_FIELDS if getattr(old, name) != getattr(new, name))


def _alike(old: Point, new: Point) -> bool:
    return fuzz.ratio(f"{old.title} {old.explanation}", f"{new.title} {new.explanation}") >= 60


def diff_points(old: tuple[Point, ...], new: tuple[Point, ...]) -> tuple[PointChange, ...]:
    """Point changes between two versions of a problem, in new-point order."""
    keys_old = [normalize_title(p.title) for p in old]
    keys_new = [normalize_title(p.title) for p in new]
    changes: list[PointChange] = []
    matcher = difflib.SequenceMatcher(a=keys_old, b=keys_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = list(zip(range(i1, i2), range(j1, j2))) if tag in ("equal", "replace") else []
        if tag == "replace":  # a retitled point pairs by position only if its text is alike
            pairs = [(i, j) for i, j in pairs if _alike(old[i], new[j])]
        for i, j in pairs:
            fields = _point_fields(old[i], new[j])
            if fields:
                changes.append(PointChange("edited", new[j].title, old[i].title, fields,
                                           i + 1, j + 1))
        paired_old = {i for i, _ in pairs}
        paired_new = {j for _, j in pairs}
        for j in range(j1, j2):
            if j not in paired_new:
                changes.append(PointChange("added", new[j].title, None, (), None, j + 1))
        for i in range(i1, i2):
            if i not in paired_old:
                changes.append(PointChange("removed", old[i].title, None, (), i + 1, None))
    return tuple(changes)


def diff_corpora(old: Corpus, new: Corpus, config: DedupeConfig = DedupeConfig()) -> CorpusDiff:
    """Compare two corpora: match problems (id, then fuzzy) and list what differs."""
    matches = match_problems(old.problems, new.problems, config, trust_ids=True)
    matched_old = {m.old for m in matches}
    matched_new = {m.new for m in matches}
    changes = []
    for m in matches:
        a, b = old.problems[m.old], new.problems[m.new]
        changes.append(ProblemChange(
            old_id=a.id, new_id=b.id, old_title=a.title, new_title=b.title,
            old_topic=a.topic, new_topic=b.topic, matched_by=m.how,
            fields=tuple(f for f in PROBLEM_FIELDS if getattr(a, f) != getattr(b, f)),
            points=diff_points(a.points, b.points), old_number=a.number, new_number=b.number))
    added = tuple(p for j, p in enumerate(new.problems) if j not in matched_new)
    retired = tuple(p for i, p in enumerate(old.problems) if i not in matched_old)
    old_topics = {t.id for t in old.topics}
    new_topics = {t.id for t in new.topics}
    counts = {"added": len(added), "retired": len(retired),
              "retitled": sum(c.retitled for c in changes),
              "moved": sum(c.moved for c in changes),
              "edited": sum(bool(c.fields or c.points) for c in changes),
              "id_changed": sum(c.old_id != c.new_id for c in changes),
              "renumbered": sum(c.renumbered for c in changes),
              "unchanged": sum(not c.changed for c in changes)}
    return CorpusDiff(added=added, retired=retired, changes=tuple(changes),
                      topics_added=tuple(t.id for t in new.topics if t.id not in old_topics),
                      topics_removed=tuple(t.id for t in old.topics if t.id not in new_topics),
                      counts=counts)


def _point_line(change: PointChange) -> str:
    if change.kind == "added":
        return f"point {change.new_position} added: {change.title!r}"
    if change.kind == "removed":
        return f"point {change.old_position} removed: {change.title!r}"
    where = f"point {change.new_position}"
    if change.old_position != change.new_position:
        where += f" (was {change.old_position})"
    what = ", ".join(change.fields)
    if "title" in change.fields:
        return f"{where} {change.old_title!r} -> {change.title!r}: {what} edited"
    return f"{where} {change.title!r}: {what} edited"


def diff_text(d: CorpusDiff) -> str:
    """The diff as plain text for a terminal, one problem per block."""
    c = d.counts
    lines = [f"{c['added']} added, {c['retired']} retired, {c['retitled']} retitled, "
             f"{c['moved']} moved, {c['edited']} edited, {c['unchanged']} unchanged"
             + (f"; {c['renumbered']} renumbered" if c['renumbered'] else "")]
    if d.is_empty:
        lines.append("no changes")
        return "\n".join(lines) + "\n"
    for topic in d.topics_added:
        lines.append(f"+ topic {topic}")
    for topic in d.topics_removed:
        lines.append(f"- topic {topic}")
    for problem in d.added:
        lines.append(f"+ added   {problem.id}  {problem.title!r} ({problem.topic}, "
                     f"{len(problem.points)} points)")
    for problem in d.retired:
        lines.append(f"- retired {problem.id}  {problem.title!r} ({problem.topic})")
    for change in d.changes:
        if not change.changed:
            continue
        head = f"~ changed {change.new_id}  {change.new_title!r}"
        lines.append(head)
        if change.old_id != change.new_id:
            lines.append(f"    id {change.old_id} -> {change.new_id} "
                         f"(matched by {change.matched_by})")
        if change.retitled:
            lines.append(f"    retitled from {change.old_title!r}")
        if change.moved:
            lines.append(f"    moved from topic {change.old_topic} to {change.new_topic}")
        for name in change.fields:
            lines.append(f"    {name} edited")
        lines.extend(f"    {_point_line(p)}" for p in change.points)
    return "\n".join(lines) + "\n"


def diff_json(d: CorpusDiff) -> dict[str, Any]:
    """The diff as JSON data (counts, then lists in corpus order)."""
    def brief(p: Problem) -> dict[str, Any]:
        return {"id": p.id, "title": p.title, "topic": p.topic, "points": len(p.points)}

    return {
        "counts": dict(d.counts),
        "topics_added": list(d.topics_added),
        "topics_removed": list(d.topics_removed),
        "added": [brief(p) for p in d.added],
        "retired": [brief(p) for p in d.retired],
        "changed": [{
            "id": c.new_id, "old_id": c.old_id, "title": c.new_title,
            "old_title": c.old_title, "retitled": c.retitled, "topic": c.new_topic,
            "old_topic": c.old_topic, "moved": c.moved, "matched_by": c.matched_by,
            "number": c.new_number, "old_number": c.old_number,
            "fields": list(c.fields),
            "points": [{"change": p.kind, "title": p.title, "old_title": p.old_title,
                        "fields": list(p.fields), "position": p.new_position,
                        "old_position": p.old_position} for p in c.points],
        } for c in d.changes if c.changed],
    }
