"""Where a build spends its time: wall and CPU seconds per stage, for the benchmark.

``stage(name)`` marks a stretch of work; it records nothing unless a ``Timings`` is being
recorded (``drillbook build --timings FILE`` does that, and ``make bench`` reads the file).
CPU time counts this process and the worker processes it has reaped (PDF renderers), so on a
shared machine it says how much work a stage is, while wall time says how long it took.
A stage run in a worker process (outputs built in parallel, ``pipeline/parallel.py``)
is timed there and added here with the name of its process (``worker_recording``,
``add_worker_stages``); the stage of this process around it counts the worker's CPU once
the worker is reaped.
"""
from __future__ import annotations

import contextlib
import resource
import time
from dataclasses import dataclass, field
from typing import Iterator


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and of its reaped children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


MAIN = "main"  # the process name of stages timed in the build's own process

StageTime = tuple[str, int, float, float, str]  # name, depth, wall s, CPU s, process


@dataclass
class Timings:
    """Stages in the order they finished: (name, depth, wall seconds, CPU seconds, process).

    ``depth`` 0 is a stage of the build itself; 1 a part of the stage around it.
    ``process`` is ``"main"``, or the worker process that ran the stage in parallel with
    this one (its wall time overlaps the main process's stages).
    ``before_cpu``: CPU seconds spent before the recording started (interpreter start,
    imports).
    """

    stages: list[StageTime] = field(default_factory=list)
    before_cpu: float = field(default_factory=lambda: cpu_seconds())
    depth: int = 0

    def as_json(self) -> dict[str, object]:
        return {"before_cpu_s": round(self.before_cpu, 3),
                "stages": [{"stage": name, "depth": depth, "wall_s": round(wall, 3),
                            "cpu_s": round(cpu, 3), "process": process}
                           for name, depth, wall, cpu, process in self.stages],
                "note": "wall and CPU seconds (this process and its reaped worker "
                        "processes) per stage; a stage of depth 1 is part of the depth-0 "
                        "stage listed after it; process: main, or the worker process that "
                        "ran the stage in parallel with the main process (its CPU is also "
                        "in the main stage around it); before_cpu_s is the CPU time spent "
                        "before the build started (interpreter start and imports)"}


_recording: list[Timings] = []


@contextlib.contextmanager
def recording() -> Iterator[Timings]:
    """Record every ``stage`` entered inside the block."""
    timings = Timings()
    _recording.append(timings)
    try:
        yield timings
    finally:
        _recording.remove(timings)


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    """Time the block as stage ``name`` when a recording is on (else it costs nothing)."""
    if not _recording:
        yield
        return
    wall, cpu = time.perf_counter(), cpu_seconds()
    depths = [timings.depth for timings in _recording]
    for timings in _recording:
        timings.depth += 1
    try:
        yield
    finally:
        for timings, depth in zip(_recording, depths):
            timings.depth = depth
            timings.stages.append((name, depth, time.perf_counter() - wall,
                                   cpu_seconds() - cpu, MAIN))


def recording_on() -> bool:
    """Whether stages are being recorded (a worker process records its own only then)."""
    return bool(_recording)


@contextlib.contextmanager
def worker_recording() -> Iterator[Timings]:
    """In a forked worker: forget the recordings inherited from the parent and record this
    process's stages afresh (the caller sends them back to the parent)."""
    inherited = list(_recording)
    _recording.clear()
    try:
        with recording() as timings:
            yield timings
    finally:
        _recording[:] = inherited


def add_worker_stages(stages: list[StageTime], process: str) -> None:
    """Add stages a worker process timed to every recording, nested in the current stage."""
    for timings in _recording:
        for name, depth, wall, cpu, _ in stages:
            timings.stages.append((name, timings.depth + depth, wall, cpu, process))
