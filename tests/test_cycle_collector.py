"""The cycle collector: paused inside ``paused_cycle_collection`` and ``paused_for_build``
and left as it was; what a build made moved to the oldest generation; the exit hook."""
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


def test_a_build_runs_with_the_collector_paused_and_leaves_it_as_it_was(collector_restored):
    import weakref

    from pipeline.cycle_collector import paused_for_build

    gc.enable()
    with paused_for_build():
        assert not gc.isenabled()
        node = _Node()
        gone = weakref.ref(node)
        del node
        assert gone() is not None  # a cycle made during the build waits for it to end
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None  # and is freed by the next full collection


def test_what_a_build_made_is_left_in_the_oldest_generation(collector_restored):
    from pipeline.cycle_collector import paused_for_build

    gc.enable()
    with paused_for_build():
        made = [_Node() for _ in range(50)]
        assert gc.get_count()[0] >= 50  # young while the collector is paused
    # in the oldest generation now: a collection of the young ones no longer walks them
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(node) in oldest for node in made)


def test_a_build_leaves_objects_frozen_before_it_frozen(collector_restored):
    from pipeline.cycle_collector import paused_for_build

    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with pytest.raises(RuntimeError), paused_for_build():
            raise RuntimeError("boom")
        assert gc.get_freeze_count() == before and gc.isenabled()
    finally:
        gc.unfreeze()


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
