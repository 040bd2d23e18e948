"""Splitting a space-joined tag row into its tags.

The row's words are cut into phrases by dynamic programming over every possible cut. A
split's score is the log prior of its shape (how many tags, how long: ``shape.py``) plus
plain, explainable evidence (weights below): phrases known from unambiguous layouts,
product and vendor names, capitals in the middle of the row, word pairs the book's prose
keeps together, parts of speech (``grammar.py``: a modifier belongs with the noun after
it, a verb with its object), and function words that glue a phrase. The confidence of
the chosen split is its share of the probability of all splits (scores read as
log-odds), so a row with a close runner-up gets a low confidence and goes to the top of
the report.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from .grammar import COMPOUND, GERUND, MODIFIER, NOUN, VERB, VERB_S, is_bare_verb, word_class
from .lexicon import GLUE_BOTH, PRODUCTS, VENDORS
from .shape import count_log_prior, length_log_prior
from .vocabulary import Vocabulary
from .words import (fold_word, has_inner_capital, is_acronym, is_concept_acronym, is_glue_next,
                    is_identifier, is_titlecase, match_key, tag_words)

NEG = -1e9  # a forbidden cut

# Weights, in log-odds units, set by hand and checked on hand-split samples of a real
# book's rows and on the book's own rows with certain boundaries.
# -- a phrase as a whole
PHRASE_USER = 6.0  # the user named this phrase (aliases, phrases)
PHRASE_KNOWN = 3.0  # printed as one tag in an unambiguous layout ...
KNOWN_PER_LOG = 1.0  # ... plus this per log of sightings
WORD_KNOWN = 0.8  # a single known word is weak evidence: most phrases contain one
PHRASE_ALONE = 2.0  # printed alone as a whole short row
MODIFIER_BEFORE_KNOWN = 0.5  # "lease expiry" is known: "early lease expiry" is a tag too
NAME_ALONE = 1.0  # a product or name standing alone is a typical tag
ACRONYM_ALONE = 0.4  # acronyms stand alone, but as often head a phrase ("stateless APIs")
VERB_PHRASE = 1.2  # a phrase led by a verb is longer than most tags ("avoid large arrays")
# -- a cut between two words (positive: a boundary; negative: keep together)
EDGE_WEIGHT = 0.3  # per log-ratio: words that end / start tags and rows more than average
PROSE_PAIR = 1.2  # per log-count of the pair in the book's prose: keep together
CUT_NAME_NAME = 3.0  # product/vendor next to another product/vendor
CUT_BEFORE_CAPITAL = 1.5  # lowercase word, then a capitalised word or product
CUT_ACRONYM_ACRONYM = 1.0
CUT_NAME_CONCEPT = 2.0  # "MySQL ACID": a concept acronym after a product
JOIN_NAME_FEATURE = 2.5  # "Redis Cluster", "Kubernetes HPA", "PostgreSQL pg_stat_activity"
JOIN_TITLE_TITLE = 1.0  # "Auto Scaling"
JOIN_NAME_NOUN = 1.0  # "Kafka partitions", "Prometheus counters", "DLQ depth"
JOIN_MODIFIER = 2.0  # "eventual consistency": a modifier belongs with the word after it
CUT_BEFORE_MODIFIER = 1.5  # "shard keys | uneven growth"
JOIN_COMPOUND = 1.0  # "cache-aside reads", though a hyphenated word often stands alone
CUT_BEFORE_COMPOUND = 1.5  # "lease expiry | auto-renewal"
JOIN_PREDICATE = 1.0  # "retry budget exceeded": a row may end on what it says of a noun
JOIN_VERB_OBJECT = 1.5  # "avoid skew"
CUT_BEFORE_VERB = 1.0  # "hash rings | avoid skew"
TEMPERATURE = 1.0


@dataclass(frozen=True, slots=True)
class RowSplit:
    """How one joined row was split, how sure the splitter is, and why."""

    text: str
    parts: tuple[str, ...]
    confidence: float
    reason: str
    runner_up: tuple[str, ...] | None = None


def _kind(word: str, position: int, vocab: Vocabulary) -> str:
    """What a word looks like: vendor, product, concept, acronym, name, title, glue, lower."""
    if not any(c.isalnum() for c in word) or word in GLUE_BOTH:
        return "glue"  # "=", "<", "&" or a function word: always inside a phrase
    if word in VENDORS:
        return "vendor"
    if word in PRODUCTS or word in vocab.products:
        return "product"
    if is_concept_acronym(word):
        return "concept"
    if is_acronym(word):
        return "acronym"
    if has_inner_capital(word) or is_identifier(word):
        return "name"
    if is_titlecase(word):
        casings = vocab.casings.get(word.casefold())
        capitalised = sum(n for form, n in casings.items() if form[:1].isupper()) if casings else 0
        if casings and capitalised >= 2 and capitalised >= 0.8 * sum(casings.values()):
            return "name"  # the prose capitalises it mid-sentence: a proper name
        return "lower" if position == 0 else "title"
    return "lower"


def _word_class(word: str, kind: str, position: int) -> str:
    """The part of speech of an ordinary word; names and acronyms keep their kind."""
    if kind != "lower":
        return NOUN if kind == "title" else kind
    found = word_class(word)
    if found == VERB_S:  # "Avoids duplicate charges" opens a clause; mid-row it is a noun
        return VERB if position == 0 else NOUN
    return found


NAMES = {"vendor", "product", "name"}
CAPS = NAMES | {"title", "concept", "acronym"}


class RowScorer:
    """Scores of every phrase and every cut of one row."""

    def __init__(self, words: list[str], vocab: Vocabulary):
        self.words = words
        self.vocab = vocab
        self.kinds = [_kind(w, i, vocab) for i, w in enumerate(words)]
        self.folded = [fold_word(w) for w in words]
        # Parts of speech matter for ordinary words; names and acronyms keep their kind.
        self.classes = [_word_class(w, k, i) for i, (w, k) in enumerate(zip(words, self.kinds))]
        self._phrase: dict[tuple[int, int], tuple[float, str]] = {}
        self.cut_notes: dict[int, str] = {}  # gap -> the main reason to cut there
        self.join_notes: dict[int, str] = {}  # gap -> the main reason not to
        self.cuts = [0.0] + [self._cut(g) for g in range(1, len(words))]

    def phrase(self, i: int, j: int) -> tuple[float, str]:
        """Score of words[i:j] as one tag, and the evidence that speaks for it."""
        if (i, j) not in self._phrase:
            self._phrase[(i, j)] = self._score_phrase(i, j)
        return self._phrase[(i, j)]

    def _score_phrase(self, i: int, j: int) -> tuple[float, str]:
        words = self.words[i:j]
        last_of_row = j == len(self.words)  # "scale in": a row may end on a particle
        if self.kinds[i] == "glue" or (not last_of_row and (
                self.kinds[j - 1] == "glue" or is_glue_next(words[-1])
                or words[-1].endswith(":"))):  # "Risk: ..." labels what follows
            return NEG, "starts or ends on a function word"
        # A vendor names the product after it ("AWS SQS", "AWS regions"), unless another
        # vendor follows ("Google Azure").
        vendor_tail = words[-1] in VENDORS and j < len(self.words) and self.kinds[j] != "vendor"
        if vendor_tail:
            return NEG, "a vendor name belongs to the product after it"
        length = len(words)
        score = length_log_prior(length, clause=any(k == "glue" for k in self.kinds[i + 1:j - 1]))
        found = self.vocab.phrase_evidence(match_key(words),
                                           whole_row=(i == 0 and j == len(self.words)))
        if found:
            kind, count = found
            if kind == "user":
                return score + PHRASE_USER, "named in tags.toml"
            if kind == "known":
                weight = PHRASE_KNOWN if length > 1 else WORD_KNOWN
                score += weight + KNOWN_PER_LOG * math.log1p(count)
                note = f"printed as a tag ×{count}"
            else:
                score += PHRASE_ALONE
                note = f"a row of its own ×{count}"
        elif (length > 2 and self.classes[i] == MODIFIER
              and self.classes[i + 1] in (NOUN, GERUND) and (tail := self._known_bonus(i + 1, j))):
            # "early lease expiry": which kind of a known tag it is
            score += tail + MODIFIER_BEFORE_KNOWN
            note = f"'{words[0]}' + a tag printed elsewhere"
        elif length == 1 and self.kinds[i] in CAPS - {"title"}:
            score += NAME_ALONE if self.kinds[i] in NAMES else ACRONYM_ALONE
            note = "a product name" if self.kinds[i] in NAMES else "an acronym"
        else:
            note = "no direct evidence"
        if length >= 3 and self.classes[i] == VERB:
            score += VERB_PHRASE  # "avoid large arrays": a verb runs on to its object
            note += "; a verb and its object"
        return score, note

    def _known_bonus(self, i: int, j: int) -> float:
        """The evidence that words[i:j] (two or more) were printed as a tag, or 0."""
        found = self.vocab.phrase_evidence(match_key(self.words[i:j]))
        if not found or found[0] != "known" or j - i < 2:
            return 0.0
        return PHRASE_KNOWN + KNOWN_PER_LOG * math.log1p(found[1])

    def _cut(self, g: int) -> float:
        """Score of cutting between words[g-1] and words[g] (positive: a boundary)."""
        left, right = self.words[g - 1], self.words[g]
        lk, rk = self.kinds[g - 1], self.kinds[g]
        labelled = any(w.endswith(":") for w in self.words[:g])  # "Risk: ..." to the end
        if lk == "glue" or rk == "glue" or is_glue_next(left) or labelled:
            return NEG
        if lk == "vendor" and rk != "vendor":
            return NEG
        pair = self.vocab.bigrams.get((self.folded[g - 1], self.folded[g]), 0)
        score = EDGE_WEIGHT * (self.vocab.edge_odds(self.folded[g - 1], self.vocab.ends)
                               + self.vocab.edge_odds(self.folded[g], self.vocab.starts))
        score -= PROSE_PAIR * math.log1p(pair)
        if pair:
            self.join_notes[g] = f"prose pairs '{left} {right}' ×{pair}"
        if lk == "product" and rk == "name":  # "PostgreSQL pg_stat_activity", "Kafka Streams"
            score -= JOIN_NAME_FEATURE
            self.join_notes.setdefault(g, f"'{right}' is a part of '{left}'")
        elif lk in NAMES and rk in NAMES | {"vendor"}:
            score += CUT_NAME_NAME
            self.cut_notes.setdefault(g, f"'{left}' and '{right}' are separate names")
        elif lk in NAMES and rk == "concept":
            score += CUT_NAME_CONCEPT
        elif lk in NAMES and rk in {"title", "acronym"}:
            score -= JOIN_NAME_FEATURE
            self.join_notes.setdefault(g, f"'{right}' is a part of '{left}'")
        elif rk == "title" and (lk == "title" or (g == 1 and is_titlecase(left))):
            score -= JOIN_TITLE_TITLE
            self.join_notes.setdefault(g, "a run of capitalised words")
        elif lk in {"lower", "title"} and rk in NAMES | {"title"}:
            score += CUT_BEFORE_CAPITAL
            self.cut_notes.setdefault(g, f"capital '{right}' mid-row")
        elif lk in {"acronym", "concept"} and rk in {"acronym", "concept"} | NAMES:
            score += CUT_ACRONYM_ACRONYM
        score += self._grammar_cut(g)
        return score

    def _grammar_cut(self, g: int) -> float:
        """Cut evidence from parts of speech and from names followed by an ordinary noun."""
        lc, rc = self.classes[g - 1], self.classes[g]
        left, right = self.words[g - 1], self.words[g]
        right_is_last = g == len(self.words) - 1
        nounish = (NOUN, GERUND)
        named = NAMES | {"acronym", "concept"}
        if lc == MODIFIER and rc in nounish + (VERB, COMPOUND):
            self.join_notes.setdefault(g, f"'{left}' describes '{right}'")
            return -JOIN_MODIFIER
        if lc == COMPOUND and rc in nounish:
            self.join_notes.setdefault(g, f"'{left}' describes '{right}'")
            return -JOIN_COMPOUND
        if rc == COMPOUND and (lc in nounish + (COMPOUND,) or lc in named):
            self.cut_notes.setdefault(g, f"'{right}' starts a tag")
            return CUT_BEFORE_COMPOUND
        if rc == MODIFIER and not right_is_last and (lc in nounish + (COMPOUND,) or lc in named):
            self.cut_notes.setdefault(g, f"modifier '{right}' starts a tag")
            return CUT_BEFORE_MODIFIER
        if rc == MODIFIER and right_is_last and lc in nounish:
            self.join_notes.setdefault(g, f"'{right}' says something of '{left}'")
            return -JOIN_PREDICATE
        if lc == VERB and not (g >= 2 and self.words[g - 2] == "to"):  # "easy to shard | X"
            self.join_notes.setdefault(g, f"'{left}' takes an object")
            return -JOIN_VERB_OBJECT
        if rc == VERB and (lc in nounish + (MODIFIER,) or lc in NAMES):
            self.cut_notes.setdefault(g, f"verb '{right}' starts a tag")
            return CUT_BEFORE_VERB
        if lc in named and rc in nounish:
            if g >= 2 and self.kinds[g - 2] in named:
                return 0.0  # "Redis Memcached | slow consumers": a list of names takes no noun
            if is_bare_verb(right) and rc == NOUN:
                return 0.0  # "Kafka | trade speed for safety": maybe a verb, starting a tag
            self.join_notes.setdefault(g, f"'{right}' belongs to '{left}'")
            return -JOIN_NAME_NOUN
        return 0.0


def _logsumexp(values: list[float]) -> float:
    top = max(values)
    if top <= NEG / 2:
        return NEG
    return top + math.log(sum(math.exp(v - top) for v in values if v > NEG / 2))


def best_splits(scorer: RowScorer, k: int = 2) -> tuple[list[tuple[float, tuple[int, ...]]], float]:
    """The k best cut lists (score, cut positions) and the log-sum over all splits."""
    n = len(scorer.words)
    Ranked = list[tuple[float, tuple[int, ...]]]
    # best[j][m]: the k best ways to cut words[:j] into m tags; alpha[j][m]: their log-sum
    best: list[dict[int, Ranked]] = [{0: [(0.0, ())]}] + [{} for _ in range(n)]
    alpha: list[dict[int, float]] = [{0: 0.0}] + [{} for _ in range(n)]
    for j in range(1, n + 1):
        candidates: dict[int, Ranked] = {}
        mass: dict[int, list[float]] = {}
        for i in range(j):
            phrase, _ = scorer.phrase(i, j)
            step = phrase + (scorer.cuts[i] if i else 0.0)
            if step <= NEG / 2:
                continue
            for m, ranked in best[i].items():
                mass.setdefault(m + 1, []).append(alpha[i][m] + step / TEMPERATURE)
                candidates.setdefault(m + 1, []).extend(
                    (score + step, cuts + ((i,) if i else ())) for score, cuts in ranked)
        for m, found in candidates.items():
            found.sort(key=lambda c: (-c[0], c[1]))
            best[j][m] = found[:k]
            alpha[j][m] = _logsumexp(mass[m])
    final = [(score + count_log_prior(m, n), cuts)
             for m, ranked in best[n].items() for score, cuts in ranked]
    final.sort(key=lambda c: (-c[0], c[1]))
    masses = [a + count_log_prior(m, n) / TEMPERATURE for m, a in alpha[n].items()]
    return final[:k], (_logsumexp(masses) if masses else NEG)


def _parts(words: list[str], cuts: tuple[int, ...]) -> tuple[str, ...]:
    bounds = (0, *cuts, len(words))
    return tuple(" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:]))


def split_row(text: str, vocab: Vocabulary,
              pins: Mapping[str, tuple[str, ...]] | None = None) -> RowSplit:
    """Split one space-joined row into tags, with a confidence in [0, 1] and the reasons."""
    words = tag_words(text)
    cleaned = " ".join(words)
    key = match_key(words)
    if not words:
        return RowSplit(text, (), 1.0, "empty after cleaning")
    if pins and key in pins:
        return RowSplit(cleaned, pins[key], 1.0, "pinned in tags.toml")
    if key in vocab.user:
        return RowSplit(cleaned, (cleaned,), 1.0, "named in tags.toml")
    copied = _align(words, vocab.copies.get(key, ()))
    if copied:
        return RowSplit(cleaned, copied, 0.99, "another copy prints these as separate tags")
    if vocab.known.get(key):
        return RowSplit(cleaned, (cleaned,), 0.98, "printed as one tag elsewhere")
    if len(words) == 1:
        return RowSplit(cleaned, (cleaned,), 1.0, "a single word")
    scorer = RowScorer(words, vocab)
    ranked, total = best_splits(scorer)
    if not ranked:  # every split breaks a rule (a row of function words): keep it whole
        return RowSplit(cleaned, (cleaned,), 0.0, "no valid split; kept whole")
    score, cuts = ranked[0]
    confidence = math.exp(score / TEMPERATURE - total) if total > NEG / 2 else 1.0
    runner = _parts(words, ranked[1][1]) if len(ranked) > 1 else None
    return RowSplit(cleaned, _parts(words, cuts), round(min(1.0, confidence), 3),
                    _explain(scorer, cuts), runner)


def _align(words: list[str], part_keys: tuple[str, ...]) -> tuple[str, ...] | None:
    """Cut the row's own words where another copy's tags end (case and hyphens may differ)."""
    if not part_keys:
        return None
    parts: list[str] = []
    start = 0
    for part_key in part_keys:
        stop = start + 1
        while stop <= len(words) and match_key(words[start:stop]) != part_key:
            stop += 1
        if stop > len(words):
            return None
        parts.append(" ".join(words[start:stop]))
        start = stop
    return tuple(parts) if start == len(words) else None


def _explain(scorer: RowScorer, cuts: tuple[int, ...]) -> str:
    """One line: each part's evidence and what holds it together, then what drove the cuts."""
    bounds = (0, *cuts, len(scorer.words))
    notes = []
    for a, b in zip(bounds, bounds[1:]):
        _, why = scorer.phrase(a, b)
        inner = [scorer.join_notes[g] for g in range(a + 1, b) if g in scorer.join_notes]
        part = " ".join(scorer.words[a:b])
        notes.append(f"'{part}': {why}" + (f" ({'; '.join(inner)})" if inner else ""))
    notes.extend(scorer.cut_notes[g] for g in cuts if g in scorer.cut_notes)
    return "; ".join(notes)
