"""corpus.json: the product's API for frontends.

The contract is in docs/corpus.md and pipeline/schema/corpus.schema.json.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import DrillbookError
from ..inline import plain_text
from .base import EmitContext, Emitted
from ..models import (READABLE_SCHEMA_VERSIONS, Corpus, Occurrence, Point, Problem, Source, Tag,
                      Topic, Where)


def where_to_dict(where: Where) -> dict[str, Any]:
    """A location as corpus.json (and report.json) write it."""
    return {"source": where.source, "line": where.line, "page": where.page}


def occurrence_to_dict(o: Occurrence) -> dict[str, Any]:
    """One printed copy of a problem as corpus.json (and report.json) write it."""
    return {"source": o.source, "line": o.line, "page": o.page, "number": o.number,
            "title": o.title, "topic": o.topic}


def plain_twins(**fields: str) -> dict[str, str]:
    """The plain-text twin of each text field (formatting gone, escapes resolved)."""
    return {name: plain_text(value) for name, value in fields.items()}


def corpus_to_dict(corpus: Corpus) -> dict[str, Any]:
    """The corpus as plain JSON data, in the contract's key order.

    Text fields are the book's inline Markdown with TeX math (``pipeline/inline.py``); each
    record also carries ``plain``, the same fields as plain text.
    """
    return {
        "schema_version": corpus.schema_version,
        "sources": [{"id": s.id, "path": s.path, "sha256": s.sha256, "format": s.format}
                    for s in corpus.sources],
        "topics": [{"id": t.id, "title": t.title, "order": t.order,
                    "declared_problems": t.declared_problems,
                    "plain": plain_twins(title=t.title)} for t in corpus.topics],
        "problems": [{
            "id": p.id, "title": p.title, "number": p.number, "topic": p.topic,
            "question": p.question, "summary": p.summary,
            "points": [{"title": pt.title, "explanation": pt.explanation, "example": pt.example,
                        "tags": list(pt.tags), "where": where_to_dict(pt.where),
                        "plain": plain_twins(title=pt.title, explanation=pt.explanation,
                                             example=pt.example)} for pt in p.points],
            "occurrences": [dict(occurrence_to_dict(o), plain=plain_twins(title=o.title))
                            for o in p.occurrences],
            "tags": list(p.tags),
            "plain": plain_twins(title=p.title, question=p.question, summary=p.summary),
        } for p in corpus.problems],
        "tags": [{"id": t.id, "label": t.label, "forms": list(t.forms), "count": t.count,
                  "kind": t.kind, "family": t.family, "technology": t.technology,
                  "plain": plain_twins(label=t.label)} for t in corpus.tags],
    }


def dumps_json(data: Any) -> bytes:
    """Deterministic JSON bytes: fixed indentation, UTF-8, trailing newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def corpus_json_bytes(corpus: Corpus) -> bytes:
    return dumps_json(corpus_to_dict(corpus))


def corpus_schema() -> dict[str, Any]:
    """The JSON Schema of corpus.json, shipped inside the package."""
    text = resources.files("pipeline").joinpath("schema/corpus.schema.json").read_text("utf-8")
    return json.loads(text)


def _without_plain(record: dict[str, Any]) -> dict[str, Any]:
    """A record without its plain-text twins (derived data, rebuilt on writing)."""
    return {key: value for key, value in record.items() if key != "plain"}


def corpus_from_dict(data: dict[str, Any]) -> Corpus:
    """Rebuild the records from corpus.json data (already validated; "plain" twins dropped)."""
    return Corpus(
        schema_version=data["schema_version"],
        sources=tuple(Source(**s) for s in data["sources"]),
        topics=tuple(Topic(**_without_plain(t)) for t in data["topics"]),
        problems=tuple(Problem(
            id=p["id"], title=p["title"], number=p["number"], topic=p["topic"],
            question=p["question"], summary=p["summary"],
            points=tuple(Point(title=pt["title"], explanation=pt["explanation"],
                               example=pt["example"], tags=tuple(pt["tags"]),
                               where=Where(**pt["where"])) for pt in p["points"]),
            occurrences=tuple(Occurrence(**_without_plain(o)) for o in p["occurrences"]),
            tags=tuple(p.get("tags", ())),
        ) for p in data["problems"]),
        tags=tuple(_tag_from_dict(t) for t in data["tags"]),
    )


def _tag_from_dict(t: dict[str, Any]) -> Tag:
    """A tag of corpus.json; one of schema 1 (no kinds yet) gets them from its label."""
    if "kind" in t:
        kind, family, technology = t["kind"], t.get("family"), t.get("technology")
    else:
        from ..tags.kinds import classify_label

        found = classify_label(t["label"])
        kind, family, technology = found.kind, found.family, found.technology
    return Tag(id=t["id"], label=t["label"], forms=tuple(t["forms"]), count=t["count"],
               kind=kind, family=family, technology=technology)


def load_corpus(path: Path) -> Corpus:
    """Read and validate a corpus.json; bad files raise DrillbookError naming the file."""
    import jsonschema

    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise DrillbookError("corpus not found (run 'drillbook build' first)", str(path)) from None
    except OSError as exc:
        raise DrillbookError(f"cannot read corpus: {exc.strerror or exc}", str(path)) from None
    except UnicodeDecodeError:
        raise DrillbookError("corpus is not UTF-8 JSON", str(path)) from None
    except json.JSONDecodeError as exc:
        raise DrillbookError(f"invalid JSON: {exc.msg}", str(path), exc.lineno) from None
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version not in READABLE_SCHEMA_VERSIONS:
        *rest, last = [repr(v) for v in READABLE_SCHEMA_VERSIONS]
        readable = f"{', '.join(rest)} and {last}" if rest else last
        raise DrillbookError(f"corpus schema_version {version!r} is not supported "
                             f"(this drillbook reads {readable}); rebuild it", str(path))
    try:
        jsonschema.validate(data, corpus_schema())
    except jsonschema.ValidationError as exc:
        at = "/".join(str(part) for part in exc.absolute_path) or "(root)"
        raise DrillbookError(f"corpus does not match its schema at {at}: {exc.message}",
                             str(path)) from None
    return corpus_from_dict(data)


def emit(corpus: Corpus, ctx: EmitContext) -> Emitted:
    """The corpus output: corpus.json and, beside it for frontends, its JSON Schema."""
    return Emitted("corpus", {"corpus.json": corpus_json_bytes(corpus),
                              "corpus.schema.json": dumps_json(corpus_schema())})
