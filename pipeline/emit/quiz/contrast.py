"""Which-contrast items: the book's "X vs Y" problems, asked as "which need points to X?".

A problem (or its topic) titled "X vs Y" whose points say when to take each side — titles
"Use X for N" ("Use Kafka for Event Replay and Reprocessing"), or "When to Use X" /
"When to Choose X" with a short list of needs as the explanation ("Simple CRUD
operations, public APIs, heavy caching needs") — is a contrast. An item asks which of four
needs points to one side rather than the other: the key is a need of that side, the three
distractors are needs of the other side. Every option is then the same kind of thing (a
need) on the same subject (the same choice), and the book itself says each distractor
belongs to the other side, so it is wrong for this one. Sides are taken only where the
contrast's title names them; a title with a third side, or a side with no needs, is no
contrast. One contrast gives at most one item per quiz (two would show each other's
options).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

from ...inline import plain_text
from ...models import Point, Problem
from .bank import Bank
from .items import OPTIONS_PER_ITEM, Decline, Item, item_id, pick_distractors
from .text import near_form, stem_cues, words

WHICH_CONTRAST = "which-contrast"
_VS = re.compile(r"\s+(?:vs\.?|versus)\s+", re.IGNORECASE)
_USE_FOR = re.compile(r"^Use (?P<side>.+?) for (?P<need>.+)$")
_WHEN_TO = re.compile(r"^When to (?:Use|Choose|Pick|Prefer) (?P<side>.+)$", re.IGNORECASE)
# A listed need is a short noun phrase: a verb, a clause or a number in it makes it prose.
_MAX_NEED_WORDS = 5
_PROSE = re.compile(r"\b(is|are|can|can't|cannot|must|should|will|when|if|because|you|your|"
                    r"use|don't|doesn't)\b|\d", re.IGNORECASE)


@dataclass(frozen=True)
class Need:
    """One need the book files under one side of a contrast."""

    side: str  # as the contrast's point prints it ("Kafka")
    text: str  # sentence case ("Event replay and reprocessing")
    point: Point


@dataclass(frozen=True)
class Contrast:
    """A problem's "X vs Y": its title and each side's needs."""

    title: str
    sides: tuple[str, str]
    needs: tuple[Need, ...]

    def of_side(self, side: str) -> list[Need]:
        return [n for n in self.needs if n.side == side]


def sentence_case(text: str, capitalized: dict[str, float]) -> str:
    """"High-Throughput Event Streams" -> "High-throughput event streams"; names,
    acronyms and words the book always capitalizes keep their capitals ("Lua", "APIs")."""
    def fix(token: str) -> str:
        if re.search(r"[A-Z].*[A-Z]|[0-9]", token) or not token[:1].isupper():
            return token
        return token if capitalized.get(token.lower(), 0.0) >= 0.8 else token.lower()

    pieces = re.split(r"([\s/-]+)", text.strip())
    fixed = [fix(p) if i else p for i, p in enumerate(pieces)]
    result = "".join(fixed)
    return result[:1].upper() + result[1:]


def listed_needs(explanation: str) -> list[str]:
    """An explanation that is only a list of short needs, as its items ([] otherwise):
    "Need content-based routing, SSL termination, or path-based routing." -> three."""
    text = plain_text(explanation).strip().rstrip(".")
    text = re.sub(r"^Need(?:s)?\s+", "", text)
    text = re.sub(r"\s*\([^()]*\)", "", text).strip()
    if "(" in text or ";" in text or ":" in text or "." in text:
        return []
    parts = [p.strip() for p in re.split(r",\s*(?:or\s+|and\s+)?|\s+or\s+", text) if p.strip()]
    if len(parts) < 2 and len(words(text)) > _MAX_NEED_WORDS:
        return []
    if any(len(words(p)) > _MAX_NEED_WORDS or _PROSE.search(p) for p in parts):
        return []
    return parts


def _names_side(side: str, title: str) -> bool:
    """Every word of the side is in the contrast's title, in some near form
    ("Sessions" in "Session-Based vs Token-Based Authentication")."""
    title_words = words(title)
    return bool(words(side)) and all(any(w == t or near_form(w, t) for t in title_words)
                                     for w in words(side))


def _position(side: str, title: str) -> int:
    """Where the title first names the side (its order in "X vs Y")."""
    first = words(side)[0] if words(side) else side
    title_words = words(title)
    exact = [i for i, t in enumerate(title_words) if t.casefold() == first.casefold()]
    near = [i for i, t in enumerate(title_words) if near_form(first, t)]
    return (exact or near or [len(title_words)])[0]


def find_contrasts(bank: Bank) -> dict[str, Contrast]:
    """Problem id -> its contrast, for every problem that spells one out."""
    found: dict[str, Contrast] = {}
    for problem in bank.corpus.problems:
        title = next((t for t in (plain_text(problem.title),
                                  bank.topic_title.get(problem.topic, "")) if _VS.search(t)),
                     None)
        if title is None or len(_VS.split(title)) != 2:
            continue
        needs: list[Need] = []
        for point in problem.points:
            name = plain_text(point.title).strip()
            use = _USE_FOR.match(name)
            when = _WHEN_TO.match(name)
            if use:
                needs.append(Need(use["side"], sentence_case(use["need"], bank.capitalized),
                                  point))
            elif when:
                needs += [Need(when["side"], sentence_case(n, bank.capitalized), point)
                          for n in listed_needs(point.explanation)]
        sides = sorted({n.side for n in needs}, key=lambda s: _position(s, title))
        if len(sides) != 2 or not all(_names_side(s, title) for s in sides):
            continue
        found[problem.id] = Contrast(title, (sides[0], sides[1]), tuple(needs))
    return found


def contrast_stem(contrast: Contrast, side: str, capitalized: dict[str, float]) -> str:
    """The question; the sides keep their capitals only where the book always writes them
    so ("Kafka", "SQL"; "sessions")."""
    other = next(s for s in contrast.sides if s != side)
    side, other = (sentence_case("x " + name, capitalized)[2:] for name in (side, other))
    return f"In “{contrast.title}”, which of these is a reason to choose {side} over {other}?"


def build_contrast_item(bank: Bank, problem: Problem, point: Point, rng: random.Random,
                        avoid_key_longest: int) -> Item | Decline:
    """One need of this point's side; three needs of the other side."""
    contrast = bank.contrasts.get(problem.id)
    if contrast is None:
        return Decline("the problem spells out no X vs Y contrast")
    mine = [n for n in contrast.needs if n.point is point]
    if not mine:
        return Decline("the point names no need of a side")
    need = mine[0] if len(mine) == 1 else rng.choice(mine)
    other = next(s for s in contrast.sides if s != need.side)
    pool = [n.text for n in contrast.of_side(other)]
    rng.shuffle(pool)
    distractors = pick_distractors(need.text, pool, OPTIONS_PER_ITEM - 1, avoid_key_longest)
    if distractors is None:
        return Decline("the other side has fewer than three needs that fit beside this one")
    stem = contrast_stem(contrast, need.side, bank.capitalized)
    if stem_cues(stem, need.text, distractors):
        return Decline("the stem repeats words of the key")
    return Item(item_id(WHICH_CONTRAST, problem, f"{point.title}\x1f{need.text}"),
                WHICH_CONTRAST, problem.id, problem.topic, stem, need.text, distractors,
                point.title)
