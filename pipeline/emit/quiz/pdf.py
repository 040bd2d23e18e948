"""HTML pages to PDF with WeasyPrint: byte-stable, and on every core when there are several.

WeasyPrint lays out one document at a time on one core, and layout is most of the time (a
30-question paper takes most of a second). ``render_pdfs`` imports WeasyPrint once, then
forks worker processes that inherit it and each render a share of the pages; the PDFs are
the same bytes as one process would make, in the same order.

A build's own three papers go to one early renderer (``start_early_renderer``), forked
when the build starts: it imports WeasyPrint while the build reads and tags the book on
the other core, and renders at a lower priority than the build and the deck's worker,
whose results are needed first. More papers get a pool of renderers (``start_workers``).
"""
from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterator, Sequence

from ...cores import can_fork, usable_cores

# A fixed date for the fonts WeasyPrint embeds (fontTools stamps subset fonts with "now"
# unless SOURCE_DATE_EPOCH is set): 1980-01-01, as reproducible-builds tools use.
FIXED_EPOCH = "315532800"


@contextlib.contextmanager
def reproducible_fonts() -> Iterator[None]:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    if previous is None:
        os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def html_to_pdf(page: str) -> tuple[bytes, list[str]]:
    """Render HTML to PDF with WeasyPrint, byte-stable; also return WeasyPrint's warnings."""
    import weasyprint

    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        with reproducible_fonts():
            pdf = weasyprint.HTML(string=page, base_url=None).write_pdf()
    finally:
        logger.removeHandler(collector)
    return pdf, collector.messages


_warm: list[ProcessPoolExecutor] = []  # a pool started early by ``start_workers``


def _import_weasyprint() -> None:
    import weasyprint  # noqa: F401


# Up to this many PDFs, a build forks one renderer, not one per core: its three small
# papers (two versions and the key) render in it while the build makes the study site, and
# a second renderer's WeasyPrint import only took CPU from the deck's worker (about 0.6 s
# of CPU, no change in wall time, measured on two cores).
ONE_RENDERER_PAGES = 3


def start_workers(pages: int = ONE_RENDERER_PAGES) -> None:
    """Fork the PDF renderers for ``pages`` PDFs now and let them import WeasyPrint (about a
    second) while this process goes on with other work; ``start_pdfs`` and ``render_pdfs``
    then use them (one renderer up to ``ONE_RENDERER_PAGES``). A build calls
    this once its output workers are forked (the pool runs threads in this process, and
    nothing is forked from a process with threads), ``stop_workers`` when it ends. Does
    nothing on one core."""
    workers = workers_for(max(pages, 2))
    if not workers or _warm:
        return
    if _early and pages <= ONE_RENDERER_PAGES:
        return  # the early renderer has WeasyPrint imported already
    while _early:
        _early.pop().stop()  # more papers than it renders: a pool instead
    if pages <= ONE_RENDERER_PAGES:
        workers = 1
    context = multiprocessing.get_context("fork")
    os.environ.setdefault("SOURCE_DATE_EPOCH", FIXED_EPOCH)  # inherited: byte-stable fonts
    try:
        pool = ProcessPoolExecutor(workers, context, initializer=_import_weasyprint)
        pool.submit(int)  # spawns every worker now (a forking pool starts them all at once)
    finally:
        if os.environ.get("SOURCE_DATE_EPOCH") == FIXED_EPOCH:
            os.environ.pop("SOURCE_DATE_EPOCH")
    _warm.append(pool)


def stop_workers() -> None:
    while _warm:
        _warm.pop().shutdown(wait=True, cancel_futures=True)
    while _early:
        _early.pop().stop()


class _EarlyRenderer:
    """One renderer forked when a build starts, before the build has any thread or worker:
    it imports WeasyPrint on the other core while the build reads the book and splits its
    tags (one core's work), then renders one batch of up to ``ONE_RENDERER_PAGES`` pages.
    A plain process and a pipe, no pool: a pool's threads would be in the build process
    when it forks its output workers."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve_one_batch,
                                       args=(child, self.connection),
                                       name="drillbook-pdf", daemon=True)
        self.process.start()
        child.close()
        self.used = False

    def render(self, pages: Sequence[tuple[str, str]]
               ) -> Callable[[], dict[str, tuple[bytes, list[str]]]]:
        """Send the pages now; the result collects them (any page the renderer did not
        send back, because it died, is rendered here)."""
        self.used = True
        try:
            self.connection.send(list(pages))
        except OSError:
            pass  # it died: collect renders everything here

        def collect() -> dict[str, tuple[bytes, list[str]]]:
            results: dict[str, tuple[bytes, list[str]]] = {}
            try:
                for _ in pages:
                    name, pdf, messages = self.connection.recv()
                    results[name] = (pdf, messages)
            except (EOFError, OSError):
                pass
            for name, html in pages:
                if name not in results:
                    results[name] = html_to_pdf(html)
            return {name: results[name] for name, _ in pages}
        return collect

    def stop(self) -> None:
        self.connection.close()  # EOF for a renderer still waiting for pages
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()


def _serve_one_batch(connection: Any, builds_end: Any) -> None:
    """The early renderer's body: import WeasyPrint, wait for the pages, render them.
    ``builds_end`` is the build's end of the pipe, which the fork copied: closed here, so
    the build closing its own is an end of file here."""
    builds_end.close()
    # The papers are needed only when the build ends: the build's own work and the deck's
    # worker come first, and the renderer takes most of what CPU they leave. Measured on
    # two cores, eight to ten alternating builds each: niceness 3 was best (3.26 s median
    # against 3.35 s at 10, 3.28 s at 6 and 3.38 s at 0); at 10 the build waited 0.3 s for
    # the papers at its end.
    with contextlib.suppress(OSError):
        os.nice(RENDERER_NICENESS)
    _import_weasyprint()
    try:
        pages = connection.recv()
    except (EOFError, OSError):
        return  # the build needed no PDFs (or ended)
    for name, html in pages:
        pdf, messages = html_to_pdf(html)
        connection.send((name, pdf, messages))
    connection.close()


_early: list[_EarlyRenderer] = []  # started by ``start_early_renderer``
RENDERER_NICENESS = 3


def start_early_renderer() -> None:
    """Fork the early renderer (``_EarlyRenderer``) if there are two cores and ``fork``;
    ``start_pdfs`` then sends it a build's three papers. Call it before anything starts a
    thread or a worker; ``stop_workers`` stops it."""
    if not _early and workers_for(2):
        _early.append(_EarlyRenderer())


def workers_for(pages: int) -> int:
    """Worker processes worth forking for ``pages`` documents (0: render in this process)."""
    cores = usable_cores()
    if pages < 2 or cores < 2 or not can_fork():
        return 0
    return min(cores, pages)


def start_pdfs(pages: Sequence[tuple[str, str]], progress: bool = False,
               label: str = "PDFs") -> Callable[[], dict[str, tuple[bytes, list[str]]]]:
    """``render_pdfs``, started now and collected by calling the result: with the early
    workers of ``start_workers`` the pages render while this process goes on (a worker
    that fails has the pages rendered here when collected); without them, they render
    when collected."""
    if _early and not _early[0].used and 2 <= len(pages) <= ONE_RENDERER_PAGES:
        return _early[0].render(pages)
    if not _warm or len(pages) < 2:
        return lambda: render_pdfs(pages, progress, label)
    futures = [(name, _warm[0].submit(html_to_pdf, html)) for name, html in pages]

    def collect() -> dict[str, tuple[bytes, list[str]]]:
        results: dict[str, tuple[bytes, list[str]]] = {}
        for (name, html), (_, future) in zip(pages, futures):
            try:
                results[name] = future.result()
            except (BrokenProcessPool, OSError):
                results[name] = html_to_pdf(html)  # a worker died: this one here
        return results
    return collect


def render_pdfs(pages: Sequence[tuple[str, str]], progress: bool = False,
                label: str = "PDFs") -> dict[str, tuple[bytes, list[str]]]:
    """Every (name, html) page as a PDF and WeasyPrint's warnings, keyed by name.

    ``progress``: a progress bar on stderr, one step per PDF.
    """
    from tqdm import tqdm

    results: dict[str, tuple[bytes, list[str]]] = {}
    workers = workers_for(len(pages))
    with tqdm(total=len(pages), desc=label, unit="pdf", leave=False,
              disable=not progress) as bar:
        if workers or _warm:
            try:
                with contextlib.ExitStack() as stack:
                    if _warm:
                        pool = _warm[0]
                    else:
                        import weasyprint  # noqa: F401  (imported once, inherited by workers)

                        stack.enter_context(reproducible_fonts())
                        pool = stack.enter_context(ProcessPoolExecutor(
                            workers, multiprocessing.get_context("fork")))
                    futures = {pool.submit(html_to_pdf, html): name for name, html in pages}
                    for future in as_completed(futures):
                        results[futures[future]] = future.result()
                        bar.update(1)
            except (BrokenProcessPool, OSError):
                results.clear()  # a worker died (out of memory?): do it all here instead
                bar.reset()
        for name, html in pages:
            if name not in results:
                results[name] = html_to_pdf(html)
                bar.update(1)
    return {name: results[name] for name, _ in pages}
