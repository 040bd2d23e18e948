"""The click layer: each command parses options and calls one library function.

Library errors (``DrillbookError``) become one line on stderr and exit status 1;
``--verbose`` shows the traceback instead, for bug reports.
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, Callable

import click

from .errors import DrillbookError


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn DrillbookError (and unexpected crashes) into one clean line on stderr."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        verbose = click.get_current_context().find_root().params.get("verbose", False)
        try:
            return command(*args, **kwargs)
        except DrillbookError as exc:
            if verbose:
                raise
            click.echo(f"drillbook: error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("drillbook: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug: still one line, unless --verbose
            if verbose:
                raise
            click.echo(f"drillbook: internal error: {type(exc).__name__}: {exc} "
                       "(run with --verbose for the traceback)", err=True)
            sys.exit(2)

    return wrapper


def templates_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--templates", "templates_dir", type=click.Path(path_type=Path),
                        default=None,
                        help="Folder of your own templates, looked up before the defaults.")(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verbose", is_flag=True, help="Show tracebacks for bug reports.")
@click.version_option(package_name="drillbook")
def main(verbose: bool) -> None:
    """drillbook: turn the interview-problems ebook into JSON, Anki decks and quizzes."""


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("build"),
              show_default=True, help="Output folder.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="A drillbook.toml (default: ./drillbook.toml or [tool.drillbook]).")
@click.option("--no-cache", is_flag=True, help="Ignore cached stage results.")
@click.option("--fresh-ids", is_flag=True,
              help="Derive ids from the current titles instead of keeping the ids of the "
                   "previous corpus.json in --out.")
@templates_option
@handle_errors
def build(sources: tuple[Path, ...], out_dir: Path, config_path: Path | None, no_cache: bool,
          fresh_ids: bool, templates_dir: Path | None) -> None:
    """Build the corpus (and decks, quizzes, report) from SOURCES into --out.

    SOURCES are files or folders (default: raw/). Example:

        drillbook build path/to/book.txt --out build/
    """
    from .build import run_build
    from .config import load_config

    config = load_config(explicit=config_path)
    summary = run_build(list(sources) or [Path("raw")], out_dir, config,
                        templates_dir=templates_dir, use_cache=not no_cache,
                        fresh_ids=fresh_ids, progress=sys.stderr.isatty())
    click.echo(summary)


def _show_problems(diagnostics: Any) -> None:
    """Warnings and errors on stderr, one line each (notes stay in the outputs)."""
    for diagnostic in diagnostics:
        if diagnostic.severity != "info":
            click.echo(f"drillbook: {diagnostic.severity}: {diagnostic.message}", err=True)


def _split_list(values: tuple[str, ...]) -> tuple[str, ...]:
    """Repeated options and comma-separated lists alike: ("a,b", "c") -> ("a", "b", "c")."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


@main.command()
@click.option("--corpus", "corpus_path", type=click.Path(path_type=Path),
              default=Path("build/corpus.json"), show_default=True,
              help="The corpus.json to make the quiz from.")
@click.option("--count", type=click.IntRange(min=1), default=None,
              help="Number of questions (default: quiz_count setting, 20).")
@click.option("--topics", multiple=True,
              help="Topic ids or titles, comma-separated or repeated (default: all).")
@click.option("--kinds", multiple=True,
              help="Question kinds: name-concept, name-from-example, which-approach, "
                   "which-technology (default: all).")
@click.option("--seed", type=int, default=None, help="Random seed (default: quiz_seed, 1).")
@click.option("--versions", type=click.IntRange(min=1, max=26), default=None,
              help="Shuffled versions A, B, ... (default: quiz_versions, 2).")
@click.option("--name", default="quiz", show_default=True,
              help="Quiz name (a lowercase slug); the default folder is build/quizzes/NAME.")
@click.option("--title", default="Backend Interview Quiz", show_default=True,
              help="Title printed on the paper.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: build/quizzes/NAME).")
@click.option("--no-pdf", is_flag=True, help="Skip the PDFs (HTML, JSON, GIFT, Moodle XML only).")
@templates_option
@handle_errors
def quiz(corpus_path: Path, count: int | None, topics: tuple[str, ...], kinds: tuple[str, ...],
         seed: int | None, versions: int | None, name: str, title: str, out_dir: Path | None,
         no_pdf: bool, templates_dir: Path | None) -> None:
    """Make a printable multiple-choice quiz (versions, answer key, GIFT, Moodle XML).

    The same corpus, options and seed give the same quiz. Example:

    \b
        drillbook quiz --count 30 --topics caching-strategies --seed 7 --versions 2
    """
    from .config import load_config
    from .emit.corpus_json import load_corpus
    from .emit.quiz import KINDS, QuizOptions, quiz_outputs
    from .outputs import write_outputs
    from .templating import make_environment

    config = load_config()
    options = QuizOptions(count=count or config.quiz_count, topics=_split_list(topics),
                          kinds=_split_list(kinds) or KINDS,
                          seed=config.quiz_seed if seed is None else seed,
                          versions=versions or config.quiz_versions, name=name, title=title,
                          pdf=not no_pdf)
    corpus = load_corpus(corpus_path)
    result = quiz_outputs(corpus, options, make_environment(templates_dir))
    target = out_dir if out_dir is not None else Path("build") / result.folder
    prefix = result.folder + "/"
    write_outputs(target, {path[len(prefix):]: data for path, data in result.files.items()})
    _show_problems(result.diagnostics)
    checks = result.checks
    click.echo(f"wrote {len(result.files)} files to {target}: {checks['items']} questions, "
               f"{options.versions} version(s); key longest in "
               f"{checks['key_not_longest_cue']['key_longest_rate']:.0%} of items, "
               f"{checks['repaired']} repaired, {checks['dropped']} dropped")


@main.command()
@click.argument("old_path", metavar="OLD.json", type=click.Path(path_type=Path))
@click.argument("new_path", metavar="NEW.json", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="A drillbook.toml whose dedupe thresholds decide fuzzy matches.")
@handle_errors
def diff(old_path: Path, new_path: Path, as_json: bool, config_path: Path | None) -> None:
    """Show what changed between two corpora: problems added, retired, retitled, edited.

    Problems are matched by id, then by content (as dedupe matches copies). Example:

    \b
        drillbook diff old/corpus.json build/corpus.json --json
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
              help="Root deck name (default: deck_name setting, \"Backend Interview Problems\").")
@click.option("--topic", "topics", multiple=True,
              help="Only this topic (id or title); repeat the option for more.")
@click.option("--kinds", default="problem,point", show_default=True,
              help="Card kinds, comma-separated: problem, point, cloze.")
@click.option("--retired/--no-retired", default=False, show_default=True,
              help="Also ship notes that left the corpus, tagged drillbook::retired.")
@templates_option
@handle_errors
def anki(corpus_path: Path, out_dir: Path, deck: str | None, topics: tuple[str, ...], kinds: str,
         retired: bool, templates_dir: Path | None) -> None:
    """Make an Anki deck (.apkg) that re-imports without duplicates or lost progress.

    Unchanged notes keep their previous modification time (from anki/manifest.json in
    --out), so Anki only updates the notes whose content changed. Example:

    \b
        drillbook anki --kinds problem,point,cloze --topic caching-strategies
    """
    import time

    from .config import load_config
    from .emit.anki import MANIFEST_PATH, AnkiOptions, anki_outputs, load_manifest
    from .emit.corpus_json import load_corpus
    from .outputs import write_outputs
    from .templating import make_environment

    # Topic titles may contain commas ("A (B, C)"), so --topic is repeated, never split.
    options = AnkiOptions(deck=deck or load_config().deck_name, topics=topics,
                          kinds=_split_list((kinds,)), retired=retired)
    corpus = load_corpus(corpus_path)
    manifest = load_manifest(out_dir / MANIFEST_PATH)
    result = anki_outputs(corpus, options, manifest, int(time.time()),
                          make_environment(templates_dir))
    write_outputs(out_dir, result.files)
    _show_problems(result.diagnostics)
    kinds_text = ", ".join(f"{counts['notes']} {kind}" for kind, counts in result.counts.items())
    changes = result.changes
    click.echo(f"wrote {out_dir / result.apkg_path}: {kinds_text} notes; {changes['new']} new, "
               f"{changes['changed']} changed, {changes['unchanged']} unchanged since the last "
               f"build; {len({r.problem for r in result.retired})} problem(s) with retired notes")
