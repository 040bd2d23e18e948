"""Which way a point card asks, and whether it asks at all.

- **Explain**: the question and the approach's name on the front, "how does it work
  here?"; the explanation, example and tools on the back. Skipped where the back would
  only reword the front: fewer than ``MIN_NEW_WORDS`` content words of the explanation are
  new to the front (in any form), or the explanation repeats a run of the question's words
  ("add more servers" under "…or add more servers?"), or is a one-line definition of a
  two-word name by the name itself (``defines_by_itself``). Words that spell out the
  heading in other words (``restates``, the word list ``tags/data/restates.txt``),
  hyphenated prefixes ("over-", "under-") and an acronym of words the front prints ("DLQ"
  under "Dead Letter Queue": ``spells_out``) are nothing new. An instruction-shaped title
  ("Monitor X", "Plan Y", "Use X for Y": ``instruction``) names a goal, not how it is
  reached, so its explanation must also say why or how (``says_why_or_how``: a reason or
  mechanism word such as because, instead, prevents, which, must; a purpose "to <verb>";
  an arrow or a number; a name the front does not print) or add at least
  ``MIN_INSTRUCTION_NEW_WORDS`` new words; otherwise it only rewords the order ("Use Queue
  for Throttling": "put requests on a queue, workers pull at a fixed pace"). Such a card
  asks why it helps and how. An aside in parentheses that is no acronym's expansion ("Open
  State (Fail Fast)") moves to the back: it is often the answer.
- **Name**: the question and the explanation (and the example) on the front, "which
  <family> is this?" or "what is this called?"; the name on the back. Only for a title that
  is a recognized term (``terms.title_term``: the general-knowledge lists, not a heading, a
  claim or an instruction such as "Identify Hotspot Cause" or "Sagas Are Non-Blocking"),
  and only when no word of the name, in any form (also behind a prefix such as un-:
  "unhealthy" for "Health Checks"), is printed on the front (question, topic,
  explanation), nor an acronym of it spelled out ("availability zones" for "Multi-AZ");
  the example moves to the back when it names it, and the problem's title is left off the
  front when it names it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...english import GENERIC, HYPHENATED_NEGATING, STOP, content_lemmas, lemma, words
from ...inline import plain_text
from ...tags.grammar import is_bare_verb, is_english_word
from ...tags.terms import data_lines
from ..quiz.text import prefixed
from ..quiz.shapes import ACTION, ASPECT, CLAIM, CONTRAST, IMPERATIVES, QUESTION, WHEN, title_shape
from .cloze import FIELD_GENERIC, NEAR, describes
from .word_forms import is_name, related
from ...tags.recognized import Lexicon
from .terms import TitleTerm, split_aside, title_term

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
# General English words that spell one another out when an explanation only restates its
# heading ("Exponential Polling": "increasing delays"); for Explain cards only, beside the
# near-synonyms every card kind uses (``cloze.NEAR``). The groups live in the word list
# ``pipeline/tags/data/restates.txt`` (one group per line).
@lru_cache(maxsize=1)
def restates() -> tuple[frozenset[str], ...]:
    """The groups of words that spell one another out (``tags/data/restates.txt``)."""
    return tuple(frozenset(line.split()) for line in data_lines("restates.txt"))


# ... and at least this share of its telling words: the rest only rewords the title.
MIN_NEW_SHARE = 0.5


# A prefix written with a hyphen is no word of its own: "over-scaling", "under-provisioning",
# and the negating ones ``english.HYPHENATED_NEGATING`` ("non-blocking").
_HYPHEN_PREFIXES = ("over", "under", "pre", "sub", "semi", "multi", *HYPHENATED_NEGATING)
_PREFIX = re.compile(rf"\b(?:{'|'.join(_HYPHEN_PREFIXES)})-(?=[A-Za-z])", re.IGNORECASE)


def telling_words(text: str) -> set[str]:
    """The explanation's words that can say something: content lemmas without the field's
    generic words (data, request, server...) and words that say little on their own."""
    text = _PREFIX.sub("", plain_text(text))  # "over-scaling" says "scaling"
    return {w for w in content_lemmas(text)
            if w not in GENERIC and w not in FIELD_GENERIC and w not in _WEAK
            and not w.isdigit()}


# A run of this many words shared with the question prints the answer in the question.
SHARED_RUN = 3
# A one-line definition: an explanation of at most this many words.
DEFINITION_WORDS = 12


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
    problem_on_front: bool = True  # False: only the problem's title gives the name away


# Why a point gets no Explain card (the report counts them).
EXPLAIN_REASONS = {
    "rewords": "the explanation only rewords the title and the question",
    "instruction": "an instruction names an activity (monitor, check, plan...) or its "
                   "explanation says neither why nor how",
    "states": "the title states the point itself (a claim, or \"use X for Y\")",
    "names": "a heading that only names what its explanation orders",
}


def explain_card(title: str, explanation: str, question: str,
                 context: tuple[str, ...] = ()) -> ExplainCard | None:
    """The point's Explain card, or None when the back would only reword the front.

    ``context`` are the other texts on the front (problem title, topic)."""
    if explain_refusal(title, explanation, question, context) is not None:
        return None
    return ExplainCard(*split_aside(plain_text(title)))


def explain_refusal(title: str, explanation: str, question: str,
                    context: tuple[str, ...] = ()) -> str | None:
    """Why the point gets no Explain card (a key of ``EXPLAIN_REASONS``), or None."""
    if not plain_text(explanation).strip():
        return "rewords"
    front_title, _ = split_aside(plain_text(title))
    front = content_lemmas(" ".join((title, plain_text(question), *context)))
    # a near-synonym of the front says nothing new ("Orchestration": "coordinate")
    front |= {other for group in (*NEAR, *restates()) if group & front for other in group}
    said = telling_words(explanation)
    new = {w for w in said if not related(w, front)}
    # an acronym of words the front prints is no new word ("DLQ" under "Dead Letter Queue")
    acronyms = {lemma(w) for w in words(plain_text(explanation)) if _ACRONYM.fullmatch(w)}
    if new & acronyms:
        front_words = [w.lower() for w in words(" ".join((title, plain_text(question), *context)))
                       if w.lower() not in STOP]
        new = {w for w in new if w not in acronyms or not spells_out(w, front_words)}
    if len(new) < MIN_NEW_WORDS or len(new) < MIN_NEW_SHARE * len(said):
        return "rewords"
    if _shares_run(plain_text(explanation), plain_text(question)) \
            or _shares_run(plain_text(explanation), front_title):
        return "rewords"
    if defines_by_itself(front_title, explanation, len(new)):
        return "rewords"  # "Blob Vault": "Keep uploads in a blob vault built for huge volume."
    if states_itself(title):
        return "states"  # "Sagas Are Lock-Free", "Use Kettle for Warm Restarts"
    if names_an_order(title, explanation):
        return "names"  # "Pod Memory Limits": "Set memory caps on every pod."
    if activity_heading(title) or (instruction(title) and (activity(title) or (
            len(new) < MIN_INSTRUCTION_NEW_WORDS and not says_why_or_how(explanation, front)))):
        return "instruction"  # "Use Queue for Throttling": "put requests on a queue"
    return None


def defines_by_itself(front_title: str, explanation: str, new_words: int) -> bool:
    """A one-line definition (at most ``DEFINITION_WORDS`` words) of a two-word name that
    prints the name itself and adds no more than ``MIN_NEW_WORDS`` telling words: the back
    says what the name already says ("Blob Vault": "keep uploads in a blob vault built for
    huge volume")."""
    text = plain_text(explanation)
    return (new_words <= MIN_NEW_WORDS and len(words(text)) <= DEFINITION_WORDS
            and len(words(front_title)) == 2 and _shares_run(text, front_title, 2))


def states_itself(title: str) -> bool:
    """The title is the point's whole statement, so "what does this point say?" is
    answered by reading it: a claim with its own verb ("Sagas Are Lock-Free",
    "Tokens Can't Be Recalled", "Removing a Node Moves Its Keys On") or a choice "use /
    choose / prefer / avoid X for Y" ("Use Kettle for Warm Restarts")."""
    plain = plain_text(title).strip()
    found = [w.lower() for w in words(plain)]
    if not found or title_shape(plain) in (QUESTION, WHEN, CONTRAST):
        return False
    if title_shape(plain) == CLAIM or "'t" in plain or "\u2019t" in plain:
        return True
    return found[0] in ("use", "choose", "prefer", "avoid") and " for " in f" {plain.lower()} "


def names_an_order(title: str, explanation: str) -> bool:
    """A noun heading whose explanation is one bare order opening with a verb: an aspect
    heading that names a technique ("Pod Memory Limits": "Set memory caps on every
    pod."), or any noun heading over an order of a few words ("Dependency Drills":
    "Simulate outages."). The back only says what the heading names, in the imperative.
    A title that is itself an order ("Limit X") or a question is asked as such."""
    plain = plain_text(title).strip()
    first = [w.lower() for w in words(plain)][:1]
    shape = title_shape(plain)
    if not first or first[0] in IMPERATIVES or shape in (QUESTION, WHEN, CONTRAST):
        return False
    text = plain_text(explanation).strip()
    opening = words(text)[:1]
    if not opening or not is_bare_verb(opening[0].lower()) \
            or re.search(r"[.;!?](?:\s|$)|\s[—–]\s", text.rstrip(".")):
        return False
    return (shape == ASPECT and len(words(text)) <= MAX_ORDER_WORDS) \
        or len(words(text)) <= MAX_BARE_ORDER_WORDS


# A noun heading's explanation this short, one order, only says what the heading names:
# an aspect heading's (it names a technique) up to MAX_ORDER_WORDS, any up to the other.
MAX_ORDER_WORDS, MAX_BARE_ORDER_WORDS = 10, 5
# An instruction's explanation with no reason or mechanism must add this many new words.
MIN_INSTRUCTION_NEW_WORDS = 5
# Verbs of an order that names a goal, not a technique ("Monitor Disk Usage", "Plan Schema
# Changes"): "Retry with Jittered Backoff" or "Denormalize Orders" name how; these do not.
# They live in the word list ``pipeline/tags/data/goal_verbs.txt``.
@lru_cache(maxsize=1)
def _goal_verbs() -> frozenset[str]:
    return frozenset(data_lines("goal_verbs.txt"))


# Words that give a reason, a mechanism, a condition or a contrast.
_WHY_OR_HOW = re.compile(
    r"\b(because|since|so|instead|without|which|that|when|until|unless|if|before|after|"
    r"while|than|vs|rather|otherwise|prevents?|avoids?|only|same|must|each|per|not|never|"
    r"don't|doesn't|at a time|as \w+ as|\w+ pattern)\b|→|->|=|\d", re.IGNORECASE)
_TO_VERB = re.compile(r"\bto\s+([a-z]+)")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#-]*")


# Verbs of an order that names an activity, not a way to do it ("Monitor Queue Size",
# "Check Ownership", "Plan the Migration"): what to watch or weigh is the title itself,
# and its explanation, however long, rewords it (readers rejected every one they saw).
# They live in the word list ``pipeline/tags/data/activity_verbs.txt``.
@lru_cache(maxsize=1)
def _activity_verbs() -> frozenset[str]:
    return frozenset(data_lines("activity_verbs.txt"))


def activity(title: str) -> bool:
    """An order naming an activity ("Monitor Queue Size"): no Explain card."""
    found = [w.lower() for w in words(plain_text(title))]
    return bool(found) and found[0] in _activity_verbs()


def activity_heading(title: str) -> bool:
    """A heading made of activities alone, the first one a listed activity's -ing form
    ("Tracking & Reporting"): it names what to do as the orders above do ("Track ..."),
    and its explanation rewords it the same way."""
    found = [w.lower() for w in words(plain_text(title)) if w.lower() not in ("and", "or")]
    return (len(found) >= 1 and found[0].endswith("ing") and found[0][:-3] in _activity_verbs()
            and all(w.endswith("ing") for w in found))


def instruction(title: str) -> bool:
    """An order naming a goal rather than a technique: "Monitor Disk Usage", "Plan Schema
    Changes", "Use Queue for Throttling" (any order "<verb> X for Y")."""
    plain = plain_text(title).strip()
    found = [w.lower() for w in words(plain)]
    if len(found) < 2 or title_shape(plain) != ACTION or found[:2] == ["use", "cases"]:
        return False
    return found[0] in _goal_verbs() or (found[0] in IMPERATIVES
                                         and " for " in f" {plain.lower()} ")


def says_why_or_how(explanation: str, front: frozenset[str] | set[str]) -> bool:
    """The explanation gives a reason, a mechanism, a condition, a contrast or comparison,
    a purpose ("to cut load"), a named pattern, an arrow or a number, or names something
    (an acronym, a code-like name, a capitalized word no dictionary knows such as a product)
    that the front (``front``: its content lemmas) does not print."""
    text = plain_text(explanation)
    if _WHY_OR_HOW.search(text):
        return True
    if any(is_bare_verb(verb) for verb in _TO_VERB.findall(text)):
        return True
    found = _NAME.findall(text)
    # an acronym or code-like name, or a capitalized word no dictionary knows ("Patroni")
    return any((is_name(w) or (i and w[:1].isupper() and not is_english_word(w)))
               and not related(w.lower(), front) for i, w in enumerate(found))


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
              lexicon: Lexicon, context: tuple[str, ...] = (),
              problem: str = "") -> NameCard | None:
    """The point's Name card, or None: the title is no recognized term, or the front would
    give the name away. ``context`` are the other texts on the front (the topic);
    ``problem`` is the problem's title, which the front leaves off when it alone would give
    the name away ("Leaky Bucket" under "Token Bucket vs Leaky Bucket": the question and
    the topic still say where the point sits)."""
    if not plain_text(explanation).strip():
        return None
    if title_shape(title) != ACTION or len(words(plain_text(explanation))) < MIN_CLUE_WORDS:
        return None  # a claim or a heading names nothing; a clue this short fits many names
    term: TitleTerm | None = title_term(plain_text(title), lexicon)
    if term is None or describes(term):
        return None
    named = content_lemmas(term.name) - GENERIC
    shown = (explanation, question, *context)
    if not named or any(_gives_away(named, text, term.name) for text in shown):
        return None
    if _family_gives_away(named, shown, lexicon):
        return None  # "Redis/Memcached" (caches) printed over "Caching Layer"
    problem_on_front = not (problem and (_gives_away(named, problem, term.name)
                                         or _family_gives_away(named, (problem,), lexicon)))
    family = term.known.family
    if family and any(related(w, named) for w in content_lemmas(family) - GENERIC):
        family = None  # "Which locking strategy is this?" would print "lock"
    return NameCard(term.name, term.aside, family,
                    example_on_front=bool(plain_text(example).strip())
                    and not _gives_away(named, example, term.name),
                    problem_on_front=problem_on_front)


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


def _gives_away(named: frozenset[str], text: str, name: str = "") -> bool:
    """A word of the text is a word of the name in any form ("Autoescape" for "escape") or
    a near-synonym of one ("throttle" for "Rate Limiting", "undo" for "Rollback"), clips
    one ("ack" for "Acknowledgment") or abbreviates the name ("NACL" for "Network ACLs")."""
    near = named | {other for group in NEAR if group & named for other in group}
    plain = plain_text(text)
    # a word of the name in another form, or behind a prefix ("unhealthy" for "Health")
    if any(related(word, near) or any(prefixed(n, word) for n in near)
           for word in content_lemmas(plain) if word not in STOP):
        return True
    parts = [w.lower() for w in re.split(r"[\s/-]+", name) if w]
    front = [w.lower() for w in words(plain)]
    if any(spells_out(acronym.lower(), front) for acronym in _ACRONYM.findall(name)):
        return True  # "three availability zones" spells out the AZ of "Multi-AZ"
    printed = _NAME.findall(plain)
    if any(_clips(w, parts) for w in printed):
        return True
    return bool(parts) and any(abbreviates(w, parts) for w in printed
                               if sum(c.isupper() for c in w) >= 2)


def _clips(word: str, parts: list[str]) -> bool:
    """The word, no English word itself, is the clipped start of a long word of the name,
    or one letter and such a clipping: "acks" and "nack" for "Acknowledgment", "repl" for
    "Replication" (but "subnet" is no "net" for "Network")."""
    lowered = word.lower()
    if lowered.endswith("s") and len(lowered) > 3:
        lowered = lowered[:-1]
    if len(lowered) < 3 or is_english_word(lowered):
        return False
    return any(len(part) >= 2 * len(clip) and part.startswith(clip)
               for part in parts for clip in (lowered, lowered[1:]) if len(clip) >= 3)


# An acronym spells out at most this many consecutive words ("DLQ": Dead Letter Queue).
ACRONYM_WORDS = 5
_ACRONYM = re.compile(r"[A-Z]{2,}s?")


def spells_out(word: str, front_words: list[str]) -> bool:
    """The word abbreviates a run of consecutive words the front prints (``abbreviates``):
    "dlq" under "Dead Letter Queue Tracing", "isr" under "Min In-Sync Replicas"."""
    return any(abbreviates(word, front_words[start:end])
               for start in range(len(front_words))
               for end in range(start + 2, min(len(front_words), start + ACRONYM_WORDS) + 1))


def abbreviates(word: str, parts: list[str]) -> bool:
    """The word spells the name in short: each of its words, in order, as its initial or
    whole (plural -s dropped), at least one as an initial: "NACL" for "Network ACLs",
    "LWW" for "Last Write Wins", "CB" for "Circuit Breaker"."""
    target = word.lower()
    if len(target) < 2 or len(parts) < 2:
        return False
    forms = [p[:-1] if p.endswith("s") and len(p) > 3 else p for p in parts]
    target = target[:-1] if target.endswith("s") and len(target) > 2 else target

    def spell(at: int, part: int, initials_used: bool) -> bool:
        if part == len(forms):
            return at == len(target) and initials_used
        whole = forms[part]
        return (target.startswith(whole[:1], at) and spell(at + 1, part + 1, True)) or (
            len(whole) > 1 and target.startswith(whole, at)
            and spell(at + len(whole), part + 1, initials_used))
    return spell(0, 0, False)


def heading(title: str) -> bool:
    """A heading of a remark rather than an approach's name: "When to Use X", "Why…?",
    "Vertical Scaling Limits", "Can't Revoke JWTs Easily", "Use Sessions for Web Apps".
    Its Explain card asks what the point says, not how it works."""
    plain = plain_text(title).strip()
    found = [w.lower() for w in words(plain)]
    if not found or plain.endswith("?") or found[0] in _HEADING_OPENERS \
            or title_shape(plain) != ACTION:
        return True
    # a heading word as printed ("Limits", not "Limiting"), never the opening order ("Limit
    # Page Size")
    if any(w in _HEADING_WORDS for w in found[1:]) or (
            found[0] in _HEADING_WORDS and found[0] not in IMPERATIVES):
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
