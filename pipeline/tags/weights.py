"""The splitter's weights: how much each feature of ``features.py`` counts, in log-odds.

``PRIOR_WEIGHTS`` were set by hand; ``scripts/fit_tag_weights.py`` fits them on rows a
person split by hand, starting from and pulled towards these, and writes
``weights_fitted.py``. The splitter uses the fitted weights.

A positive weight on a cut feature favours a tag boundary there; a negative one keeps the
two words together. Phrase features favour (or, negative, disfavour) reading the words as
one tag. ``length`` and ``tag_count`` weigh the shape priors of ``shape.py``.
"""
from __future__ import annotations

from .weights_fitted import FITTED_WEIGHTS

PRIOR_WEIGHTS: dict[str, float] = {
    # -- a phrase as a whole
    "length": 1.0,  # log prior of the tag's length
    "tag_count": 1.0,  # log prior of the number of tags in the row (once per split)
    "user_phrase": 6.0,  # the user named this phrase (aliases, phrases)
    "known_phrase": 3.0,  # printed as one tag in an unambiguous layout
    "known_word": 0.8,  # a single known word: weak, most phrases contain one
    "known_count": 1.0,  # per log of sightings
    "glossary_term": 1.0,  # a multi-word term of data/glossary.txt or products.txt
    "row_alone": 2.0,  # printed alone as a whole short row
    "modifier_before_known": 3.5,  # "early lease expiry": a kind of a known tag
    "name_before_known": 1.0,  # "Redis rate limiting": a product's (or acronym's) kind of it
    "first_alone": 0.0,  # one word as the first tag of a row of three words or more
    "last_alone": 0.0,  # ... as its last tag
    "name_alone": 1.0,  # a product or name standing alone
    "identifier_alone": 0.0,  # a name from code ("pg_stat_activity") standing alone
    "acronym_alone": 0.4,  # acronyms stand alone, but as often head a phrase
    "alone_abstract": 0.0,  # a one-word tag that is an abstract noun ("durability")
    "alone_gerund": 0.0,  # ... an -ing noun ("monitoring")
    "alone_plural": 0.0,  # ... a plural noun ("retries")
    "alone_modifier": 0.0,  # ... an adjective ("stateless")
    "alone_compound": 0.0,  # ... a hyphenated word ("fan-out")
    "alone_verb": 0.0,  # ... a verb ("throttle")
    "alone_noun": 0.0,  # ... any other ordinary word
    "concept_alone": 0.0,  # a one-word technique or property (data/concept_words.txt)
    "listed_name": 1.0,  # the family list names the phrase ("Key Vault", "gzip")
    "note_row": 1.0,  # the whole row reads as a note ("avoid hotspots", "no shared state")
    "note_tail": 0.3,  # the row's last tag reads as a note
    "verb_phrase": 1.2,  # "avoid large arrays": a verb runs on to its object
    "sentence": 2.0,  # a finite verb inside the row: a note, one tag
    "maybe_sentence": 0.5,  # "Transparency builds trust": a noun, an -s word, more words
    "sentence_tail": 0.5,  # the same for the row's last tag ("Cassandra keeps three replicas")
    "prose_phrase": 0.5,  # per log-count of the words (3 or more) as a run in the prose
    "opens_rows": 0.5,  # per log-count of other joined rows that open with the phrase
    "closes_rows": 0.5,  # per log-count of other joined rows that close with it
    "context_phrase": 1.0,  # the point's own title, explanation or example writes it
    # -- a cut between two words (positive: a boundary; negative: keep together)
    "edge_odds": 0.3,  # per log-ratio: words that end / start tags more than average
    "prose_pair": -1.2,  # per log-count of the pair in the book's prose
    "in_sentence": -1.0,  # any cut in a row with a finite verb or a conjunction
    "in_note": -0.5,  # a cut after a word that opens a note ("avoid", "prevents", "don't")
    "before_note": 0.5,  # a cut before such a word (no subject before it)
    "inside_known": -2.0,  # the cut would break a tag printed elsewhere
    "inside_glossary": -2.0,  # the cut would break a term of data/glossary.txt
    "prose_apart": 0.5,  # two common words the prose never puts side by side
    "subject_verb": -1.5,  # "Token bucket allows": a singular noun and its verb
    "subject_verb_or_noun": -0.3,  # "Transparency builds": perhaps a subject and its verb
    "verb_without_subject": 1.0,  # "No dirty reads | prevents ...": no subject, a new tag
    "prose_modifier": -0.2,  # per log-odds: the prose follows the left word with a word
    "prose_head": -0.2,  # per log-odds: the prose puts a word before the right word
    "term_pair": -1.0,  # the two words stand side by side in a glossary term
    "term_modifier": -0.2,  # per log-odds: glossary terms use the left word before another
    "term_head": -0.2,  # per log-odds: glossary terms end on the right word
    "context_pair": -1.0,  # the point's own text writes the two words side by side
    "context_apart": 0.3,  # the point's own text uses both words, never side by side
    "name_name": 3.0,  # product/vendor next to another product/vendor
    "name_concept": 2.0,  # "MySQL ACID"
    "name_feature": -2.5,  # "Redis Cluster", "Kubernetes HPA"
    "product_command": -4.0,  # "Redis SETNX": a product and a command of the family list
    "title_title": -1.0,  # "Auto Scaling"
    "before_capital": 1.5,  # lowercase word, then a capitalised word or product
    "acronym_acronym": 1.0,
    "before_acronym": 0.5,  # "leases TTL"
    "before_determiner": 1.0,  # "no shared state" starts a tag
    "after_plural": 1.5,  # a plural noun heads its compound: "queues | retries"
    "abstract_pair": 0.5,  # "auditing | portability": two abstract nouns
    "after_concept": 0.0,  # the left word names a technique or property of its own
    "before_concept": 0.0,  # ... the right word does ("AOF | durability")
    "sql_keywords": -3.0,  # "CREATE INDEX": a run of SQL keywords is one clause
    "modifier_joins": -2.0,  # "eventual consistency"
    "compound_joins": -1.0,  # "cache-aside reads"
    "before_compound": 1.5,  # "lease expiry | auto-renewal"
    "before_modifier": 1.5,  # "shard keys | uneven growth"
    "predicate_joins": -1.0,  # "retry budget exceeded"
    "verb_object_joins": -1.5,  # "avoid skew"
    "before_verb": 1.0,  # "hash rings | avoid skew"
    "name_noun_joins": -1.0,  # "DLQ depth": an acronym or name and its noun
    "product_noun_joins": -1.0,  # "Kafka partitions"
    "name_verb_noun": 0.0,  # "Redis cache": a noun that may be a verb starting a tag
    "product_modifier": -0.5,  # "S3 pre-signed URLs": a product qualifies what follows
}

FIXED = frozenset({"user_phrase"})  # no hand-split row can tell how much the user's word counts

WEIGHTS: dict[str, float] = {**PRIOR_WEIGHTS, **{
    name: value for name, value in FITTED_WEIGHTS.items()
    if name in PRIOR_WEIGHTS and name not in FIXED}}
