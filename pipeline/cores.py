"""How much parallel work this process may do: its usable cores, and whether it can fork.

Every place that decides to fork workers (text segmentation, PDF reading, quiz PDFs, the
outputs, the lemmatizer, the tag splitter) asks here, so they agree under a CPU affinity
mask (a container or `taskset` limits a process to fewer cores than the machine has).
"""
from __future__ import annotations

import multiprocessing
import os


def usable_cores() -> int:
    """Cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
