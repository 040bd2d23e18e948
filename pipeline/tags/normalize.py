"""One canonical tag for every spelling: case and plural folding, labels, ids.

"Load balancers", "load balancer" and "load-balancer" share one key ("load balancer"),
so one tag whose ``forms`` list all three. Names keep their case (Redis, AWS SQS,
HTTP/2): a word keeps the case it is printed with in the middle of sentences and tags,
the product lists' spelling, or, never seen there, its shape (acronym, CamelCase).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable, Mapping

from ..ids import tag_id
from .lemmas import plural_fold
from .grammar import is_english_word
from .lexicon import PRODUCTS, VENDORS
from .terms import product_words
from .vocabulary import Vocabulary
from .words import has_inner_capital, is_acronym

_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_EDGE_PUNCT = "'\"()“”‘’.,;:!?"
COMMON_ENDINGS = ("tion", "sion", "ing", "ment", "ity", "ness", "ance", "ence", "ism", "ure",
                  "ive", "able", "ible", "ous", "ful", "less")


@lru_cache(maxsize=1)
def _canonical_names() -> dict[str, str]:
    listed = {p.casefold(): p for p in sorted(product_words()) if not is_english_word(p)}
    return {**listed, **{p.casefold(): p for p in sorted(PRODUCTS | VENDORS)}}


def canonical_names() -> dict[str, str]:
    """casefold -> spelling of every known name: built-in products and vendors (they win),
    and the products of ``data/products.txt`` that are no English word ("Algolia", not
    "Vault", which stays a word)."""
    return dict(_canonical_names())


class Casing:
    """Decides which words keep their case, from the corpus and the user's products."""

    def __init__(self, vocab: Vocabulary, user_products: Iterable[str] = ()):
        self.vocab = vocab
        self.names = canonical_names()
        self.names.update({p.casefold(): p for p in user_products})
        self._display: dict[str, str] = {}

    def display(self, word: str) -> str:
        """How ``word`` is shown in a label: its name casing, or lowercase."""
        if word not in self._display:
            self._display[word] = self._decide(word)
        return self._display[word]

    def _decide(self, word: str) -> str:
        folded = word.casefold()
        if folded in self.names:
            return self.names[folded]
        upper = any(c.isupper() for c in word)
        if upper and (not any(c.islower() for c in word) or is_acronym(word)
                      or has_inner_capital(word)):
            return word  # printed in capitals on purpose: "GET", "IDs", "N+1", "reCAPTCHA"
        seen = self.vocab.casings.get(folded)
        if seen:
            form, count = sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            if form != folded and count >= 0.6 * sum(seen.values()):
                return form  # capitalised mid-sentence: a proper name ("Debezium")
        return folded

    def keeps_case(self, word: str) -> bool:
        return self.display(word) != word.casefold()

    def seen_lowercase(self, word: str) -> bool:
        """The book's sentences write this word in lowercase at least as often as not
        (never seen: a common-noun ending such as -tion or -ing says lowercase)."""
        share = self.vocab.lowercase_share(word)
        if share is None:
            return word.casefold().endswith(COMMON_ENDINGS)
        return share >= 0.5


def fold_pieces(form: str) -> list[str]:
    """A form's words split at inner hyphens, edge punctuation off ("load-balancers" -> 2)."""
    pieces: list[str] = []
    for word in form.split():
        pieces.extend(p.strip(_EDGE_PUNCT) for p in _HYPHEN.split(word))
    return [p for p in pieces if p]


def name_flags(words: list[str], casing: Casing) -> list[bool]:
    """Which words of a phrase are (part of) a name and keep their case.

    A capitalised word inside a tag keeps its capital when it continues a name ("Google
    Cloud Functions", "Redis Cluster") or the prose never writes it in lowercase ("Chaos
    Monkey"); a Title Case row of common words ("Data Serialization") is lowercased.
    """
    flags: list[bool] = []
    unseen_capital = False
    for i, word in enumerate(words):
        name = casing.keeps_case(word)
        if not name and i > 0 and word[:1].isupper():
            unseen = not casing.seen_lowercase(word)
            name = flags[-1] or unseen
            unseen_capital = unseen_capital or unseen
        flags.append(name)
    if (unseen_capital and not flags[0] and words[0][:1].isupper() and all(flags[1:])):
        flags[0] = True  # "Chaos Monkey": the whole phrase is a name
    return flags


def words_to_lemmatize(form: str, casing: Casing) -> set[str]:
    """The lowercase words of a form whose plural spaCy must judge."""
    pieces = fold_pieces(form)
    return {p.casefold() for p, name in zip(pieces, name_flags(pieces, casing))
            if p.casefold().endswith("s") and not name}


def fold_key(form: str, casing: Casing, lemmas: Mapping[str, str]) -> str:
    """The canonical key: case-folded words, plurals folded by lemma, hyphens as spaces."""
    keys = []
    pieces = fold_pieces(form)
    for piece, name in zip(pieces, name_flags(pieces, casing)):
        if name:
            if is_acronym(piece) and piece.endswith("s") and piece[:-1].isupper():
                piece = piece[:-1]  # "APIs" -> "API"
            keys.append(piece.casefold())
        else:
            word = piece.casefold()
            keys.append(plural_fold(word, lemmas.get(word, word)))
    return " ".join(keys)


def display_form(form: str, casing: Casing) -> str:
    """A form as a label: names keep their case, other words lowercase."""
    words = form.split()
    out = []
    for word, name in zip(words, name_flags(words, casing)):
        if name:
            out.append(casing.names.get(word.casefold()) or
                       (casing.display(word) if casing.keeps_case(word) else word))
        else:
            out.append(word.casefold())
    return " ".join(out)


def choose_label(forms: Counter, casing: Casing, lemmas: Mapping[str, str]) -> str:
    """The label of a tag: its most common singular display form (then any, then A-Z)."""
    displays: Counter = Counter()
    for form, count in forms.items():
        displays[display_form(form, casing)] += count

    def singular(display: str) -> bool:
        pieces = fold_pieces(display)
        return all(plural_fold(p.casefold(), lemmas.get(p.casefold(), p.casefold()))
                   == p.casefold() for p, name in zip(pieces, name_flags(pieces, casing))
                   if not name)

    return sorted(displays, key=lambda d: (not singular(d), -displays[d], d))[0]


def slug_of(key: str) -> str:
    """The tag id of a canonical key (lowercase, hyphenated, no spaces: safe for Anki)."""
    return tag_id(key)
