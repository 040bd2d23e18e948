"""The evidence the splitter weighs: named features of every phrase and every cut of a row.

A row's words can be cut into phrases in many ways. Each candidate phrase (``words[i:j]``
as one tag) and each candidate cut (a tag boundary before ``words[g]``) gets a few named
features, each with a value and a note a person can read. ``split.py`` multiplies them by
the weights in ``weights.py`` and picks the best split by dynamic programming; a few
things are never allowed at all (a phrase ending on "for", a cut after a vendor name).

Features of a phrase say how likely it is to be one tag: its length, whether the book
printed it as a tag in an unambiguous layout, whether it is a product name. Features of
a cut say how likely a boundary is between two words: their kinds (names, acronyms,
capitals), parts of speech (``grammar.py``) and how the book's prose uses them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .context import EMPTY, RowContext
from .families import family_list
from .grammar import (COMPOUND, GERUND, MODIFIER, NOUN, VERB, VERB_S, is_bare_verb,
                      third_person_verb, word_class)
from .kinds import NOTE_VERBS, reads_as_note
from .lexicon import AUXILIARIES, CLAUSE_CONJUNCTIONS, GLUE_BOTH, SQL_KEYWORDS, VENDORS
from .shape import length_log_prior
from .terms import (concept_words, is_glossary_term, lowercase_products, product_words,
                    term_words)
from .vocabulary import Vocabulary
from .words import (fold_word, has_inner_capital, is_acronym, is_concept_acronym, is_glue_next,
                    is_identifier, is_titlecase, match_key)

NAMES = frozenset({"vendor", "product", "name"})
CAPS = NAMES | {"title", "concept", "acronym"}
NAMED = NAMES | {"acronym", "concept"}
NOUNISH = (NOUN, GERUND)
# A word seen this often in the prose, next to another as common that it never touches,
# is evidence the two belong to different tags.
COMMON_IN_PROSE = 3
# Abstract nouns ("consistency", "isolation") name a quality or an act: two side by side
# are mostly two tags ("auditing | portability").
_ABSTRACT_ENDINGS = ("tion", "sion", "ity", "ness", "ment", "ance", "ence", "ism", "ship")


@dataclass(frozen=True, slots=True)
class Feature:
    """One piece of evidence: its name (a key of ``weights.WEIGHTS``), value and note."""

    name: str
    value: float = 1.0
    note: str = ""


Features = tuple[Feature, ...]


def _kind(word: str, position: int, vocab: Vocabulary) -> str:
    """What a word looks like: vendor, product, sql, concept, acronym, name, title, glue,
    lower."""
    if not any(c.isalnum() for c in word) or word in GLUE_BOTH:
        return "glue"  # "=", "<", "&" or a function word: always inside a phrase
    if word in VENDORS:
        return "vendor"
    if word in vocab.products:
        return "product"
    if word in product_words() and not (position == 0 and _lowercase_in_prose(word, vocab)):
        return "product"  # "Temporal coupling" opens a row with an adjective, not a product
    if word in SQL_KEYWORDS:
        return "sql"  # "GROUP BY", "FOR UPDATE": a keyword, not an acronym standing alone
    if is_concept_acronym(word):
        return "concept"
    if is_acronym(word):
        return "acronym"
    if has_inner_capital(word) or is_identifier(word):
        return "name"
    if word.islower() and word in lowercase_products():
        return "product"  # "kafka", "etcd": a product written in lower case
    if is_titlecase(word):
        if _capitalised_in_prose(word, vocab):
            return "name"  # the prose capitalises it mid-sentence: a proper name
        return "lower" if position == 0 else "title"
    return "lower"


def _inside_formula(words: list[str]) -> list[bool]:
    """For each gap before ``words[g]``: a ``$`` formula opened before it is still open, so a
    cut there would fall inside it (code spans lose their backticks when a row is cleaned,
    ``words.tag_words``)."""
    gaps, dollars = [False], 0
    for word in words[:-1]:
        dollars += word.replace("\\$", "").count("$")
        gaps.append(dollars % 2 == 1)
    return gaps


def _lowercase_in_prose(word: str, vocab: Vocabulary) -> bool:
    """The book's sentences write the word in lower case more often than not."""
    share = vocab.lowercase_share(word)
    return share is not None and share > 0.5


def _capitalised_in_prose(word: str, vocab: Vocabulary) -> bool:
    casings = vocab.casings.get(word.casefold())
    if not casings:
        return False
    capitalised = sum(n for form, n in casings.items() if form[:1].isupper())
    return capitalised >= 2 and capitalised >= 0.8 * sum(casings.values())


def _word_class(word: str, kind: str, position: int) -> str:
    """The part of speech of an ordinary word; names and acronyms keep their kind."""
    if kind != "lower":
        return NOUN if kind in ("title", "sql") else kind
    found = word_class(word)
    if found == VERB_S:  # "Avoids duplicate charges" opens a clause; mid-row it is a noun
        return VERB if position == 0 else NOUN
    return found


def _is_finite_verb(word: str) -> bool:
    """"is", "can", "determines", "but": a verb or conjunction that makes a row a sentence."""
    w = word.casefold()
    return w in AUXILIARIES or w in CLAUSE_CONJUNCTIONS or word_class(w) == VERB_S


def _opens_note(word: str) -> bool:
    w = word.casefold()
    return (w in NOTE_VERBS or w in ("don't", "doesn't", "can't", "cannot", "never")
            or third_person_verb(w) == "verb")


def _is_abstract(word: str, kind: str, word_class_: str) -> bool:
    w = word.casefold()
    return kind in ("lower", "title") and word_class_ == NOUN and w.endswith(_ABSTRACT_ENDINGS)


def _is_plural_noun(word: str, kind: str, word_class_: str) -> bool:
    """"queues", "constraints": an ordinary plural noun, which ends its compound."""
    if kind not in ("lower", "title") or word_class_ not in NOUNISH:
        return False
    w = word.casefold()
    return len(w) > 3 and w.isalpha() and fold_word(w) != w and not w.endswith("ss")


class RowFeatures:
    """The features of every phrase and cut of one row's words."""

    def __init__(self, words: list[str], vocab: Vocabulary, context: RowContext = EMPTY):
        self.words = words
        self.vocab = vocab
        self.context = context
        self.kinds = [_kind(w, i, vocab) for i, w in enumerate(words)]
        self.folded = [fold_word(w) for w in words]
        self.classes = [_word_class(w, k, i) for i, (w, k) in enumerate(zip(words, self.kinds))]
        self.row = tuple(self.folded)
        self.commands = [self._starts_command(g) for g in range(len(words))]
        # A formula with a space inside ("$O(\\log N)$") is never cut.
        self.spanned = _inside_formula(words)
        # "caching", "durability": a word that names a technique or property on its own
        self.concept = [k in ("lower", "title") and f in concept_words()
                        for k, f in zip(self.kinds, self.folded)]
        self.spans = self._term_spans()
        self.third = [third_person_verb(w) if i > 0 else None for i, w in enumerate(words)]
        self.subject = [self._singular_subject(i) for i in range(len(words))]
        self.finite = [i > 0 and (_is_finite_verb(w) and (self.third[i] is None
                                                        or self.subject[i - 1]))
                       for i, w in enumerate(words)]
        self.sentence = any(self.finite)
        # "avoid", "prevents", "don't": a word that opens a note, which runs on from there
        self.opens_note = [_opens_note(w) for w in words]
        # "Transparency builds trust": a word that may be a noun or a verb, after a
        # singular noun and before more words, may make the row a sentence too.
        self.maybe_finite = [bool(self.third[i] == "either" and self.subject[i - 1]
                                  and i < len(words) - 1) for i in range(len(words))]

    def _starts_command(self, g: int) -> bool:
        """words[g] opens a command of the family list ("ALTER TABLE", "SETNX")."""
        if self.words[g] in SQL_KEYWORDS:
            return True
        names = family_list()
        return any(e.kind == "command" for k in range(g + 1, min(len(self.words), g + 4) + 1)
                   for e in names.lookup(" ".join(self.words[g:k])))

    def _fine_class(self, i: int) -> str:
        """An ordinary word's class for the features of a one-word tag: abstract, gerund,
        plural, modifier, compound, verb or noun."""
        word, kind, word_class_ = self.words[i], self.kinds[i], self.classes[i]
        if _is_abstract(word, kind, word_class_) or (
                word_class_ == NOUN and word.casefold().endswith(("cy", "ility"))):
            return "abstract"
        if _is_plural_noun(word, kind, word_class_):
            return "plural"
        if word_class_ in (GERUND, MODIFIER, COMPOUND, VERB):
            return word_class_
        return "noun"

    def _singular_subject(self, i: int) -> bool:
        """words[i] can be the subject of a verb in the third person singular."""
        kind, word_class_ = self.kinds[i], self.classes[i]
        if kind in NAMED:
            return True  # "Stripe caches ...", "TTL expires ..."
        if kind == "title":
            return word_class_ == NOUN and not self.words[i].endswith("s")
        return (kind == "lower" and word_class_ in NOUNISH
                and not _is_plural_noun(self.words[i], kind, word_class_))

    def _term_spans(self) -> dict[str, list[tuple[int, int]]]:
        """Runs of the row's words that are a glossary term or a tag printed elsewhere."""
        spans: dict[str, list[tuple[int, int]]] = {"glossary": [], "known": []}
        n = len(self.words)
        for i in range(n):
            for j in range(i + 2, min(n, i + 4) + 1):
                key = match_key(self.words[i:j])
                if is_glossary_term(key):
                    spans["glossary"].append((i, j))
                if self.vocab.known.get(key) or key in self.vocab.user:
                    spans["known"].append((i, j))
        return spans

    def _inside(self, g: int) -> list[Feature]:
        """A cut between words[g-1] and words[g] would break a known term."""
        found = []
        for source, name in (("known", "inside_known"), ("glossary", "inside_glossary")):
            span = next(((i, j) for i, j in self.spans[source] if i < g < j), None)
            if span:
                term = " ".join(self.words[span[0]:span[1]])
                found.append(Feature(name, 1.0, f"'{term}' is one term"))
        return found

    # -- phrases -------------------------------------------------------------------------

    def phrase(self, i: int, j: int) -> tuple[Features, str] | None:
        """Features of words[i:j] as one tag and its main note; None if it cannot be one."""
        words = self.words[i:j]
        last_of_row = j == len(self.words)  # "scale in": a row may end on a particle
        if self.kinds[i] == "glue" or (not last_of_row and (
                self.kinds[j - 1] == "glue" or is_glue_next(words[-1])
                or words[-1].endswith(":"))):  # "Risk: ..." labels what follows
            return None
        # A vendor names the product after it ("AWS SQS"), unless another vendor follows.
        if words[-1] in VENDORS and j < len(self.words) and self.kinds[j] != "vendor":
            return None
        length = len(words)
        clause = any(k == "glue" for k in self.kinds[i + 1:j - 1])
        found: list[Feature] = [Feature("length", length_log_prior(length, clause=clause))]
        key = match_key(words)
        evidence = self.vocab.phrase_evidence(key,
                                              whole_row=(i == 0 and j == len(self.words)))
        note = "no direct evidence"
        if evidence:
            kind, count = evidence
            if kind == "user":
                return (*found, Feature("user_phrase")), "named in tags.toml"
            if kind == "known":
                found.append(Feature("known_phrase" if length > 1 else "known_word"))
                found.append(Feature("known_count", math.log1p(count)))
                note = f"printed as a tag ×{count}"
            else:
                found.append(Feature("row_alone"))
                note = f"a row of its own ×{count}"
        elif length > 1 and is_glossary_term(key):
            found.append(Feature("glossary_term"))
            note = "a common backend term"
        elif (length > 2 and self.classes[i] == MODIFIER
              and self.classes[i + 1] in NOUNISH and (tail := self._known_count(i + 1, j))):
            found.append(Feature("modifier_before_known"))
            found.append(Feature("known_count", math.log1p(tail)))
            note = f"'{words[0]}' + a tag printed elsewhere"
        elif (length > 2 and self.kinds[i] in NAMED
              and self.classes[i + 1] in NOUNISH + (MODIFIER, COMPOUND)
              and (self._known_count(i + 1, j) or is_glossary_term(match_key(words[1:])))):
            found.append(Feature("name_before_known"))  # "Redis rate limiting"
            note = f"'{words[0]}' + a known tag"
        elif length == 1 and self.kinds[i] in CAPS - {"title"}:
            named = self.kinds[i] in NAMES
            alone = "acronym_alone" if not named else (
                "identifier_alone" if is_identifier(words[0]) else "name_alone")
            found.append(Feature(alone))
            note = "a product name" if named else "an acronym"
        if length == 1 and self.kinds[i] in ("lower", "title"):
            found.append(Feature(f"alone_{self._fine_class(i)}"))
            if self.concept[i]:
                found.append(Feature("concept_alone"))  # "caching", "durability"
                note = "a technique or property of its own"
        if length == 1 and len(self.words) >= 3 and (i == 0 or last_of_row):
            # a row's first tag is a single word more often than its last
            found.append(Feature("first_alone" if i == 0 else "last_alone"))
        listed = family_list().lookup(" ".join(words))
        if listed and any(e.kind != "concept" for e in listed):
            found.append(Feature("listed_name"))  # "Key Vault", "gzip": names of the list
            note = f"a {listed[0].family} name"
        if last_of_row and length >= 2 and reads_as_note(words):
            found.append(Feature("note_row" if i == 0 else "note_tail"))
            note += "; reads as a note"
        if length >= 3 and self.classes[i] == VERB:
            found.append(Feature("verb_phrase"))  # "avoid large arrays": runs on to its object
            note += "; a verb and its object"
        if last_of_row and any(self.finite[i + 1:j]):
            # "Deletes are safe to repeat": a note; the whole row, or its last tag
            found.append(Feature("sentence" if i == 0 else "sentence_tail"))
            note += "; a sentence"
        elif last_of_row and i == 0 and any(self.maybe_finite[i + 1:j]):
            found.append(Feature("maybe_sentence"))
            note += "; maybe a sentence"
        found.extend(self._row_edges(i, j))
        if length >= 2 and self.context.has_run(self.row[i:j]):
            found.append(Feature("context_phrase"))  # the point's own text writes it
            note += "; the point's text writes it"
        if length >= 3 and (seen := self.vocab.prose_runs.get(self.row[i:j], 0)):
            found.append(Feature("prose_phrase", math.log1p(seen)))
            note += f"; the prose writes it ×{seen}"
        return tuple(found), note

    def _row_edges(self, i: int, j: int) -> list[Feature]:
        """Other joined rows that open or close with words[i:j]: its edges are tag edges."""
        if j - i < 2:
            return []  # a single word opens and closes rows of every kind
        opens, closes = self.vocab.row_edges(self.row[i:j], self.row)
        found = []
        if opens and i > 0:  # a row's own first words start a tag anyway
            found.append(Feature("opens_rows", math.log1p(opens)))
        if closes and j < len(self.words):
            found.append(Feature("closes_rows", math.log1p(closes)))
        return found

    def _known_count(self, i: int, j: int) -> int:
        """How often words[i:j] (two or more) were printed as a tag, or 0."""
        evidence = self.vocab.phrase_evidence(match_key(self.words[i:j]))
        if not evidence or evidence[0] != "known" or j - i < 2:
            return 0
        return evidence[1]

    # -- cuts ----------------------------------------------------------------------------

    def cut(self, g: int) -> Features | None:
        """Features of a boundary between words[g-1] and words[g]; None if never allowed."""
        left, right = self.words[g - 1], self.words[g]
        lk, rk = self.kinds[g - 1], self.kinds[g]
        labelled = any(w.endswith(":") for w in self.words[:g])  # "Risk: ..." to the end
        if lk == "glue" or rk == "glue" or is_glue_next(left) or labelled or self.spanned[g]:
            return None
        if lk == "vendor" and rk != "vendor":
            return None
        vocab = self.vocab
        a, b = self.folded[g - 1], self.folded[g]
        pair = vocab.prose_runs.get((a, b), 0)
        edge_odds = vocab.edge_odds(a, vocab.ends) + vocab.edge_odds(b, vocab.starts)
        found = [Feature("edge_odds", edge_odds, "")]
        if pair:
            found.append(Feature("prose_pair", math.log1p(pair),
                                 f"prose pairs '{left} {right}' ×{pair}"))
        elif min(vocab.unigrams.get(a, 0), vocab.unigrams.get(b, 0)) >= COMMON_IN_PROSE:
            found.append(Feature("prose_apart", 1.0,
                                 f"the prose never writes '{left} {right}'"))
        if self.context.has_run((a, b)):
            found.append(Feature("context_pair", 1.0, f"the point's text writes '{left} {right}'"))
        elif self.context.has_word(a) and self.context.has_word(b):
            found.append(Feature("context_apart", 1.0,
                                 f"the point's text uses '{left}' and '{right}' apart"))
        found.extend(self._term_word_features(g, left, right))
        found.extend(self._concept_edges(g, left, right))
        found.extend(self._agreement(g, left, right))
        if self.sentence:
            found.append(Feature("in_sentence", 1.0, "the row reads as a sentence"))
        if any(self.opens_note[:g]) and not self.opens_note[g]:
            found.append(Feature("in_note", 1.0, "a note runs on after its verb"))
        elif self.opens_note[g] and not self.subject[g - 1]:
            found.append(Feature("before_note", 1.0, f"'{right}' opens a note"))
        found.extend(self._inside(g))
        found.extend(self._kind_features(g, left, right, lk, rk))
        found.extend(self._grammar_features(g, left, right))
        return tuple(found)

    def _concept_edges(self, g: int, left: str, right: str) -> list[Feature]:
        """A word that names a technique or property on its own ("AOF | durability",
        "caching | denormalization") leans towards a tag edge beside it, unless a term of
        the glossary writes the two words side by side."""
        a, b = self.folded[g - 1], self.folded[g]
        if (a, b) in term_words().pairs:
            return []
        found = []
        if self.concept[g - 1]:
            found.append(Feature("after_concept", 1.0, f"'{left}' is a whole idea"))
        if self.concept[g]:
            found.append(Feature("before_concept", 1.0, f"'{right}' is a whole idea"))
        return found

    def _agreement(self, g: int, left: str, right: str) -> list[Feature]:
        """A verb in the third person keeps its singular subject ("Token bucket allows ..."),
        and without one it starts a tag of its own ("No dirty reads | prevents ...")."""
        third = self.third[g]
        if third is None:
            return []
        if self.subject[g - 1]:
            name = "subject_verb" if third == "verb" else "subject_verb_or_noun"
            return [Feature(name, 1.0, f"'{left}' {right} ...: a subject and its verb")]
        if third == "verb":
            return [Feature("verb_without_subject", 1.0, f"'{right}' has no subject before it")]
        return []

    def _term_word_features(self, g: int, left: str, right: str) -> list[Feature]:
        """How the glossary's terms use the two words: side by side in a term, the left
        one before another word, the right one at a term's end."""
        if self.kinds[g - 1] not in ("lower", "title") or self.kinds[g] not in ("lower", "title"):
            return []
        a, b = match_key([left]).split()[-1:], match_key([right]).split()[:1]
        if not a or not b:
            return []
        terms = term_words()
        found = [Feature("term_modifier", terms.modifier_odds(a[0]), ""),
                 Feature("term_head", terms.head_odds(b[0]), ""),
                 Feature("prose_modifier", self.vocab.prose_modifier_odds(self.folded[g - 1]), ""),
                 Feature("prose_head", self.vocab.prose_head_odds(self.folded[g]), "")]
        if (a[0], b[0]) in terms.pairs:
            found.append(Feature("term_pair", 1.0, f"terms write '{left} {right}'"))
        return found

    def _kind_features(self, g: int, left: str, right: str, lk: str, rk: str) -> list[Feature]:
        if lk in NAMES and self.commands[g]:
            # "Redis SETNX", "PostgreSQL shared_buffers": a product and its command
            return [Feature("product_command", 1.0, f"'{right}' is a command of '{left}'")]
        if lk == "product" and rk == "name":  # "PostgreSQL pg_stat_activity", "Kafka Streams"
            return [Feature("name_feature", 1.0, f"'{right}' is a part of '{left}'")]
        if lk in NAMES and rk in NAMES | {"vendor"}:
            return [Feature("name_name", 1.0, f"'{left}' and '{right}' are separate names")]
        if lk in NAMES and rk == "concept":
            return [Feature("name_concept", 1.0, f"'{right}' is a concept of its own")]
        if lk in NAMES and rk in {"title", "acronym", "sql"}:
            return [Feature("name_feature", 1.0, f"'{right}' is a part of '{left}'")]
        if rk == "title" and (lk == "title" or (g == 1 and is_titlecase(left))):
            return [Feature("title_title", 1.0, "a run of capitalised words")]
        if lk in {"lower", "title"} and rk in NAMES | {"title"}:
            return [Feature("before_capital", 1.0, f"capital '{right}' mid-row")]
        if lk in {"acronym", "concept"} and rk in {"acronym", "concept"} | NAMES:
            return [Feature("acronym_acronym", 1.0, f"'{left}' and '{right}' are separate")]
        if lk in {"lower", "title"} and rk in {"acronym", "concept", "sql"}:
            return [Feature("before_acronym", 1.0, f"acronym '{right}' after '{left}'")]
        return []

    def _grammar_features(self, g: int, left: str, right: str) -> list[Feature]:
        """Cut evidence from parts of speech and from names followed by an ordinary noun."""
        lc, rc = self.classes[g - 1], self.classes[g]
        lk = self.kinds[g - 1]
        right_is_last = g == len(self.words) - 1
        found: list[Feature] = []
        if is_glue_next(right):
            found.append(Feature("before_determiner", 1.0, f"'{right}' starts a tag"))
        predicate = rc == MODIFIER and right_is_last  # "retry budgets exhausted"
        if _is_plural_noun(left, lk, lc) and not predicate and not self.finite[g - 1]:
            found.append(Feature("after_plural", 1.0, f"plural '{left}' ends a tag"))
        if _is_abstract(left, lk, lc) and _is_abstract(right, self.kinds[g], rc):
            found.append(Feature("abstract_pair", 1.0, f"'{left}' and '{right}' are two ideas"))
        if lk == "sql" and self.kinds[g] == "sql":
            found.append(Feature("sql_keywords", 1.0, f"'{left} {right}' is one SQL clause"))
        grammar = self._grammar(g, left, right, lc, rc, right_is_last)
        return found + ([grammar] if grammar else [])

    def _grammar(self, g: int, left: str, right: str, lc: str, rc: str,
                 right_is_last: bool) -> Feature | None:
        if lc == MODIFIER and rc in NOUNISH + (VERB, COMPOUND):
            return Feature("modifier_joins", 1.0, f"'{left}' describes '{right}'")
        if lc == COMPOUND and rc in NOUNISH:
            return Feature("compound_joins", 1.0, f"'{left}' describes '{right}'")
        lk = self.kinds[g - 1]
        if lk == "product" and rc in (MODIFIER, COMPOUND) and not (
                g >= 2 and self.kinds[g - 2] in NAMES):
            # "PostgreSQL multi-column indexes", "S3 pre-signed URLs": the product qualifies
            return Feature("product_modifier", 1.0, f"'{right}' ... belongs to '{left}'")
        if rc == COMPOUND and (lc in NOUNISH + (COMPOUND,) or lc in NAMED):
            return Feature("before_compound", 1.0, f"'{right}' starts a tag")
        if rc == MODIFIER and not right_is_last and (lc in NOUNISH + (COMPOUND,) or lc in NAMED):
            return Feature("before_modifier", 1.0, f"modifier '{right}' starts a tag")
        if rc == MODIFIER and right_is_last and lc in NOUNISH:
            return Feature("predicate_joins", 1.0, f"'{right}' says something of '{left}'")
        if lc == VERB and not (g >= 2 and self.words[g - 2] == "to"):  # "easy to shard | X"
            return Feature("verb_object_joins", 1.0, f"'{left}' takes an object")
        if rc == VERB and (lc in NOUNISH + (MODIFIER,) or lc in NAMES):
            return Feature("before_verb", 1.0, f"verb '{right}' starts a tag")
        if lc in NAMED and rc in NOUNISH:
            if g >= 2 and self.kinds[g - 2] in NAMED:
                return None  # "Redis Memcached | slow consumers": a list of names takes no noun
            if is_bare_verb(right) and rc == NOUN:
                # "Kafka | trade speed for safety": maybe a verb, starting a tag
                return Feature("name_verb_noun", 1.0, f"'{right}' may belong to '{left}'")
            name = "product_noun_joins" if lk == "product" else "name_noun_joins"
            return Feature(name, 1.0, f"'{right}' belongs to '{left}'")
        return None
