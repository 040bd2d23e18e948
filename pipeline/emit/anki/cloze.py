"""Cloze deletions: the key term of a point's explanation, and the marked-up text.

The key term is the longest run of adjacent explanation words that the point's title or
tag labels also name (compared by lemma, so "replicas" matches "Replica"), stop words and
generic phrasing words ("use", "approach") left out. No such word: no cloze note.

Terms are found in the explanation's plain text (``pipeline/inline.py``), so Markdown marks
never split a term, and a term never touches a code span or a formula: those are atoms a
cloze must not cut through.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from markupsafe import Markup

from ...english import GENERIC, STOP, WORD, lemma
from ...inline import Mark, parse, render_html

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
    """(start, end) of the key term in the explanation's plain text, or None.

    Words inside a code span or a formula are never part of a term.
    """
    parsed = parse(explanation)
    explanation = parsed.plain
    wanted = {lemma(word) for hint in hints for word in WORD.findall(parse(hint).plain)
              if _content(word)}
    tokens = [m for m in WORD.finditer(explanation)
              if not parsed.overlaps_atom(m.start(), m.end())]
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
                 escape: Callable[[str], str]) -> Markup:
    """The explanation as field HTML with every occurrence of the term as cloze 1.

    ``term`` is a plain-text range (from ``key_term``); occurrences that would cut a code
    span or a formula are left alone. ``escape`` escapes the book's characters for Anki.
    """
    parsed = parse(explanation)
    text = parsed.plain
    surface = text[term[0]:term[1]]
    # Word edges as WORD draws them ("_" and "." split words), so the term always finds itself.
    pattern = re.compile(r"(?<![A-Za-z0-9])" + re.escape(surface) + r"(?![A-Za-z0-9])",
                         re.IGNORECASE)
    marks = [Mark(m.start(), m.end(), CLOZE_OPEN, CLOZE_CLOSE) for m in pattern.finditer(text)
             if not parsed.overlaps_atom(m.start(), m.end())]
    return render_html(parsed, math="mathjax", escape=escape, marks=marks)
