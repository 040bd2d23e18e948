"""Ids that survive editions: a rebuilt problem keeps the id it had in the previous corpus.

Anki notes and frontends key their history on problem ids, and ids derive from titles, so
a retitled problem would otherwise get a new id. When the previous ``corpus.json`` is
known, each new problem is matched to a previous one (same id, else the same fuzzy test
dedupe uses to call two copies the same problem) and takes over its id.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, Sequence

from .config import DedupeConfig
from .ids import check_unique_ids, normalize_title, problem_id, salts
from .models import Corpus, Diagnostic, Problem
from .similarity import body_text, is_same_problem, same_problem, score_pair

MatchKind = Literal["id", "title", "content"]


@dataclass(frozen=True, slots=True)
class ProblemMatch:
    """A previous problem and the new problem that continues it, and how they were matched."""

    old: int  # index into the old problems
    new: int  # index into the new problems
    how: MatchKind  # "id": same id; "title": same normalized title; "content": fuzzy
    title_score: float
    body_score: float


@dataclass(frozen=True, slots=True)
class Renamed:
    """A kept id whose problem's title changed."""

    id: str
    old_title: str
    new_title: str


@dataclass(frozen=True)
class IdResult:
    """The corpus with carried ids, and which ids were kept, new and retired (a
    ``StageResult``)."""

    corpus: Corpus
    kept: tuple[str, ...]  # ids carried over from the previous corpus (new corpus order)
    new: tuple[str, ...]  # ids of problems the previous corpus did not have
    retired: tuple[str, ...]  # previous ids no problem continues (previous corpus order)
    renamed: tuple[Renamed, ...]  # kept ids whose title changed
    matches: tuple[ProblemMatch, ...] = ()
    previous_titles: dict[str, str] | None = None  # retired id -> its last title
    id_map: dict[str, str] | None = None  # the build's own id -> the id it carries, if other
    diagnostics: tuple[Diagnostic, ...] = ()  # nothing yet: a StageResult like the others

    def rename(self, problem_id: str) -> str:
        """The final id of a problem the build called ``problem_id`` (for merge records)."""
        return (self.id_map or {}).get(problem_id, problem_id)

    def report_section(self) -> dict[str, Any]:
        """JSON-ready data for report.json's "ids" section."""
        titles = {p.id: p.title for p in self.corpus.problems}
        how = {self.corpus.problems[m.new].id: m.how for m in self.matches}
        return {"ids": {
            "kept": [{"id": i, "title": titles[i], "matched_by": how.get(i, "id")}
                     for i in self.kept],
            "new": [{"id": i, "title": titles[i]} for i in self.new],
            "retired": [{"id": i, "title": (self.previous_titles or {}).get(i, "")}
                        for i in self.retired],
            "renamed": [{"id": r.id, "old_title": r.old_title, "new_title": r.new_title}
                        for r in self.renamed],
        }}


def match_problems(old: Sequence[Problem], new: Sequence[Problem], config: DedupeConfig,
                   trust_ids: bool = False) -> list[ProblemMatch]:
    """One-to-one matches of old to new problems: same id, same title, then fuzzy.

    A carried id no longer spells its problem's title, so a new problem whose title-derived
    id happens to equal it is not necessarily the same problem: unless ``trust_ids`` (two
    corpora that both carry ids, as ``drillbook diff`` compares), an id match also needs
    the same title or the fuzzy test.

    Fuzzy pairs are the ones dedupe would merge (``is_same_problem``); among them the most
    alike bodies pair first, so a decoy with a look-alike title loses to the real
    continuation. An unchanged title keeps its id even if the body was rewritten (the id
    derives from the title anyway). Only problems left over by the exact passes are scored
    pairwise, so an unchanged corpus costs no fuzzy comparison at all.
    """
    matches: list[ProblemMatch] = []
    taken_old: set[int] = set()
    taken_new: set[int] = set()

    def take(i: int, j: int, how: MatchKind, title: float = 100.0, body: float = 100.0) -> None:
        taken_old.add(i)
        taken_new.add(j)
        matches.append(ProblemMatch(i, j, how, title, body))

    new_by_id: dict[str, int] = {}
    for j, problem in enumerate(new):
        new_by_id.setdefault(problem.id, j)
    for i, problem in enumerate(old):
        same_id = new_by_id.get(problem.id)
        if problem.id and same_id is not None and same_id not in taken_new and (
                trust_ids or _same_problem(problem, new[same_id], config)):
            take(i, same_id, "id")
    for i, j, title, body in _title_matches(old, new, taken_old, taken_new):
        take(i, j, "title", title, body)
    old_left = [i for i in range(len(old)) if i not in taken_old]
    new_left = [j for j in range(len(new)) if j not in taken_new]
    if old_left and new_left:
        matches.extend(_fuzzy_matches(old, new, old_left, new_left, config))
    return sorted(matches, key=lambda m: m.new)


def _same_problem(a: Problem, b: Problem, config: DedupeConfig) -> bool:
    """An id match continues a problem when the title is unchanged or dedupe's test agrees."""
    return normalize_title(a.title) == normalize_title(b.title) or same_problem(a, b, config)


def _title_matches(old: Sequence[Problem], new: Sequence[Problem], taken_old: set[int],
                   taken_new: set[int]) -> list[tuple[int, int, float, float]]:
    """Pairs with identical normalized titles; several of one title pair by body score."""
    by_title: dict[str, list[int]] = {}
    for j, problem in enumerate(new):
        if j not in taken_new:
            by_title.setdefault(normalize_title(problem.title), []).append(j)
    found: list[tuple[int, int, float, float]] = []
    used: set[int] = set()
    for i, problem in enumerate(old):
        title = normalize_title(problem.title)
        if i in taken_old or not title:
            continue
        options = [j for j in by_title.get(title, []) if j not in used]
        if not options:
            continue
        body = body_text(problem)
        scored = [(score_pair(title, title, body, body_text(new[j]))[1], -j, j) for j in options]
        best_body, _, best = max(scored)
        used.add(best)
        found.append((i, best, 100.0, round(best_body, 1)))
    return found


def _fuzzy_matches(old: Sequence[Problem], new: Sequence[Problem], old_left: list[int],
                   new_left: list[int], config: DedupeConfig) -> list[ProblemMatch]:
    old_titles = [normalize_title(old[i].title) for i in old_left]
    new_titles = [normalize_title(new[j].title) for j in new_left]
    old_bodies = [body_text(old[i]) for i in old_left]
    new_bodies = [body_text(new[j]) for j in new_left]
    candidates: list[tuple[float, float, int, int]] = []
    for a in range(len(old_left)):
        for b in range(len(new_left)):
            title, body = score_pair(old_titles[a], new_titles[b], old_bodies[a], new_bodies[b])
            if is_same_problem(title, body, config):
                candidates.append((body, title, a, b))
    # Most alike bodies first, then titles; ties in reading order (deterministic).
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    found: list[ProblemMatch] = []
    for body, title, a, b in candidates:
        if a in used_old or b in used_new:
            continue
        used_old.add(a)
        used_new.add(b)
        found.append(ProblemMatch(old_left[a], new_left[b], "content", round(title, 1),
                                  round(body, 1)))
    return found


def _unique_id(problem: Problem, taken: set[str]) -> str:
    """The problem's own id or, when a carried id holds it, its first salted id (the salt
    rule of ``pipeline.ids``) that nobody holds; content only, never a counter."""
    options = [problem.id] + [problem_id(problem.title, salt) for salt in salts(problem)]
    return next((candidate for candidate in options if candidate not in taken), problem.id)


def carry_ids(new: Corpus, previous: Corpus | None, config: DedupeConfig) -> IdResult:
    """Give every problem of ``new`` that continues a ``previous`` problem that problem's id.

    Problems with no previous match keep their own id, salted if a kept id took it, so
    ids stay unique. ``previous=None`` (a first build, or ``--fresh-ids``) changes nothing.
    """
    if previous is None:
        return IdResult(corpus=new, kept=(), new=tuple(p.id for p in new.problems),
                        retired=(), renamed=())
    matches = match_problems(previous.problems, new.problems, config)
    carried = {m.new: previous.problems[m.old].id for m in matches}
    # Every id already spoken for: the carried ones and the fresh problems' own ids (which
    # are unique among themselves), so a fresh problem moves aside only for a carried id.
    carried_ids = set(carried.values())
    taken = carried_ids | {p.id for i, p in enumerate(new.problems)
                                     if i not in carried}
    problems: list[Problem] = []
    kept: list[str] = []
    fresh: list[str] = []
    renamed: list[Renamed] = []
    old_of_new = {m.new: m.old for m in matches}
    id_map: dict[str, str] = {}
    for index, problem in enumerate(new.problems):
        own_id = problem.id
        if index in carried:
            problem = replace(problem, id=carried[index])
            kept.append(problem.id)
            before = previous.problems[old_of_new[index]]
            if before.title != problem.title:
                renamed.append(Renamed(problem.id, before.title, problem.title))
        elif problem.id in carried_ids:
            problem = replace(problem, id=_unique_id(problem, taken))
            taken.add(problem.id)
            fresh.append(problem.id)
        else:
            fresh.append(problem.id)
        if problem.id != own_id:
            id_map[own_id] = problem.id
        problems.append(problem)
    check_unique_ids(problems)  # an id equal to a carried one was moved aside above
    matched_old = set(old_of_new.values())
    retired = [p for i, p in enumerate(previous.problems) if i not in matched_old]
    return IdResult(corpus=replace(new, problems=tuple(problems)), kept=tuple(kept),
                    new=tuple(fresh), retired=tuple(p.id for p in retired),
                    renamed=tuple(renamed), matches=tuple(matches),
                    previous_titles={p.id: p.title for p in retired}, id_map=id_map)


def previous_corpus(path: Path) -> Corpus | None:
    """The corpus.json a previous build left at ``path``, or None when there is none.

    A file that exists but cannot be read raises DrillbookError: silently starting over
    would hand out new ids and orphan every Anki note (``--fresh-ids`` opts out).
    """
    from .emit.corpus_json import load_corpus
    from .errors import DrillbookError

    if not path.is_file():
        return None
    try:
        return load_corpus(path)
    except DrillbookError as exc:
        raise DrillbookError(f"{exc.message}; the previous corpus carries the problem ids "
                             "(rebuild with --fresh-ids to start new ids)", exc.path,
                             exc.line) from None
