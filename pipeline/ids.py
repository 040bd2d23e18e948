"""Stable ids: a slug of the normalized title plus a short content hash."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_NON_SLUG = re.compile(r"[^a-z0-9]+")


# Matching compares the same few hundred titles many times over (the segmenter checks
# each line against every TOC title), so normalized forms are remembered.
@lru_cache(maxsize=65536)
def normalize_title(title: str) -> str:
    """Lowercase ASCII words of a title, single-spaced: what ids and matching compare."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return " ".join(_NON_SLUG.split(folded.lower())).strip()


def slugify(text: str, max_length: int = 48) -> str:
    """A lowercase, hyphenated, filesystem- and Anki-safe slug ("" never: falls back to "x")."""
    slug = "-".join(normalize_title(text).split())[:max_length].strip("-")
    return slug or "x"


def short_hash(*parts: str, length: int = 6) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def topic_id(title: str) -> str:
    """Topic ids are the slug of the table-of-contents title."""
    return slugify(title, 64)


def problem_id(title: str, salt: str = "") -> str:
    """A problem id from its title; ``salt`` separates distinct problems of equal titles."""
    return f"{slugify(title)}-{short_hash(normalize_title(title), salt)}"


def tag_id(label: str) -> str:
    """Tag ids: lowercase slugs with no spaces (Anki tags may not contain spaces)."""
    return slugify(label, 64)
