"""Emitters against human-checked golden files; refresh with `make golden`."""
from __future__ import annotations

import pytest

from golden import GOLDEN, GOLDEN_FILES


@pytest.mark.parametrize("name", sorted(GOLDEN_FILES))
def test_output_matches_golden_file(name):
    expected = (GOLDEN / name).read_bytes()
    assert GOLDEN_FILES[name]() == expected, f"{name} changed: check it, then `make golden`"
