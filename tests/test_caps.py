"""Lists nobody can use are capped with a message: the near misses of dedupe."""
from __future__ import annotations

from test_dedupe import make

from pipeline import dedupe
from pipeline.config import DedupeConfig
from pipeline.dedupe import merge_repeats

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
         "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo"]


def look_alikes() -> list:
    """Problems with nearly equal titles and unrelated bodies: every pair a near miss."""
    return [make(f"Choosing the Shard Key for Orders {chr(65 + i)}{'x' * (i % 4)}", 10 * i,
                 " ".join(WORDS[(i * 5 + k) % len(WORDS)] for k in range(4)) + f" n{i}")
            for i in range(14)]


def test_near_misses_over_the_cap_keep_the_closest_with_a_note(monkeypatch):
    config = DedupeConfig()
    full = merge_repeats(look_alikes(), config)
    assert len(full.near_misses) > 20 and not any(d.code == "near-miss-cap"
                                                  for d in full.diagnostics)
    monkeypatch.setattr(dedupe, "MAX_NEAR_MISSES", 20)
    capped = merge_repeats(look_alikes(), config)
    assert len(capped.near_misses) == 20
    # The kept pairs are the 20 closest to a threshold, in the order they were found.
    def shortfall(p):
        return min(config.title_threshold - p.title, config.body_threshold - p.body)
    cut = sorted(shortfall(p) for p in full.near_misses)[19]
    assert all(shortfall(p) <= cut for p in capped.near_misses)
    assert list(capped.near_misses) == [p for p in full.near_misses if p in capped.near_misses]
    notes = [d for d in capped.diagnostics if d.code == "near-miss-cap"]
    assert len(notes) == 1 and f"{len(full.near_misses):,} near misses" in notes[0].message
    assert sum(d.code == "near-miss" for d in capped.diagnostics) == 20
