"""The table of contents: its topics, and which topic a header line names.

The segmenter asks "does this line name a topic?" for nearly every line of a book, so the
answer is indexed: exact titles by a dict, near misses (extraction typos: a fuzzy ratio of
92 or more) only against titles of a compatible length, in one rapidfuzz call, and each
distinct line text is answered once.
"""
from __future__ import annotations

import bisect
import re
from typing import Iterable, Sequence

from rapidfuzz import fuzz, process

from .ids import normalize_title, topic_id
from .markup import clean_inline, strip_decoration
from .models import Line, Topic

TOPIC_HEADING = re.compile(r"^\s*(?:#+\s*)?Topic\s+(?P<number>\d+)\s*[:.]\s*(?P<title>.+?)\s*$")
# "- [Title](#) - 3 problems"; a PDF without link annotations gives "Title - 3 problems".
TOC_ENTRY = re.compile(
    r"^\s*(?:[-*•]\s*)?(?:\[(?P<title>(?:[^\[\]\\]|\\.)+)\]\([^)\[]*\)|(?P<plain>[^\[\]]{1,80}?))"
    r"\s*[-–—:]\s*(?P<count>\d+)\s+problems?\s*$", re.IGNORECASE)
FUZZY_RATIO = 92
# fuzz.ratio(a, b) >= 92 needs |len a - len b| <= 0.08 (len a + len b), so the longer
# title is at most 108/92 times as long as the shorter.
_LENGTH_BOUND = (200 - FUZZY_RATIO) / FUZZY_RATIO
MAX_HEADER_CHARS = 90


def topic_heading(text: str) -> re.Match[str] | None:
    """``TOPIC_HEADING.match(text)``: the pattern spells out "Topic"."""
    return TOPIC_HEADING.match(text) if "Topic" in text else None


def read_toc(lines: Sequence[Line]) -> tuple[list[Topic], int]:
    """The table of contents' topics and the index of the line after its last entry."""
    return read_toc_texts(line.text for line in lines)


def read_toc_texts(texts: Iterable[str]) -> tuple[list[Topic], int]:
    """``read_toc`` over the lines' texts."""
    topics: list[Topic] = []
    end = 0
    for index, text in enumerate(texts):
        if topics and index - end > 12:  # a second list far away is not the TOC
            break
        match = TOC_ENTRY.match(text)
        if not match:
            continue
        title = clean_inline(re.sub(r"\\(.)", r"\1", match["title"] or match["plain"]))
        topics.append(Topic(id=topic_id(title), title=title, order=len(topics) + 1,
                            declared_problems=int(match["count"])))
        end = index + 1
    return topics, end


def titles_match(heading: str, toc_title: str) -> bool:
    """A heading names a TOC topic: equal, or nearly (an extraction typo)."""
    a, b = normalize_title(heading), normalize_title(toc_title)
    if not a or not b:
        return False
    return a == b or fuzz.ratio(a, b) >= FUZZY_RATIO


def heading_names(heading: str, toc_title: str) -> bool:
    """A "Topic N:" heading names a TOC topic, possibly with a parenthesised suffix."""
    if titles_match(heading, toc_title):
        return True
    suffix = heading.strip()[len(toc_title):].strip()
    return (heading.strip().lower().startswith(toc_title.lower()) and suffix.startswith("(")
            and suffix.endswith(")"))


class TocIndex:
    """Which TOC entries a header line names, answered once per distinct line text."""

    def __init__(self, toc: Sequence[Topic]):
        self.toc = list(toc)
        self.exact: dict[str, list[int]] = {}
        by_length: list[tuple[int, int, str]] = []
        for index, topic in enumerate(self.toc):
            key = normalize_title(topic.title)
            if key:
                self.exact.setdefault(key, []).append(index)
                by_length.append((len(key), index, key))
        by_length.sort()
        self.lengths = [length for length, _, _ in by_length]
        self.keys = [key for _, _, key in by_length]
        self.indices = [index for _, index, _ in by_length]
        self.lowered: dict[str, list[int]] = {}
        for index, topic in enumerate(self.toc):
            self.lowered.setdefault(topic.title.lower(), []).append(index)
        self.memo: dict[str, tuple[int, ...]] = {}

    def topics_named(self, text: str) -> tuple[int, ...]:
        """Indices (in TOC order) of every entry ``text`` names; empty when none."""
        if not self.toc:
            return ()
        found = self.memo.get(text)
        if found is None:
            found = self._named(text)
            self.memo[text] = found
        return found

    def names_topic(self, text: str) -> bool:
        """``text`` names at least one entry (asked about nearly every line: the memo first)."""
        found = self.memo.get(text)
        return bool(found if found is not None else self.topics_named(text))

    def _named(self, text: str) -> tuple[int, ...]:
        topic = topic_heading(text)
        title = strip_decoration(clean_inline(topic["title"] if topic else text))
        if not title or len(title) > MAX_HEADER_CHARS:
            return ()
        key = normalize_title(title)
        found = set(self._near(key)) if key else set()
        if topic:
            found.update(self._with_suffix(title))
        return tuple(sorted(found))

    def _with_suffix(self, title: str) -> list[int]:
        """Entries a "Topic N:" title names with a parenthesised suffix: the title up to
        one of its "(" is looked up, then checked as ``heading_names`` checks it."""
        stripped = title.strip()
        if not stripped.endswith(")"):
            return []
        found: list[int] = []
        for cut in (m.start() for m in re.finditer(r"\s*\(", stripped)):
            for index in self.lowered.get(stripped[:cut].lower(), ()):
                if index not in found and heading_names(title, self.toc[index].title):
                    found.append(index)
        return found

    def _near(self, key: str) -> list[int]:
        """Entries whose normalized title equals ``key`` or scores >= 92 against it."""
        found = list(self.exact.get(key, ()))
        low = bisect.bisect_left(self.lengths, len(key) / _LENGTH_BOUND - 1)
        high = bisect.bisect_right(self.lengths, len(key) * _LENGTH_BOUND + 1)
        if low < high:
            for _, _score, position in process.extract(
                    key, self.keys[low:high], scorer=fuzz.ratio, processor=None,
                    score_cutoff=FUZZY_RATIO, limit=None):
                found.append(self.indices[low + position])
        return found
