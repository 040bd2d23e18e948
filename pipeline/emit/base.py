"""The one shape every output has: ``emit(corpus, ctx) -> Emitted``.

An emitter is a pure function of the corpus and an ``EmitContext`` (settings, templates,
the clock, the previous build's state). It writes nothing: it returns the files it
wants written (paths relative to the output folder), what it noticed, and its section of
report.json. ``pipeline.build`` runs the emitters of ``pipeline.emit.registry.OUTPUTS``
(independent groups of them in parallel processes, see ``registry.GROUPS``), then the
report, whose signature takes their results: it runs last because it cannot run before
them. ``drillbook quiz`` and ``drillbook anki`` call the same functions with the settings
their flags changed. Work two outputs of one run would both do (the quiz items' ``Bank``)
is shared through ``EmitContext.state``.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Hashable, Mapping, Protocol, TypeVar

from ..config import Config
from ..models import Corpus, Diagnostic

if TYPE_CHECKING:
    import jinja2

T = TypeVar("T")


class RunState:
    """What the outputs of one run compute once and share, made on first use.

    Outputs stay pure functions of the corpus and the context: a value kept here is one an
    output would compute the same way itself (the quiz and the site both make quiz items
    from one quiz ``Bank`` of the corpus), so sharing it changes no byte, only the time.
    A key names what the value is and what it was made from; each run (a build, a
    command) has a state of its own (``EmitContext.state``).
    """

    def __init__(self) -> None:
        self._values: dict[Hashable, Any] = {}

    def shared(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value kept under ``key``, made by ``make()`` the first time it is asked."""
        if key not in self._values:
            self._values[key] = make()
        value: T = self._values[key]
        return value


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
    # Values the outputs of this run share (see RunState); not a setting, never compared.
    state: RunState = field(default_factory=RunState, compare=False, repr=False)

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
    # Work the output started in other processes and collects later (the quiz's PDFs),
    # so that the outputs after it in its group run meanwhile: its files and diagnostics.
    # ``complete()`` collects it; the build does once its group has run.
    pending: Callable[[], tuple[Mapping[str, bytes], tuple[Diagnostic, ...]]] | None = field(
        default=None, compare=False, repr=False)

    def complete(self) -> Emitted:
        """The output with its pending work collected (itself when there is none)."""
        if self.pending is None:
            return self
        files, diagnostics = self.pending()
        return Emitted(self.name, {**self.files, **files}, self.diagnostics + diagnostics,
                       self.report, self.summary)


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
