"""Naming items: which idea does this explanation describe, or this example illustrate?

The key is the point's title. Distractors are titles of the same problem's other points:
they answer the same interview question, so they are on the subject and plausible (points
of other problems, even of the same topic, read as off the subject: the book's topics mix
subjects). They are of the key's shape (shapes.py) and never another right answer: a
candidate is left out when its own explanation and example say much the same as the key's,
when it carries one of the key point's tags (the book files them under one idea), when the
stem repeats its title's words, when (for an example) its title combines approaches
("Combine RBAC and ABAC": an example of one part illustrates the combination too) or
bounds an amount the example sets ("Min/Max Replicas" beside "keep 5 idle pods"), or when
its title names the key's idea again ("Vertical Scaling (Scale Up)" / "Vertical Scaling as
Quick Fix") or negates its idea ("… for Non-Refundable Orders" / "Refund Flow (Reversal)").
Among the fair siblings, those the rest of the book links most to the stem's words come
first (meaning.py), and an item whose key still stands out as the only option on the stem's
subject is not made, nor one where a single option says the family of a technology the
stem names (a PostgreSQL example beside one "Database ..." option among a cache, a queue
and a network: family_cue.py). Nothing is blanked: a description that repeats the key's words
(in any near form) is no item, since a blank would either give the answer away or take
the words that tell the options apart. The stem is framed by the problem's title, else the
topic's, else nothing: whichever echoes none of the options or all of them alike.
"""
from __future__ import annotations

import random
import re
from itertools import combinations

from ...english import content_lemmas
from ...models import Point, Problem
from .bank import Bank, PointRef
from .items import OPTIONS_PER_ITEM, Decline, Item, item_id, pick_distractors
from .meaning import MEANING_MARGIN
from .checks import lone_content_word
from .family_cue import family_cue
from .shapes import KEY_SHAPES
from .solver import lone_word
from .text import NEGATED_WORD
from .text import GENERIC, echo_even, echoes, near_form, negated, plain, stem_cues

NAME_CONCEPT = "name-concept"
NAME_FROM_EXAMPLE = "name-from-example"
# A distractor whose own explanation and example share this many of the stem's telling
# words (not the problem's own words) reads as described by the stem too.
MAX_SHARED_TELLING = 1
# A description needs this many content words to single out one idea.
MIN_BODY_WORDS = 3
# Two points whose explanations and examples share this share of their telling words say
# much the same: one is no wrong answer for the other's description.
SAME_MEANING = 0.5


def _quote(text: str) -> str:
    return f"“{text.strip()}”"


def title_words(title: str) -> list[str]:
    """A title's telling words, as printed: parentheses ("(Scale Up)") and generic
    phrasing ("Use", "Pattern") left out."""
    text = re.sub(r"\([^()]*\)", " ", plain(title))
    return [w for w in re.findall(r"[A-Za-z0-9]+", text)
            if w.lower() not in GENERIC and len(w) > 1 and w.lower() not in _GLUE]


_GLUE = frozenset("for of to with and or in on at by from the a an as vs via per".split())


def titles_clash(a: str, b: str, is_name=lambda word: False) -> bool:
    """Two titles sharing a word (in any near form) without being parallel alternatives.

    "Token Bucket Algorithm" / "Leaky Bucket Algorithm" and "Fixed Window Counter" /
    "Sliding Window Log" swap one or two words, "S3 Standard" / "S3 Glacier Deep Archive"
    share only a leading name (``is_name``): fair pairs. "Vertical Scaling (Scale Up)"
    / "Vertical Scaling as Quick Fix", "Use Async for Background Tasks" / "Asynchronous
    Communication" name one idea twice: both could be the answer."""
    x, y = title_words(a), title_words(b)

    def same(w: str, v: str) -> bool:
        return near_form(w, v) and not negated(w, v)  # "Read Committed" / "Read Uncommitted"

    shared_x = [w for w in x if any(same(w, v) for v in y)]
    shared_y = [w for w in y if any(same(w, v) for v in x)]
    if not shared_x:
        return False
    rest_x, rest_y = len(x) - len(shared_x), len(y) - len(shared_y)
    if len(x) == len(y) and rest_x == rest_y and 1 <= rest_x <= 2:
        return False
    lead = len(shared_x)
    return not (rest_x and rest_y and x[:lead] == shared_x and y[:len(shared_y)] == shared_y
                and all(is_name(w) for w in shared_x + shared_y))


def negates_idea(a: str, b: str) -> bool:
    """One title named by negating the other's idea: "… for Non-Compensable Steps" beside
    "Backward Recovery (Compensation)" (parentheses read too). The one is defined by where
    the other stops, so an example at the border reads as either: both could be right."""
    for x, y in ((a, b), (b, a)):
        others = re.findall(r"[A-Za-z]+", plain(y))
        for match in NEGATED_WORD.finditer(plain(x)):
            if any(near_form(match.group(1), w) for w in others if len(w) > 3):
                return True
    return False


# A title that combines approaches: "Combine RBAC and ABAC", "Hybrid Push/Pull".
_COMBINING = re.compile(r"^(?:combin(?:e|es|ing)|mix(?:ing)?|blend(?:ing)?)\b|\bhybrid\b",
                        re.IGNORECASE)


def combines_approaches(title: str) -> bool:
    """The title names a combination of approaches. A combination holds each of its parts,
    so an example of a sibling that is one of them illustrates it as well (an admin role
    limited by the office network is "Context-Based Authorization" and also "Combine RBAC
    and ABAC"): it is no distractor for an example."""
    return bool(_COMBINING.search(plain(title).strip()))


# A title that bounds an amount ("Min/Max Replicas", "Maximum Pool Size"), and an example
# that sets one ("keep 5 idle pods", "3 replicas"): a number, a word or two, a plural.
_BOUND_TITLE = re.compile(r"\b(?:min|max|minimum|maximum|floor|ceiling|bounds?)\b",
                          re.IGNORECASE)
# Times and durations are no amount a bound title is about ("retry after 30 seconds").
_UNITS = r"(?:seconds|minutes|hours|days|weeks|months|years|times|millis\w*|ms)\b"
_AMOUNT = re.compile(r"(?<![\w.-])\d+(?:[.,]\d+)?\s+(?:[a-z-]+\s+)?(?!" + _UNITS + r")[a-z]{3,}s\b")


def bounds_an_amount(title: str, example: str) -> bool:
    """The title bounds an amount and the example sets one. Keeping five idle pods ready is
    a minimum replica count too, so such a title is another right answer for the example."""
    return bool(_BOUND_TITLE.search(plain(title)) and _AMOUNT.search(plain(example)))


def _distinct_meaning(bank: Bank, key: PointRef, other: PointRef) -> bool:
    mine = key.text_words - bank.common
    theirs = other.text_words - bank.common
    overlap = len(mine & theirs) / max(1, min(len(mine), len(theirs)))
    return overlap < SAME_MEANING


def _odd_word(key: str, distractors: tuple[str, ...]) -> bool:
    """A word the three distractors print and the key does not, or a content word three
    options print and a distractor does not (the same_kind check's rules)."""
    options = (key, *distractors)
    return bool(lone_word(key, distractors)) or any(
        lone_content_word(d, [x for x in options if x is not d]) for d in distractors)


def name_stem(kind: str, body: str, context: str | None) -> str:
    """The stem of a naming item; ``context`` is a quoted title or None."""
    ask = ("which idea is described here" if kind == NAME_CONCEPT
           else "which idea does this example illustrate")
    if context:
        return f"In {_quote(context)}, {ask}: {_quote(body)}?"
    return f"{ask[0].upper()}{ask[1:]}: {_quote(body)}?"


def build_name_item(bank: Bank, problem: Problem, point: Point, rng: random.Random,
                    avoid_key_longest: int, kind: str) -> Item | Decline:
    """Name the idea from its explanation (name-concept) or its example (name-from-example)."""
    key = bank.ref(problem, point)
    if key is None:
        return Decline("the point has no title")
    body = point.explanation if kind == NAME_CONCEPT else point.example
    if not body.strip():
        return Decline("the point has no " + ("explanation" if kind == NAME_CONCEPT
                                              else "example"))
    if key.shape not in KEY_SHAPES:
        article = "an" if key.shape[0] in "aeiou" else "a"
        return Decline(f"the title is {article} {key.shape} heading, not an idea to name")
    body_words = content_lemmas(plain(body))
    if len(body_words) < MIN_BODY_WORDS:
        return Decline("the description is too short to single out one idea")
    if echoes(body, point.title):
        return Decline("the description repeats the key's words")
    framing = content_lemmas(plain(f"{problem.title} {problem.question} {problem.summary}"))
    telling = body_words - framing - bank.common
    key_tags = set(point.tags)

    def is_name(word: str) -> bool:
        return bool(re.search(r"[A-Z].*[A-Z]|[0-9]", word)) or \
            bank.capitalized.get(word.lower(), 0.0) >= 0.8

    def fair(other: PointRef) -> bool:
        if other.shape != key.shape or not _distinct_meaning(bank, key, other):
            return False
        if kind == NAME_FROM_EXAMPLE and (combines_approaches(other.point.title)
                                          or bounds_an_amount(other.point.title, body)):
            return False  # a combination holds the key, a bound an amount: both fit
        if titles_clash(point.title, other.point.title, is_name) or \
                negates_idea(point.title, other.point.title) or key_tags & set(other.point.tags):
            return False  # one idea under two titles, or two points the book tags alike
        # The stem must not describe the distractor: no word of its title repeated, and
        # none of the stem's telling words in its own explanation and example.
        return (not echoes(body, other.point.title)
                and len(telling & other.text_words) < MAX_SHARED_TELLING)

    siblings = [r for r in bank.by_problem.get(problem.id, ()) if r.point is not point]
    rng.shuffle(siblings)
    # The siblings most on the stem's subject first (the words the rest of the book uses
    # with the stem's, meaning.py), so the key is not the only option on it; the seeded
    # order breaks ties.
    stem_body = _quote(body)
    candidates = [r for r in siblings if fair(r)]
    if len(candidates) < OPTIONS_PER_ITEM - 1:
        return Decline("fewer than three of the problem's other points fit as distractors")
    closeness = {id(r): bank.meaning.fit(stem_body, r.point.title, problem.id)
                 for r in candidates}
    candidates.sort(key=lambda r: -closeness[id(r)])
    # The first triple, in that order, that picks cleanly, leaves neither the key nor a
    # distractor the odd one out by a word the other three print (three "… Pagination"
    # beside "Filtering with Query Parameters"), and leaves no option the only one saying
    # the family of a technology the stem names (family_cue.py).
    titles = [r.point.title for r in candidates]
    distractors = None
    family_given = False
    for triple in combinations(titles, OPTIONS_PER_ITEM - 1):
        picked = pick_distractors(point.title, triple, OPTIONS_PER_ITEM - 1, avoid_key_longest)
        if picked is None or _odd_word(point.title, picked):
            continue
        if family_cue(stem_body, point.title, picked):
            family_given = True
            continue
        distractors = picked
        break
    if distractors is None:
        return Decline("the key is the only option saying what the stem names (a database "
                       "for PostgreSQL, the user interface for a banner)" if family_given else
                       "fewer than three of the problem's other points fit as distractors")
    if bank.meaning.lead(stem_body, point.title, distractors, problem.id) >= MEANING_MARGIN:
        return Decline("the key is the only option on the stem's subject")
    contexts = [problem.title]
    topic = bank.topic_title.get(problem.topic, "")
    if content_lemmas(plain(topic)) & bank.problem_words.get(problem.id, frozenset()):
        contexts.append(topic)  # a topic title that says what the problem is about
    contexts.append("")
    options = (point.title, *distractors)
    for context in contexts:
        stem = name_stem(kind, body, context or None)
        if echo_even(stem, options) and not stem_cues(stem, point.title, distractors) \
                and not family_cue(stem, point.title, distractors):
            return Item(item_id(kind, problem, point.title), kind, problem.id, problem.topic,
                        stem, point.title, distractors, point.title)
    return Decline("every stem repeats words of the key")


def build_concept_item(bank: Bank, problem: Problem, point: Point, rng: random.Random,
                       avoid_key_longest: int) -> Item | Decline:
    return build_name_item(bank, problem, point, rng, avoid_key_longest, NAME_CONCEPT)


def build_example_item(bank: Bank, problem: Problem, point: Point, rng: random.Random,
                       avoid_key_longest: int) -> Item | Decline:
    return build_name_item(bank, problem, point, rng, avoid_key_longest, NAME_FROM_EXAMPLE)
