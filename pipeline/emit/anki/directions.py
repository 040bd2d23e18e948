"""Which way a point card asks, and whether it asks at all.

- **Explain**: the question and the approach's name on the front, "how does it work here?";
  the explanation, example and tools on the back. Skipped where the back would only
  reword the front: fewer than ``MIN_NEW_WORDS`` content words of the explanation are new
  to the front (in any form), or the explanation repeats a run of the question's words
  ("add more servers" under "…or add more servers?"). An aside in parentheses that is no
  acronym's expansion ("Open State (Fail Fast)") moves to the back: it is often the answer.
- **Name**: the question and the explanation (and the example) on the front, "which
  <family> is this?" or "what is this called?"; the name on the back. Only for a title that
  is a recognized term (``terms.title_term``: the general-knowledge lists, not a heading, a
  claim or an instruction such as "Identify Hotspot Cause" or "Sagas Are Non-Blocking"),
  and only when no word of the name, in any form, is printed on the front (question,
  problem, topic, explanation); the example moves to the back when it names it.
"""
from __future__ import annotations

from dataclasses import dataclass

from ...english import GENERIC, STOP, content_lemmas, lemma, words
from ...inline import plain_text
from ..quiz.shapes import ACTION, title_shape
from .cloze import FIELD_GENERIC, describes, related
from .terms import Lexicon, TitleTerm, split_aside, title_term

# An Explain card's back must say at least this many things the front does not.
MIN_NEW_WORDS = 3
# Words that say little on their own: they never count as something the back adds.
_WEAK = frozenset("""
allow allows force make makes let help keep ensure need needs provide support handle
standard common simple specific different multiple various certain new old like thing
whole entire good better best way instead also just even really actually use using show
return add set configure display enable run create send get put take give many more less
automatically always never often immediately
""".split())
# ... and at least this share of its telling words: the rest only rewords the title.
MIN_NEW_SHARE = 0.5


def telling_words(text: str) -> set[str]:
    """The explanation's words that can say something: content lemmas without the field's
    generic words (data, request, server...) and words that say little on their own."""
    return {w for w in content_lemmas(plain_text(text))
            if w not in GENERIC and w not in FIELD_GENERIC and w not in _WEAK
            and not w.isdigit()}


# A run of this many words shared with the question prints the answer in the question.
SHARED_RUN = 3


@dataclass(frozen=True, slots=True)
class ExplainCard:
    """A point that gets an Explain card: the title as its front prints it, and the aside
    moved to the back."""

    front_title: str
    aside: str


@dataclass(frozen=True, slots=True)
class NameCard:
    """A point that gets a Name card: the name to recall, what sort of thing it is (the
    family the reviewed list gives, or None), whether the example stays on the front."""

    name: str
    aside: str
    family: str | None
    example_on_front: bool


def explain_card(title: str, explanation: str, question: str,
                 context: tuple[str, ...] = ()) -> ExplainCard | None:
    """The point's Explain card, or None when the back would only reword the front.

    ``context`` are the other texts on the front (problem title, topic)."""
    if not plain_text(explanation).strip():
        return None
    front_title, aside = split_aside(plain_text(title))
    front = content_lemmas(" ".join((title, plain_text(question), *context)))
    said = telling_words(explanation)
    new = {w for w in said if not related(w, front)}
    if len(new) < MIN_NEW_WORDS or len(new) < MIN_NEW_SHARE * len(said):
        return None
    if _shares_run(plain_text(explanation), plain_text(question)) \
            or _shares_run(plain_text(explanation), front_title):
        return None
    return ExplainCard(front_title, aside)


def _shares_run(text: str, other: str, length: int = SHARED_RUN) -> bool:
    """The texts share ``length`` consecutive words (by lemma), at least two of them
    content words: "add more servers"."""
    ours = [lemma(w) for w in words(text)]
    theirs = [lemma(w) for w in words(other)]
    runs = {tuple(theirs[i:i + length]) for i in range(len(theirs) - length + 1)}
    for i in range(len(ours) - length + 1):
        run = tuple(ours[i:i + length])
        if run in runs and sum(1 for w in run if w not in STOP) >= 2:
            return True
    return False


def name_card(title: str, explanation: str, example: str, question: str,
              lexicon: Lexicon, context: tuple[str, ...] = ()) -> NameCard | None:
    """The point's Name card, or None: the title is no recognized term, or the front would
    give the name away. ``context`` are the other texts on the front (problem, topic)."""
    if not plain_text(explanation).strip():
        return None
    if title_shape(title) != ACTION or len(words(plain_text(explanation))) < MIN_CLUE_WORDS:
        return None  # a claim or a heading names nothing; a clue this short fits many names
    term: TitleTerm | None = title_term(plain_text(title), lexicon)
    if term is None or describes(term):
        return None
    named = content_lemmas(term.name) - GENERIC
    if not named or any(_gives_away(named, text) for text in (explanation, question, *context)):
        return None
    if _family_gives_away(named, (explanation, question, *context), lexicon):
        return None  # "Redis/Memcached" (caches) printed over "Caching Layer"
    family = term.known.family
    if family and any(related(w, named) for w in content_lemmas(family) - GENERIC):
        family = None  # "Which locking strategy is this?" would print "lock"
    return NameCard(term.name, term.aside, family,
                    example_on_front=bool(plain_text(example).strip())
                    and not _gives_away(named, example))


# A Name card's clue (the explanation) has at least this many words.
MIN_CLUE_WORDS = 5


def _family_gives_away(named: frozenset[str], texts: tuple[str, ...], lexicon: Lexicon) -> bool:
    """A term the front prints belongs to a family that names the answer."""
    for text in texts:
        for found in lexicon.find(plain_text(text)):
            family = found.known.family
            if family and any(related(w, named) for w in content_lemmas(family) - GENERIC):
                return True
    return False


def _gives_away(named: frozenset[str], text: str) -> bool:
    """A word of the text is a word of the name in any form ("Autoescape" for "escape")."""
    return any(related(word, named) for word in content_lemmas(plain_text(text))
               if word not in STOP)


def heading(title: str) -> bool:
    """A heading of a remark rather than an approach's name: "When to Use X", "Why…?",
    "Vertical Scaling Limits", "Can't Revoke JWTs Easily", "Use Sessions for Web Apps".
    Its Explain card asks what the point says, not how it works."""
    plain = plain_text(title).strip()
    found = [w.lower() for w in words(plain)]
    if not found or plain.endswith("?") or found[0] in _HEADING_OPENERS \
            or title_shape(plain) != ACTION:
        return True
    if any(w in _HEADING_WORDS or lemma(w) in _HEADING_WORDS for w in found):
        return True
    if any(w in _CLAIM_WORDS for w in found) or "'t" in plain or "’t" in plain:
        return True
    return found[0] in ("use", "choose", "prefer", "avoid") and " for " in f" {plain.lower()} "


_HEADING_OPENERS = frozenset("when why how what where which who is are do does should can "
                             "pros cons the problem example summary key".split())
_HEADING_WORDS = frozenset("""
benefit benefits advantage advantages limit limits limitation limitations consideration
considerations tradeoff tradeoffs trade-off trade-offs drawback drawbacks downside downsides
challenge challenges issue issues risk risks pitfall pitfalls overview basics comparison
difference differences vs versus cost costs impact problem problems
""".split())
_CLAIM_WORDS = frozenset("is are isn aren can cannot won doesn don must should".split())
