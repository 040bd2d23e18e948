"""The tags stage: split joined rows, fold every spelling into one tag, give tags ids."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence

from ..models import Corpus, Diagnostic, Point, RawTag, Tag, Where
from .aliases import TagAliases
from .cache import TagCache
from .context import EMPTY as EMPTY_CONTEXT, row_contexts
from .kinds import assign_kinds, kind_summary
from .lemmas import lemmatizer_id, spacy_lemmas
from .normalize import Casing, choose_label, fold_key, slug_of, words_to_lemmatize
from .split import RowSplit, split_row
from .vocabulary import Vocabulary, build_vocabulary
from .words import clean_tag_text, match_key

LOW_CONFIDENCE = 0.5  # splits below this are counted as doubtful in the diagnostics


@dataclass(frozen=True, slots=True)
class Split(RowSplit):
    """A row's split (see RowSplit) and where in the corpus the row was printed."""

    # Keyword-only, so it can be required after RowSplit's defaulted runner_up.
    where: Where = field(kw_only=True)
    problem: str = ""


@dataclass
class TagResult:
    """The tagged corpus, every split of a joined row (least sure first), and notes."""

    corpus: Corpus
    splits: tuple[Split, ...]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    kinds: dict[str, Any] = field(default_factory=dict)

    def report_section(self) -> dict[str, Any]:
        """JSON-ready data for report.json's "tags" section."""
        return {"tags": {
            "stats": self.stats,
            "kinds": self.kinds,
            "splits": [{"text": s.text, "parts": list(s.parts), "confidence": s.confidence,
                        "reason": s.reason, "runner_up": list(s.runner_up or []) or None,
                        "problem": s.problem,
                        "where": {"source": s.where.source, "line": s.where.line,
                                  "page": s.where.page}} for s in self.splits]}}


def _lemmas(words: set[str], cache: TagCache | None) -> tuple[dict[str, str], int]:
    """Lemmas of ``words``, from the cache where possible; spaCy loads only on a miss."""
    found: dict[str, str] = {}
    missing: set[str] = set()
    for word in words:
        cached = cache.get(word) if cache is not None else None
        if cached is None:
            missing.add(word)
        else:
            found[word] = cached
    if missing:
        fresh = spacy_lemmas(missing)
        found.update(fresh)
        if cache is not None:
            for word, lemma in fresh.items():
                cache.put(word, lemma)
            cache.save()
    return found, len(missing)


def _parts_of(raw: RawTag, rows: dict[str, RowSplit]) -> tuple[str, ...]:
    if raw.layout == "joined":
        return rows[raw.text].parts
    cleaned = clean_tag_text(raw.text)
    return (cleaned,) if cleaned else ()


@dataclass
class JoinedRows:
    """Every joined row of a corpus split, and what the splitter learned to split them."""

    vocab: Vocabulary
    rows: dict[str, RowSplit]  # the row as printed -> its split
    printed_rows: tuple[str, ...]  # the joined rows the corpus and its copies print


def split_joined_rows(corpus: Corpus, evidence: Sequence[RawTag], aliases: TagAliases,
                      extra_rows: Sequence[str] = ()) -> JoinedRows:
    """Split every joined row of ``corpus`` and ``evidence`` (and ``extra_rows``, say rows
    split by hand to score the splitter on) as the tags stage does."""
    vocab = build_vocabulary(corpus, evidence, aliases.user_phrases(), aliases.products)
    slots = [t for p in corpus.problems for pt in p.points for t in pt.raw_tags]
    printed = sorted({raw.text for raw in list(slots) + list(evidence) if raw.layout == "joined"})
    contexts = row_contexts(corpus)
    texts = sorted(set(printed) | set(extra_rows))
    splits = _split_rows(texts, vocab, aliases.splits, contexts)
    return JoinedRows(vocab=vocab, rows=dict(zip(texts, splits)), printed_rows=tuple(printed))


# A corpus with at least this many joined rows splits the second half of them in a forked
# process while this one splits the first (each row is split on its own): the real book's
# 822 rows take about 0.4 s, and no other work can run until the tags are done.
PARALLEL_ROWS = 300


def _split_rows(texts: Sequence[str], vocab: Vocabulary, pinned: Mapping[str, Any],
                contexts: Mapping[str, Any]) -> list[RowSplit]:
    """``split_row`` of every text, in order: the same splits wherever they are made."""
    from ..parallel import run_groups

    def split(text: str) -> RowSplit:
        return split_row(text, vocab, pinned, contexts.get(match_key(text), EMPTY_CONTEXT))

    half = len(texts) // 2
    later, first = run_groups([texts[half:], texts[:half]], split,
                              parallel=len(texts) >= PARALLEL_ROWS, name="drillbook-tags")
    return first + later


def normalize_tags(corpus: Corpus, evidence: Sequence[RawTag], aliases: TagAliases,
                   cache: TagCache | None = None) -> TagResult:
    """Split joined tag rows and normalize every tag of ``corpus``.

    ``evidence`` holds the raw tags of every copy of every problem (before dedupe kept
    one); they teach the splitter but only the corpus's own points get tags.
    """
    diagnostics: list[Diagnostic] = []
    slots = [t for p in corpus.problems for pt in p.points for t in pt.raw_tags]
    joined = split_joined_rows(corpus, evidence, aliases)
    vocab, rows = joined.vocab, joined.rows

    casing = Casing(vocab, aliases.products)
    forms = {part for raw in list(slots) + list(evidence) for part in _parts_of(raw, rows)}
    forms |= set(aliases.aliases) | set(aliases.aliases.values())
    forms |= set(aliases.kinds) | set(aliases.families)
    needed = set().union(*(words_to_lemmatize(f, casing) for f in forms)) if forms else set()
    lemmas, fresh = _lemmas(needed, cache)

    canonical: dict[str, str] = {}  # slug of a variant -> canonical label
    for variant, label in aliases.aliases.items():
        canonical[slug_of(fold_key(variant, casing, lemmas))] = label
        canonical.setdefault(slug_of(fold_key(label, casing, lemmas)), label)

    tag_ids: dict[str, str] = {}

    def tag_of(form: str) -> str:
        if form not in tag_ids:
            slug = slug_of(fold_key(form, casing, lemmas))
            label = canonical.get(slug)
            tag_ids[form] = slug_of(fold_key(label, casing, lemmas)) if label else slug
        return tag_ids[form]

    seen_forms: dict[str, Counter] = defaultdict(Counter)
    for raw in evidence:
        for part in _parts_of(raw, rows):
            seen_forms[tag_of(part)][part] += 1

    problems = []
    counts: Counter = Counter()
    splits: list[Split] = []
    for problem in corpus.problems:
        points: list[Point] = []
        for point in problem.points:
            ids: list[str] = []
            for raw in point.raw_tags:
                parts = _parts_of(raw, rows)
                if not parts:
                    diagnostics.append(Diagnostic("warning", "tag-empty",
                                                  f"tag {raw.text!r} is empty once markup is "
                                                  "stripped", point.where))
                if raw.layout == "joined" and parts:
                    row = rows[raw.text]
                    splits.append(Split(row.text, row.parts, row.confidence, row.reason,
                                        row.runner_up, where=point.where, problem=problem.id))
                for part in parts:
                    key = tag_of(part)
                    if part not in seen_forms[key]:  # evidence normally holds it already
                        seen_forms[key][part] += 1
                    if key not in ids:
                        ids.append(key)
            counts.update(ids)
            points.append(replace(point, tags=tuple(ids)))
        union = tuple(sorted({t for p in points for t in p.tags}))
        problems.append(replace(problem, points=tuple(points), tags=union))

    labels_by_slug = {slug_of(fold_key(label, casing, lemmas)): label
                      for label in canonical.values()}
    tags = tuple(Tag(id=slug,
                     label=labels_by_slug.get(slug) or choose_label(seen_forms[slug] or
                                                                    Counter({slug: 1}),
                                                                    casing, lemmas),
                     forms=tuple(sorted(seen_forms[slug])), count=counts[slug])
                 for slug in sorted(counts))
    tags, kind_section, kind_notes = _with_kinds(tags, problems, aliases, tag_of)
    diagnostics.extend(kind_notes)
    splits.sort(key=lambda s: (s.confidence, s.where.source, s.where.line or 0,
                               s.where.page or 0, s.text))
    diagnostics.extend(_alias_notes(aliases, rows, seen_forms, casing, lemmas))
    doubtful = sum(1 for s in splits if s.confidence < LOW_CONFIDENCE)
    if splits:
        diagnostics.append(Diagnostic(
            "info", "tag-splits",
            f"{len(splits)} space-joined tag rows read, {sum(len(s.parts) > 1 for s in splits)} "
            f"split; {doubtful} below confidence {LOW_CONFIDENCE} (listed first in the "
            "report's tags.splits)"))
    stats = {"tags": len(tags), "joined_rows": len(splits),
             "split_rows": sum(len(s.parts) > 1 for s in splits), "doubtful_rows": doubtful,
             "lemmatizer": lemmatizer_id(), "lemmas_computed": fresh,
             "lemmas_cached": len(needed) - fresh}
    corpus = replace(corpus, problems=tuple(problems), tags=tags)
    return TagResult(corpus=corpus, splits=tuple(splits), diagnostics=diagnostics, stats=stats,
                     kinds=kind_section)


def _with_kinds(tags: tuple[Tag, ...], problems: list, aliases: TagAliases,
                tag_of) -> tuple[tuple[Tag, ...], dict[str, Any], list[Diagnostic]]:
    """Each tag with its kind, family and technology; the report's summary; notes on the
    curator's choices that matched no tag."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for problem in problems:
        for point in problem.points:
            for tag in point.tags:
                neighbours[tag].update(point.tags)
    present = {t.id for t in tags}
    where = Where(source=aliases.path) if aliases.path else None
    notes = []
    chosen_by_id: dict[str, dict[str, str]] = {}
    for table, values in (("kinds", aliases.kinds), ("families", aliases.families)):
        chosen_by_id[table] = {}
        for written, value in sorted(values.items()):
            tag = tag_of(written)
            if tag in present:
                chosen_by_id[table][tag] = value
            else:
                notes.append(Diagnostic("info", "tag-kind-unused",
                                        f"[{table}] {written!r} = {value!r} matched no tag",
                                        where))
    choices = assign_kinds({t.id: t.label for t in tags}, {t.id: t.forms for t in tags},
                           neighbours, chosen_by_id["kinds"], chosen_by_id["families"])
    result = tuple(replace(t, label=choices[t.id].label or t.label, kind=choices[t.id].kind.kind,
                           family=choices[t.id].kind.family,
                           technology=choices[t.id].kind.technology) for t in tags)
    return result, kind_summary(result, choices), notes


def _alias_notes(aliases: TagAliases, rows: dict[str, RowSplit], seen: dict[str, Counter],
                 casing: Casing, lemmas: dict[str, str]) -> list[Diagnostic]:
    """Note aliases and pins that matched nothing: usually a typo in tags.toml."""
    notes = []
    where = Where(source=aliases.path) if aliases.path else None
    printed = {slug_of(fold_key(form, casing, lemmas)) for forms in seen.values() for form in forms}
    for variant in sorted(aliases.aliases):
        if slug_of(fold_key(variant, casing, lemmas)) not in printed:
            notes.append(Diagnostic("info", "tag-alias-unused",
                                    f"alias {variant!r} -> {aliases.aliases[variant]!r} "
                                    "matched no tag", where))
    row_keys = {match_key(text) for text in rows}
    for key, parts in sorted(aliases.splits.items()):
        if key not in row_keys:
            notes.append(Diagnostic("info", "tag-pin-unused",
                                    f"pinned split {' | '.join(parts)!r} matched no tag row",
                                    where))
    return notes
