"""The one shape every output has: ``emit(corpus, ctx) -> Emitted``.

An emitter is a pure function of the corpus and an ``EmitContext`` (settings, templates,
the clock, the previous build's state). It writes nothing: it returns the files it
wants written (paths relative to the output folder), what it noticed, and its section of
report.json. ``pipeline.build`` runs the emitters of ``pipeline.emit.registry.OUTPUTS``
in order, then the report, whose signature takes their results: it runs last because
it cannot run before them. ``drillbook quiz`` and ``drillbook anki`` call the same
functions with the settings their flags changed.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Protocol

from ..config import Config
from ..models import Corpus, Diagnostic

if TYPE_CHECKING:
    import jinja2


@dataclass(frozen=True)
class EmitContext:
    """Everything an emitter may use besides the corpus."""

    settings: Config
    env: "jinja2.Environment"  # templates: the user's folder first, then the defaults
    now: int  # seconds since the epoch for anything new a build stamps (see ``build_time``)
    # The output folder the last build wrote, read only for state an output keeps between
    # builds (the Anki manifest); never read as a source. None: no previous state.
    previous: Path | None = None
    progress: bool = False  # slow emitters may draw a progress bar on stderr

    def previous_file(self, relative: str) -> Path | None:
        """A file of the previous build (None when there is no previous build folder)."""
        return None if self.previous is None else self.previous / relative


@dataclass(frozen=True)
class Emitted:
    """What one output produced; nothing is written until the build publishes ``files``."""

    name: str  # the output's name ("corpus", "anki", "quiz", "report")
    files: Mapping[str, bytes] = field(default_factory=dict)  # relative path -> bytes
    diagnostics: tuple[Diagnostic, ...] = ()
    report: Mapping[str, Any] = field(default_factory=dict)  # top-level report.json sections
    summary: str = ""  # one line for the command line ("" when there is nothing to say)


class Emitter(Protocol):
    """An output: ``emit(corpus, ctx) -> Emitted``."""

    def __call__(self, corpus: Corpus, ctx: EmitContext) -> Emitted: ...


EmitterFunction = Callable[[Corpus, EmitContext], Emitted]


def build_time() -> int:
    """The time a build stamps on what it creates: SOURCE_DATE_EPOCH when set, else now.

    The reproducible-builds convention: with it set, two builds of the same input into
    fresh folders write the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return int(epoch)
        except ValueError:
            from ..errors import DrillbookError

            raise DrillbookError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, "
                                 f"not {epoch!r}") from None
    return int(time.time())
