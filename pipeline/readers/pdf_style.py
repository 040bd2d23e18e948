"""What a PDF says about how text looks: font names, weight, monospace, colours, garbage glyphs.

PDF producers write colours in grey, RGB or CMYK and font names with a subset prefix
("ABCDEF+DejaVuSans-Bold"); these helpers turn both into one comparable form.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_BOLD = re.compile(r"bold|black|heavy|semibold|demi|extrabold|ultrabold|(?<=[a-z])bd\b|[-,_]bd\b",
                   re.IGNORECASE)
_MONO = re.compile(r"mono|courier|consol|menlo|code|fixed|typewriter|inconsolata|\btt\b",
                   re.IGNORECASE)
# Invisible or placeholder characters an extraction leaves where a glyph had no usable
# Unicode value: NUL, the replacement character, variation selectors, zero-width joiners.
_INVISIBLE = frozenset("\x00\ufffd\ufe0e\ufe0f\u200b\u200c\u200d\u2060\ufeff")


@lru_cache(maxsize=256)
def base_font_name(fontname: str | None) -> str:
    """The font's name without the subset prefix ("ABCDEF+Name" -> "Name")."""
    return _SUBSET_PREFIX.sub("", fontname or "")


@lru_cache(maxsize=256)
def is_bold_font(fontname: str | None) -> bool:
    """Whether the font's name marks a bold (or heavier) weight."""
    return bool(_BOLD.search(base_font_name(fontname)))


@lru_cache(maxsize=256)
def is_mono_font(fontname: str | None) -> bool:
    """Whether the font's name marks a monospaced (code) face."""
    return bool(_MONO.search(base_font_name(fontname)))


def _unit(value: Any) -> float:
    number = float(value)
    if number > 1.0:  # some producers write 0-255 components
        number = number / 255.0
    return min(1.0, max(0.0, number))


def normalize_color(color: Any) -> str | None:
    """A grey, RGB or CMYK colour as "#rrggbb"; None for patterns and unknown spaces."""
    if color is None or isinstance(color, str):
        return None
    if isinstance(color, (int, float)):
        color = (color,)
    try:
        parts = [_unit(c) for c in color]
    except (TypeError, ValueError):
        return None
    if len(parts) == 1:
        red = green = blue = parts[0]
    elif len(parts) == 3:
        red, green, blue = parts
    elif len(parts) == 4:
        cyan, magenta, yellow, black = parts
        red, green, blue = ((1 - cyan) * (1 - black), (1 - magenta) * (1 - black),
                            (1 - yellow) * (1 - black))
    else:
        return None
    # Half-way values round up; the epsilon undoes float error such as 1 - 0.9 = 0.0999…
    return "#%02x%02x%02x" % tuple(int(c * 255 + 0.5 + 1e-6) for c in (red, green, blue))


def is_invisible(text: str) -> bool:
    """A glyph that carries no text: NUL, U+FFFD, variation selectors, "(cid:N)" and such."""
    if not text or text.startswith("(cid:"):
        return True
    if len(text) != 1:
        return False
    if text in _INVISIBLE:
        return True
    category = unicodedata.category(text)
    return category in ("Cc", "Cf", "Co", "Cn", "Cs") and text not in "\t\n\r"


def is_lettered(text: str) -> bool:
    """A non-ASCII letter or digit: what a broken glyph-to-Unicode map typically yields."""
    return len(text) == 1 and not text.isascii() and unicodedata.category(text)[0] in "LN"
