"""What the whole corpus says about a term, for the cloze checks (``cloze.refusal``).

A cloze is judged on its own card, but two things only the corpus as a whole can tell:

- **broad** terms, printed under ``BROAD_TOPICS`` topics or more ("high availability",
  "microservices"): umbrella concepts, so a blank for one takes many fair fillings; and
  the lists' family names themselves ("wide-column stores": each listed member fits).
- **sole** members of their family: a term that makes up ``SOLE_SHARE`` or more of what
  the corpus prints of its family ("Lambda" for serverless platforms, "Redis" for caches).
  Shown as the family hint on a card about that family ("[...] (serverless platform)"
  under "Serverless Architecture"), the blank has one filling a reader of this book needs
  no recall for: the hint and the topic say it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from ...inline import parse
from ...models import Corpus
from ...tags.recognized import Lexicon
from ...tags.words import match_key

# A term the corpus prints under this many topics is an umbrella concept ("high
# availability", "microservices"): a blank for it takes many fair fillings.
BROAD_TOPICS = 5
# A term that makes up this share of its family's mentions is the family, to this book.
# On the real book: Lambda (all 20 of the serverless platforms printed), Redis (61 of 72
# caches), JWT, Bloom filter; the next below are object storage's S3 (0.70) and HTTP
# methods' POST (0.69), families the book names several members of.
SOLE_SHARE = 0.8


@dataclass(frozen=True)
class CorpusTerms:
    """Match keys of the corpus's broad terms and of the sole members of their families."""

    broad: frozenset[str] = frozenset()
    sole: frozenset[str] = frozenset()


NO_CORPUS_TERMS = CorpusTerms()  # a card judged on its own (no corpus to ask)


def corpus_terms(corpus: Corpus, lexicon: Lexicon) -> CorpusTerms:
    """Both, from every point's title and explanation (the texts clozes are made from)."""
    texts = [(problem.topic, parse(text).plain) for problem in corpus.problems
             for point in problem.points for text in (point.title, point.explanation)]
    return CorpusTerms(broad_terms(texts, lexicon),
                       sole_members((text for _, text in texts), lexicon))


def broad_terms(texts: Iterable[tuple[str, str]], lexicon: Lexicon) -> frozenset[str]:
    """Match keys of the recognized terms printed under ``BROAD_TOPICS`` topics or more,
    and of the lists' family names; ``texts`` are (topic id, plain text) pairs."""
    topics: dict[str, set[str]] = {}
    for topic, text in texts:
        for found in lexicon.find(text):
            topics.setdefault(match_key(found.text), set()).add(topic)
    return frozenset(key for key, seen in topics.items() if len(seen) >= BROAD_TOPICS) \
        | lexicon.families  # a class ("wide-column stores"): each listed member fits


def sole_members(texts: Iterable[str], lexicon: Lexicon) -> frozenset[str]:
    """Match keys of the terms that make up ``SOLE_SHARE`` or more of the mentions of
    their family in ``texts`` (plain texts)."""
    mentions: dict[str, Counter[str]] = {}
    for text in texts:
        for found in lexicon.find(text):
            if found.known.family:
                mentions.setdefault(found.known.family, Counter())[match_key(found.text)] += 1
    return frozenset(key for counts in mentions.values() for key, n in counts.items()
                     if n >= SOLE_SHARE * sum(counts.values()))


__all__ = ["BROAD_TOPICS", "CorpusTerms", "NO_CORPUS_TERMS", "SOLE_SHARE", "broad_terms",
           "corpus_terms", "sole_members"]
