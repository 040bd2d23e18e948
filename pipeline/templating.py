"""Template lookup: the user's folder first, then the defaults shipped with drillbook.

A user template can extend a default one through the ``default/`` prefix, e.g.
``{% extends "default/quiz/quiz.html" %}`` (pelican's ChoiceLoader + PrefixLoader).
"""
from __future__ import annotations

from pathlib import Path

import jinja2

from .errors import DrillbookError

# pipeline/templates is a link to the repository's templates/ folder, so the
# defaults are found the same way from a checkout and from an installed wheel.
DEFAULT_TEMPLATES = Path(__file__).resolve().parent / "templates"


def make_environment(user_dir: Path | None = None) -> jinja2.Environment:
    """A Jinja environment with autoescape on for HTML/XML and strict undefined names."""
    default_loader = jinja2.FileSystemLoader(str(DEFAULT_TEMPLATES))
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise DrillbookError("templates folder does not exist", str(user_dir))
        # FileSystemLoader refuses names that climb out of its folder ("../"),
        # so a user template cannot reach files outside the folder it was given.
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    loaders.append(jinja2.PrefixLoader({"default": default_loader}))
    loaders.append(default_loader)
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "htm", "xml", "j2"),
                                            default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render a template; template errors become one DrillbookError naming the template."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise DrillbookError(f"template syntax error: {exc.message}", exc.filename or name,
                             exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        raise DrillbookError("template not found", exc.name or name) from None
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
