"""The one "same problem?" test: dedupe, overrides and id continuity all ask it here.

Two copies are the same problem when their titles are alike (token-sort ratio >=
``title_threshold``) and their bodies are alike (ratio >= ``body_threshold``), or when their
bodies are nearly identical (>= ``strong_body_threshold``: a later edition may retitle a
problem). The body is the question, summary and point text, never the tags (their layout
differs between copies). Dedupe scores its candidate pairs in bulk
(``pipeline.dedupe.pairwise_ratio``) and applies ``is_same_problem`` to the scores; the
others compare two records with ``same_problem``.
"""
from __future__ import annotations

from rapidfuzz import fuzz

from .config import DedupeConfig
from .ids import body_text, normalize_title
from .models import Problem

__all__ = ["body_text", "score_pair", "is_same_problem", "scores", "same_problem"]


def score_pair(title_a: str, title_b: str, body_a: str, body_b: str) -> tuple[float, float]:
    """Title and body similarity (0-100) of two copies (normalized titles, body texts)."""
    return (fuzz.token_sort_ratio(title_a, title_b), fuzz.ratio(body_a, body_b))


def is_same_problem(title: float, body: float, config: DedupeConfig) -> bool:
    """Alike titles AND alike bodies, or nearly identical bodies (a retitled copy)."""
    return ((title >= config.title_threshold and body >= config.body_threshold)
            or body >= config.strong_body_threshold)


def scores(a: Problem, b: Problem, body_a: str | None = None,
           body_b: str | None = None) -> tuple[float, float]:
    """Title and body similarity of two records (pass body texts already computed)."""
    return score_pair(normalize_title(a.title), normalize_title(b.title),
                      body_text(a) if body_a is None else body_a,
                      body_text(b) if body_b is None else body_b)


def same_problem(a: Problem, b: Problem, config: DedupeConfig, body_a: str | None = None,
                 body_b: str | None = None) -> bool:
    """Would dedupe call these two records copies of one problem?"""
    return is_same_problem(*scores(a, b, body_a, body_b), config)
