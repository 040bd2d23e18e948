"""Identity: every id drillbook hands out, and the one rule that makes problem ids unique.

Everything here is computed from content only (titles, questions, point text, where a
problem was printed), never from a position in a list or the order the inputs came in, so
a rebuild of the same book in any order gives the same ids.

- **Topic ids** are the slug of the table-of-contents title.
- **Problem ids** are ``<slug of the title>-<6 hex of sha1(normalized title)>``. When two or
  more distinct problems of one corpus share a normalized title, each of them is salted
  (``assign_problem_ids``): with its question, else with all its text, else with its
  topic, else with where it was printed, whichever level first tells it apart from every
  other problem of that title. A problem whose title is unique keeps the plain id.
- **Point keys** (Anki note keys) are the problem id plus the point's normalized title.
- **Tag ids** are lowercase slugs with no spaces.
- **Quiz item ids** are the kind, the problem id and a short hash of what the item asks.

``check_unique_ids`` is the build-time guarantee: two problems with one id stop the build
with a message naming both.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from typing import Callable, Sequence

from .errors import DrillbookError
from .models import Diagnostic, Problem

_NON_SLUG = re.compile(r"[^a-z0-9]+")


# Matching compares the same few hundred titles many times over (the segmenter checks
# each line against every TOC title), so normalized forms are remembered.
@lru_cache(maxsize=65536)
def normalize_title(title: str) -> str:
    """Lowercase ASCII words of a title, single-spaced: what ids and matching compare."""
    folded = (title if title.isascii()  # decomposing ASCII changes nothing
              else unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii"))
    return " ".join(_NON_SLUG.split(folded.lower())).strip()


def slugify(text: str, max_length: int = 48) -> str:
    """A lowercase, hyphenated, filesystem- and Anki-safe slug ("" never: falls back to "x")."""
    slug = "-".join(normalize_title(text).split())[:max_length].strip("-")
    return slug or "x"


def short_hash(*parts: str, length: int = 6) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def topic_id(title: str) -> str:
    """Topic ids are the slug of the table-of-contents title."""
    return slugify(title, 64)


def tag_id(label: str) -> str:
    """Tag ids: lowercase slugs with no spaces (Anki tags may not contain spaces)."""
    return slugify(label, 64)


def problem_id(title: str, salt: str = "") -> str:
    """A problem id from its title; ``salt`` (see ``SALT_LEVELS``) separates problems of
    equal titles. Unsalted, this is the id every problem with a unique title gets."""
    return f"{slugify(title)}-{short_hash(normalize_title(title), salt)}"


# ----- the salt rule for problems that share a title ------------------------------------------

def _question(problem: Problem) -> str:
    return normalize_title(problem.question)


def body_text(problem: Problem) -> str:
    """A problem's own words, normalized: question, summary and point text, never the tags
    (their layout differs between copies). The "text" salt, and what dedupe compares."""
    parts = [problem.question, problem.summary]
    for point in problem.points:
        parts.extend((point.title, point.explanation, point.example))
    return normalize_title(" ".join(parts))


def _topic(problem: Problem) -> str:
    text = body_text(problem)
    return f"{text}\x1f{problem.topic}" if text or problem.topic else ""


def _place(problem: Problem) -> str:
    # The last resort, for copies identical in every word and topic that an override keeps
    # apart: where they were printed (source ids derive from the file's content), sorted.
    places = sorted(f"{o.source}:{o.line or ''}:{o.page or ''}" for o in problem.occurrences)
    return " ".join(places)


# Each level's name is part of its salt, so salts of different levels never coincide.
SALT_LEVELS: tuple[tuple[str, Callable[[Problem], str]], ...] = (
    ("question", _question), ("text", body_text), ("topic", _topic), ("place", _place))


def salts(copies: Problem | Sequence[Problem]) -> list[str]:
    """A problem's salts in the order they are tried, levels with no content skipped.

    ``copies``: the problem, or every copy dedupe merged into it; each level's value is
    the smallest over the copies, so the salt does not depend on which copy was kept.
    """
    group = [copies] if isinstance(copies, Problem) else list(copies)
    found: list[str] = []
    for name, value_of in SALT_LEVELS:
        values = [v for v in map(value_of, group) if v]
        if values:
            found.append(f"{name}:{min(values)}")
    return found


def candidate_ids(problem: Problem, title: str | None = None) -> set[str]:
    """Every id the rule could give this problem (or a copy of it) under ``title``: the plain
    id and each salted one. Overrides use it to find a draft by a corpus.json id."""
    title = problem.title if title is None else title
    return {problem_id(title)} | {problem_id(title, salt) for salt in salts(problem)}


def assign_problem_ids(problems: Sequence[Problem],
                       copies: Sequence[Sequence[Problem]] | None = None) -> list[str]:
    """The id of each distinct problem of a corpus (same order as ``problems``).

    A problem whose normalized title no other problem shares gets ``problem_id(title)``.
    Problems sharing a title each get their first salt (question, text, topic, place) that
    no other member of the group has: the result depends on the group's content only,
    never on which problem came first. ``copies[i]`` are the drafts merged into
    ``problems[i]`` (default: the problem itself). Raises DrillbookError if two ids still
    coincide.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for index, problem in enumerate(problems):
        groups[normalize_title(problem.title)].append(index)
    salt_lists: dict[int, list[str]] = {}
    for group in groups.values():
        if len(group) > 1:
            for k in group:
                salt_lists[k] = salts(copies[k] if copies is not None else problems[k])
    ids: list[str] = []
    for index, problem in enumerate(problems):
        if index not in salt_lists:
            ids.append(problem_id(problem.title))
            continue
        others = [set(salt_lists[k]) for k in groups[normalize_title(problem.title)]
                  if k != index]
        # Its first salt no other member of the group shares (equal places: caught below).
        salt = next((s for s in salt_lists[index] if not any(s in o for o in others)),
                    "place:" + _place(problem))
        ids.append(problem_id(problem.title, salt))
    check_unique_ids(problems, ids)
    return ids


def _describe(problem: Problem) -> str:
    first = problem.occurrences[0] if problem.occurrences else None
    where = ""
    if first is not None:
        where = f" ({first.source}:{first.line})" if first.line is not None else (
            f" ({first.source}, page {first.page})" if first.page is not None
            else f" ({first.source})")
    return f"{problem.title!r}{where}"


def check_unique_ids(problems: Sequence[Problem], ids: Sequence[str] | None = None) -> None:
    """Raise DrillbookError naming both problems when two of them hold the same id."""
    seen: dict[str, Problem] = {}
    for problem, pid in zip(problems, ids if ids is not None else [p.id for p in problems]):
        if pid in seen:
            first = seen[pid]
            where = problem.occurrences[0] if problem.occurrences else None
            raise DrillbookError(
                f"two different problems would share the id {pid!r}: {_describe(first)} and "
                f"{_describe(problem)}; tell them apart in the book or merge them with "
                "a [[merge]] override", where.source if where else None,
                where.line if where else None, where.page if where else None)
        seen[pid] = problem


# ----- keys of the things inside a problem -------------------------------------------------------

def point_keys(problem: Problem) -> tuple[list[str], list[Diagnostic]]:
    """Stable keys of a problem's points: problem id + normalized title, never the position.

    A point without a title is keyed by a hash of its explanation and example; a repeated
    title within one problem gets "#2", "#3" in book order (with a warning).
    """
    keys: list[str] = []
    seen: dict[str, int] = {}
    noticed: list[Diagnostic] = []
    for point in problem.points:
        name = normalize_title(point.title)
        if not name:
            body = point.explanation + " " + point.example
            name = "untitled " + short_hash(normalize_title(body))
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            noticed.append(Diagnostic("warning", "anki-duplicate-point",
                                      f"problem {problem.id!r} has {seen[name]} points titled "
                                      f"{point.title!r}; later ones are keyed by their rank",
                                      point.where))
            name = f"{name} #{seen[name]}"
        keys.append(f"{problem.id}/{name}")
    return keys, noticed


def quiz_item_id(kind: str, problem_id: str, anchor: str) -> str:
    """A quiz item's id: its kind, its problem and what it asks about (a point title, ...)."""
    return f"{kind}-{problem_id}-{short_hash(kind, problem_id, normalize_title(anchor), length=4)}"
