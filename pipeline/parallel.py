"""Groups of work in parallel (a build's outputs, the tags stage's rows): one forked process
per group but the last.

``registry.GROUPS`` splits the outputs into groups that share nothing (the quiz and the site
share the quiz ``Bank`` through ``EmitContext.state``, so they are one group). Every group
but the last runs in a process forked from the build after the corpus is made: it inherits
the corpus, the context and everything imported, so nothing is sent to it; it sends back
its ``Emitted`` results (and, when the build is timed, its stages). The last group runs in
the build's own process meanwhile. An emitter is a pure function of the corpus and the
context, so a result is the same bytes wherever it was made, and the results are put back
in the registry's order.

The workers are forked before anything here starts a thread: the build starts the quiz's
PDF renderers (a process pool, with threads of its own) through ``run_groups``' ``forked``
hook, once the workers are forked.

The tags stage splits half of a large corpus's joined rows the same way
(``tags/stage.py``): nothing in ``run_groups`` is about outputs but its default name.

On one core, or where ``fork`` is missing, the groups run one after the other here. A
worker that dies without an answer (killed, out of memory) has its group run here; an
error in a worker is raised here as the build would have raised it.
"""
from __future__ import annotations

import multiprocessing
import traceback
from typing import Any, Callable, Sequence, TypeVar

from .cores import can_fork, usable_cores
from .errors import DrillbookError
from .timing import add_worker_stages, recording_on, worker_recording

Task = TypeVar("Task")
Result = TypeVar("Result")


def run_groups(groups: Sequence[Sequence[Task]], run: Callable[[Task], Result],
               parallel: bool = True,
               forked: Callable[[], None] | None = None,
               finish: Callable[[Result], Result] | None = None,
               name: str = "drillbook-outputs") -> list[list[Result]]:
    """``run`` over every task of every group, each group's results in its order; with
    ``parallel`` (and two cores and ``fork``), every group but the last in a worker
    (processes named ``name``-1, -2, ...).
    ``finish``, when given, is applied to each result once its whole group has run (in
    the process that ran it): a task may leave work running while the next ones run.

    ``forked`` is called once the workers are forked (at once when none are), before any
    group runs here: anything that starts threads in this process (a process pool's
    manager and feeder threads) starts there, so no worker is forked from a process with
    threads (the child gets only the forking thread, and any lock another thread held
    stays locked in it forever)."""
    lists = [list(group) for group in groups]
    each = _each(run, finish)
    if not parallel or len(lists) < 2 or usable_cores() < 2 or not can_fork():
        if forked is not None:
            forked()
        return [each(group) for group in lists]
    context = multiprocessing.get_context("fork")
    workers = []
    for number, group in enumerate(lists[:-1], 1):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(group, each, send),
                                  name=f"{name}-{number}", daemon=True)
        process.start()
        send.close()  # the worker holds the only sending end: EOF when it dies
        workers.append((process, receive))
    results: list[list[Result]] = [[] for _ in lists]
    try:
        if forked is not None:
            forked()
        results[-1] = each(lists[-1])
        for index, (process, receive) in enumerate(workers):
            results[index] = _collect(process, receive, lists[index], each, index + 1)
    finally:
        for process, receive in workers:
            receive.close()
            if process.is_alive():
                process.terminate()
            process.join()
    return results


def _each(run: Callable[[Task], Result],
          finish: Callable[[Result], Result] | None) -> Callable[[list[Task]], list[Result]]:
    """One group's run: every task, then ``finish`` on every result."""
    def group_run(group: list[Task]) -> list[Result]:
        results = [run(task) for task in group]
        return results if finish is None else [finish(result) for result in results]
    return group_run


def _collect(process: Any, receive: Any, group: list[Task],
             each: Callable[[list[Task]], list[Result]], number: int) -> list[Result]:
    """A worker's results (re-raising its error), or the group run here if it died."""
    try:
        answer = receive.recv()
    except (EOFError, OSError):
        answer = None
    process.join()
    if answer is None:
        return each(group)  # the worker died without an answer
    status, payload, stages = answer
    if stages:
        add_worker_stages(stages, f"worker {number}")
    if status == "ok":
        done: list[Result] = payload
        return done
    if status == "drillbook-error":
        raise DrillbookError(*payload)
    summary, details = payload
    failure = WorkerFailure(f"an output failed in a worker process: {summary}")
    failure.add_note(details)  # the worker's traceback, shown with --verbose only
    raise failure


class WorkerFailure(RuntimeError):
    """A bug in an output run by a worker: its message is the worker's exception in one
    line ("KeyError: 'oops'"), its note the worker's traceback."""


def _work(group: list[Task], each: Callable[[list[Task]], list[Result]], send: Any) -> None:
    """A worker's body: run the group, send back its results or its error."""
    stages: list[Any] = []
    try:
        if recording_on():
            with worker_recording() as timings:
                try:
                    answer: tuple[str, Any, list[Any]] = ("ok", each(group), stages)
                finally:
                    stages.extend(timings.stages)
        else:
            answer = ("ok", each(group), stages)
    except DrillbookError as exc:
        answer = ("drillbook-error", (exc.message, exc.path, exc.line, exc.page), stages)
    except BaseException as exc:  # noqa: BLE001 - sent to the build, which raises it
        answer = ("error", _failure(exc), stages)
    try:
        send.send(answer)
    except Exception as exc:  # noqa: BLE001 - a result that cannot be sent is an error too
        send.send(("error", _failure(exc), stages))
    finally:
        send.close()


def _failure(exc: BaseException) -> tuple[str, str]:
    """(the exception in one line, the traceback): what a worker sends back for a bug."""
    message = " ".join(str(exc).split())
    summary = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return summary, traceback.format_exc()
