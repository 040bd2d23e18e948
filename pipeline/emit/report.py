"""report.json: every diagnostic, every merge with its scores, the TOC against the finds."""
from __future__ import annotations

from collections import Counter
from typing import Any

from ..models import Diagnostic, Where
from .corpus_json import where_to_dict

REPORT_VERSION = "1"


def _where(where: Where | None) -> dict[str, Any] | None:
    return None if where is None else where_to_dict(where)


def diagnostic_dict(d: Diagnostic) -> dict[str, Any]:
    return {"severity": d.severity, "code": d.code, "message": d.message, "where": _where(d.where)}


def report_data(build: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report as JSON data; ``build`` is a ``pipeline.build.CorpusBuild``."""
    corpus = build.corpus
    severities = Counter(d.severity for d in build.diagnostics)
    codes = Counter(d.code for d in build.diagnostics)
    data: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "summary": {
            "sources": len(corpus.sources),
            "topics": len(corpus.topics),
            "problem_headings": build.headings,
            "distinct_problems": len(corpus.problems),
            "points": sum(len(p.points) for p in corpus.problems),
            "merges": len(build.dedupe.merges),
            "tags": len(corpus.tags),
            "diagnostics": {s: severities.get(s, 0) for s in ("error", "warning", "info")},
            "diagnostic_codes": dict(sorted(codes.items())),
        },
        "sources": [{"id": s.id, "path": s.path, "format": s.format} for s in corpus.sources],
        "toc": build.toc,
        **build.dedupe.report_section(),  # "merges", "near_misses"
        "diagnostics": [diagnostic_dict(d) for d in build.diagnostics],
    }
    data.update(build.extra)
    if extra:
        data.update(extra)
    return data
