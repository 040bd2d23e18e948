"""Which-command items: which command, setting or header does this point describe?

The key is a tag of kind ``command`` with a known family (a Redis command, an SQL
statement, a Kafka setting, an HTTP header; see tags/kinds.py) that the point itself names
in its title, explanation or example, so it is the point's subject and not a side note.
Distractors are other members of the same family, so every option is the same kind of thing
on the same subject (ZREVRANGE among ZADD, ZINCRBY and SISMEMBER), and the stem rules them
out: it says what the key does. Members used in the same problem come first, then the same
topic, then the rest of the book; the reviewed word list (tags/data/families.txt) fills in
only when the book names fewer than three. When the passage names the key's Redis data
type ("fields in a hash"), every distractor is of that type. An item whose key the rest of
the book links to the stem's words much more than any distractor (meaning.py: "TTL" /
EXPIRE) is not made. Never a distractor: a command the point also
names (RPOP beside LPUSH), one that contains or is contained in the key (SET / SETNX,
EXPLAIN / EXPLAIN ANALYZE: variants of one another), or one of another product (a MySQL
statement in a PostgreSQL question). The key's name in the stem is the blank the question
asks to fill. A point that uses several commands of one family (LPUSH, then LTRIM) is asked
only through a passage that names the key: a description without the blank may be of
what the commands do together.
"""
from __future__ import annotations

import random
import re
from functools import lru_cache

from ...models import Point, Problem, Tag
from ...tags.families import family_list
from .bank import Bank
from .items import OPTIONS_PER_ITEM, Decline, Item, item_id, pick_distractors
from .meaning import MEANING_MARGIN
from .text import BLANK, blank_name, echo_even, plain, stem_cues, words

WHICH_COMMAND = "which-command"
# Words after a command that say what it is ("Cache-Control headers", "acks config").
_HEADS = re.compile(r"\s+(headers?|config|configuration|settings?|commands?|statements?|"
                    r"clauses?|directives?|options?|flags?)$", re.IGNORECASE)


def shown_name(tag: Tag) -> str:
    """The command as an option prints it: without its product ("PostgreSQL VACUUM" ->
    "VACUUM", the stem names the product), its head word ("Cache-Control headers") or a
    plural -s of capitals ("JOINs")."""
    label = plain(tag.label).strip()
    if tag.technology and label.casefold().startswith(tag.technology.casefold() + " "):
        label = label[len(tag.technology) + 1:]
    label = _HEADS.sub("", label)
    if re.fullmatch(r"[A-Z][A-Z ]+s", label):
        label = label[:-1]
    return label


def _squashed(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def _nested(a: str, b: str) -> bool:
    x, y = _squashed(a), _squashed(b)
    return bool(x and y) and (x in y or y in x)


def named_in(name: str, text: str) -> bool:
    """The text names the command, spaces and punctuation aside ("SET NX" names SETNX). A
    name in capitals is named only in capitals ("copy totals" does not name COPY)."""
    shown = plain(text)
    if not _may_name(name, shown):
        return False
    pattern = _name_pattern(name)
    return pattern is not None and pattern.search(shown) is not None


# What ``_name_pattern`` lets stand between a name's letters.
_BETWEEN_LETTERS = re.compile(r"[\s._=-]+")
# The letters beyond ASCII that a pattern ignoring case matches to an ASCII letter (the
# dotted and dotless i, the long s, the Kelvin sign; a test checks every code point).
CASE_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def _may_name(name: str, text: str) -> bool:
    """False only when ``_name_pattern(name)`` cannot match ``text``: most names are in no
    text, and compiling their patterns was a tenth of a quiz's items. The pattern's letters
    stand in the text in order with only ``_BETWEEN_LETTERS`` between them, so with those
    taken out the text holds the letters side by side (in any case, for a pattern that
    ignores case). Only ASCII names are ruled out this way, and only in a text without a
    letter that ignoring case matches to an ASCII one."""
    if not name.isascii() or CASE_FOLDS_TO_ASCII.search(text):
        return True
    letters = "".join(c for c in name if c.isalnum())
    squeezed = _squeezed(text)
    if any(c.isupper() for c in letters) and not any(c.islower() for c in letters):
        return letters in squeezed
    return letters.lower() in squeezed.lower()


@lru_cache(maxsize=4096)
def _squeezed(text: str) -> str:
    return _BETWEEN_LETTERS.sub("", text)


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str] | None:
    letters = [c for c in name if c.isalnum()]
    if not letters:
        return None
    pattern = r"(?<![A-Za-z0-9])" + r"[\s._=-]*".join(map(re.escape, letters)) + \
        r"(?![A-Za-z0-9])"
    flags = 0 if any(c.isupper() for c in letters) and not any(c.islower() for c in letters) \
        else re.IGNORECASE
    return re.compile(pattern, flags)


@lru_cache(maxsize=256)
def listed_members(family: str) -> tuple[str, ...]:
    """The word list's names of one family, in list order."""
    names = family_list()
    entries = [e for table in (names.by_exact, names.by_key) for found in table.values()
               for e in found if e.family == family]
    return tuple(e.name for e in sorted(entries, key=lambda e: e.line))


def family_noun(family: str, technology: str | None) -> str:
    """How the stem names the family: "Redis command", "PostgreSQL statement"."""
    if technology and technology.casefold() not in family.casefold():
        if family.startswith("SQL "):
            return f"{technology} {family[4:]}"
        return f"{technology} {family}"
    return family


def command_keys(bank: Bank, point: Point) -> list[Tag]:
    """The point's command tags of a known family that the point itself names."""
    text = plain(f"{point.title} {point.explanation} {point.example}")
    return [bank.tags[t] for t in point.tags if t in bank.tags
            and bank.tags[t].kind == "command" and bank.tags[t].family
            and named_in(shown_name(bank.tags[t]), text)]


def _candidates(bank: Bank, problem: Problem, point: Point, key: Tag) -> list[list[str]]:
    """Same-family names in order of closeness: this problem, this topic, the book, the list."""
    own = {shown_name(bank.tags[t]).casefold() for t in point.tags if t in bank.tags}
    family = key.family or ""
    tiers: list[list[str]] = [[], [], [], []]
    seen: set[str] = set()
    where: dict[str, int] = {}
    for p in bank.corpus.problems:
        closeness = 0 if p.id == problem.id else 1 if p.topic == problem.topic else 2
        for pt in p.points:
            for tag_id in pt.tags:
                where[tag_id] = min(where.get(tag_id, 3), closeness)
    for tag_id in bank.kinds.members(family):
        tag = bank.tags[tag_id]
        if tag.technology and key.technology and tag.technology != key.technology:
            continue
        tiers[where.get(tag_id, 2)].append(shown_name(tag))
    # The word list fills in only for a family the book names fewer than four times: its
    # names are real, but the book never says what they do, so they are the last resort.
    if len(tiers[0]) + len(tiers[1]) + len(tiers[2]) < OPTIONS_PER_ITEM:
        tiers[3] = [name for name in listed_members(family)
                    if not (key.technology and name.casefold().startswith(
                        key.technology.casefold() + " "))]
    key_name = shown_name(key)
    result = []
    for tier in tiers:
        kept = []
        for name in tier:
            folded = name.casefold()
            if folded in seen or folded in own or _nested(name, key_name):
                continue
            seen.add(folded)
            kept.append(name)
        result.append(kept)
    return result


# Redis commands by the data type they work on, and the words a passage names it by. A
# passage that names the key's data type ("combine sets") beside distractors of other types
# leaves the key the only command of that type: distractors of its type come first then.
_REDIS_TYPES = {
    "hash": (re.compile(r"H[A-Z]+"), re.compile(r"(?i)\bhash(es)?\b")),
    "list": (re.compile(r"[LR]PUSH|[LR]POP|B[LR]POP|L[A-Z]+|RPOPLPUSH"),
             re.compile(r"(?i)\b(list|queue)s?\b")),
    "sorted set": (re.compile(r"Z[A-Z]+"),
                   re.compile(r"(?i)\b(sorted sets?|scores?|leaderboards?|ranks?|ranking)\b")),
    "set": (re.compile(r"S(ADD|REM|MEMBERS|ISMEMBER|MISMEMBER|INTER|UNION|DIFF|CARD|POP|"
                       r"RANDMEMBER|MOVE|SCAN)[A-Z]*"), re.compile(r"(?i)(?<!sorted )\bsets?\b")),
    "stream": (re.compile(r"X[A-Z]+"), re.compile(r"(?i)\bstreams?\b")),
}


def redis_type(name: str) -> str | None:
    """The data type a Redis command works on, from its name (None: strings, keys, server)."""
    return next((kind for kind, (names, _) in _REDIS_TYPES.items()
                 if names.fullmatch(name.strip().upper())), None)


def same_type_only(key: Tag, key_name: str, passage: str, names: list[str]) -> list[str]:
    """Only names of the key's Redis data type when the passage names that type ("store
    fields in a hash" beside DECR, MSET and EXPIRE leaves HSET the only hash command, and
    one hash command among sorted-set commands is ruled out at once)."""
    kind = redis_type(key_name) if key.family == "Redis command" else None
    if kind is None or not _REDIS_TYPES[kind][1].search(plain(passage)):
        return names
    return [name for name in names if redis_type(name) == kind]


# A blank may stand for a little more than the key's name (its spacing, a short code span).
SWALLOW_SLACK = 8


def _swallowed(text: str, blanked: str) -> int:
    """How many characters of ``text`` the blank took."""
    return len(plain(text.strip())) - len(plain(blanked)) + (len(BLANK)
                                                             if BLANK in plain(blanked) else 0)


def first_letter_odd(key: str, distractors: tuple[str, ...]) -> bool:
    """Three distractors that start alike and a key that does not (LPUSH, LRANGE, LTRIM
    beside SISMEMBER): the key stands out by its spelling."""
    firsts = {d[:1].upper() for d in distractors}
    return len(firsts) == 1 and key[:1].upper() not in firsts


def build_command_item(bank: Bank, problem: Problem, point: Point, rng: random.Random,
                       avoid_key_longest: int) -> Item | Decline:
    """Which command of a family the point describes; its name is the blank."""
    keys = command_keys(bank, point)
    if not keys:
        return Decline("the point names no command of a known family")
    key = keys[0] if len(keys) == 1 else rng.choice(keys)
    key_name = shown_name(key)
    # The passage: the explanation, and the example where it names the key (the blank)
    # or where the explanation alone is short. The title is left out: it often names the
    # data type the command works on ("Hash for ..." beside HSET).
    explanation = blank_name(point.explanation.strip(), key_name)
    example = blank_name(point.example.strip(), key_name)
    if _swallowed(point.example, example) > len(key_name) + SWALLOW_SLACK:
        # The blank took a whole code span ("SET session:abc … EX 3600 → expires in 1
        # hour" would read "___ → expires in 1 hour"): the example no longer says what the
        # key does, so the explanation speaks alone.
        example = ""
    blank_in = [BLANK in plain(explanation), BLANK in plain(example)]
    if blank_in[0] and blank_in[1]:
        example = ""  # one blank is enough
    elif blank_in[0] or not example or len(words(plain(explanation))) >= 8:
        example = example if blank_in[1] else ""
    passage = [explanation] + ([example] if example else [])
    masked = " ".join(passage)
    if plain(masked).count(BLANK) > 1:
        return Decline("the passage names the key twice")
    if BLANK not in plain(masked) and sum(k.family == key.family for k in keys) > 1:
        # "Store recent activity, trim to keep a short history" over LPUSH and LTRIM: a
        # description of what the point does with both is no description of one of them.
        return Decline("the point uses several commands of the family and the passage "
                       "names none of them")
    others = [n for n in listed_members(key.family or "") if not _nested(n, key_name)]
    if any(named_in(n, plain(masked)) for n in others if len(_squashed(n)) >= 3):
        return Decline("the passage names other commands of the family")
    ordered: list[str] = []
    for tier in _candidates(bank, problem, point, key):
        rng.shuffle(tier)
        ordered += [n for n in tier if not named_in(n, plain(masked))]
    ordered = same_type_only(key, key_name, masked, ordered)
    # Two variants of one command (INCR, INCRBY; INNER JOIN, LEFT JOIN) pair up and leave
    # the key the odd one out: one of them at most, unless the key shares their word.
    key_words = set(key_name.upper().split())
    kept: list[str] = []
    for name in ordered:
        shared = set(name.upper().split()) - key_words
        if not any(_nested(name, other) or shared & set(other.upper().split())
                   for other in kept):
            kept.append(name)
    distractors = pick_distractors(key_name, kept, OPTIONS_PER_ITEM - 1, avoid_key_longest)
    if distractors is None:
        return Decline("fewer than three other names in the key's family")
    noun = family_noun(key.family or "command", key.technology)
    ask = "fills the blank" if BLANK in plain(masked) else "does this describe"
    quoted = " ".join(f"“{p}”" for p in passage)
    stem = f"Which {noun} {ask}? {quoted}"
    if bank.meaning.lead(stem, key_name, distractors, problem.id) >= MEANING_MARGIN:
        return Decline("the key is the only option on the stem's subject")
    if echo_even(stem, (key_name, *distractors)) and not first_letter_odd(key_name, distractors) \
            and not stem_cues(stem, key_name, distractors):
        return Item(item_id(WHICH_COMMAND, problem, f"{point.title}\x1f{key.id}"),
                    WHICH_COMMAND, problem.id, problem.topic, stem, key_name,
                    distractors, point.title)
    return Decline("the passage repeats words of the key")
