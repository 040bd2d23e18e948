"""Cloze deletions: the key term of a point's explanation, and the marked-up text.

The key term is the longest run of adjacent explanation words that the point's title or
tag labels also name (compared by lemma, so "replicas" matches "Replica"), stop words and
generic phrasing words ("use", "approach") left out. No such word: no cloze note.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from markupsafe import Markup

from ...english import GENERIC, STOP, WORD, lemma

CLOZE_OPEN = "{{c1::"
CLOZE_CLOSE = "}}"

# Words of a multi-word term may be joined by spaces, hyphens or slashes, nothing else.
_JOINER = re.compile(r"[\s\-/]*")
# A term must leave enough of the explanation to be a question.
MAX_TERM_SHARE = 0.6


def _content(word: str) -> bool:
    if len(word) < 2 or word.isdigit():
        return False
    found = lemma(word)
    return word.lower() not in STOP and found not in STOP and found not in GENERIC


def key_term(explanation: str, hints: Iterable[str]) -> tuple[int, int] | None:
    """(start, end) of the explanation's key term, or None when nothing qualifies."""
    wanted = {lemma(word) for hint in hints for word in WORD.findall(hint) if _content(word)}
    tokens = [m for m in WORD.finditer(explanation)]
    best: tuple[tuple[int, int, int], tuple[int, int]] | None = None
    index = 0
    while index < len(tokens):
        word = tokens[index].group(0)
        if not (_content(word) and lemma(word) in wanted):
            index += 1
            continue
        last = index
        while last + 1 < len(tokens):
            following = tokens[last + 1].group(0)
            gap = explanation[tokens[last].end():tokens[last + 1].start()]
            if not (_JOINER.fullmatch(gap) and _content(following) and lemma(following) in wanted):
                break
            last += 1
        start, end = tokens[index].start(), tokens[last].end()
        # Longest in words, then in characters; the first one wins a tie.
        score = (last - index + 1, end - start, -start)
        if end - start >= 3 and (best is None or score > best[0]):
            best = (score, (start, end))
        index = last + 1
    if best is None:
        return None
    start, end = best[1]
    if (end - start) > MAX_TERM_SHARE * len(explanation.strip()):
        return None
    return start, end


def cloze_markup(explanation: str, term: tuple[int, int],
                 escape: Callable[[str], Markup]) -> Markup:
    """The explanation with every occurrence of the term as cloze 1, the rest escaped."""
    surface = explanation[term[0]:term[1]]
    # Word edges as WORD draws them ("_" and "." split words), so the term always finds itself.
    pattern = re.compile(r"(?<![A-Za-z0-9])" + re.escape(surface) + r"(?![A-Za-z0-9])",
                         re.IGNORECASE)
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(explanation):
        pieces.append(escape(explanation[position:match.start()]))
        pieces.append(CLOZE_OPEN + escape(match.group(0)) + CLOZE_CLOSE)
        position = match.end()
    pieces.append(escape(explanation[position:]))
    return Markup("".join(pieces))
