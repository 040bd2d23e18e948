"""The cycle collector is paused inside ``paused_cycle_collection`` and left as it was."""
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
