"""Evidence for tag boundaries, learned from the corpus itself.

* known phrases: tags printed in an unambiguous layout (links, backticks, bold, pills,
  one tag per line) anywhere in any copy, plus the user's phrases and aliases;
* copy layouts: a joined row that another copy of the problem printed as separate tags;
* phrases seen alone: short joined rows, which are more often one tag than two;
* row edges: a joined row's first words start a tag and its last words end one, so a
  phrase that opens or closes other rows is likely a whole tag;
* prose statistics: which word runs the book's sentences keep together, and how
  each word is capitalised in the middle of a sentence.
"""
from __future__ import annotations

import copy
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..models import Corpus, RawTag
from .lexicon import FUNCTION_WORDS
from .words import clean_tag_text, fold_word, match_key, tag_words

UNAMBIGUOUS = frozenset({"link", "backtick", "bold", "pill", "line", "plain"})
# A joined row this short is read as one tag and taught to the splitter as a weak phrase.
ALONE_MAX_WORDS = 2
PROSE_RUN_MAX = 4  # the longest word run counted in the prose
ROW_EDGE_MAX = 4  # the longest opening or closing run of a joined row counted
CLAUSE_BREAK = re.compile(r"[.!?;:,()\[\]{}\"“”—–]|\s-\s|\s->\s|→")
PROSE_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'+/._-]*[A-Za-z0-9+]|[A-Za-z0-9]")


@dataclass
class Vocabulary:
    """Everything the splitter knows; built once per run by ``build_vocabulary``."""

    known: Counter = field(default_factory=Counter)  # match key -> unambiguous sightings
    user: set = field(default_factory=set)  # match keys the user declared (aliases, phrases)
    alone: Counter = field(default_factory=Counter)  # match key -> distinct short joined rows
    copies: dict = field(default_factory=dict)  # match key of a row -> its parts' keys
    unigrams: Counter = field(default_factory=Counter)  # folded word -> prose count
    prose_runs: Counter = field(default_factory=Counter)  # folded words (2 to 4) -> count
    rows: set = field(default_factory=set)  # folded words of each distinct joined row
    row_starts: Counter = field(default_factory=Counter)  # folded words -> rows they open
    row_ends: Counter = field(default_factory=Counter)  # folded words -> rows they close
    before_word: Counter = field(default_factory=Counter)  # folded word -> prose uses before a word
    before_break: Counter = field(default_factory=Counter)  # ... before a function word or a break
    after_word: Counter = field(default_factory=Counter)  # folded word -> prose uses after a word
    after_break: Counter = field(default_factory=Counter)  # ... after a function word or a break
    starts: Counter = field(default_factory=Counter)  # folded word -> certain tag starts
    ends: Counter = field(default_factory=Counter)  # folded word -> certain tag ends
    in_tags: Counter = field(default_factory=Counter)  # folded word -> words of all tag text
    casings: dict = field(default_factory=lambda: defaultdict(Counter))  # casefold -> Counter
    products: frozenset = frozenset()  # the user's extra product names
    edge_base: float = 0.5  # the average rate of a word being at a tag edge

    def edge_odds(self, word: str, edges: Counter) -> float:
        """How much likelier than average ``word`` is at a tag edge (log ratio, smoothed)."""
        rate = (edges.get(word, 0) + 0.5) / (self.in_tags.get(word, 0) + 1.0)
        return math.log(rate / self.edge_base)

    def lowercase_share(self, word: str) -> float | None:
        """How often the book writes ``word`` in lower case mid-sentence or mid-tag
        (None: never seen there)."""
        seen = self.casings.get(word.casefold())
        if not seen:
            return None
        return seen.get(word.casefold(), 0) / sum(seen.values())

    def row_edges(self, phrase: tuple[str, ...], row: tuple[str, ...]) -> tuple[int, int]:
        """How many other joined rows open and close with ``phrase`` (folded words)."""
        n = len(phrase)
        counted = row in self.rows and n < len(row) and n <= ROW_EDGE_MAX  # the row's own
        opens = self.row_starts.get(phrase, 0) - (counted and row[:n] == phrase)
        closes = self.row_ends.get(phrase, 0) - (counted and row[-n:] == phrase)
        return opens, closes

    def prose_modifier_odds(self, word: str) -> float:
        """Log-odds that the prose follows ``word`` with another content word (it heads
        into a compound) rather than with a function word or a break."""
        return math.log((self.before_word.get(word, 0) + 0.5)
                        / (self.before_break.get(word, 0) + 0.5))

    def prose_head_odds(self, word: str) -> float:
        """Log-odds that the prose puts a content word before ``word``."""
        return math.log((self.after_word.get(word, 0) + 0.5)
                        / (self.after_break.get(word, 0) + 0.5))

    def phrase_evidence(self, key: str, whole_row: bool = False) -> tuple[str, int] | None:
        """The strongest evidence that ``key`` is one tag: ("known"|"user"|"alone", count).

        A short row is no evidence for itself (``whole_row``): a copy of the problem
        prints the same row again, which says nothing about where its tags end.
        """
        if key in self.user:
            return ("user", 1)
        if self.known.get(key):
            return ("known", self.known[key])
        if self.alone.get(key, 0) and not whole_row:
            return ("alone", self.alone[key])
        return None


def prose_chunks(corpus: Corpus) -> Iterable[tuple[list[str], bool]]:
    """Runs of words from the book's text, broken at punctuation, and whether the run is
    a sentence (titles are Title Case, so their capitals say nothing about names)."""
    for problem in corpus.problems:
        texts = [(problem.title, False), (problem.question, True), (problem.summary, True)]
        for point in problem.points:
            texts.extend(((point.title, False), (point.explanation, True),
                          (point.example, True)))
        for text, sentence in texts:
            for chunk in CLAUSE_BREAK.split(text or ""):
                words = PROSE_WORD.findall(chunk)
                if words:
                    yield words, sentence


def _learn_prose(vocab: Vocabulary, corpus: Corpus) -> None:
    for words, sentence in prose_chunks(corpus):
        folded = [fold_word(w) for w in words]
        vocab.unigrams.update(folded)
        content = [w.casefold() not in FUNCTION_WORDS for w in words]
        for k, word in enumerate(folded):
            if not content[k]:
                continue
            if k + 1 < len(folded) and content[k + 1]:
                vocab.before_word[word] += 1
            else:
                vocab.before_break[word] += 1
            if k > 0 and content[k - 1]:
                vocab.after_word[word] += 1
            else:
                vocab.after_break[word] += 1
        for n in range(2, PROSE_RUN_MAX + 1):
            vocab.prose_runs.update(tuple(folded[k:k + n]) for k in range(len(folded) - n + 1))
        if sentence:
            for word in words[1:]:  # the first word of a chunk is capitalised by grammar
                vocab.casings[word.casefold()][word] += 1


def _learn_edges(vocab: Vocabulary, words: list[str], step: int = 1) -> None:
    """A tag's (or a whole row's) first and last words are certain tag edges."""
    folded = [fold_word(w) for w in words]
    for word in folded:
        vocab.in_tags[word] += step
    vocab.starts[folded[0]] += step
    vocab.ends[folded[-1]] += step


def _learn_tag(vocab: Vocabulary, text: str, step: int = 1) -> None:
    """Count one unambiguous tag (``step`` -1 takes a sighting back)."""
    words = tag_words(text)
    if not words:
        return
    vocab.known[match_key(words)] += step
    _learn_edges(vocab, words, step)
    for word in words[1:]:
        vocab.casings[word.casefold()][word] += step


def without_tags(vocab: Vocabulary, texts: Iterable[str]) -> Vocabulary:
    """A copy of ``vocab`` that never saw these unambiguous tags (to score a row printed
    tag by tag as if it had been printed joined); ``vocab`` itself is untouched."""
    held = copy.copy(vocab)
    held.known, held.starts, held.ends, held.in_tags = (
        vocab.known.copy(), vocab.starts.copy(), vocab.ends.copy(), vocab.in_tags.copy())
    held.casings = defaultdict(Counter, {k: v.copy() for k, v in vocab.casings.items()})
    for text in texts:
        _learn_tag(held, text, step=-1)
    return held


def _learn_copies(vocab: Vocabulary, evidence: Sequence[RawTag], max_parts: int = 6) -> None:
    """Rows of consecutive certain tags, so a joined copy of the same row splits exactly."""
    run: list[str] = []
    runs: list[list[str]] = []
    for raw in evidence:
        if raw.layout in UNAMBIGUOUS and clean_tag_text(raw.text):
            run.append(clean_tag_text(raw.text))
        else:
            if len(run) > 1:
                runs.append(run)
            run = []
    if len(run) > 1:
        runs.append(run)
    for run in runs:
        for start in range(len(run)):
            for stop in range(start + 2, min(len(run), start + max_parts) + 1):
                parts = tuple(match_key(part) for part in run[start:stop])
                vocab.copies.setdefault(" ".join(parts), parts)


def _learn_rows(vocab: Vocabulary, rows: Iterable[list[str]]) -> None:
    """Each distinct joined row's opening and closing runs of words (never the whole row)."""
    for words in rows:
        folded = tuple(fold_word(w) for w in words)
        if folded in vocab.rows:
            continue  # a copy of the problem prints the same row again
        vocab.rows.add(folded)
        for n in range(1, min(ROW_EDGE_MAX, len(folded) - 1) + 1):
            vocab.row_starts[folded[:n]] += 1
            vocab.row_ends[folded[-n:]] += 1


def build_vocabulary(corpus: Corpus, evidence: Sequence[RawTag],
                     user_phrases: Iterable[str] = (),
                     user_products: Iterable[str] = ()) -> Vocabulary:
    """Learn the splitter's vocabulary from the corpus, all raw tag slots and the user."""
    vocab = Vocabulary(products=frozenset(user_products))
    _learn_prose(vocab, corpus)
    slots = list(evidence) or [t for p in corpus.problems for pt in p.points
                               for t in pt.raw_tags]
    short_rows: set[str] = set()  # distinct texts: a copy's repeat is no new sighting
    joined_rows: list[list[str]] = []
    for raw in slots:
        if raw.layout in UNAMBIGUOUS:
            _learn_tag(vocab, raw.text)
        else:
            words = tag_words(raw.text)
            if words:
                _learn_edges(vocab, words)
                joined_rows.append(words)
            if 0 < len(words) <= ALONE_MAX_WORDS:
                short_rows.add(" ".join(words))
    vocab.alone.update(match_key(text) for text in short_rows)
    _learn_rows(vocab, joined_rows)
    for phrase in user_phrases:
        key = match_key(phrase)
        if key:
            vocab.user.add(key)
    _learn_copies(vocab, slots)
    edges = (sum(vocab.starts.values()) + sum(vocab.ends.values())) / 2
    vocab.edge_base = (edges + 0.5) / (sum(vocab.in_tags.values()) + 1.0)
    return vocab
