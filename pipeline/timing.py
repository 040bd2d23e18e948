"""Where a build spends its time: wall and CPU seconds per stage, for the benchmark.

``stage(name)`` marks a stretch of work; it records nothing unless a ``Timings`` is being
recorded (``drillbook build --timings FILE`` does that, and ``make bench`` reads the file).
CPU time counts this process and the worker processes it has reaped (PDF renderers), so on a
shared machine it says how much work a stage is, while wall time says how long it took.
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


@dataclass
class Timings:
    """Stages in the order they finished: (name, depth, wall seconds, CPU seconds).

    ``depth`` 0 is a stage of the build itself; 1 a part of the stage around it.
    ``before_cpu``: CPU seconds spent before the recording started (interpreter start,
    imports).
    """

    stages: list[tuple[str, int, float, float]] = field(default_factory=list)
    before_cpu: float = field(default_factory=lambda: cpu_seconds())
    depth: int = 0

    def as_json(self) -> dict[str, object]:
        return {"before_cpu_s": round(self.before_cpu, 3),
                "stages": [{"stage": name, "depth": depth, "wall_s": round(wall, 3),
                            "cpu_s": round(cpu, 3)} for name, depth, wall, cpu in self.stages],
                "note": "wall and CPU seconds (this process and its reaped worker "
                        "processes) per stage; a stage of depth 1 is part of the depth-0 "
                        "stage listed after it; before_cpu_s is the CPU time spent before "
                        "the build started (interpreter start and imports)"}


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
                                   cpu_seconds() - cpu))
