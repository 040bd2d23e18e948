"""Outputs made in parallel processes (pipeline/parallel.py) and work shared between the
outputs of one run (EmitContext.state): the same bytes as one output at a time, alone."""
from __future__ import annotations

import dataclasses
import multiprocessing.process
import os
import threading

import pytest
from conftest import ROOT

from pipeline.build import build_corpus, emit_context, emit_outputs, finish_corpus, run_build
from pipeline.config import Config
from pipeline import parallel
from pipeline.emit import quiz, site
from pipeline.emit.base import Emitted, RunState
from pipeline.models import Diagnostic
from pipeline.errors import DrillbookError
from pipeline.sources import find_source_files
from pipeline.templating import make_environment

two_cores = pytest.mark.skipif(parallel.usable_cores() < 2 or not parallel.can_fork(),
                               reason="needs two cores and fork")


def test_groups_give_their_results_in_order_whichever_process_ran_them():
    groups = [[1, 2], [3], [4, 5, 6]]
    assert parallel.run_groups(groups, lambda n: n * 10) == [[10, 20], [30], [40, 50, 60]]
    assert parallel.run_groups(groups, lambda n: n * 10, parallel=False) == [
        [10, 20], [30], [40, 50, 60]]


@two_cores
def test_the_first_groups_run_in_other_processes():
    pids = parallel.run_groups([["a"], ["b"]], lambda _: os.getpid())
    assert pids[1] == [os.getpid()] and pids[0] != [os.getpid()]


@two_cores
def test_an_error_in_a_worker_is_raised_as_the_build_would_raise_it():
    def run(task: str) -> str:
        if task == "bad":
            raise DrillbookError("no such thing", "book.txt", 12)
        return task

    with pytest.raises(DrillbookError) as caught:
        parallel.run_groups([["bad"], ["fine"]], run)
    assert str(caught.value) == "book.txt:12: no such thing"

    def crash(task: str) -> str:
        if task == "bug":
            raise KeyError("oops")
        return task

    with pytest.raises(RuntimeError) as bug:
        parallel.run_groups([["bug"], ["fine"]], crash)
    # One line for the user (the CLI prints str()), the worker's traceback kept apart for
    # --verbose.
    assert str(bug.value) == "an output failed in a worker process: KeyError: 'oops'"
    assert "Traceback" in "".join(bug.value.__notes__)


@two_cores
def test_a_worker_that_dies_has_its_group_run_here():
    me = os.getpid()

    def run(task: str) -> str:
        if os.getpid() != me:
            os._exit(9)  # killed before it could answer
        return task

    assert parallel.run_groups([["a", "b"], ["c"]], run) == [["a", "b"], ["c"]]


@two_cores
def test_the_forked_hook_runs_after_the_workers_are_forked_and_before_the_last_group():
    order = []
    parallel.run_groups([["a"], ["b"]], lambda task: order.append(task),
                        forked=lambda: order.append("forked"))
    assert order == ["forked", "b"]  # "a" was appended in the worker's copy of the list
    order.clear()
    parallel.run_groups([["a"], ["b"]], lambda task: order.append(task), parallel=False,
                        forked=lambda: order.append("forked"))
    assert order == ["forked", "a", "b"]


@two_cores
def test_a_cold_build_forks_nothing_while_a_thread_of_its_own_runs(tmp_path, monkeypatch):
    # A forked child gets only the forking thread: a lock another thread held (a process
    # pool's queues, logging, the allocator) stays locked in it for good. Every process a
    # cold build forks (the quiz's PDF renderer, the output worker) is
    # forked while no thread the build started is alive.
    before = {t.ident for t in threading.enumerate()}
    forks: list[tuple[str, list[str]]] = []
    real_start = multiprocessing.process.BaseProcess.start

    def start(process):
        if os.getpid() == me:  # the build's own forks, not its workers'
            forks.append((process.name, sorted(t.name for t in threading.enumerate()
                                               if t.ident not in before)))
        return real_start(process)

    me = os.getpid()
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start)
    run_build([ROOT / "raw" / "sample" / "sample-ebook.txt"], tmp_path / "out", Config(),
              use_cache=False)
    names = [name for name, _ in forks]
    assert "drillbook-outputs-1" in names
    assert len(names) >= 2  # and the quiz's PDF renderer (one for a build's three papers)
    # the renderer is forked when the build starts, before the output workers
    assert names.index("drillbook-pdf") < names.index("drillbook-outputs-1")
    assert all(not started for _, started in forks), forks


@pytest.mark.parametrize("in_parallel", [False, True])
def test_finish_runs_once_a_whole_group_has_run_in_the_process_that_ran_it(in_parallel):
    # the quiz leaves its PDFs rendering while the site runs, then collects them
    order: list[str] = []

    def run(task: str) -> str:
        order.append(f"run {task}")
        return task

    def finish(result: str) -> str:
        order.append(f"finish {result}")
        return f"{result} ({'worker' if os.getpid() != me else 'here'})"

    me = os.getpid()
    done = parallel.run_groups([["a", "b"], ["c", "d"]], run, parallel=in_parallel,
                               finish=finish)
    where = "worker" if in_parallel and parallel.usable_cores() > 1 and parallel.can_fork() \
        else "here"
    assert done == [[f"a ({where})", f"b ({where})"], ["c (here)", "d (here)"]]
    mine = ["run c", "run d", "finish c", "finish d"]
    assert order == (mine if where == "worker" else
                     ["run a", "run b", "finish a", "finish b", *mine])


def test_an_output_with_pending_work_completes_with_its_files_and_diagnostics():
    collected = []

    def pending():
        collected.append(True)
        return {"q/paper.pdf": b"%PDF"}, (Diagnostic("warning", "quiz-pdf", "odd font", None),)

    started = Emitted("quiz", {"q/paper.html": b"<p>"}, (), {"quiz": {}}, "q/: 1 question",
                      pending=pending)
    done = started.complete()
    assert collected == [True] and done.pending is None
    assert done.files == {"q/paper.html": b"<p>", "q/paper.pdf": b"%PDF"}
    assert [d.message for d in done.diagnostics] == ["odd font"]
    assert (done.report, done.summary) == (started.report, started.summary)
    assert done.complete() is done


def test_a_build_collects_the_quiz_pdfs_it_left_rendering(tmp_path):
    run_build([ROOT / "raw" / "sample" / "sample-ebook.txt"], tmp_path / "out", Config(),
              use_cache=False)
    pdfs = sorted(p.name for p in (tmp_path / "out" / "quizzes" / "default").glob("*.pdf"))
    assert pdfs and all((tmp_path / "out" / "quizzes" / "default" / name).read_bytes()
                        .startswith(b"%PDF") for name in pdfs)


@pytest.fixture(scope="module")
def sample_build():
    config = Config()
    config = dataclasses.replace(config, quiz=dataclasses.replace(config.quiz, pdf=False))
    inputs = find_source_files([ROOT / "raw" / "sample"], config.sources.skip_folders, None)
    built = finish_corpus(build_corpus(inputs, config), config)
    return built, config


def test_parallel_outputs_are_the_bytes_of_sequential_outputs(sample_build, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # both runs stamp the same time
    built, config = sample_build
    env = make_environment()
    one_by_one = emit_outputs(built, emit_context(config, env, None), parallel=False)
    together = emit_outputs(built, emit_context(config, env, None), parallel=True)
    assert [r.name for r in together] == [r.name for r in one_by_one] == [
        "corpus", "anki", "quiz", "site", "report"]
    for alone, parallel_result in zip(one_by_one, together):
        assert parallel_result.files == alone.files, alone.name
        assert parallel_result.diagnostics == alone.diagnostics
        assert parallel_result.report == alone.report
        assert parallel_result.summary == alone.summary


def test_the_site_reuses_the_quiz_bank_and_makes_the_same_files(sample_build, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    built, config = sample_build
    corpus, env = built.corpus, make_environment()
    shared = emit_context(config, env, None)
    files = {**quiz.emit(corpus, shared).files, **site.emit(corpus, shared).files}
    keys = [key for key in shared.state._values if key[0] == "quiz bank"]
    assert len(keys) == 1  # one Bank for both quizzes
    alone = {**quiz.emit(corpus, emit_context(config, env, None)).files,
             **site.emit(corpus, emit_context(config, env, None)).files}
    assert files == alone


def test_run_state_makes_each_value_once():
    state, made = RunState(), []
    assert state.shared("a", lambda: made.append(1) or "x") == "x"
    assert state.shared("a", lambda: made.append(2) or "y") == "x"
    assert made == [1]
