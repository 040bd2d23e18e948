"""report.html: the curator's review page, rendered from the same data as report.json.

One self-contained file (inline CSS, no scripts, no external assets, no file:// links)
so it reads the same offline. Python shapes the data into a view; the template
(``templates/report/report.html``, overridable) only lays it out. Optional sections
(overrides, ids, tags, quiz) are None when report.json does not hold them and the page
says "not available".
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Mapping, Sequence

import jinja2

from ..inline import render_html
from ..templating import render

TEMPLATE = "report/report.html"
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
# Confidence bands for split tag rows, least sure first (the tags stage calls < 0.5 doubtful).
CONFIDENCE_BANDS = (("doubtful", 0.0, 0.5), ("unsure", 0.5, 0.8), ("confident", 0.8, 1.01))


def location(where: Mapping[str, Any] | None, paths: Mapping[str, str]) -> str:
    """"path:line" (or "path, page N") for a where-dict; "" when there is none."""
    if not where:
        return ""
    source = where.get("source") or ""
    text = paths.get(source, source)
    if where.get("line") is not None:
        text += f":{where['line']}"
    if where.get("page") is not None:
        text += f", page {where['page']}"
    return text


def _source_paths(report: Mapping[str, Any]) -> dict[str, str]:
    sources = report.get("sources")
    paths: dict[str, str] = {}
    if isinstance(sources, list):
        for s in sources:
            if isinstance(s, dict) and "id" in s:
                paths[s["id"]] = s["path"] if "path" in s else s["id"]
    return paths


def _diagnostic_groups(diagnostics: Sequence[Mapping[str, Any]],
                       paths: Mapping[str, str]) -> list[dict[str, Any]]:
    """Diagnostics grouped by kind (code): most severe kinds first, then by name."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for number, d in enumerate(diagnostics, 1):
        groups[d.get("code") or "other"].append({
            "anchor": f"diag-{number}", "severity": d.get("severity", "info"),
            "message": d.get("message", ""), "location": location(d.get("where"), paths)})
    ordered = []
    for code, items in groups.items():
        worst = min(SEVERITY_ORDER.get(i["severity"], 3) for i in items)
        ordered.append((worst, code, items))
    ordered.sort(key=lambda g: (g[0], g[1]))
    return [{"code": code, "anchor": f"kind-{code}", "items": items,
             # every group has at least one item (groups are made by appending one)
             "severity": min((i["severity"] for i in items),
                             key=lambda s: SEVERITY_ORDER.get(s, 3))}
            for _, code, items in ordered]


def _variant(occurrence: Mapping[str, Any], paths: Mapping[str, str]) -> dict[str, Any]:
    return {"title": occurrence.get("title", ""), "number": occurrence.get("number"),
            "topic": occurrence.get("topic", ""), "location": location(occurrence, paths)}


def _pair(pair: Mapping[str, Any], paths: Mapping[str, str]) -> dict[str, Any]:
    return {"a": _variant(pair["a"], paths), "b": _variant(pair["b"], paths),
            "title_score": pair.get("title_score"), "body_score": pair.get("body_score"),
            "merged": pair.get("merged", False)}


def _problem_of(report: Mapping[str, Any]) -> dict[tuple[Any, ...], str]:
    """Each merged copy -> the problem it was merged into."""
    found: dict[tuple[Any, ...], str] = {}
    for merge in report.get("merges") or []:
        for o in merge.get("occurrences") or []:
            found[_copy_key(o)] = merge.get("problem", "")
    return found


def _copy_key(o: Mapping[str, Any]) -> tuple[Any, ...]:
    # A PDF copy has only a page, and a page may hold several problems: the printed title
    # and number tell them apart.
    return tuple(o.get(k) for k in ("source", "line", "page", "number", "title", "topic"))


def _near_misses(report: Mapping[str, Any], paths: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each near-missing pair of problems once (dedupe scores every pair of their copies):
    the closest pair of copies, and how many pairs of copies scored like it."""
    problem_of = _problem_of(report)

    def identity(o: Mapping[str, Any]) -> Any:
        return problem_of.get(_copy_key(o), _copy_key(o))

    grouped: dict[frozenset[Any], list[Mapping[str, Any]]] = {}
    for pair in report.get("near_misses") or []:
        key = frozenset((repr(identity(pair["a"])), repr(identity(pair["b"]))))
        grouped.setdefault(key, []).append(pair)
    shown = []
    for pairs in grouped.values():
        closest = max(pairs, key=lambda p: (p.get("title_score") or 0, p.get("body_score") or 0))
        shown.append(dict(_pair(closest, paths), copies=len(pairs)))
    return shown


def _merges(report: Mapping[str, Any], paths: Mapping[str, str]) -> list[dict[str, Any]]:
    merges = []
    for merge in report.get("merges") or []:
        kept = merge.get("kept") or {}
        variants = [dict(_variant(o, paths), kept=(o.get("source"), o.get("line"), o.get("page"))
                         == (kept.get("source"), kept.get("line"), kept.get("page")))
                    for o in merge.get("occurrences") or []]
        problem = merge.get("problem", "")
        merges.append({"problem": problem, "anchor": f"merge-{problem}",
                       "reason": merge.get("reason", ""), "variants": variants,
                       "pairs": [_pair(p, paths) for p in merge.get("pairs") or []]})
    return merges


def _tags(section: Any, paths: Mapping[str, str]) -> dict[str, Any] | None:
    if not isinstance(section, dict):
        return None
    splits = sorted(section.get("splits") or [], key=lambda s: (s.get("confidence", 0),
                                                                s.get("text", "")))
    bands = []
    for name, low, high in CONFIDENCE_BANDS:
        rows = [{"text": s.get("text", ""), "parts": s.get("parts") or [],
                 "confidence": s.get("confidence"), "reason": s.get("reason", ""),
                 "runner_up": s.get("runner_up"), "problem": s.get("problem", ""),
                 "location": location(s.get("where"), paths)}
                for s in splits if low <= (s.get("confidence") or 0) < high]
        bands.append({"name": name, "low": low, "high": min(high, 1.0), "rows": rows})
    stats = section.get("stats") or {}
    return {"stats": [(words(k), _compact(v)) for k, v in sorted(stats.items())]
            if isinstance(stats, dict) else [],
            "bands": bands, "total": len(splits), "kinds": _kinds(section.get("kinds"))}


def _kinds(section: Any) -> dict[str, Any] | None:
    """Tags per kind and family, and the unknowns, as tags.kinds holds them."""
    if not isinstance(section, dict) or not section:
        return None
    per_kind = section.get("tags_per_kind") or {}
    per_family = section.get("tags_per_family") or {}
    unknown = [u for u in section.get("unknown") or [] if isinstance(u, dict)]
    return {"per_kind": list(per_kind.items()) if isinstance(per_kind, dict) else [],
            "per_family": list(per_family.items()) if isinstance(per_family, dict) else [],
            "unknown": [{"label": u.get("label", ""), "kind": u.get("kind", ""),
                         "count": u.get("count"), "reason": u.get("reason", ""),
                         "candidates": u.get("candidates") or []} for u in unknown]}


def _rejected(value: Any) -> list[dict[str, str]]:
    """The items a check rejected: what was asked, and each check's reason."""
    rows = []
    for entry in value if isinstance(value, list) else []:
        if not isinstance(entry, dict):
            continue
        failed = entry.get("failed") or {}
        rows.append({"kind": str(entry.get("kind", "")), "point": str(entry.get("point", "")),
                     "key": str(entry.get("key", "")),
                     "attempt": str(entry.get("attempt", "")),
                     "reasons": "; ".join(f"{words(k)}: {v}" for k, v in failed.items())
                     if isinstance(failed, dict) else str(failed)})
    return rows


def _quiz_one(checks: Mapping[str, Any]) -> dict[str, Any]:
    """One quiz's checks: rate rows, the rejected items, and every other plain value as a
    fact."""
    rates, facts = [], []
    rejected = _rejected(checks.get("rejected"))
    for name, value in checks.items():
        if name == "rejected":
            continue
        if isinstance(value, dict) and "rate" in value:
            rates.append({"name": name, "rate": value.get("rate"), "target": value.get("target"),
                          "caught": value.get("caught"), "meaning": value.get("meaning", ""),
                          "ok": value.get("rate") is None or value.get("target") is None
                          or value["rate"] >= value["target"]})
        elif name == "key_not_longest_cue" and isinstance(value, dict):
            rates.append({"name": "key longest option", "rate": value.get("key_longest_rate"),
                          "target": value.get("max"), "caught": None,
                          "meaning": "share of items whose key is the strictly longest option "
                                     "(at most the target)", "ok": value.get("ok", True)})
        else:
            facts.append((words(name), _fact(name, value)))
    return {"rates": rates, "facts": facts, "rejected": rejected}


def words(name: object) -> str:
    """A report key as words: "problem_headings" -> "problem headings"."""
    return str(name).replace("_", " ")


def _percent(value: Any) -> str:
    return f"{value:.0%}" if isinstance(value, (int, float)) else "–"


def _fact(name: str, value: Any) -> str:
    """One quiz figure as a sentence-like line, not as a dictionary."""
    if name == "kinds" and isinstance(value, dict):
        return ", ".join(f"{n} {kind}" for kind, n in value.items()) or "none"
    if name == "skipped_kinds" and isinstance(value, dict):
        return "; ".join(f"{kind}: {why}" for kind, why in value.items()) or "none"
    if name == "key_positions" and isinstance(value, dict):
        lines = []
        for version, data in value.items():
            letters = ", ".join(f"{letter} {n}"
                                for letter, n in (data.get("letters") or {}).items())
            lines.append(f"version {version}: keys on {letters}; "
                         f"{'balanced' if data.get('balanced') else 'NOT balanced'}; the longest "
                         f"run of one letter is {data.get('longest_run')}")
        return " · ".join(lines) or "none"
    if name == "cue_solver" and isinstance(value, dict):
        kinds = value.get("per_kind") or {}
        cues = value.get("answered_by") or {}
        return (f"{_percent(value.get('accuracy'))} of items answered from cues alone "
                f"(chance {_percent(value.get('chance'))}, target at most "
                f"{_percent(value.get('max'))}); per kind: "
                + (", ".join(f"{kind} {_percent(rate)}" for kind, rate in kinds.items())
                   or "none")
                + "; answered by: " + (", ".join(f"{cue} {n}" for cue, n in cues.items())
                                       or "none"))
    if name == "declined" and isinstance(value, dict):
        return " · ".join(
            f"{kind}: " + "; ".join(f"{n} {why}" for why, n in reasons.items())
            for kind, reasons in value.items() if isinstance(reasons, dict)) or "none"
    if name == "version_changes" and isinstance(value, list):
        return " · ".join(
            f"{change.get('versions', '').replace('->', ' to ')}: "
            f"{_percent(change.get('key_letter_changed_rate'))} of keys on another letter, "
            "items " + ("in another order" if change.get("item_order_changed")
                        else "in the same order")
            for change in value if isinstance(change, dict)) or "none"
    return _compact(value)


def _compact(value: Any, nested: bool = False) -> str:
    """Other nested report data as one readable line: "a b: 1, c: (d: 2)"."""
    if isinstance(value, dict):
        text = ", ".join(f"{words(k)}: {_compact(v, True)}" for k, v in value.items()) or "none"
        return f"({text})" if nested and value else text
    if isinstance(value, list):
        return "; ".join(_compact(v, True) for v in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "–" if value is None else str(value)


def _quiz(section: Any) -> list[dict[str, Any]] | None:
    """Quizzes as [{name, rates, facts}]: one quiz's checks, a {name, checks} record, or a
    list of such records."""
    records = section if isinstance(section, list) else [section]
    quizzes = []
    for record in records:
        if not isinstance(record, dict) or not record:
            continue
        if isinstance(record.get("checks"), dict):
            quizzes.append(dict(_quiz_one(record["checks"]), name=str(record.get("name", "quiz"))))
        elif "items" in record:
            quizzes.append(dict(_quiz_one(record), name="quiz"))
    return quizzes or None


def report_view(report: Mapping[str, Any]) -> dict[str, Any]:
    """The template's context: report.json data shaped for reading, nothing recomputed."""
    paths = _source_paths(report)
    summary = report.get("summary") or {}
    overrides = report.get("overrides")
    ids = report.get("ids")
    return {
        "report_version": report.get("report_version", ""),
        "summary": [(words(k), v) for k, v in summary.items() if not isinstance(v, dict)],
        "severities": (summary.get("diagnostics") or {}),
        "sources": [{"id": i, "path": p} for i, p in paths.items()],
        "diagnostic_groups": _diagnostic_groups(report.get("diagnostics") or [], paths),
        "diagnostic_count": len(report.get("diagnostics") or []),
        "merges": _merges(report, paths),
        "near_misses": _near_misses(report, paths),
        "thresholds": report.get("thresholds"),
        "toc": report.get("toc") or [],
        "overrides": overrides if isinstance(overrides, dict) else None,
        "ids": ids if isinstance(ids, dict) else None,
        "tags": _tags(report.get("tags"), paths),
        "quizzes": _quiz(report.get("quiz")),
    }


def report_environment(env: jinja2.Environment) -> jinja2.Environment:
    """An overlay of the caller's environment with the ``inline`` filter: the book's text
    (titles, tag rows) as HTML, code as ``<code>``, math as MathML (browsers lay it out)."""
    overlay = env.overlay()
    # An overlay shares its parent's filters dict: copy it, or every overlay (and the
    # caller's environment) would see the last filters set.
    overlay.filters = dict(env.filters)
    overlay.filters["inline"] = lambda text: render_html(str(text), math="mathml")
    return overlay


def report_html(report: Mapping[str, Any], env: jinja2.Environment) -> bytes:
    """Render report.json data as one self-contained, escaped HTML page."""
    return render(report_environment(env), TEMPLATE, **report_view(report)).encode("utf-8")
