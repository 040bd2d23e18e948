"""Stripping extraction debris from the book's inline text without rewriting its words."""
from __future__ import annotations

import re

from .models import RawTag

_LINK = re.compile(r"\[((?:[^\]\\]|\\.)+)\]\([^)]*\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BACKTICK = re.compile(r"`([^`]+)`")
_LITERAL_NEWLINE = re.compile(r"(?:\\n)+")
_MARKER = re.compile(r"^\s*(?:[-*•]\s+)?(?:👉\s*)?")
_SPACES = re.compile(r"\s+")
# Emoji and their variation selectors used as decoration, plus replacement characters a
# PDF extraction leaves where a glyph could not be mapped.
_DECORATION = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F\uFFFD\x00]")


def clean_inline(text: str) -> str:
    """Text with link syntax, bold markers, literal \\n and extra spaces removed."""
    text = _LITERAL_NEWLINE.sub(" ", text)
    text = _LINK.sub(lambda m: re.sub(r"\\(.)", r"\1", m.group(1)), text)
    text = text.replace("**", "")
    text = text.replace("\\(", "(").replace("\\)", ")")
    return _SPACES.sub(" ", text).strip()


def strip_marker(text: str) -> str:
    """An explanation line without its ``- 👉`` marker (which may be missing)."""
    return _MARKER.sub("", text, count=1)


def strip_decoration(text: str) -> str:
    """Text without decorative emoji (headings and summaries end with them)."""
    return _SPACES.sub(" ", _DECORATION.sub(" ", text)).strip()


def split_tag_line(text: str) -> tuple[list[RawTag], str]:
    """Marked tag spans of one tag line (links, backticks, bold) and the plain remainder."""
    spans: list[tuple[int, RawTag]] = []
    rest = _LITERAL_NEWLINE.sub(" ", text)
    for pattern, layout in ((_LINK, "link"), (_BACKTICK, "backtick"), (_BOLD, "bold")):
        for match in pattern.finditer(rest):
            value = clean_inline(re.sub(r"\\(.)", r"\1", match.group(1))).strip("`* ")
            if value:
                spans.append((match.start(), RawTag(text=value, layout=layout)))  # type: ignore[arg-type]
        rest = pattern.sub(lambda m: " " * len(m.group(0)), rest)
    spans.sort(key=lambda item: item[0])
    remainder = strip_decoration(clean_inline(rest)).strip("`*_ ,;")
    return [tag for _, tag in spans], remainder
