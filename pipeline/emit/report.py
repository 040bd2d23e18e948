"""report.json and report.html: what the build decided and what every output noticed.

``emit_report(corpus, ctx, stages, outputs)`` takes the other outputs' results, so the
build can only run it after them: the report sees every diagnostic and every section.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import Any, Sequence

from ..models import Corpus, Diagnostic, Where
from .base import EmitContext, Emitted
from .corpus_json import dumps_json, where_to_dict

REPORT_VERSION = "1"


def _where(where: Where | None) -> dict[str, Any] | None:
    return None if where is None else where_to_dict(where)


def diagnostic_dict(d: Diagnostic) -> dict[str, Any]:
    return {"severity": d.severity, "code": d.code, "message": d.message, "where": _where(d.where)}


def report_data(stages: Any, outputs: Sequence[Emitted] = (),
                extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report as JSON data; ``stages`` is a ``pipeline.build.CorpusBuild``."""
    corpus = stages.corpus
    diagnostics = [*stages.diagnostics, *(d for out in outputs for d in out.diagnostics)]
    severities = Counter(d.severity for d in diagnostics)
    codes = Counter(d.code for d in diagnostics)
    data: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "summary": {
            "sources": len(corpus.sources),
            "topics": len(corpus.topics),
            "problem_headings": stages.headings,
            "distinct_problems": len(corpus.problems),
            "points": sum(len(p.points) for p in corpus.problems),
            "merges": len(stages.dedupe.merges),
            "tags": len(corpus.tags),
            "diagnostics": {s: severities.get(s, 0) for s in ("error", "warning", "info")},
            "diagnostic_codes": dict(sorted(codes.items())),
        },
        "sources": [{"id": s.id, "path": s.path, "format": s.format} for s in corpus.sources],
        "toc": stages.toc,
        **stages.dedupe.report_section(),  # "merges", "near_misses"
        "diagnostics": [diagnostic_dict(d) for d in diagnostics],
    }
    data.update(stages.sections)
    for out in outputs:
        data.update(out.report)
    if extra:
        data.update(extra)
    return data


def emit_report(corpus: Corpus, ctx: EmitContext, stages: Any,
                outputs: Sequence[Emitted]) -> Emitted:
    """report.json and report.html over the stages' results and every output's."""
    from .report_html import report_html

    report = report_data(stages, outputs, {"thresholds": asdict(ctx.settings.dedupe)})
    return Emitted("report", {"report.json": dumps_json(report),
                              "report.html": report_html(report, ctx.env)})
