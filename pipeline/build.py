"""The build: sources -> readers -> segment -> dedupe -> tags -> Corpus -> emitters.

This module wires the stages together; each stage stays a pure function of its records.
Only here are files found and read (through the readers) and outputs written.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .cache import hash_parts
from .config import Config
from .errors import DrillbookError, NotEnoughMaterial
from .incremental import BuildCache, code_hash, hash_folder
from .models import Corpus, Diagnostic, Line, Problem, Source, Topic
from .readers import ReadOptions, ReadResult, reader_for, source_for, supported_extensions
from .segment import SegmentedSource, segment
from .templating import make_environment

if TYPE_CHECKING:
    from .dedupe import DedupeResult
    from .overrides import Overrides

# The later stages (overrides, dedupe with numpy and rapidfuzz, continuity) are imported
# inside the functions that run them: an up-to-date build never needs them.

# Files in a source folder that are documentation or settings, never a book.
NOT_BOOKS = ("readme", "license", "changelog")


@dataclass(frozen=True)
class SourceInput:
    """A file to read and the path to show for it (relative where possible)."""

    path: Path
    display: str


def find_source_files(paths: Sequence[Path]) -> list[SourceInput]:
    """The files to read: given files as they are, folders scanned for supported files."""
    found: list[SourceInput] = []
    for path in paths:
        if not path.exists():
            raise DrillbookError("no such file or folder", str(path))
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file()
                           and reader_for(p) is not None
                           and not p.name.startswith(".")
                           and not p.stem.lower().startswith(NOT_BOOKS)
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not files:
                raise DrillbookError("folder holds nothing to read (expected "
                                     f"{', '.join(supported_extensions())} files)", str(path))
            found.extend(SourceInput(f, str(f)) for f in files)
        else:
            if reader_for(path) is None:
                raise DrillbookError(f"unsupported file type {path.suffix or '(none)'!r}; "
                                     f"expected one of {', '.join(supported_extensions())}",
                                     str(path))
            found.append(SourceInput(path, str(path)))
    # The same file named twice (or through a folder and directly) is read once.
    unique: dict[Path, SourceInput] = {}
    for item in found:
        unique.setdefault(item.path.resolve(), item)
    return list(unique.values())


def identify_sources(inputs: Sequence[SourceInput]) -> list[tuple[SourceInput, Source]]:
    """Each input with its Source record; inputs with identical content are kept once."""
    result: list[tuple[SourceInput, Source]] = []
    seen: set[str] = set()
    for item in inputs:
        source = source_for(item.path, item.display)
        if source.sha256 not in seen:
            seen.add(source.sha256)
            result.append((item, source))
    return result


def read_lines(item: SourceInput, source: Source, cache: BuildCache | None = None,
               progress: bool = False) -> ReadResult:
    """Read one input through its reader (slow readers keep their lines in the cache)."""
    reader = reader_for(item.path)
    assert reader is not None
    options = ReadOptions(item.display,
                          cache.root if cache is not None and cache.enabled else None, progress)
    result = reader.read(item.path, source.id, options)
    if not any(line.text.strip() for line in result.lines):
        raise DrillbookError("file has no text", item.display)
    return result


def segment_source(item: SourceInput, source: Source, cache: BuildCache | None,
                   progress: bool = False) -> tuple[SegmentedSource, list[Diagnostic]]:
    """Read and segment one source, or take both from the cache when nothing changed."""
    reader = reader_for(item.path)
    assert reader is not None
    key = hash_parts(["segment", source.sha256, source.id, reader.version, code_hash()])
    cached = cache.load(key, tuple[SegmentedSource, list[Diagnostic]]) if cache else None
    if cached is not None:
        return cached
    read = read_lines(item, source, cache, progress)
    segmented, notes = segment(read.lines)
    notes = [*read.diagnostics, *notes]
    errors = [d for d in notes if d.severity == "error"]
    if errors:
        first = errors[0]
        raise DrillbookError(first.message, source.path,
                             first.where.line if first.where else None,
                             first.where.page if first.where else None)
    if cache:
        cache.store(key, (segmented, notes))
    return segmented, notes


@dataclass
class CorpusBuild:
    """A built corpus and everything the report needs to explain it."""

    corpus: Corpus
    diagnostics: list[Diagnostic]
    dedupe: DedupeResult
    headings: int  # problem headings found in all sources
    toc: list[dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict)  # per-stage report sections


def merge_topics(per_source: Sequence[Sequence[Topic]]) -> list[Topic]:
    """One topic list over all sources: first source's order, new topics appended."""
    merged: dict[str, Topic] = {}
    for topics in per_source:
        for topic in topics:
            if topic.id not in merged:
                merged[topic.id] = replace(topic, order=len(merged) + 1)
    return list(merged.values())


def toc_comparison(topics: Sequence[Topic], headings: Sequence[Problem],
                   problems: Sequence[Problem]) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
    """The table of contents' declared counts next to what was found."""
    rows: list[dict[str, Any]] = []
    diagnostics: list[Diagnostic] = []
    for topic in topics:
        found_headings = sum(1 for p in headings if p.topic == topic.id)
        distinct = sum(1 for p in problems if p.topic == topic.id)
        rows.append({"topic": topic.id, "title": topic.title, "order": topic.order,
                     "declared": topic.declared_problems, "headings": found_headings,
                     "distinct": distinct,
                     "matches": topic.declared_problems in (None, distinct)})
        if topic.declared_problems is not None and topic.declared_problems != distinct:
            diagnostics.append(Diagnostic(
                "info", "toc-count",
                f"topic {topic.title!r}: the table of contents declares "
                f"{topic.declared_problems} problems; the section holds {found_headings} "
                f"headings, {distinct} distinct", None))
        if distinct == 0:
            diagnostics.append(Diagnostic("warning", "empty-topic",
                                          f"topic {topic.title!r} has no problems", None))
    return rows, diagnostics


def build_corpus(inputs: Sequence[SourceInput], config: Config,
                 cache: BuildCache | None = None, overrides: Overrides | None = None,
                 previous: Corpus | None = None, progress: bool = False) -> CorpusBuild:
    """Read, segment, apply the curator's overrides and dedupe every source into one corpus.

    ``previous`` (the last build's corpus) lets overrides name problems by their old ids.
    """
    from .dedupe import merge_repeats
    from .overrides import Overrides, apply_overrides, settle_overrides

    sources = identify_sources(inputs)
    diagnostics: list[Diagnostic] = []
    topic_lists: list[Sequence[Topic]] = []
    drafts: list[Problem] = []
    for item, source in sources:
        segmented, notes = segment_source(item, source, cache, progress)
        diagnostics.extend(notes)
        topic_lists.append(segmented.topics)
        drafts.extend(segmented.problems)
    topics = merge_topics(topic_lists)
    if any(p.topic == "unsorted" for p in drafts):
        topics.append(Topic(id="unsorted", title="Unsorted", order=len(topics) + 1))
    applied = apply_overrides(drafts, topics, overrides or Overrides(), previous=previous,
                              config=config.dedupe)
    diagnostics.extend(applied.diagnostics)
    deduped = merge_repeats(applied.drafts, config.dedupe, applied.forced_same,
                            applied.forced_apart)
    diagnostics.extend(deduped.diagnostics)
    settled, settle_notes = settle_overrides(deduped.problems, applied)
    diagnostics.extend(settle_notes)
    order = {topic.id: topic.order for topic in topics}
    problems = sorted(settled, key=lambda p: order.get(p.topic, 10**6))
    corpus = Corpus(sources=tuple(source for _, source in sources), topics=tuple(topics),
                    problems=tuple(problems))
    toc, toc_notes = toc_comparison(topics, drafts, problems)  # headings as printed
    diagnostics.extend(toc_notes)
    build = CorpusBuild(corpus=corpus, diagnostics=diagnostics, dedupe=deduped,
                        headings=len(drafts), toc=toc)
    if overrides is not None and overrides.path is not None:
        build.extra.update(applied.report_section())
    return build


def corpus_outputs(build: CorpusBuild, config: Config, env: Any) -> dict[str, bytes]:
    """corpus.json, report.json and report.html for a built corpus."""
    from dataclasses import asdict

    from .emit.corpus_json import corpus_json_bytes, corpus_schema, dumps_json
    from .emit.report import report_data
    from .emit.report_html import report_html

    report = report_data(build, {"thresholds": asdict(config.dedupe)})
    return {"corpus.json": corpus_json_bytes(build.corpus),
            "corpus.schema.json": dumps_json(corpus_schema()),  # for frontends, beside the data
            "report.json": dumps_json(report), "report.html": report_html(report, env)}


def anki_files(build: CorpusBuild, config: Config, env: Any, out_dir: Path) -> dict[str, bytes]:
    """The Anki deck; notes keep the modification time the previous manifest gave them."""
    import time

    from .emit.anki import MANIFEST_PATH, AnkiOptions, anki_outputs, load_manifest

    anki = anki_outputs(build.corpus, AnkiOptions(deck=config.deck_name),
                        load_manifest(out_dir / MANIFEST_PATH), int(time.time()), env)
    build.diagnostics.extend(anki.diagnostics)
    build.extra["anki"] = {"deck": anki.apkg_path, "counts": anki.counts,
                           "changes": anki.changes,
                           "retired": [{"guid": r.guid, "kind": r.kind, "problem": r.problem,
                                        "title": r.title, "newly": r.newly}
                                       for r in anki.retired]}
    return anki.files


def quiz_files(build: CorpusBuild, config: Config, env: Any) -> dict[str, bytes]:
    """The default quiz of a build (its check rates go to the report)."""
    from .emit.quiz import QuizOptions, quiz_outputs

    try:
        quiz = quiz_outputs(build.corpus, QuizOptions(count=config.quiz_count,
                                                      versions=config.quiz_versions,
                                                      seed=config.quiz_seed), env)
    except NotEnoughMaterial as exc:
        # A corpus too small for a quiz still builds; the quiz is what is skipped.
        build.diagnostics.append(Diagnostic("warning", "quiz-skipped",
                                            f"default quiz not written: {exc}", None))
        return {}
    build.diagnostics.extend(quiz.diagnostics)
    build.extra["quiz"] = {"name": quiz.name, "folder": quiz.folder, "checks": quiz.checks}
    return quiz.files


def finish_corpus(build: CorpusBuild, config: Config, tags_file: Path | None = None,
                  cache_dir: Path | None = None, previous: Corpus | None = None) -> None:
    """The stages after dedupe: keep the previous build's ids, split and normalize tags."""
    from .continuity import carry_ids
    from .tags import TagCache, load_aliases, normalize_tags

    if previous is not None:
        # Before tags: the report's tag splits name problems by their (carried) ids.
        ids = carry_ids(build.corpus, previous, config.dedupe)
        build.corpus = ids.corpus
        build.dedupe = replace(build.dedupe, merges=tuple(
            replace(m, problem_id=ids.rename(m.problem_id)) for m in build.dedupe.merges))
        build.extra.update(ids.report_section())

    tagged = normalize_tags(build.corpus, build.dedupe.evidence, load_aliases(tags_file),
                            TagCache(cache_dir) if cache_dir is not None else None)
    build.corpus = tagged.corpus
    build.diagnostics.extend(tagged.diagnostics)
    build.extra.update(tagged.report_section())


def settings_file(paths: Sequence[Path], name: str, explicit: str | None) -> Path | None:
    """A user settings file: as configured, else ``name`` in the first source's folder."""
    if explicit:
        return Path(explicit)
    for path in paths:
        folder = path if path.is_dir() else path.parent
        if (folder / name).is_file():
            return folder / name
    return None


def build_stamp(inputs: Sequence[SourceInput], config: Config, settings: Sequence[Path | None],
                templates_dir: Path | None) -> str:
    """Everything a build depends on except its own previous outputs (checked separately)."""
    from dataclasses import asdict

    from .tags.lemmas import lemmatizer_id  # the tag data (spacy-lookups-data) is an input too

    return hash_parts([code_hash(), lemmatizer_id(), asdict(config),
                       [(i.display, source_for(i.path, i.display).sha256) for i in inputs],
                       [str(p) for p in settings], *[p for p in settings if p is not None],
                       hash_folder(templates_dir)])


def run_build(paths: Sequence[Path], out_dir: Path, config: Config,
              templates_dir: Path | None = None, use_cache: bool = True,
              fresh_ids: bool = False, progress: bool = False) -> str:
    """Build everything from ``paths`` into ``out_dir``; return a one-paragraph summary.

    ``progress``: slow readers (PDF) may draw a progress bar on stderr; the CLI asks for
    one only when stderr is a terminal.
    """
    inputs = find_source_files(paths)
    tags_file = settings_file(paths, "tags.toml", config.tags_file)
    overrides_file = settings_file(paths, "overrides.toml", config.overrides_file)
    env = make_environment(templates_dir)  # a bad --templates folder fails even when up to date
    cache = BuildCache(out_dir, enabled=use_cache)
    stamp = hash_parts([build_stamp(inputs, config, [tags_file, overrides_file], templates_dir),
                        fresh_ids])
    if cache.is_up_to_date(stamp, out_dir):
        return f"{out_dir}/ is up to date (nothing changed since the last build)"
    from .continuity import previous_corpus
    from .outputs import write_outputs
    from .overrides import load_overrides

    previous = None if fresh_ids else previous_corpus(out_dir / "corpus.json")
    build = build_corpus(inputs, config, cache, overrides=load_overrides(overrides_file),
                         previous=previous, progress=progress)
    finish_corpus(build, config, tags_file=tags_file,
                  cache_dir=cache.root if use_cache else None, previous=previous)
    files = anki_files(build, config, env, out_dir)
    files.update(quiz_files(build, config, env))
    files.update(corpus_outputs(build, config, env))  # last: the report sees every emitter
    write_outputs(out_dir, files)
    cache.record(stamp, files)
    counts = {s: sum(1 for d in build.diagnostics if d.severity == s)
              for s in ("warning", "info")}
    return (f"built {out_dir}/corpus.json: {len(build.corpus.topics)} topics, "
            f"{build.headings} problem headings -> {len(build.corpus.problems)} distinct "
            f"problems ({len(build.dedupe.merges)} merged), "
            f"{sum(len(p.points) for p in build.corpus.problems)} points; "
            f"{counts['warning']} warnings, {counts['info']} notes in {out_dir}/report.json")
