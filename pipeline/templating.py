"""Template lookup: the user's folder first, then the defaults shipped with drillbook.

A user template can extend a default one through the ``default/`` prefix, e.g.
``{% extends "default/quiz/quiz.html" %}`` (pelican's ChoiceLoader + PrefixLoader).

Templates are code someone else may have written (a shared ``--templates`` folder), so
they render in Jinja's ``SandboxedEnvironment``: attributes starting with ``_`` (the road
to ``__globals__``, ``os`` and ``popen``) and functions that modify the interpreter are
refused, and a refused access is a template error. A user template whose real path is
outside the templates folder (a symlink to ``/etc/passwd``) is refused before it is read.
"""
from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Callable

import jinja2
import jinja2.bccache
import jinja2.sandbox
from jinja2.loaders import split_template_path

from .errors import DrillbookError

# pipeline/templates is a link to the repository's templates/ folder, so the
# defaults are found the same way from a checkout and from an installed wheel.
DEFAULT_TEMPLATES = Path(__file__).resolve().parent / "templates"
# The default templates' compiled code, kept with the package's own bytecode.
COMPILED_TEMPLATES = Path(__file__).resolve().parent / "__pycache__" / "templates"


class ShippedTemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled code of the templates drillbook ships, kept next to the package's
    bytecode the way Python keeps a module's: every run would otherwise parse and compile
    the same dozen templates again (about 0.1 s of a build).

    Only the default templates are kept (a ``--templates`` folder is the user's and is
    compiled each run). An entry is used only when the template's source is unchanged
    (Jinja compares a checksum of it, and its own and Python's version) and when every
    environment that reads it compiles the same way: all of drillbook's come from
    ``make_environment``. Where the package folder cannot be written the templates are
    compiled each run, as before."""

    def __init__(self, directory: Path = COMPILED_TEMPLATES):
        super().__init__(str(directory), "%s.cache")
        self.folder = directory
        self._shipped_keys: set[str] = set()

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        bucket = jinja2.bccache.Bucket(environment, self.get_cache_key(name, filename),
                                       self.get_source_checksum(source))
        if filename is not None and os.path.normpath(filename).startswith(
                f"{DEFAULT_TEMPLATES}{os.sep}"):
            self._shipped_keys.add(bucket.key)
            self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass  # no usable folder: the template is compiled

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key not in self._shipped_keys:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass  # a read-only install: compiled again next run


class ContainedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader for one folder that refuses files whose real path is outside it
    (symlinks pointing out). Links that stay inside the folder are followed."""

    def __init__(self, folder: Path):
        super().__init__(str(folder))
        self.root = folder.resolve()

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        filename = posixpath.join(self.searchpath[0], *split_template_path(template))
        if os.path.isfile(filename):
            real = Path(filename).resolve()
            if not real.is_relative_to(self.root):
                raise DrillbookError(f"template links outside the templates folder (to {real}); "
                                     "copy the file into the folder instead", filename)
        return super().get_source(environment, template)


def make_environment(user_dir: Path | None = None) -> jinja2.Environment:
    """A Jinja environment with autoescape on for HTML/XML and strict undefined names."""
    default_loader = jinja2.FileSystemLoader(str(DEFAULT_TEMPLATES))
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise DrillbookError("templates folder does not exist", str(user_dir))
        # FileSystemLoader refuses names that climb out of its folder ("../"),
        # so a user template cannot reach files outside the folder it was given.
        loaders.append(ContainedLoader(user_dir))
    loaders.append(jinja2.PrefixLoader({"default": default_loader}))
    loaders.append(default_loader)
    return jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "htm", "xml", "j2"),
                                            default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=ShippedTemplateCache(),
    )


def render(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render a template; template errors become one DrillbookError naming the template."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise DrillbookError(f"template syntax error: {exc.message}", exc.filename or name,
                             exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        # exc.name is typed str | Undefined; only a real, non-empty name is worth showing.
        missing = exc.name if isinstance(exc.name, str) and exc.name else name
        raise DrillbookError("template not found", missing) from None
    except jinja2.TemplateError as exc:
        path, line = _template_frame(exc, name)
        raise DrillbookError(f"template error: {exc}", path, line) from None


def _template_frame(exc: BaseException, name: str) -> tuple[str, int | None]:
    """The template file and line a render error happened in (Jinja rewrites tracebacks
    so template frames carry the template's own file name and line)."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if not f.filename.endswith(".py") and not f.filename.startswith("<")]
    if frames:
        return frames[-1].filename, frames[-1].lineno
    return name, None
