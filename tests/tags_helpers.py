"""Small record builders for the tags tests (invented content only)."""
from __future__ import annotations

from pipeline.models import Corpus, Occurrence, Point, Problem, RawTag, Where


def point(*tags: tuple[str, str], explanation: str = "", title: str = "A point",
          line: int = 1) -> Point:
    return Point(title=title, explanation=explanation, example="", where=Where("src", line),
                 raw_tags=tuple(RawTag(text, layout) for text, layout in tags))  # type: ignore[arg-type]


def corpus(*points: Point, question: str = "", pid: str = "p1") -> Corpus:
    problem = Problem(id=pid, title="A problem", number=1, topic="t", question=question,
                      summary="", points=tuple(points),
                      occurrences=(Occurrence("src", 1, None, 1, "A problem", "t"),))
    return Corpus(sources=(), topics=(), problems=(problem,))


def evidence_of(c: Corpus) -> list[RawTag]:
    return [t for p in c.problems for pt in p.points for t in pt.raw_tags]
