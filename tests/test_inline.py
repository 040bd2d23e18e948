"""The book's text format (pipeline/inline.py): parse once, render per output, atoms kept whole.

Every fixture here is invented. Expected HTML and text are written by hand from CommonMark's
rules and TeX's meaning, not copied from what the code printed.
"""
from __future__ import annotations

import base64
import html
import re

import pytest
from hypothesis import example, HealthCheck, given, settings
from hypothesis import strategies as st

import pipeline.inline as inline_module
from pipeline.inline import (Mark, escape_markdown, parse, plain_text, render_html,
                             to_markdown)

# --- parsing and plain text ---------------------------------------------------------------


@pytest.mark.parametrize("source, plain", [
    ("Send `GET /items/4` twice", "Send GET /items/4 twice"),
    (r"Costs \$30 a month", "Costs $30 a month"),
    ("A *hot* key and a **cold** one", "A hot key and a cold one"),
    (r"Lookups are $O(\log N)$", "Lookups are O(log N)"),
    (r"$a \le b$ and $x \times 3$", "a ≤ b and x × 3"),
    (r"$\text{bucket} = \text{hash}(k) \bmod n$", "bucket = hash(k) mod n"),
    (r"$\text{ratio \% of hits}$", "ratio % of hits"),
    ("costs $5 to $10 per seat", "costs $5 to $10 per seat"),  # prices, not math
    (r"`render(\${name})` in a template", "render(${name}) in a template"),
    (r"node A \rightarrow node B", "node A → node B"),  # bare TeX symbol
    (r"C:\temp\notes stays", r"C:\temp\notes stays"),  # not a known symbol: literal
    ("`<div>` and `a < b`", "<div> and a < b"),
    ("snake_case_name and 2*3*4", "snake_case_name and 234"),
])
def test_plain_text(source, plain):
    assert plain_text(source) == plain


def test_spans_and_atoms():
    parsed = parse(r"Run `SET k 1` then $n+1$ *now*")
    assert [(s.kind, s.plain) for s in parsed.spans] == [
        ("text", "Run "), ("code", "SET k 1"), ("text", " then "), ("math", "n+1"),
        ("text", " now")]
    assert parsed.plain == "Run SET k 1 then n+1 now"
    assert parsed.atoms == ((4, 11), (17, 20))
    assert [(s.kind, s.start, s.end) for s in parsed.styles] == [("em", 21, 24)]
    assert parsed.cuts(5, 8) and parsed.cuts(0, 6) and parsed.cuts(18, 22)
    assert not parsed.cuts(4, 11) and not parsed.cuts(0, 12) and not parsed.cuts(12, 16)
    assert parsed.overlaps_atom(10, 12) and not parsed.overlaps_atom(11, 17)


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "![x](http://example.invalid/x.png)",
    "<img src=x onerror=alert(1)>",
    "<http://example.invalid> and http://example.invalid",
    "{{c1::answer}} and {{Front}} and {% raw %}",
    "&lt;b&gt; &amp; &#60;",
    "# not a heading",
    "- not a list",
    "1. not a list either",
    "> not a quote",
    "~~not struck~~",
])
def test_hostile_markdown_is_literal_text(source):
    parsed = parse(source)
    assert [s.kind for s in parsed.spans] == ["text"]
    assert parsed.plain == source
    assert render_html(source) == html.escape(source, quote=True)  # no tag of any kind


# --- HTML ---------------------------------------------------------------------------------


def test_html_code_emphasis_and_escapes():
    assert render_html(r"Use `a<b>&c` *now*, **twice**: \$5") == (
        "Use <code>a&lt;b&gt;&amp;c</code> <em>now</em>, <strong>twice</strong>: $5")
    assert render_html("two\nlines") == "two<br>lines"


def test_html_math_styles():
    mathjax = render_html(r"so $a<b$ here", math="mathjax")
    assert mathjax == r'so <span class="math">\(a&lt;b\)</span> here'
    mathml = render_html(r"so $n^2$ here", math="mathml")
    assert re.fullmatch(r'so <math xmlns="http://www.w3.org/1998/Math/MathML" '
                        r'display="inline"><mrow><msup><mi>n</mi><mn>2</mn></msup></mrow></math>'
                        r' here', mathml), mathml
    svg = render_html(r"so $n^2$ here", math="svg")
    image = re.fullmatch(r'so <img class="math" alt="n\^2" style="[^"]+" '
                         r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"> here', svg)
    assert image, svg
    drawing = base64.b64decode(image.group(1)).decode("utf-8")
    assert drawing.startswith("<svg") and "<path" in drawing and "<script" not in drawing


def test_text_mode_escapes_leave_text_groups_for_every_renderer():
    # MathJax without textmacros (Anki) would print "\%" inside \text{...}.
    assert render_html(r"$\text{hits \% total}$", math="mathjax") == (
        r'<span class="math">\(\text{hits }\%\text{ total}\)</span>')
    assert "\\" not in render_html(r"$\text{hits \% total}$", math="mathml")


def test_html_math_cannot_smuggle_markup():
    html = render_html(r"$\text{<script>alert(1)</script>}$ $\href{javascript:alert(1)}{x}$")
    assert "<script" not in html and "javascript" not in html and "href" not in html
    assert "&lt;script&gt;" in html
    # a formula that would close MathJax's delimiters early shows as its plain text
    assert render_html(r"$a \) b$", math="mathjax") == '<span class="math">a b</span>'


def test_caller_escape_sees_every_book_character():
    seen: list[str] = []

    def escape(text: str) -> str:
        seen.append(text)
        return text.upper()

    assert render_html("ab `cd` $e$", math="mathjax", escape=escape) == (
        r'AB <code>CD</code> <span class="math">\(E\)</span>')
    assert seen == ["ab ", "cd", " ", "e"]


def test_marks_nest_with_emphasis_and_refuse_to_cut_atoms():
    marks = [Mark(0, 7, "[", "]")]
    assert render_html("*foo* bar baz", marks=marks) == "[<em>foo</em> bar] baz"
    assert render_html("foo *bar baz*", marks=marks) == "[foo <em>bar</em>]<em> baz</em>"
    assert render_html("take `x y` now", marks=[Mark(5, 8, "[", "]")]) == (
        "take [<code>x y</code>] now")
    with pytest.raises(ValueError):
        render_html("take `x y` now", marks=[Mark(5, 6, "[", "]")])


# --- blanks, back to Markdown -------------------------------------------------------------


def test_replace_blanks_text_and_whole_atoms():
    parsed = parse(r"Set *TTL* with `EXPIRE k 60` for $n$ keys")
    plain = parsed.plain  # "Set TTL with EXPIRE k 60 for n keys"
    ttl, code = plain.index("TTL"), plain.index("EXPIRE")
    blanked = parsed.replace([(ttl, ttl + 3), (code, code + len("EXPIRE k 60"))], "___")
    assert blanked.plain == "Set ___ with ___ for n keys"
    markdown = to_markdown(blanked)
    assert markdown == r"Set *\_\_\_* with \_\_\_ for $n$ keys"
    assert render_html(markdown, math="mathjax") == (
        r'Set <em>___</em> with ___ for <span class="math">\(n\)</span> keys')
    assert plain_text(markdown) == "Set ___ with ___ for n keys"
    with pytest.raises(ValueError):
        parsed.replace([(code, code + 3)], "___")


def test_a_blank_next_to_punctuation_never_becomes_emphasis():
    parsed = parse("(alpha) and (beta)")
    blanked = parsed.replace([(1, 6), (13, 17)], "___")
    assert plain_text(to_markdown(blanked)) == "(___) and (___)"
    assert "<em>" not in render_html(to_markdown(blanked))


def _key(parsed):
    styles = [frozenset(s.kind for s in parsed.styles if s.start <= k < s.end)
              for k in range(len(parsed.plain))]
    atoms = [(s.kind, s.source, s.start, s.end) for s in parsed.spans if s.kind != "text"]
    return parsed.plain, atoms, styles


@settings(max_examples=600, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.text(alphabet="ab1 *_`$\\{}<>\n", max_size=30))
@example("`\\\\$`")  # a backslash before a dollar inside code (hypothesis found it)
def test_markdown_round_trip(source):
    parsed = parse(source)
    assert _key(parse(to_markdown(parsed))) == _key(parsed)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab1 *_`$\\{}<>[]()#-~&", max_size=30))
def test_escaped_text_reads_back_literally(text):
    assert plain_text(escape_markdown(text)) == text


@pytest.mark.parametrize("tex", [r"\href{javascript:alert(1)}{x}", r"\class{a}{x}",
                                 r"\style{color:red}{x}", r"\require{action} x", r"\url{x}"])
def test_mathjax_never_gets_commands_that_reach_outside_the_formula(tex):
    rendered = render_html(f"${tex}$", math="mathjax")
    assert "\\(" not in rendered and rendered.startswith('<span class="math">')


# --- the parser shortcut -------------------------------------------------------------------

# Every character the parser's enabled rules or its input normalisation look at, with
# letters, spaces and the punctuation of disabled rules (links, HTML, entities, headings).
_SHORTCUT_ALPHABET = st.sampled_from(list("ab Z9 \t.,-#>[]()!<&;|~+=:'\"") +
                                     ["\\", "`", "*", "_", "$", "\n", "\r", "\x00", "\u00a0",
                                      "\\rightarrow", "\\$", "**", "$x$"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_SHORTCUT_ALPHABET, max_size=14).map("".join))
@example("  leading and trailing  ")
@example("a & b <i>not html</i> [not](a link) &amp;")
def test_the_parser_shortcut_agrees_with_the_parser(text):
    # parse() skips markdown-it when no rule could fire; the result must be the parser's.
    assert parse(text) == inline_module._parse_markdown(text)
