"""The build: sources -> readers -> segment -> dedupe -> tags -> Corpus -> outputs -> report.

This module wires the stages together; each stage stays a pure function of its records
and returns a new ``CorpusBuild``. The outputs are the emitters of
``pipeline.emit.registry.OUTPUTS`` (each ``emit(corpus, ctx) -> Emitted``), then the
report, which takes their results. Only here are files found and read (through the
readers), and the outputs published together (``pipeline.outputs.publish``).
"""
from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from .cache import hash_parts
from .config import Config
from .cycle_collector import paused_cycle_collection, paused_for_build
from .errors import DrillbookError, NotEnoughMaterial
from .incremental import BuildCache, code_hash, hash_folder
from .models import Corpus, Diagnostic, Problem, Source, Topic
from .outputs import check_output_folder, recover
from .readers import ReadOptions, ReadResult, reader_for, source_for
from .segment import SegmentedSource, segment
from .sources import NOT_BOOKS, SourceInput, find_source_files, identify_sources
from .templating import make_environment
from .timing import stage

if TYPE_CHECKING:
    import jinja2

    from .dedupe import DedupeResult
    from .emit.base import EmitContext, Emitted, EmitterFunction
    from .overrides import Overrides

__all__ = ["NOT_BOOKS", "BuildResult", "CorpusBuild", "SourceInput", "build_corpus",
           "emit_outputs", "find_source_files", "finish_corpus", "identify_sources",
           "run_build"]

# The later stages (overrides, dedupe with numpy and rapidfuzz, continuity) are imported
# inside the functions that run them: an up-to-date build never needs them.


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


# Text sources together this large are segmented in parallel, one process per core: below
# it, starting the workers costs more than it saves (the real book segments in 0.25 s).
PARALLEL_TEXT_BYTES = 8_000_000


def segment_sources(sources: Sequence[tuple[SourceInput, Source]], cache: BuildCache | None,
                    progress: bool = False) -> list[tuple[SegmentedSource, list[Diagnostic]]]:
    """Every source segmented (or taken from the cache), in the order given.

    Many large text sources go to a process pool, since each is segmented on its own; PDFs
    stay here, as their reader has a pool of its own. The first error, in source order,
    is raised as a sequential build would raise it.
    """
    import os

    from .cores import usable_cores

    text = [k for k, (item, _) in enumerate(sources) if item.path.suffix.lower() != ".pdf"]
    size = sum(_size(sources[k][0].path) for k in text)
    workers = min(usable_cores(), len(text))
    results: dict[int, tuple[SegmentedSource, list[Diagnostic]]] = {}
    if workers > 1 and size >= PARALLEL_TEXT_BYTES:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        import msgspec

        root, enabled = (cache.root.parent, cache.enabled) if cache is not None else (None, False)
        context = multiprocessing.get_context("fork" if os.name == "posix" else None)
        decoder = msgspec.msgpack.Decoder(tuple[SegmentedSource, list[Diagnostic]])
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {k: pool.submit(_segment_in_worker, *sources[k], root, enabled)
                       for k in text}
            with paused_cycle_collection():  # after the workers started: they collect
                for k in text:  # in source order, so the first bad source is the one named
                    # popped: a done future would keep its bytes until the pool closes
                    results[k] = decoder.decode(futures.pop(k).result())
    for k, (item, source) in enumerate(sources):
        if k not in results:
            results[k] = segment_source(item, source, cache, progress)
    return [results[k] for k in range(len(sources))]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the reader names the problem when it reads the file


def _segment_in_worker(item: SourceInput, source: Source, out_dir: Path | None,
                       enabled: bool) -> bytes:
    """``segment_source`` in a worker process. The records go back as msgpack (msgspec),
    decoded against their types: pickling them cost both processes ten times as much
    (a fifth of the work of a 100 MB corpus). Errors are raised as they are."""
    import msgspec

    cache = BuildCache(out_dir, enabled=enabled) if out_dir is not None else None
    return msgspec.msgpack.encode(segment_source(item, source, cache))


@dataclass(frozen=True)
class CorpusBuild:
    """A built corpus and everything the report needs to explain it (each stage returns a
    new one)."""

    corpus: Corpus
    diagnostics: tuple[Diagnostic, ...]
    dedupe: DedupeResult
    headings: int  # problem headings found in all sources
    toc: list[dict[str, Any]]
    sections: Mapping[str, Any] = field(default_factory=dict)  # per-stage report sections


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
    from .overrides import Overrides, apply_overrides, mended_notes, settle_overrides

    sources = identify_sources(inputs)
    diagnostics: list[Diagnostic] = []
    topic_lists: list[Sequence[Topic]] = []
    drafts: list[Problem] = []
    with stage("read and segment"):
        for segmented, notes in segment_sources(sources, cache, progress):
            diagnostics.extend(notes)
            topic_lists.append(segmented.topics)
            drafts.extend(segmented.problems)
    topics = merge_topics(topic_lists)
    if any(p.topic == "unsorted" for p in drafts):
        topics.append(Topic(id="unsorted", title="Unsorted", order=len(topics) + 1))
    with stage("overrides and dedupe"):
        applied = apply_overrides(drafts, topics, overrides or Overrides(), previous=previous,
                                  config=config.dedupe)
        diagnostics = mended_notes(diagnostics, applied) + list(applied.diagnostics)
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
    sections = (applied.report_section()
                if overrides is not None and overrides.path is not None else {})
    return CorpusBuild(corpus=corpus, diagnostics=tuple(diagnostics), dedupe=deduped,
                       headings=len(drafts), toc=toc, sections=sections)


def finish_corpus(build: CorpusBuild, config: Config, tags_file: Path | None = None,
                  cache_dir: Path | None = None, previous: Corpus | None = None) -> CorpusBuild:
    """The stages after dedupe: keep the previous build's ids, split and normalize tags."""
    from .continuity import carry_ids
    from .tags import TagCache, load_aliases, normalize_tags

    sections = dict(build.sections)
    if previous is not None:
        # Before tags: the report's tag splits name problems by their (carried) ids.
        with stage("id continuity"):
            ids = carry_ids(build.corpus, previous, config.dedupe)
        build = replace(build, corpus=ids.corpus, dedupe=replace(build.dedupe, merges=tuple(
            replace(m, problem_id=ids.rename(m.problem_id)) for m in build.dedupe.merges)))
        sections.update(ids.report_section())

    with stage("tags"):
        tagged = normalize_tags(build.corpus, build.dedupe.evidence, load_aliases(tags_file),
                                TagCache(cache_dir) if cache_dir is not None else None)
    sections.update(tagged.report_section())
    return replace(build, corpus=tagged.corpus,
                   diagnostics=(*build.diagnostics, *tagged.diagnostics), sections=sections)


def _output_name(emit: EmitterFunction) -> str:
    """An emitter's name for messages: its module's last part ("quiz")."""
    return emit.__module__.rsplit(".", 1)[-1]


def emit_outputs(build: CorpusBuild, ctx: EmitContext,
                 outputs: Sequence[EmitterFunction] | None = None,
                 parallel: bool = False,
                 forked: Callable[[], None] | None = None) -> list[Emitted]:
    """Every output of the build (``OUTPUTS`` unless given), then the report over them all.

    An output the corpus is too small for (``NotEnoughMaterial``) is skipped with a
    warning; the rest are still built. ``parallel``: the groups of ``registry.GROUPS`` run
    in parallel processes (``parallel.py``); the results are the same either way, in
    the order of ``outputs``. ``forked``: called once those processes are forked, before
    any output is made here (``run_groups``): what starts threads starts there.
    """
    from .parallel import run_groups
    from .emit.registry import GROUPS, OUTPUTS
    from .emit.report import emit_report

    chosen = list(OUTPUTS if outputs is None else outputs)
    groups = [[emit for emit in group if emit in chosen] for group in GROUPS]
    grouped = {emit for group in groups for emit in group}
    groups[-1] += [emit for emit in chosen if emit not in grouped]
    groups = [group for group in groups if group]

    def run(emit: EmitterFunction) -> Emitted:
        return _emit_one(emit, build.corpus, ctx)

    with stage("outputs"):  # an output's pending work is collected once its group ran
        done = run_groups(groups, run, parallel=parallel, forked=forked,
                          finish=lambda result: result.complete())
    made = {id(emit): result for group, results in zip(groups, done)
            for emit, result in zip(group, results)}
    results = [made[id(emit)] for emit in chosen]
    with stage("output: report"):
        results.append(emit_report(build.corpus, ctx, build, results))
    return results


def _emit_one(emit: EmitterFunction, corpus: Corpus, ctx: EmitContext) -> Emitted:
    """One output, or a warning when the corpus is too small for it."""
    from .emit.base import Emitted

    name = _output_name(emit)
    try:
        with stage(f"output: {name}"):
            return emit(corpus, ctx)
    except NotEnoughMaterial as exc:
        return Emitted(name, diagnostics=(Diagnostic(
            "warning", f"{name}-skipped", f"default {name} not written: {exc}", None),))


def merge_files(results: Sequence[Emitted]) -> dict[str, bytes]:
    """The files of every output; two outputs claiming one path is a bug, not a choice."""
    files: dict[str, bytes] = {}
    owner: dict[str, str] = {}
    for result in results:
        for relative, data in result.files.items():
            if relative in files:
                raise RuntimeError(f"outputs {owner[relative]!r} and {result.name!r} both "
                                   f"write {relative}")
            files[relative], owner[relative] = data, result.name
    return files


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


@dataclass(frozen=True)
class BuildResult:
    """What a build did: its one-paragraph summary and every diagnostic it produced."""

    out_dir: Path
    summary: str
    diagnostics: tuple[Diagnostic, ...] = ()
    outputs: tuple[Emitted, ...] = ()
    corpus: Corpus | None = None  # None when the build was up to date
    up_to_date: bool = False

    def __str__(self) -> str:
        return self.summary


def emit_context(config: Config, env: jinja2.Environment, previous: Path | None,
                 progress: bool = False) -> EmitContext:
    """The context every output of one run shares (the clock read once)."""
    from .emit.base import EmitContext, build_time

    return EmitContext(settings=config, env=env, now=build_time(), previous=previous,
                       progress=progress)


def run_build(paths: Sequence[Path], out_dir: Path, config: Config,
              templates_dir: Path | None = None, use_cache: bool = True,
              fresh_ids: bool = False, progress: bool = False) -> BuildResult:
    """Build everything from ``paths`` into ``out_dir``.

    ``progress``: slow steps (the PDF reader, quiz PDFs) may draw a progress bar on
    stderr; the CLI asks for one only when stderr is a terminal.
    """
    with stage("up-to-date check"):
        check_output_folder(out_dir)
        recover(out_dir)  # a killed build's half-finished swap is finished before reading
        inputs = find_source_files(paths, config.sources.skip_folders, out_dir)
        tags_file = settings_file(paths, "tags.toml", config.tags_file)
        overrides_file = settings_file(paths, "overrides.toml", config.overrides_file)
        env = make_environment(templates_dir)  # a bad --templates folder fails even when
        cache = BuildCache(out_dir, enabled=use_cache)  # the build is up to date
        stamp = hash_parts([build_stamp(inputs, config, [tags_file, overrides_file],
                                        templates_dir), fresh_ids])
        up_to_date = cache.is_up_to_date(stamp, out_dir)
    if up_to_date:
        return BuildResult(out_dir, f"{out_dir}/ is up to date (nothing changed since the "
                                    "last build)", up_to_date=True)
    with contextlib.ExitStack() as helpers:
        # No cycle collection while the build runs (cycle_collector.py: it makes almost no
        # reference cycles, and its workers then share their memory with it).
        helpers.enter_context(paused_for_build())
        if config.quiz.pdf:
            # The quiz's PDF renderers are started by ``_build`` (the early one when it
            # starts, a pool once the output workers are forked); they stop when it ends.
            from .emit.quiz.pdf import stop_workers

            helpers.callback(stop_workers)
        return _build(paths, out_dir, config, inputs, tags_file, overrides_file, env, cache,
                      stamp, use_cache, fresh_ids, progress)


def _build(paths: Sequence[Path], out_dir: Path, config: Config, inputs: Sequence[SourceInput],
           tags_file: Path | None, overrides_file: Path | None, env: jinja2.Environment,
           cache: BuildCache, stamp: str, use_cache: bool, fresh_ids: bool,
           progress: bool) -> BuildResult:
    """The stages of a build that is not up to date (``run_build`` checked that)."""
    from .continuity import previous_corpus
    from .outputs import ensure_output_folder, publish
    from .overrides import load_overrides

    ensure_output_folder(out_dir)  # the caches below write into it
    if config.quiz.pdf:
        # The quiz's papers get a renderer now, before this process has threads or
        # workers: it imports WeasyPrint on the other core while this one reads and tags.
        from .emit.quiz.pdf import start_early_renderer

        start_early_renderer()
    previous = None if fresh_ids else previous_corpus(out_dir / "corpus.json")
    build = build_corpus(inputs, config, cache, overrides=load_overrides(overrides_file),
                         previous=previous, progress=progress)
    build = finish_corpus(build, config, tags_file=tags_file,
                          cache_dir=cache.root if use_cache else None, previous=previous)
    start_pdf_workers: Callable[[], None] | None = None
    if config.quiz.pdf:
        # More papers than the early renderer takes get a pool of renderers, started once
        # the output workers are forked (a process pool has threads, and a process with
        # threads is not forked).
        from .emit.quiz.pdf import start_workers

        start_pdf_workers = functools.partial(start_workers, config.quiz.versions + 1)
    results = emit_outputs(build, emit_context(config, env, out_dir, progress),
                           parallel=True, forked=start_pdf_workers)
    files = merge_files(results)
    with stage("publish"):
        publish(out_dir, files, owned=True)
        cache.record(stamp, files)
    diagnostics = (*build.diagnostics, *(d for r in results for d in r.diagnostics))
    counts = {s: sum(1 for d in diagnostics if d.severity == s) for s in ("warning", "info")}
    summary = (f"built {out_dir}/corpus.json: {len(build.corpus.topics)} topics, "
               f"{build.headings} problem headings -> {len(build.corpus.problems)} distinct "
               f"problems ({len(build.dedupe.merges)} merged), "
               f"{sum(len(p.points) for p in build.corpus.problems)} points; "
               f"{counts['warning']} warnings, {counts['info']} notes in {out_dir}/report.json")
    return BuildResult(out_dir, summary, diagnostics, tuple(results), build.corpus)
