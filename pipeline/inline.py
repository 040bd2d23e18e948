"""The book's text format, parsed once: inline Markdown with TeX math.

Every text field of the corpus (titles, questions, summaries, explanations, examples, tag
labels) is **inline Markdown**: code spans in backticks, ``*emphasis*`` and ``**strong**``,
backslash escapes (``\\$50``), and TeX math between dollar signs (``$O(\\log N)$``). Nothing
else: no raw HTML, no links or autolinks, no entities, no block syntax; those characters are
text and show as printed. The parser is markdown-it-py (CommonMark) with mdit-py-plugins'
dollar math, configured once here. Two additions for the book's own habits, both done inside
the parser: ``\\$`` in a code span is a dollar (the book's exporter escapes every dollar,
even in code), and a bare TeX symbol outside dollars (``a \\rightarrow b``) is math.

The API, for every emitter and generator:

- ``parse(text) -> Inline``: spans (``text``, ``code``, ``math``), emphasis ranges, and
  ``plain``, the characters a reader sees. Offsets everywhere are offsets into ``plain``.
- ``Inline.atoms``: the ranges of code spans and formulas, which blanking, clozes and masking
  must keep whole (``Inline.cuts(start, end)`` says whether a range would cut one).
- ``render_html(text, math=..., escape=..., marks=...)``: HTML; math as MathML
  (``"mathml"``), MathJax ``\\( … \\)`` (``"mathjax"``, for Anki and Moodle) or SVG images
  (``"svg"``, for WeasyPrint, which does not lay out MathML). ``marks`` wrap plain ranges in
  caller HTML (a cloze), always well nested.
- ``plain_text(text)``: readable plain text (formulas via pylatexenc: ``O(log N)``).
- ``Inline.replace(ranges, text)`` and ``to_markdown(inline)``: a blanked copy, as Markdown.
- ``escape_markdown(text)``: literal text as Markdown (``___`` stays three underscores).
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Literal, Sequence

from markupsafe import Markup

from . import inline_math

if TYPE_CHECKING:  # imported late at run time (see _parser)
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

SpanKind = Literal["text", "code", "math"]
MathStyle = Literal["mathml", "mathjax", "svg"]
MATH_STYLES: tuple[MathStyle, ...] = ("mathml", "mathjax", "svg")

# Markdown's inline specials: escaped in literal text so they stay text.
_MARKDOWN_SPECIAL = frozenset("\\`*_$")


@dataclass(frozen=True, slots=True)
class Span:
    """A run of one kind: ``text`` (escapes resolved), ``code`` (its content), ``math``.

    ``plain`` is what a reader sees (for math, readable text such as ``O(log N)``);
    ``source`` is the code or the TeX. ``start``/``end`` are offsets into ``Inline.plain``.
    """

    kind: SpanKind
    plain: str
    source: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Style:
    """An emphasis range over ``Inline.plain``: ``em`` (``*x*``) or ``strong`` (``**x**``)."""

    kind: Literal["em", "strong"]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mark:
    """Caller HTML around a plain range (``open`` and ``close`` are trusted markup)."""

    start: int
    end: int
    open: str
    close: str


@dataclass(frozen=True, slots=True)
class Inline:
    """One parsed field: its spans in order and its emphasis ranges."""

    spans: tuple[Span, ...]
    styles: tuple[Style, ...] = ()

    @property
    def plain(self) -> str:
        return "".join(span.plain for span in self.spans)

    @property
    def atoms(self) -> tuple[tuple[int, int], ...]:
        """(start, end) of every code span and formula: never cut through one."""
        return tuple((s.start, s.end) for s in self.spans if s.kind != "text")

    def cuts(self, start: int, end: int) -> bool:
        """True when [start, end) covers part of an atom but not all of it."""
        return any(start < a_end and a_start < end and not (start <= a_start and a_end <= end)
                   for a_start, a_end in self.atoms)

    def overlaps_atom(self, start: int, end: int) -> bool:
        """True when [start, end) shares a character with a code span or formula."""
        return any(start < a_end and a_start < end for a_start, a_end in self.atoms)

    def replace(self, ranges: Iterable[tuple[int, int]], text: str) -> "Inline":
        """A copy with each plain range replaced by literal ``text`` (e.g. a blank).

        A range may cover whole atoms (they go) but must not cut one (ValueError). The new
        text takes the emphasis that encloses the whole range.
        """
        cuts = sorted((s, e) for s, e in ranges if e > s)
        for (s1, e1), (s2, _) in zip(cuts, cuts[1:]):
            if s2 < e1:
                raise ValueError(f"overlapping ranges {s1}-{e1} and {s2}")
        for s, e in cuts:
            if self.cuts(s, e):
                raise ValueError(f"range {s}-{e} cuts through a code span or formula")
        pieces = _with_positions(self, cuts, text)

        def moved_start(p: int) -> int:
            shift = 0
            for s, e in cuts:
                if p <= s:
                    break
                if p <= e:  # starts inside the range: after the new text
                    return s + shift + len(text)
                shift += len(text) - (e - s)
            return p + shift

        def moved_end(p: int) -> int:
            shift = 0
            for s, e in cuts:
                if p < e:  # ends before or inside the range: before the new text
                    return min(p, s) + shift
                if p == e:  # ends with the range: the new text is inside
                    return s + shift + len(text)
                shift += len(text) - (e - s)
            return p + shift

        styles = [Style(st.kind, moved_start(st.start), moved_end(st.end)) for st in self.styles]
        return _build(pieces, [st for st in styles if st.end > st.start])


def _with_positions(inline: Inline, cuts: list[tuple[int, int]],
                    text: str) -> list[tuple[SpanKind, str, str]]:
    """The pieces outside the ranges, with ``text`` inserted where each range started."""
    kept: list[tuple[int, tuple[SpanKind, str, str]]] = []
    for span in inline.spans:
        if span.kind != "text":
            if not any(s <= span.start and span.end <= e for s, e in cuts):
                kept.append((span.start, (span.kind, span.plain, span.source)))
            continue
        position = span.start
        for s, e in cuts:
            if e <= position or s >= span.end:
                continue
            if s > position:
                kept.append((position, ("text", span.plain[position - span.start:s - span.start],
                                        "")))
            position = max(position, min(e, span.end))
        if position < span.end:
            kept.append((position, ("text", span.plain[position - span.start:], "")))
    inserted: list[tuple[int, tuple[SpanKind, str, str]]] = [(s, ("text", text, ""))
                                                             for s, _ in cuts]
    # A replacement sorts before a piece that starts where the range starts.
    merged = sorted([(p, 1, piece) for p, piece in kept] + [(p, 0, piece) for p, piece in inserted],
                    key=lambda item: (item[0], item[1]))
    return [piece for _, _, piece in merged]


def _build(pieces: Iterable[tuple[SpanKind, str, str]], styles: Sequence[Style]) -> Inline:
    """Spans with offsets from (kind, plain, source) pieces; adjacent text runs merged."""
    merged: list[list] = []
    for kind, plain, source in pieces:
        if kind == "text" and not plain:
            continue
        if kind == "text" and merged and merged[-1][0] == "text":
            merged[-1][1] += plain
        else:
            merged.append([kind, plain, source])
    spans: list[Span] = []
    position = 0
    for kind, plain, source in merged:
        spans.append(Span(kind, plain, source if kind != "text" else plain, position,
                          position + len(plain)))
        position += len(plain)
    return Inline(tuple(spans), _merged_styles(styles))


def _merged_styles(styles: Iterable[Style]) -> tuple[Style, ...]:
    """Emphasis ranges in order: two of one kind that touch are one (``*a*_b_``), one
    inside another of its kind is dropped (``_*a*_``)."""
    out: list[Style] = []
    for style in sorted(styles, key=lambda s: (s.start, -s.end, s.kind)):
        if any(o.kind == style.kind and o.start <= style.start and style.end <= o.end
               for o in out):
            continue  # emphasis inside the same emphasis changes nothing
        touching = next((i for i, o in enumerate(out) if o.kind == style.kind
                         and o.end == style.start), None)
        if touching is not None:
            out[touching] = Style(style.kind, out[touching].start, style.end)
        else:
            out.append(style)
    return tuple(sorted(out, key=lambda s: (s.start, -s.end, s.kind)))


# --- parsing -----------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    # "zero" has every rule off; only what the book uses is turned on. Raw HTML, links,
    # autolinks, images, entities and every block rule stay off, so such text is literal.
    md = MarkdownIt("zero").enable(["backticks", "emphasis", "escape", "newline"])
    # Dollars next to spaces or digits are prices, not math: "$5 to $10" stays text.
    dollarmath_plugin(md, allow_space=False, allow_digits=False, double_inline=True,
                      allow_labels=False)
    md.inline.ruler.before("escape", "tex_symbol", _tex_symbol_rule)
    return md


def _tex_symbol_rule(state: StateInline, silent: bool) -> bool:
    """A bare TeX symbol outside dollars (``\\rightarrow``, ``\\le``) is a formula."""
    src, start = state.src, state.pos
    if src[start] != "\\":
        return False
    end = start + 1
    while end < len(src) and ("a" <= src[end] <= "z" or "A" <= src[end] <= "Z"):
        end += 1
    name = src[start + 1:end]
    if not name or name not in inline_math.bare_symbols():
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content = src[start:end]
        token.markup = ""
    state.pos = end
    return True


# A character any enabled parser rule starts on (escapes and TeX symbols, code, emphasis,
# math, line breaks) or that CommonMark's input normalisation rewrites (\r, NUL). A text
# with none of them is one text span as it stands, so the parser is not run on it: most
# of the book's fields, and a build parses about ten thousand. tests/test_inline.py checks
# the shortcut against the parser on generated texts.
_PARSER_TRIGGER = re.compile(r"[\\`*_$\n\r\x00]")


@functools.lru_cache(maxsize=8192)
def parse(text: str) -> Inline:
    """Parse one field of the book's text format (see the module docstring)."""
    if not text:
        return Inline(())
    if _PARSER_TRIGGER.search(text) is None:
        return Inline((Span("text", text, text, 0, len(text)),))
    return _parse_markdown(text)


def _parse_markdown(text: str) -> Inline:
    tokens = _parser().parseInline(text)[0].children or []
    pieces: list[tuple[SpanKind, str, str]] = []
    styles: list[Style] = []
    opened: list[tuple[str, int]] = []
    position = 0
    for token in tokens:
        if token.type in ("em_open", "strong_open"):
            opened.append((token.type[:-5], position))
            continue
        if token.type in ("em_close", "strong_close") and opened:
            kind, start = opened.pop()
            if position > start:
                styles.append(Style(kind, start, position))  # type: ignore[arg-type]
            continue
        if token.type == "code_inline":
            code = token.content.replace("\\$", "$")
            piece: tuple[SpanKind, str, str] = ("code", code, code)
        elif token.type in ("math_inline", "math_inline_double"):
            piece = ("math", inline_math.plain(token.content), token.content)
        elif token.type in ("softbreak", "hardbreak"):
            piece = ("text", "\n", "")
        else:
            piece = ("text", token.content, "")
        pieces.append(piece)
        position += len(piece[1])
    return _build(pieces, styles)


def _parsed(text: "str | Inline") -> Inline:
    return text if isinstance(text, Inline) else parse(text)


def plain_text(text: "str | Inline") -> str:
    """What a reader sees, as plain text: marks gone, escapes resolved, math readable."""
    return _plain_of(text) if isinstance(text, str) else text.plain


@functools.lru_cache(maxsize=16384)  # a build asks about a hundred thousand times
def _plain_of(text: str) -> str:
    return parse(text).plain


# --- rendering ---------------------------------------------------------------------------

def escape_html(text: str) -> str:
    """The default escape for book text in HTML: ``<``, ``>``, ``&`` and quotes."""
    return html.escape(text, quote=True)


_STYLE_TAGS = {"em": ("<em>", "</em>"), "strong": ("<strong>", "</strong>")}


def _math_html(tex: str, plain: str, math: MathStyle, escape: Callable[[str], str]) -> str:
    if math == "mathjax":
        if not inline_math.mathjax_safe(tex):
            return f'<span class="math">{escape(plain)}</span>'
        return f'<span class="math">\\({escape(inline_math.normalize(tex))}\\)</span>'
    rendered = inline_math.mathml(tex) if math == "mathml" else inline_math.svg_image(tex, plain)
    return rendered if rendered is not None else f'<span class="math">{escape(plain)}</span>'


def render_html(text: "str | Inline", math: MathStyle = "mathml",
                escape: Callable[[str], str] = escape_html,
                marks: Sequence[Mark] = ()) -> Markup:
    """HTML of one field: code as ``<code>``, emphasis as ``<em>``/``<strong>``, newlines as
    ``<br>``, math as ``math`` says; every character from the book goes through ``escape``.

    ``marks`` wrap plain ranges in caller HTML; a mark may not cut an atom (ValueError).
    Emphasis and marks are closed and reopened where they cross, so the HTML is well nested.
    """
    if math not in MATH_STYLES:
        raise ValueError(f"unknown math style {math!r}")
    inline = _parsed(text)
    for mark in marks:
        if inline.cuts(mark.start, mark.end):
            raise ValueError(f"mark {mark.start}-{mark.end} cuts through a code span or formula")
    # Wrappers: marks first at equal starts (outermost), then emphasis as parsed.
    wrappers: list[tuple[int, int, int, str, str]] = [
        (m.start, m.end, 0, m.open, m.close) for m in marks if m.end > m.start]
    wrappers += [(s.start, s.end, 1, *_STYLE_TAGS[s.kind]) for s in inline.styles]
    wrappers.sort(key=lambda w: (w[0], -w[1], w[2]))
    edges = {0, len(inline.plain)}
    for span in inline.spans:
        edges.update((span.start, span.end))
    for w in wrappers:
        edges.update((w[0], w[1]))
    out: list[str] = []
    stack: list[tuple[int, int, int, str, str]] = []
    points = sorted(edges)
    span_index = 0
    for a, b in zip(points, points[1:]):
        while inline.spans[span_index].end <= a:
            span_index += 1
        span = inline.spans[span_index]
        wanted = [w for w in wrappers if w[0] <= a and b <= w[1]]
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] is wanted[keep]:
            keep += 1
        out.extend(w[4] for w in reversed(stack[keep:]))
        out.extend(w[3] for w in wanted[keep:])
        stack = wanted
        if span.kind == "code":
            out.append(f"<code>{escape(span.source)}</code>")
        elif span.kind == "math":
            out.append(_math_html(span.source, span.plain, math, escape))
        else:
            piece = span.plain[a - span.start:b - span.start]
            out.append("<br>".join(escape(line) for line in piece.split("\n")))
    out.extend(w[4] for w in reversed(stack))
    return Markup("".join(out))


# --- back to Markdown --------------------------------------------------------------------

def escape_markdown(text: str) -> str:
    """Literal text as the book's Markdown: its specials backslash-escaped."""
    # A newline is written as a hard break ("\\" + newline): a plain newline next to "*"
    # would stop it from opening or closing emphasis. An underscore between two letters or
    # digits can neither open nor close emphasis (CommonMark), so snake_case stays as is.
    out: list[str] = []
    for index, c in enumerate(text):
        if c == "_" and 0 < index < len(text) - 1 and text[index - 1].isalnum() \
                and text[index + 1].isalnum():
            out.append(c)
        elif c in _MARKDOWN_SPECIAL or c == "\n":
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


def _code_markdown(code: str) -> str:
    # The parser reads a backslash-dollar in a code span as a dollar (the book's habit), so
    # every dollar is written escaped: that undoes exactly it, whatever backslashes precede.
    code = code.replace("$", "\\$")
    longest = run = 0
    for c in code:
        run = run + 1 if c == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    padded = code.startswith("`") or code.endswith("`") or \
        (code.startswith(" ") and code.endswith(" ") and code.strip() != "")
    inner = f" {code} " if padded else code
    return f"{fence}{inner}{fence}"


def to_markdown(inline: Inline) -> str:
    """The book's Markdown for a parsed (or replaced) field; parsing it gives it back."""
    wrappers = sorted(((s.start, s.end, "*" if s.kind == "em" else "**")
                       for s in inline.styles), key=lambda w: (w[0], -w[1]))
    out: list[str] = []
    for span in inline.spans:
        for start, _, mark in wrappers:
            if start == span.start:
                out.append(mark)
        if span.kind == "code":
            out.append(_code_markdown(span.source))
        elif span.kind == "math":
            tex = span.source
            double = tex != tex.strip() or "$" in tex  # only "$$" can hold those
            out.append(f"$${tex}$$" if double else f"${tex}$")
        else:
            out.append(_text_markdown(span, inline.styles))
        for start, end, mark in reversed(wrappers):
            if end == span.end and start < span.end:
                out.append(mark)
    return "".join(out)


def _text_markdown(span: Span, styles: Sequence[Style]) -> str:
    """A text span's Markdown, closing and opening emphasis that starts or ends inside it."""
    cuts = sorted({p for s in styles for p in (s.start, s.end) if span.start < p < span.end})
    if not cuts:
        return escape_markdown(span.plain)
    pieces: list[str] = []
    previous = span.start
    for p in cuts + [span.end]:
        pieces.append(escape_markdown(span.plain[previous - span.start:p - span.start]))
        if p < span.end:
            # Inner emphasis closes first; outer emphasis opens first.
            closing = sorted((s for s in styles if s.end == p), key=lambda s: -s.start)
            opening = sorted((s for s in styles if s.start == p), key=lambda s: -s.end)
            pieces.extend("*" if s.kind == "em" else "**" for s in closing)
            pieces.extend("*" if s.kind == "em" else "**" for s in opening)
        previous = p
    return "".join(pieces)
