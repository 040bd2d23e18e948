"""What kind of thing a point title names, read from its words: the generator's same-kind rule.

Four options must be the same kind of thing, or the key stands out (one technique among
three "Benefits" headings, one guideline "When to Use X" among technique names). Point
titles of the book come in a few shapes:

- ``action``: a technique, pattern or step, named or ordered ("Read Replicas", "Leaky Bucket
  Algorithm", "Use DataLoader Library", "Cache Aggressively");
- ``when``: a guideline on when to choose something ("When to Use Layer 4");
- ``aspect``: a heading about a property of something else ("Vertical Scaling Limits", "Cost
  Trade-offs", "Real-World Example: …", "Signs of N+1 Problem");
- ``claim``: a statement with its own verb ("Sync Creates Cascade Failures", "Sagas Are
  Non-Blocking");
- ``contrast``: a comparison heading ("Batch vs Streaming");
- ``question``: a title that asks or talks to the reader ("What is a Saga?", "How It Works"),
  but not an order with the reader's object ("Version Your Schema" is an action).

Only ``action`` and ``when`` titles are keys of naming items (an aspect, a claim or a
comparison is no idea a description names); distractors share the key's shape.
"""
from __future__ import annotations

import re

from ...inline import plain_text
from ...tags.grammar import VERB, VERB_S, word_class

ACTION, WHEN, ASPECT, CLAIM, CONTRAST, QUESTION = ("action", "when", "aspect", "claim",
                                                   "contrast", "question")
KEY_SHAPES = frozenset({ACTION, WHEN})

_QUESTION = re.compile(r"\?|^(what|how|which|who)\b|\b(why|you|your|you're)\b|^how\b",
                       re.IGNORECASE)
# An order whose object is the reader's ("Version Your Schema", "Read Your Writes from the
# Leader"): an action, though it says "your". The verb opens the title and "your" follows
# it, and nothing else in the title asks or talks to the reader.
_ORDER_TO_READER = re.compile(r"^([A-Za-z][A-Za-z-]*)\s+your\s+\S", re.IGNORECASE)
_ORDER_VERBS = frozenset({"read", "write"})  # beside IMPERATIVES, only before "your"
_WHEN = re.compile(r"^when\b", re.IGNORECASE)
_CONTRAST = re.compile(r"\bvs\.?(?=\s)|\bversus\b", re.IGNORECASE)
_ASPECT_HEAD = re.compile(r"^(trade-?offs?|real-world|example|pros|cons|signs|symptoms|types|"
                          r"common mistakes|risks? of|effects? (of|on)|impacts? (of|on)|"
                          r"cost of|problem with|preventing|avoiding|reducing|eliminating|"
                          r"minimizing)\b", re.IGNORECASE)
_ASPECT_TAIL = re.compile(
    r"\b(benefits?|limits?|limitations?|costs?|trade-?offs?|downsides?|considerations?|"
    r"challenges?|problems?|risks?|advantages?|disadvantages?|drawbacks?|issues?|pitfalls?|"
    r"overhead|impact|requirements?|implications?|basics|overview|summary)\s*$", re.IGNORECASE)
# "Plan-Based Limits", "Usage-Based Costs": a kind of limit or cost chosen by something, a
# technique, not a property of something else.
_KIND_OF = re.compile(r"\bbased\s+\S+\s*$", re.IGNORECASE)
# Words that open an order ("Use X", "Monitor Y"): such a title is an action whatever its
# last word ("Separate Queue for Known Issues", "Reduce Connection Overhead").
IMPERATIVES = frozenset("""
use add implement enable set monitor avoid track store return design run limit keep move split
create rewrite check update rebuild vacuum reduce identify separate consider evaluate plan
understand accept perform denormalize embed choose route apply version merge assign include
encrypt validate batch compress prefer retry partition archive offload isolate define
configure deploy invalidate warm serve bypass fetch test tune measure alert rotate sign verify
drain throttle block publish emit expose require allow deny grant revoke sanitize escape
prevent detect handle schedule parallelize stream precompute pre-compute prefetch preload
paginate filter combine break decompose extract wrap delete remove replace upgrade migrate
switch promote purge cap tag log index shard replicate cache queue hash reuse optimize
minimize maximize normalize lazy-load eager-load document communicate notify mark
""".split())
FINITE = frozenset("is are was were can cannot can't must should will won't does doesn't do "
                   "don't has have makes means".split())


def title_shape(title: str) -> str:
    """The shape of a point title (see the module docstring)."""
    text = plain_text(title).strip()
    tokens = re.findall(r"[A-Za-z0-9][A-Za-z0-9'+-]*", text)
    lowered = [t.lower() for t in tokens]
    orders = _orders_the_reader(text)  # "Version Your Schema": its "your" asks nothing
    if not tokens or (_QUESTION.search(text) and not orders):
        return QUESTION
    if _WHEN.search(text):
        return WHEN
    if _CONTRAST.search(text):
        return CONTRAST
    if (lowered[0] in IMPERATIVES and len(tokens) >= 2) or orders:
        return ACTION
    if _ASPECT_HEAD.search(text) or (_ASPECT_TAIL.search(text) and not _KIND_OF.search(text)):
        return ASPECT
    if any(t in FINITE for t in lowered[1:]):
        return CLAIM
    # "Sync Creates Cascade Failures", "Sagas Provide Better Availability": a word that can
    # only be a verb, after the first word and before the last ("Webhook Retries" and
    # "Publisher Confirms" name a thing).
    for before, token in zip(lowered, tokens[1:-1]):
        found = word_class(token.lower())
        if found == VERB_S or (found == VERB and before.endswith("s")
                               and not before.endswith("ss")):
            return CLAIM
    return ACTION


def _orders_the_reader(text: str) -> bool:
    """An order with the reader's object: "Version Your Schema" (see ``_ORDER_TO_READER``)."""
    found = _ORDER_TO_READER.match(text)
    if found is None or found.group(1).lower() not in IMPERATIVES | _ORDER_VERBS:
        return False
    rest = text[found.end() - 1:]
    return not _QUESTION.search(rest)
