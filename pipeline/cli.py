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
@templates_option
@handle_errors
def build(sources: tuple[Path, ...], out_dir: Path, config_path: Path | None, no_cache: bool,
          templates_dir: Path | None) -> None:
    """Build the corpus (and decks, quizzes, report) from SOURCES into --out.

    SOURCES are files or folders (default: raw/). Example:

        drillbook build path/to/book.txt --out build/
    """
    from .build import run_build
    from .config import load_config

    config = load_config(explicit=config_path)
    summary = run_build(list(sources) or [Path("raw")], out_dir, config,
                        templates_dir=templates_dir, use_cache=not no_cache)
    click.echo(summary)
