"""The click layer: each command parses options and calls one library function.

Exit status: 0 done; 1 bad input (``DrillbookError``: one line naming the file); 2 a usage
error (an unknown option or a bad option value, from click); 3 a bug in drillbook (one
line, or the traceback with ``--verbose``); 130 interrupted.
"""
from __future__ import annotations

import dataclasses
import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import click

from .errors import DrillbookError

if TYPE_CHECKING:
    from .models import Corpus, Diagnostic

EXIT_INPUT_ERROR = 1
EXIT_USAGE_ERROR = 2  # click's own code for usage errors
EXIT_BUG = 3
EXIT_INTERRUPTED = 130
WARNINGS_SHOWN = 5  # warnings a build prints without --verbose


def _verbose() -> bool:
    context = click.get_current_context()
    return bool(context.find_root().params.get("verbose") or context.params.get("verbose"))


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn DrillbookError (and unexpected crashes) into one clean line on stderr."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        traceback = click.get_current_context().find_root().params.get("verbose", False)
        try:
            return command(*args, **kwargs)
        except DrillbookError as exc:
            if traceback:
                raise
            click.echo(f"drillbook: error: {exc}", err=True)
            sys.exit(EXIT_INPUT_ERROR)
        except KeyboardInterrupt:
            click.echo("drillbook: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:  # a bug: still one line, unless --verbose
            if traceback:
                raise
            click.echo(f"drillbook: internal error: {type(exc).__name__}: {exc} "
                       "(a bug: run with --verbose for the traceback)", err=True)
            sys.exit(EXIT_BUG)

    return wrapper


def templates_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--templates", "templates_dir", type=click.Path(path_type=Path),
                        default=None,
                        help="Folder of your own templates, looked up before the defaults.",
                        )(command)


def config_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--config", "config_path", type=click.Path(path_type=Path),
                        default=None,
                        help="A drillbook.toml (default: ./drillbook.toml, else "
                             "[tool.drillbook] of ./pyproject.toml).")(command)


def _location(diagnostic: Diagnostic, paths: dict[str, str]) -> str:
    where = diagnostic.where
    if where is None:
        return ""
    text = paths.get(where.source, where.source)
    if where.line is not None:
        text += f":{where.line}"
    if where.page is not None:
        text += f" (page {where.page})"
    return text + ": "


def show_warnings(diagnostics: Sequence[Diagnostic], corpus: Corpus | None = None,
                  limit: int | None = None, report: str | None = None) -> None:
    """Warnings and errors on stderr: a count, then the first ``limit`` (None: all)."""
    problems = [d for d in diagnostics if d.severity != "info"]
    if not problems:
        return
    paths = {s.id: s.path for s in corpus.sources} if corpus is not None else {}
    if report is not None:
        click.echo(f"drillbook: {len(problems)} warning(s); all of them, and the notes, are in "
                   f"{report}", err=True)
    shown = problems if limit is None else problems[:limit]
    for diagnostic in shown:
        click.echo(f"drillbook: {diagnostic.severity}: {_location(diagnostic, paths)}"
                   f"{diagnostic.message}", err=True)
    if len(shown) < len(problems):
        click.echo(f"drillbook: ... and {len(problems) - len(shown)} more (--verbose shows "
                   "them all)", err=True)


def _split_list(values: Sequence[str]) -> tuple[str, ...]:
    """Repeated options and comma-separated lists alike: ("a,b", "c") -> ("a", "b", "c")."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _changed(section: Any, **values: Any) -> Any:
    """A settings section with the options the user gave (None: not given) applied."""
    return dataclasses.replace(section, **{k: v for k, v in values.items() if v is not None})


def _not_blank(context: click.Context, parameter: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise click.BadParameter("must not be empty")
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verbose", is_flag=True,
              help="Show tracebacks for bug reports (and every warning).")
@click.version_option(package_name="drillbook")
def main(verbose: bool) -> None:
    """drillbook: turn the interview-problems ebook into JSON, Anki decks and quizzes.

    Exit status: 0 done, 1 bad input, 2 usage error, 3 a bug in drillbook, 130 interrupted.
    """
    from .cycle_collector import skip_collection_at_exit

    skip_collection_at_exit()


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("build"),
              show_default=True, help="Output folder.")
@config_option
@click.option("--no-cache", is_flag=True, help="Ignore cached stage results.")
@click.option("--fresh-ids", is_flag=True,
              help="Derive ids from the current titles instead of keeping the ids of the "
                   "previous corpus.json in --out.")
@click.option("-v", "--verbose", is_flag=True, help="Print every warning, not only the first "
                                                    f"{WARNINGS_SHOWN}.")
@templates_option
@click.option("--timings", "timings_path", type=click.Path(path_type=Path), default=None,
              help="Also write the wall and CPU seconds of every stage to this JSON file "
                   "(what `make bench` reports).")
@handle_errors
def build(sources: tuple[Path, ...], out_dir: Path, config_path: Path | None, no_cache: bool,
          fresh_ids: bool, verbose: bool, templates_dir: Path | None,
          timings_path: Path | None) -> None:
    """Build the corpus (and decks, quizzes, report) from SOURCES into --out.

    SOURCES are files or folders (default: raw/, without raw/sample/). Warnings go to
    stderr: a count and the first few (all with --verbose). Example:

    \b
        drillbook build raw/sample/ --out build/
    """
    import contextlib

    from .build import run_build
    from .config import load_config
    from .timing import recording

    with recording() if timings_path is not None else contextlib.nullcontext() as timings:
        config = load_config(explicit=config_path)
        result = run_build(list(sources) or [Path("raw")], out_dir, config,
                           templates_dir=templates_dir, use_cache=not no_cache,
                           fresh_ids=fresh_ids, progress=sys.stderr.isatty())
    if timings is not None and timings_path is not None:
        import json

        try:
            timings_path.write_text(json.dumps(timings.as_json(), indent=2) + "\n", "utf-8")
        except OSError as exc:
            raise DrillbookError(f"cannot write the timings: {exc.strerror}",
                                 str(timings_path)) from None
    show_warnings(result.diagnostics, result.corpus, None if _verbose() else WARNINGS_SHOWN,
                  report=f"{out_dir}/report.json")
    click.echo(result.summary)


@main.command()
@click.option("--corpus", "corpus_path", type=click.Path(path_type=Path),
              default=Path("build/corpus.json"), show_default=True,
              help="The corpus.json to make the quiz from.")
@click.option("--count", type=click.IntRange(min=1), default=None,
              help="Number of questions (default: the [quiz] count setting, 20).")
@click.option("--topics", multiple=True,
              help="Topic ids or titles, comma-separated or repeated (default: all).")
@click.option("--kinds", multiple=True,
              help="Question kinds: name-concept, name-from-example, which-command, "
                   "which-contrast (default: these four), and open-interview (an interviewer "
                   "question graded by a rubric; asked only when named). which-approach and "
                   "which-technology are retired and make nothing.")
@click.option("--seed", type=int, default=None, help="Random seed (default: [quiz] seed, 1).")
@click.option("--versions", type=click.IntRange(min=1, max=999), default=None,
              help="Shuffled versions A, B, ... Z, AA, AB, ...: one per student if you like "
                   "(default: [quiz] versions, 2).")
@click.option("--name", default="quiz", show_default=True,
              help="Quiz name (a lowercase slug); the default folder is build/quizzes/NAME.")
@click.option("--title", default=None,
              help="Title printed on the paper (default: [quiz] title, "
                   "\"Backend Interview Quiz\").")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: build/quizzes/NAME).")
@click.option("--no-pdf", is_flag=True,
              help="Skip the PDFs (HTML, JSON, CSV, GIFT, Moodle XML, QTI only).")
@click.option("--pools", type=click.Choice(["topic", "kind"]), default=None,
              help="Group the LMS question pools by topic or by kind (default: [quiz] "
                   "pools, topic).")
@click.option("--pool-pick", type=click.IntRange(min=0), default=None,
              help="Questions each student draws from each pool in the QTI package; 0 "
                   "draws them all (default: [quiz] pool_pick, 0).")
@config_option
@templates_option
@handle_errors
def quiz(corpus_path: Path, count: int | None, topics: tuple[str, ...], kinds: tuple[str, ...],
         seed: int | None, versions: int | None, name: str, title: str | None,
         out_dir: Path | None, no_pdf: bool, pools: str | None, pool_pick: int | None,
         config_path: Path | None, templates_dir: Path | None) -> None:
    """Make a printable quiz: versions (one per student if you like), answer key, open
    interview questions with rubrics, and LMS files (GIFT, Moodle XML, QTI for Canvas).

    The same corpus, options and seed give the same quiz. Examples:

    \b
        drillbook quiz --count 12 --topics caching-basics,sharded-storage --seed 7
        drillbook quiz --count 30 --versions 40 --name per-student --no-pdf
        drillbook quiz --count 6 --kinds open-interview --name mock-interview
        drillbook quiz --count 16 --pools topic --pool-pick 1 --name pools --no-pdf
    """
    from .build import emit_context
    from .config import load_config
    from .emit import quiz as quiz_output
    from .emit.corpus_json import load_corpus
    from .outputs import check_output_folder, publish
    from .templating import make_environment

    config = load_config(explicit=config_path)
    options = _changed(config.quiz, count=count, topics=_split_list(topics) or None,
                       kinds=_split_list(kinds) or None, seed=seed, versions=versions,
                       name=name, title=title, pdf=False if no_pdf else None, pools=pools,
                       pool_pick=pool_pick)
    config = dataclasses.replace(config, quiz=options)
    folder = quiz_output.quiz_folder(options.name)
    target = out_dir if out_dir is not None else Path("build") / folder
    check_output_folder(target)
    corpus = load_corpus(corpus_path)
    ctx = emit_context(config, make_environment(templates_dir), None, sys.stderr.isatty())
    result = quiz_output.emit(corpus, ctx).complete()
    prefix = folder + "/"
    publish(target, {path[len(prefix):]: data for path, data in result.files.items()},
            owned=False)
    show_warnings(result.diagnostics, corpus)
    click.echo(f"wrote {len(result.files)} files to {target}: "
               f"{result.summary.split(': ', 1)[1]}")


@main.command()
@click.option("--corpus", "corpus_path", type=click.Path(path_type=Path),
              default=Path("build/corpus.json"), show_default=True,
              help="The corpus.json to make the site from.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("build/site"),
              show_default=True, help="The site's folder (open its index.html).")
@click.option("--title", default=None, callback=_not_blank,
              help="The site's title (default: [site] title, \"Backend Interview Problems\").")
@click.option("--quiz-count", type=click.IntRange(min=0, max=2000), default=None,
              help="Self-marking quiz items (default: [site] quiz_count, 50; 0: no quiz).")
@click.option("--new-cards-per-day", type=click.IntRange(min=1), default=None,
              help="New flashcards a day (default: [site] new_cards_per_day, 20).")
@config_option
@templates_option
@handle_errors
def site(corpus_path: Path, out_dir: Path, title: str | None, quiz_count: int | None,
         new_cards_per_day: int | None, config_path: Path | None,
         templates_dir: Path | None) -> None:
    """Make the study site: a static folder that works from disk and any static host.

    Browse and search the problems, study flashcards (spaced repetition kept in the
    browser), take the quiz self-marking, run a mock interview. Open OUT/index.html.
    Example:

    \b
        drillbook site --out build/site --quiz-count 30
    """
    from .build import emit_context
    from .config import load_config
    from .emit import site as site_output
    from .emit.corpus_json import load_corpus
    from .outputs import check_output_folder, publish
    from .templating import make_environment

    config = load_config(explicit=config_path)
    options = _changed(config.site, build=True, title=title, quiz_count=quiz_count,
                       new_cards_per_day=new_cards_per_day)
    config = dataclasses.replace(config, site=options)
    check_output_folder(out_dir)
    corpus = load_corpus(corpus_path)
    ctx = emit_context(config, make_environment(templates_dir), None, sys.stderr.isatty())
    result = site_output.emit(corpus, ctx)
    prefix = site_output.FOLDER + "/"
    publish(out_dir, {path[len(prefix):]: data for path, data in result.files.items()},
            owned=False)
    show_warnings(result.diagnostics, corpus)
    click.echo(f"wrote {out_dir}/{result.summary.split('/', 1)[1]}")


@main.command()
@click.argument("old_path", metavar="OLD.json", type=click.Path(path_type=Path))
@click.argument("new_path", metavar="NEW.json", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON.")
@config_option
@handle_errors
def diff(old_path: Path, new_path: Path, as_json: bool, config_path: Path | None) -> None:
    """Show what changed between two corpora: problems added, retired, retitled, edited.

    Problems are matched by id, then by content (as dedupe matches copies, with the
    [dedupe] thresholds of the settings). Example:

    \b
        drillbook diff build/corpus.json build/corpus.json --json
    """
    from .config import load_config
    from .diff import diff_corpora, diff_json, diff_text
    from .emit.corpus_json import dumps_json, load_corpus

    config = load_config(explicit=config_path)
    result = diff_corpora(load_corpus(old_path), load_corpus(new_path), config.dedupe)
    if as_json:
        click.echo(dumps_json(diff_json(result)).decode("utf-8"), nl=False)
    else:
        click.echo(diff_text(result), nl=False)


@main.command()
@click.option("--corpus", "corpus_path", type=click.Path(path_type=Path),
              default=Path("build/corpus.json"), show_default=True,
              help="The corpus.json to make the deck from.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("build"),
              show_default=True,
              help="Output folder: writes anki/<deck>.apkg and keeps anki/manifest.json there.")
@click.option("--deck", default=None,
              help="Root deck name (default: [anki] deck, \"Backend Interview Problems\").")
@click.option("--topic", "topics", multiple=True,
              help="Only this topic (id or title); repeat the option for more.")
@click.option("--kinds", default=None,
              help="Card kinds, comma-separated: problem, point, cloze (default: [anki] "
                   "kinds, all three).")
@click.option("--retired/--no-retired", default=None,
              help="Also ship notes that left the corpus, tagged drillbook::retired "
                   "(default: [anki] retired, no).")
@config_option
@templates_option
@handle_errors
def anki(corpus_path: Path, out_dir: Path, deck: str | None, topics: tuple[str, ...],
         kinds: str | None, retired: bool | None, config_path: Path | None,
         templates_dir: Path | None) -> None:
    """Make an Anki deck (.apkg) that re-imports without duplicates or lost progress.

    Unchanged notes keep their previous modification time (from anki/manifest.json in
    --out), so Anki only updates the notes whose content changed. Example:

    \b
        drillbook anki --kinds problem,point,cloze --topic caching-basics
    """
    from .build import emit_context
    from .config import load_config
    from .emit import anki as anki_output
    from .emit.corpus_json import load_corpus
    from .outputs import check_output_folder, publish, recover
    from .templating import make_environment

    config = load_config(explicit=config_path)
    # Topic titles may contain commas ("A (B, C)"), so --topic is repeated, never split.
    options = _changed(config.anki, deck=deck, topics=topics or None,
                       kinds=_split_list((kinds,)) if kinds is not None else None,
                       retired=retired)
    config = dataclasses.replace(config, anki=options)
    check_output_folder(out_dir)
    recover(out_dir)  # the manifest of a build killed while publishing is finished first
    corpus = load_corpus(corpus_path)
    ctx = emit_context(config, make_environment(templates_dir), out_dir, sys.stderr.isatty())
    result = anki_output.emit(corpus, ctx)
    publish(out_dir, result.files, owned=False)
    show_warnings(result.diagnostics, corpus)
    click.echo(f"wrote {out_dir}/{result.summary}")
