"""TeX formulas of the book's text, for ``pipeline/inline.py`` (use that module's API).

One formula, four ways: readable plain text (pylatexenc's latex2text), MathML
(latex2mathml, sanitized), an SVG image (ziamath, for WeasyPrint, which has no MathML
layout) and the TeX itself for MathJax. Before any of them, ``normalize`` moves text-mode
escapes out of ``\\text{…}`` (``\\text{a \\% b}`` -> ``\\text{a }\\%\\text{ b}``): MathJax
without its textmacros package (as Anki ships it) and latex2mathml would show the backslash.
"""
from __future__ import annotations

import base64
import copy
import functools
import html
import re
import unicodedata
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:  # pylatexenc is imported late at run time, and has no type hints
    from pylatexenc.latex2text import LatexNodes2Text

# Macros whose argument is text, and the text-mode escapes moved out of them.
TEXT_MACROS = frozenset({"text", "textrm", "textnormal", "textit", "textbf", "textsf",
                         "texttt", "mbox"})
TEXT_ESCAPES = frozenset("%$&#_{}")
# Delimiters that would end or start a MathJax formula early inside ``\( … \)``.
MATHJAX_DELIMITERS = ("\\(", "\\)", "\\[", "\\]")
# MathJax commands that reach outside the formula (links, HTML attributes, extensions).
MATHJAX_REFUSED = re.compile(r"\\(?:href|url|class|cssId|style|data|attr|require|unicode|"
                             r"toggle|mmlToken|html|texttip|tooltip|mathtip)(?![A-Za-z])")
# latex2mathml builds MathML from TeX; anything it makes that is not presentation MathML
# (``\href`` becomes an href attribute) is refused, and the plain text shows instead.
MATHML_ELEMENTS = frozenset("""math mrow mi mo mn mtext ms mspace msup msub msubsup mfrac
msqrt mroot mover munder munderover mstyle mtable mtr mtd menclose mpadded mphantom merror
mfenced semantics annotation""".split())
MATHML_ATTRIBUTES = frozenset("""xmlns display mathvariant stretchy fence separator form
lspace rspace width height depth linethickness accent accentunder movablelimits symmetric
largeop minsize maxsize columnalign columnspacing rowspacing rowalign notation scriptlevel
displaystyle open close separators encoding""".split())
MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"
# The SVG images are drawn at this size (px per em) and scaled to the text by CSS.
SVG_SIZE = 10.0
# Spacing for plain text: binary operators, relations and arrows get a space each side.
_SPACED_CATEGORIES = frozenset({"Sm"})
_FUNCTIONS = ("arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd hom inf "
              "ker lg lim liminf limsup ln log max min Pr sec sin sinh sup tan tanh").split()


def _walker_nodes(tex: str) -> list[Any]:
    from pylatexenc.latexwalker import LatexWalker

    return LatexWalker(tex, tolerant_parsing=True).get_latex_nodes()[0]


@functools.lru_cache(maxsize=4096)
def normalize(tex: str) -> str:
    """The formula with text-mode escapes moved out of ``\\text{…}`` groups (see above)."""
    if "\\" not in tex:
        return tex
    from pylatexenc.latexwalker import LatexGroupNode, LatexMacroNode

    edits: list[tuple[int, int, str]] = []

    def visit(nodes: Sequence[Any] | None) -> None:
        for node in nodes or ():
            if isinstance(node, LatexMacroNode):
                group = None
                if node.macroname in TEXT_MACROS and node.nodeargd and node.nodeargd.argnlist:
                    group = node.nodeargd.argnlist[-1]
                if isinstance(group, LatexGroupNode) and any(
                        isinstance(n, LatexMacroNode) and n.macroname in TEXT_ESCAPES
                        for n in group.nodelist):
                    edits.append((node.pos, node.pos + node.len,
                                  _split_text(tex, node.macroname, group.nodelist)))
                    continue
                for arg in (node.nodeargd.argnlist if node.nodeargd else ()):
                    visit([arg] if arg is not None else [])
            elif isinstance(node, LatexGroupNode):
                visit(node.nodelist)

    try:
        visit(_walker_nodes(tex))
    except Exception:  # pylatexenc refuses some broken TeX: leave it as written
        return tex
    for start, end, replacement in sorted(edits, reverse=True):
        tex = tex[:start] + replacement + tex[end:]
    return tex


def _split_text(tex: str, macro: str, nodes: Sequence[Any]) -> str:
    from pylatexenc.latexwalker import LatexMacroNode

    out: list[str] = []
    run: list[str] = []
    for node in nodes:
        if isinstance(node, LatexMacroNode) and node.macroname in TEXT_ESCAPES:
            if run:
                out.append(f"\\{macro}{{{''.join(run)}}}")
                run = []
            out.append("\\" + node.macroname)
        else:
            run.append(tex[node.pos:node.pos + node.len])
    if run:
        out.append(f"\\{macro}{{{''.join(run)}}}")
    return "".join(out)


@functools.lru_cache(maxsize=1)
def _latex_to_text() -> LatexNodes2Text:
    from pylatexenc.latex2text import (LatexNodes2Text, MacroTextSpec,
                                       get_default_latex_context_db)

    db = get_default_latex_context_db()
    spaced = []
    for spec in db.iter_macro_specs(categories=["latex-base"]):
        replacement = spec.simplify_repl
        if isinstance(replacement, str) and len(replacement) == 1 and \
                unicodedata.category(replacement) in _SPACED_CATEGORIES:
            spaced.append(MacroTextSpec(spec.macroname, f" {replacement} "))
    spaced += [MacroTextSpec(name, f"{name} ") for name in _FUNCTIONS]
    spaced += [MacroTextSpec("bmod", " mod "), MacroTextSpec("pmod", " (mod %s)"),
               MacroTextSpec("times", " × "), MacroTextSpec("cdot", " · ")]
    db.add_context_category("drillbook-spacing", macros=spaced, prepend=True)
    return LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=False)


@functools.lru_cache(maxsize=4096)
def plain(tex: str) -> str:
    """A formula as readable text: ``O(\\log N)`` -> ``O(log N)``, ``a \\le b`` -> ``a ≤ b``."""
    try:
        text = _latex_to_text().latex_to_text(normalize(tex))
    except Exception:  # unparsable TeX reads best as written
        text = tex
    return " ".join(text.split()) or tex.strip()


@functools.lru_cache(maxsize=1)
def bare_symbols() -> frozenset[str]:
    """TeX symbols (arrows, relations, operators, Greek letters) read as math even without
    dollars, as the book sometimes prints them (``a \\rightarrow b``)."""
    from pylatexenc.latex2text import get_default_latex_context_db

    names = set()
    for spec in get_default_latex_context_db().iter_macro_specs(categories=["latex-base"]):
        replacement = spec.simplify_repl
        if isinstance(replacement, str) and len(replacement) == 1 and (
                unicodedata.category(replacement) == "Sm"
                or unicodedata.name(replacement, "").startswith("GREEK")):
            names.add(spec.macroname)
    return frozenset(names)


def mathjax_safe(tex: str) -> bool:
    """A formula MathJax can take between ``\\(`` and ``\\)``: it cannot end the formula
    early, and uses no MathJax command that makes links, classes, styles or loads code."""
    return not any(delimiter in tex for delimiter in MATHJAX_DELIMITERS) and \
        not MATHJAX_REFUSED.search(tex)


@functools.lru_cache(maxsize=4096)
def _mathml_element(tex: str) -> ET.Element | None:
    """latex2mathml's tree, cleaned: plain tag names, entities decoded to characters (the
    serializer escapes them again), only presentation MathML and its layout attributes."""
    from latex2mathml.converter import convert_to_element

    try:
        element = convert_to_element(normalize(tex))
    except Exception:  # latex2mathml refuses some TeX; the caller shows the plain text
        return None
    for node in element.iter():
        node.tag = node.tag.rsplit("}", 1)[-1]
        if node.tag not in MATHML_ELEMENTS:
            return None
        for name in list(node.attrib):
            if name not in MATHML_ATTRIBUTES or name == "xmlns":
                del node.attrib[name]
        node.text = html.unescape(node.text) if node.text else node.text
        node.tail = html.unescape(node.tail) if node.tail else node.tail
    return element


def mathml(tex: str) -> str | None:
    """The formula as inline MathML (browsers render it), or None when it cannot be."""
    element = _mathml_element(tex)
    if element is None:
        return None
    root = ET.Element(element.tag, {"xmlns": MATHML_NAMESPACE, **element.attrib})
    root.text = element.text
    root.extend(element)
    # ElementTree escapes every text and attribute: book text cannot become markup here.
    return ET.tostring(root, encoding="unicode", short_empty_elements=False)


@functools.lru_cache(maxsize=4096)
def svg_image(tex: str, alt: str) -> str | None:
    """The formula as an SVG image (an ``<img>`` with a data URI, sized and aligned to
    the surrounding text, ``alt`` for readers and text extraction), or None."""
    element = _mathml_element(tex)
    if element is None:
        return None
    try:
        import ziamath

        drawing = ziamath.Math(copy.deepcopy(element), size=SVG_SIZE)
        svg = drawing.svgxml()
    except Exception:  # ziamath cannot lay out every formula; the caller shows plain text
        return None
    x0, y0, width, height = (float(v) for v in svg.attrib["viewBox"].split())
    del x0
    payload = base64.b64encode(ET.tostring(svg, encoding="utf-8")).decode("ascii")
    descent = (y0 + height) / SVG_SIZE  # the baseline is y = 0 in the drawing
    style = (f"height:{height / SVG_SIZE:.3f}em;width:{width / SVG_SIZE:.3f}em;"
             f"vertical-align:{-descent:.3f}em")
    return (f'<img class="math" alt="{html.escape(alt, quote=True)}" style="{style}" '
            f'src="data:image/svg+xml;base64,{payload}">')
