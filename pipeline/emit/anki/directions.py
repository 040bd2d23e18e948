"""Which way a point card asks: explain an approach, or name it from its description.

- **Explain** (every titled point): the question and the approach's name on the front,
  "how does it work, and why here?"; the explanation, example and tools on the back. It
  tests what the book says about the approach, which is what an interviewer asks next.
- **Name** (only where it tests something): the question and the approach's explanation
  (and example) on the front, "which approach is this?"; its name on the back. Only for a
  title that names an approach (not a heading such as "When to Use X" or "Cost
  Trade-offs") and only when no content word of the title is printed on the front, which
  would give the name away; the example moves to the back when it names it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...english import content_lemmas, lemma, words
from ...inline import plain_text

# Titles that are headings of a remark rather than names of an approach.
_HEADING_START = re.compile(r"^(when|why|how|what|where|which|who|is|are|do|does|should|"
                            r"can|pros|cons|the problem|problem|example|summary|key)\b",
                            re.IGNORECASE)
_HEADING_WORDS = frozenset("""
benefit benefits advantage advantages limit limits limitation limitations consideration
considerations tradeoff tradeoffs trade-off trade-offs drawback drawbacks downside downsides
challenge challenges issue issues risk risks pitfall pitfalls overview basics comparison
difference differences vs versus cost costs impact
""".split())


@dataclass(frozen=True, slots=True)
class NameCard:
    """A point that gets a Name card, and whether its example can stay on the front."""

    example_on_front: bool


def names_an_approach(title: str) -> bool:
    """The title is the name of an approach, technique or technology, not a heading."""
    plain = plain_text(title).strip()
    if not plain or _HEADING_START.match(plain) or plain.endswith("?"):
        return False
    found = [w.lower() for w in words(plain)]
    return not any(w in _HEADING_WORDS or lemma(w) in _HEADING_WORDS for w in found) \
        and 1 <= len(found) <= 9


def name_card(title: str, explanation: str, example: str, question: str) -> NameCard | None:
    """The point's Name card, or None when the front would give the name away."""
    if not names_an_approach(title) or not plain_text(explanation).strip():
        return None
    named = content_lemmas(plain_text(title))
    if not named or _gives_away(named, explanation) or _gives_away(named, question):
        return None
    return NameCard(example_on_front=bool(plain_text(example).strip())
                    and not _gives_away(named, example))


def _gives_away(named: frozenset[str], text: str) -> bool:
    """A word of the text is a word of the name in any form ("Autoescape" for "escape")."""
    from .cloze import related

    return any(related(word, named) for word in content_lemmas(plain_text(text)))
