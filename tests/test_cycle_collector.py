"""The cycle collector: paused inside ``paused_cycle_collection`` and left as it was; the
objects alive before ``frozen_for_outputs`` out of its sight inside it; the exit hook."""
from __future__ import annotations

import gc

import pytest

from pipeline.cycle_collector import paused_cycle_collection


@pytest.fixture
def collector_restored():
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_paused_inside_and_enabled_again_after(collector_restored):
    gc.enable()
    with paused_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_enables_it_again(collector_restored):
    gc.enable()
    with pytest.raises(RuntimeError), paused_cycle_collection():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_paused_before_stays_paused(collector_restored):
    gc.disable()
    with paused_cycle_collection():
        with paused_cycle_collection():  # nested: the inner one does not enable it
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert not gc.isenabled()


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_objects_alive_before_the_block_are_out_of_the_collectors_sight_inside_it():
    import weakref

    from pipeline.cycle_collector import frozen_for_outputs

    node = _Node()
    gone = weakref.ref(node)
    with frozen_for_outputs():
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()
        assert gone() is not None  # frozen: a full collection does not see the cycle
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None  # back in sight after the block, and freed


def test_an_error_inside_the_frozen_block_still_unfreezes():
    from pipeline.cycle_collector import frozen_for_outputs

    with pytest.raises(RuntimeError), frozen_for_outputs():
        raise RuntimeError("boom")
    assert gc.get_freeze_count() == 0


def test_the_exit_hook_freezes_the_heap_before_the_interpreters_last_collection():
    import subprocess
    import sys

    # atexit runs its hooks last registered first: the printing hook runs after ours.
    code = ("import atexit, gc\n"
            "atexit.register(lambda: print(gc.get_freeze_count() > 0))\n"
            "from pipeline.cycle_collector import skip_collection_at_exit\n"
            "skip_collection_at_exit(); skip_collection_at_exit()\n"
            "print(1)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["1", "True"]


def test_the_exit_hook_is_registered_once(monkeypatch):
    import atexit

    from pipeline import cycle_collector

    hooks = []
    monkeypatch.setattr(cycle_collector, "_exit_hook", False)
    monkeypatch.setattr(atexit, "register", hooks.append)
    cycle_collector.skip_collection_at_exit()
    cycle_collector.skip_collection_at_exit()
    assert hooks == [gc.freeze]
