"""Stripping extraction debris from the book's inline text without rewriting its words."""
from __future__ import annotations

import re


# "[^\[\]…]" (no nested "[") keeps these linear on lines full of brackets.
_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)+)\]\([^)\[]*\)")
_LITERAL_NEWLINE = re.compile(r"(?:\\n)+")
_MARKER = re.compile(r"^\s*(?:[-*•]\s+)?(?:👉\s*)?")
_SPACES = re.compile(r"\s+")
# Emoji and their variation selectors used as decoration, plus replacement characters a
# PDF extraction leaves where a glyph could not be mapped.
_DECORATION = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F\uFFFD\x00]")
_ESCAPE = re.compile(r"\\(.)")


def _unescape(text: str) -> str:
    """``\\x`` -> ``x``."""
    return _ESCAPE.sub(r"\1", text) if "\\" in text else text


def clean_inline(text: str) -> str:
    """Text with link syntax, bold markers, literal \\n and extra spaces removed."""
    # Called on nearly every line of a book: each step runs only when it can match.
    if "\\" in text:
        text = _LITERAL_NEWLINE.sub(" ", text)
    if "](" in text:
        text = _LINK.sub(lambda m: _unescape(m.group(1)), text)
    if "**" in text:
        text = text.replace("**", "")
    if "\\" in text:
        text = text.replace("\\(", "(").replace("\\)", ")")
    # str.split() and the pattern's \s agree on what whitespace is (str.isspace).
    return " ".join(text.split())


def strip_marker(text: str) -> str:
    """An explanation line without its ``- 👉`` marker (which may be missing)."""
    marker = _MARKER.match(text)  # it always matches, maybe empty
    return text[marker.end():] if marker else text


def strip_decoration(text: str) -> str:
    """Text without decorative emoji (headings and summaries end with them)."""
    if text.isascii() and "\x00" not in text:  # NUL is the only ASCII decoration
        return " ".join(text.split())
    return " ".join(_DECORATION.sub(" ", text).split())


_MARKED = re.compile(r"(?P<link>\[(?:[^\[\]\\]|\\.)+\]\([^)\[]*\))"
                     r"|(?P<backtick>`[^`]+`)|(?P<bold>\*\*.+?\*\*)")


def split_tag_line(text: str) -> list[tuple[str, str]]:
    """One tag line as (layout, text) pieces in printed order.

    Links, backticks and bold are certain tags; the plain words around them are kept
    together as one "plain" piece (placed where its first words were printed), since their
    own boundaries were lost.
    """
    if "\\" in text:
        text = _LITERAL_NEWLINE.sub(" ", text)
    if "[" not in text and "`" not in text and "**" not in text:
        # Nothing marked (each mark needs one of these): the line is one plain piece.
        plain_only = strip_decoration(clean_inline(text)).strip("`*_ ,;")
        return [("plain", plain_only)] if plain_only else []
    return _split_marked(text)


def _split_marked(text: str) -> list[tuple[str, str]]:
    """``split_tag_line`` of a line with its ``\\n`` debris already blanked."""
    pieces: list[tuple[str, str]] = []
    plain: list[str] = []
    plain_at: int | None = None
    position = 0
    for match in _MARKED.finditer(text):
        if text[position:match.start()].strip():
            plain.append(text[position:match.start()])
            plain_at = len(pieces) if plain_at is None else plain_at
        layout = match.lastgroup or "plain"
        inner = match.group(0)
        inner = (_LINK.sub(lambda m: m.group(1), inner) if layout == "link"
                 else inner.strip("`") if layout == "backtick" else inner[2:-2])
        value = clean_inline(_unescape(inner)).strip("`* ")
        if value:
            pieces.append((layout, value))
        position = match.end()
    if text[position:].strip():
        plain.append(text[position:])
        plain_at = len(pieces) if plain_at is None else plain_at
    remainder = strip_decoration(clean_inline(" ".join(plain))).strip("`*_ ,;")
    if remainder and plain_at is not None:
        pieces.insert(plain_at, ("plain", remainder))
    return pieces
