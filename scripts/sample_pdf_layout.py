"""Layout of the sample ebook as a PDF (reportlab): themes, fonts, flowables, the renderer.

Used by scripts/render_sample_pdf.py, which builds the book to render and writes the files.

Emoji: no installed font has 💡 or 👉, so a tiny font with a placeholder glyph for each is
built with fontTools at render time. reportlab writes a font's ToUnicode map with one
4-digit code per glyph, which is wrong for astral characters (extractors then read Greek
letters); ``fixed_tounicode`` patches it to write UTF-16 surrogate pairs.
"""
from __future__ import annotations

import contextlib
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate,
                                Paragraph, Spacer, Table, TableStyle)

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
EMOJI_FONT = "DrillbookEmoji"


# ----- the book to render ------------------------------------------------------------------
@dataclass
class PointSpec:
    """A solution point as the book prints it."""

    number: int | None
    title: str
    explanation: str
    example: str
    pills: tuple[str, ...] = ()


@dataclass
class ProblemSpec:
    """One printed occurrence of a problem."""

    number: int | None
    title: str
    question: str
    summary: str
    summary_extra: tuple[str, ...] = ()  # decorative lines after the summary ("Here's how 🔧")
    points: tuple[PointSpec, ...] = ()


@dataclass
class TopicSpec:
    """A topic section: its title, declared problem count and problem occurrences."""

    title: str
    declared: int | None
    problems: list[ProblemSpec] = field(default_factory=list)


@dataclass
class BookSpec:
    """Everything the renderer prints."""

    title: str
    front: tuple[str, ...]  # front-matter paragraphs; "- " starts a bullet
    topics: list[TopicSpec]


# ----- themes ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Theme:
    """How the book looks. Two themes keep the reader honest about layout."""

    name: str
    pagesize: tuple[float, float]
    margins: tuple[float, float, float, float]  # left, right, top, bottom
    fonts: tuple[str, str, str]  # regular, bold, mono: TTF file names in DEJAVU or built-in names
    body_size: float
    leading: float
    title_size: float
    topic_size: float
    problem_size: float
    point_size: float
    pill_size: float
    text_color: object
    heading_color: object
    problem_color: object
    pill_fill: object
    pill_text: object
    box_fill: object
    box_stroke: object
    header_color: object
    round_pills: bool
    question_box: str  # "round": one filled+stroked path, label on its own line
    #                    "table": Table background + BOX lines, label inline
    point_number: str  # "badge" (number in a filled circle) or "dotted" ("2.")
    topic_form: str  # "title" or "numbered" ("Topic 4: Title")
    topic_banner: bool  # a filled bar behind topic headings
    topic_page_break: bool
    marker: str  # "bullet": 👉 as a hanging bullet; "inline": "👉 text"
    justify: bool
    footer: str  # format with {page}
    paragraph_space: float


DEFAULT = Theme(
    name="default", pagesize=A4, margins=(64, 64, 72, 64),
    fonts=("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"),
    body_size=10, leading=13.5, title_size=26, topic_size=20, problem_size=14, point_size=11,
    pill_size=8.5, text_color=colors.HexColor("#1f2430"), heading_color=colors.HexColor("#0b3d91"),
    problem_color=colors.HexColor("#7a2e8c"), pill_fill=colors.HexColor("#dbeafe"),
    pill_text=colors.HexColor("#1e3a8a"), box_fill=colors.HexColor("#fff7e0"),
    box_stroke=colors.HexColor("#d9a400"), header_color=colors.HexColor("#8a8f98"),
    round_pills=True, question_box="round", point_number="badge", topic_form="title",
    topic_banner=False, topic_page_break=True, marker="bullet", justify=False,
    footer="Page {page}", paragraph_space=5)

ALT = Theme(
    name="alt", pagesize=(6 * 72, 9 * 72), margins=(50, 42, 60, 54),
    fonts=("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "Courier"),
    body_size=11.5, leading=15, title_size=22, topic_size=16, problem_size=13, point_size=11.5,
    pill_size=9.5, text_color=colors.CMYKColor(0, 0, 0, 0.9),
    heading_color=colors.CMYKColor(0.9, 0.3, 0, 0.2),
    problem_color=colors.CMYKColor(0, 0.8, 0.6, 0.1),
    pill_fill=colors.CMYKColor(0, 0.1, 0.4, 0), pill_text=colors.CMYKColor(0, 0, 0, 1),
    box_fill=colors.Color(0.93, 0.95, 0.93), box_stroke=colors.Color(0.2, 0.5, 0.3),
    header_color=colors.Color(0.45, 0.45, 0.45),
    round_pills=False, question_box="table", point_number="dotted", topic_form="numbered",
    topic_banner=True, topic_page_break=False, marker="inline", justify=True,
    footer="— {page} —", paragraph_space=3)

THEMES = {"default": DEFAULT, "alt": ALT}


# ----- fonts -------------------------------------------------------------------------------
def _ttf_path(name: str) -> Path | None:
    path = DEJAVU / name
    return path if name.endswith(".ttf") else None


def font_names(theme: Theme) -> tuple[str, str, str]:
    """The registered reportlab names of a theme's fonts (registering them once)."""
    names = []
    for file_name in theme.fonts:
        path = _ttf_path(file_name)
        if path is None:
            names.append(file_name)  # a standard PDF font such as Courier
            continue
        name = path.stem
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        names.append(name)
    regular, bold, mono = names
    pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold, italic=regular,
                                  boldItalic=bold)
    return regular, bold, mono


def _covered(font_name: str) -> set[int] | None:
    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    return set(face.charToGlyph) if face is not None else None


def build_emoji_font(codepoints: Sequence[int], path: Path) -> None:
    """A TrueType font with one simple placeholder glyph per code point (fontTools)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef"] + [f"u{cp:05X}" for cp in codepoints]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({cp: f"u{cp:05X}" for cp in codepoints})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        if name != ".notdef" and not name.startswith("u0FE0"):
            pen.moveTo((450, -50))
            pen.lineTo((850, 350))
            pen.lineTo((450, 750))
            pen.lineTo((50, 350))
            pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({n: (0 if n.startswith("u0FE0") else 900, 50) for n in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": EMOJI_FONT, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    # A fixed timestamp: fontTools stamps fonts with the current time, which the subset
    # embedded in the PDF would carry along.
    builder.font["head"].created = builder.font["head"].modified = 3_000_000_000
    builder.font.recalcTimestamp = False
    builder.save(str(path))


def _tounicode_with_surrogates(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap, with astral characters as UTF-16 surrogate pairs."""
    def utf16(code: int) -> str:
        if code > 0xFFFF:
            code -= 0x10000
            return "%04X%04X" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))
        return "%04X" % code

    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        "<< /Registry (%s)" % fontname, "/Ordering (%s)" % fontname, "/Supplement 0", ">> def",
        "/CMapName /%s def" % fontname, "/CMapType 2 def", "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1), "endcodespacerange",
        "%d beginbfchar" % len(subset)]
        + ["<%02X> <%s>" % (i, utf16(v)) for i, v in enumerate(subset)]
        + ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])


@contextlib.contextmanager
def fixed_tounicode(enabled: bool = True) -> Iterator[None]:
    """Patch reportlab to write correct ToUnicode entries for astral characters."""
    original = ttfonts.makeToUnicodeCMap
    if enabled:
        ttfonts.makeToUnicodeCMap = _tounicode_with_surrogates
    try:
        yield
    finally:
        ttfonts.makeToUnicodeCMap = original


# ----- flowables ---------------------------------------------------------------------------
class TopicMarker(Flowable):
    """Zero-size: remembers the topic being printed, for the running header."""

    def __init__(self, title: str):
        super().__init__()
        self.title = title

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv._drillbook_topic = self.title


class PillRow(Flowable):
    """Tags as coloured pills, wrapped over as many rows as needed."""

    def __init__(self, tags: Sequence[str], theme: Theme, font: str):
        super().__init__()
        self.tags, self.theme, self.font = list(tags), theme, font
        self.pad, self.gap, self.height_each = 5.0, 6.0, theme.pill_size + 7

    def _layout(self, width: float) -> list[tuple[float, int, str, float]]:
        placed, x, row = [], 0.0, 0
        for tag in self.tags:
            w = pdfmetrics.stringWidth(tag, self.font, self.theme.pill_size) + 2 * self.pad
            if x and x + w > width:
                x, row = 0.0, row + 1
            placed.append((x, row, tag, w))
            x += w + self.gap
        return placed

    def wrap(self, available_width, available_height):
        self.width = available_width
        self.placed = self._layout(available_width)
        rows = (max(r for _, r, _, _ in self.placed) + 1) if self.placed else 0
        self.height = rows * (self.height_each + 4) + 4
        return self.width, self.height

    def draw(self):
        canvas, theme = self.canv, self.theme
        for x, row, tag, w in self.placed:
            y = self.height - (row + 1) * (self.height_each + 4)
            canvas.setFillColor(theme.pill_fill)
            if theme.round_pills:
                canvas.roundRect(x, y, w, self.height_each, self.height_each / 2, fill=1, stroke=0)
            else:
                canvas.rect(x, y, w, self.height_each, fill=1, stroke=0)
            canvas.setFillColor(theme.pill_text)
            canvas.setFont(self.font, theme.pill_size)
            canvas.drawString(x + self.pad, y + 0.3 * self.height_each, tag)


class RoundBox(Flowable):
    """Paragraphs inside one filled and stroked rounded rectangle."""

    def __init__(self, paragraphs: Sequence[Paragraph], theme: Theme, pad: float = 8):
        super().__init__()
        self.paragraphs, self.theme, self.pad = list(paragraphs), theme, pad

    def wrap(self, available_width, available_height):
        self.width = available_width
        inner = available_width - 2 * self.pad
        self.sizes = [p.wrap(inner, available_height) for p in self.paragraphs]
        self.height = sum(h for _, h in self.sizes) + 2 * self.pad + 3 * (len(self.sizes) - 1)
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        canvas.setFillColor(self.theme.box_fill)
        canvas.setStrokeColor(self.theme.box_stroke)
        canvas.setLineWidth(1)
        canvas.roundRect(0, 0, self.width, self.height, 6, fill=1, stroke=1)
        y = self.height - self.pad
        for paragraph, (_, h) in zip(self.paragraphs, self.sizes):
            y -= h
            paragraph.drawOn(canvas, self.pad, y)
            y -= 3


class BadgeHeading(Flowable):
    """A point heading: its number in a filled circle, then the title."""

    def __init__(self, number: int | None, title: Paragraph, theme: Theme, font: str):
        super().__init__()
        self.number, self.title, self.theme, self.font = number, title, theme, font
        self.indent = theme.point_size * 2.2

    def wrap(self, available_width, available_height):
        w, h = self.title.wrap(available_width - self.indent, available_height)
        self.width, self.height = available_width, max(h, self.theme.point_size * 1.6)
        return self.width, self.height

    def draw(self):
        canvas, size = self.canv, self.theme.point_size
        self.title.drawOn(canvas, self.indent, self.height - self.title.height)
        baseline = self.height - size  # the title's first baseline
        radius = size * 0.8
        canvas.setFillColor(self.theme.heading_color)
        canvas.circle(radius, baseline + size * 0.35, radius, fill=1, stroke=0)
        canvas.setFillColor(colors.white)
        canvas.setFont(self.font, size * 0.85)
        canvas.drawCentredString(radius, baseline, str(self.number or ""))


# ----- the document ------------------------------------------------------------------------
class Renderer:
    """Lays out one BookSpec in one Theme."""

    def __init__(self, theme: Theme, fallback: set[int]):
        self.theme = theme
        self.regular, self.bold, self.mono = font_names(theme)
        self.fallback = fallback  # code points drawn with the emoji font
        t = theme
        align = TA_JUSTIFY if t.justify else TA_LEFT
        self.styles = {
            "title": ParagraphStyle("title", fontName=self.bold, fontSize=t.title_size,
                                    leading=t.title_size * 1.25, textColor=t.heading_color,
                                    spaceAfter=18),
            "body": ParagraphStyle("body", fontName=self.regular, fontSize=t.body_size,
                                   leading=t.leading, textColor=t.text_color,
                                   spaceAfter=t.paragraph_space),
            "just": ParagraphStyle("just", fontName=self.regular, fontSize=t.body_size,
                                   leading=t.leading, textColor=t.text_color, alignment=align,
                                   spaceAfter=t.paragraph_space),
            "label": ParagraphStyle("label", fontName=self.bold, fontSize=t.body_size,
                                    leading=t.leading, textColor=t.text_color,
                                    spaceBefore=4, spaceAfter=t.paragraph_space),
            "topic": ParagraphStyle("topic", fontName=self.bold, fontSize=t.topic_size,
                                    leading=t.topic_size * 1.3, textColor=t.heading_color,
                                    spaceBefore=10, spaceAfter=12, keepWithNext=1,
                                    backColor=(colors.CMYKColor(0.08, 0.02, 0, 0)
                                               if t.topic_banner else None),
                                    borderPadding=(4, 6, 4, 6) if t.topic_banner else 0),
            "problem": ParagraphStyle("problem", fontName=self.bold, fontSize=t.problem_size,
                                      leading=t.problem_size * 1.3, textColor=t.problem_color,
                                      spaceBefore=14, spaceAfter=8, keepWithNext=1),
            "point": ParagraphStyle("point", fontName=self.bold, fontSize=t.point_size,
                                    leading=t.point_size * 1.3, textColor=t.heading_color,
                                    spaceBefore=8, spaceAfter=3, keepWithNext=1),
            "explain": ParagraphStyle("explain", fontName=self.regular, fontSize=t.body_size,
                                      leading=t.leading, textColor=t.text_color, alignment=align,
                                      spaceAfter=t.paragraph_space,
                                      leftIndent=t.body_size * 1.8 if t.marker == "bullet" else 0,
                                      bulletIndent=0, bulletFontName=EMOJI_FONT,
                                      bulletFontSize=t.body_size),
            "box": ParagraphStyle("box", fontName=self.regular, fontSize=t.body_size,
                                  leading=t.leading, textColor=t.text_color),
            "toc": ParagraphStyle("toc", fontName=self.regular, fontSize=t.body_size,
                                  leading=t.leading * 1.15, textColor=t.text_color),
        }

    # inline markup -------------------------------------------------------------------------
    def inline(self, text: str, links: bool = True) -> str:
        """Paragraph markup for book text: escaped, emoji in the emoji font, **bold**, links."""
        parts = re.split(r"(\*\*.+?\*\*|\[(?:[^\]\\]|\\.)+\]\([^)]*\))", text)
        out = []
        for part in parts:
            if part.startswith("**") and part.endswith("**") and len(part) > 4:
                out.append(f"<b>{self.glyphs(escape(part[2:-2]))}</b>")
            elif part.startswith("[") and links:
                label = re.sub(r"\\(.)", r"\1", part[1:part.index("](")])
                out.append(f'<a href="#book-top">{self.glyphs(escape(label))}</a>')
            else:
                out.append(self.glyphs(escape(part)))
        return "".join(out)

    def code(self, text: str) -> str:
        """Backtick spans in the monospaced font (the backticks themselves are not printed)."""
        pieces = re.split(r"`([^`]+)`", text)
        return "".join(self.glyphs(escape(piece)) if i % 2 == 0
                       else f'<font name="{self.mono}">{escape(piece)}</font>'
                       for i, piece in enumerate(pieces))

    def glyphs(self, markup: str) -> str:
        out = []
        for char in markup:
            if ord(char) in self.fallback:
                out.append(f'<font name="{EMOJI_FONT}">{char}</font>')
            else:
                out.append(char)
        return "".join(out)

    def para(self, markup: str, style: str, **kwargs) -> Paragraph:
        return Paragraph(markup, self.styles[style], **kwargs)

    # book parts ----------------------------------------------------------------------------
    def story(self, book: BookSpec) -> list[Flowable]:
        t = self.theme
        story: list[Flowable] = [self.para(f'<a name="book-top"/>{self.inline(book.title)}',
                                           "title")]
        for line in book.front:
            if line.startswith("- "):
                story.append(self.para(self.inline(line[2:]), "body", bulletText="•"))
            else:
                story.append(self.para(self.inline(line), "body"))
        story.append(PageBreak())
        story.append(self.para("Table of Contents", "topic"))
        for index, topic in enumerate(book.topics, 1):
            count = f" - {topic.declared} problems" if topic.declared is not None else ""
            story.append(self.para(f'<a href="#topic-{index}">{self.inline(topic.title)}</a>'
                                   f"{escape(count)}", "toc"))
        distinct = sum(t.declared or 0 for t in book.topics)
        story.append(Spacer(1, 8))
        story.append(self.para(f"Total: {len(book.topics)} Topics | {distinct} Problems",
                               "label"))
        story.append(PageBreak())
        story.append(self.para("Problems &amp; Solutions", "topic"))
        for index, topic in enumerate(book.topics, 1):
            if t.topic_page_break and index > 1:
                story.append(PageBreak())
            story.append(TopicMarker(topic.title))
            heading = (f"Topic {index}: {topic.title}" if t.topic_form == "numbered"
                       else topic.title)
            story.append(self.para(f'<a name="topic-{index}"/>{self.inline(heading)}', "topic"))
            for problem in topic.problems:
                story.extend(self.problem(problem))
        return story

    def problem(self, problem: ProblemSpec) -> list[Flowable]:
        t = self.theme
        number = f"Problem {problem.number}: " if problem.number is not None else "Problem: "
        flow: list[Flowable] = [self.para(self.glyphs("\U0001F4A1 ") + escape(number)
                                          + self.inline(problem.title), "problem")]
        interviewer = f"<b>INTERVIEWER:</b> {self.inline(problem.question)}"
        if t.question_box == "round":
            flow.append(RoundBox([self.para("<b>Question:</b>", "box"),
                                  self.para(interviewer, "box")], t))
        else:
            table = Table([[self.para(f"<b>Question:</b> {interviewer}", "box")]],
                          colWidths=[self.frame_width])
            table.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, -1), t.box_fill),
                ("BOX", (0, 0), (-1, -1), 1.2, t.box_stroke),
                ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]))
            flow.append(table)
        flow.append(self.para("Solution:", "label"))
        flow.append(self.para(self.inline(problem.summary), "body"))
        for extra in problem.summary_extra:
            flow.append(self.para(self.inline(extra), "body"))
        for point in problem.points:
            flow.extend(self.point(point))
        return flow

    def point(self, point: PointSpec) -> list[Flowable]:
        t = self.theme
        title = self.inline(point.title)
        if t.point_number == "badge":
            flow: list[Flowable] = [BadgeHeading(point.number, self.para(title, "point"), t,
                                                 self.bold)]
            flow[0].keepWithNext = 1
        else:
            number = f"{point.number}. " if point.number is not None else ""
            flow = [self.para(f"{number}{title}", "point")]
        explanation = self.inline(point.explanation)
        if t.marker == "bullet":
            flow.append(self.para(explanation, "explain", bulletText="\U0001F449"))
        else:
            flow.append(self.para(self.glyphs("\U0001F449 ") + explanation, "explain"))
        if point.example:
            flow.append(self.para(f"<b>Example:</b> {self.code(point.example)}", "just"))
        if point.pills:
            flow.append(PillRow(point.pills, t, self.regular))
        return flow

    @property
    def frame_width(self) -> float:
        left, right, _, _ = self.theme.margins
        return self.theme.pagesize[0] - left - right


def _decorate(book_title: str, theme: Theme, font: str):
    def on_page_end(canvas, doc):
        if doc.page == 1:
            return  # the title page has no running header
        width, height = theme.pagesize
        left, right, top, bottom = theme.margins
        canvas.saveState()
        canvas.setFillColor(theme.header_color)
        canvas.setFont(font, theme.body_size * 0.8)
        canvas.drawString(left, height - top * 0.55, book_title)
        topic = getattr(canvas, "_drillbook_topic", "")
        if topic:
            canvas.drawRightString(width - right, height - top * 0.55, topic)
        footer = theme.footer.format(page=doc.page)
        canvas.drawCentredString(width / 2, bottom * 0.45, footer)
        canvas.restoreState()
    return on_page_end


def fallback_codepoints(book: BookSpec, theme: Theme) -> set[int]:
    """Characters of the book (and the markers) that the theme's text font cannot draw."""
    regular, _, _ = font_names(theme)
    covered = _covered(regular) or set(range(0x20, 0x7F))
    chars = {0x1F4A1, 0x1F449}
    texts = [book.title, *book.front]
    for topic in book.topics:
        texts.append(topic.title)
        for p in topic.problems:
            texts += [p.title, p.question, p.summary, *p.summary_extra]
            for point in p.points:
                texts += [point.title, point.explanation, point.example, *point.pills]
    for text in texts:
        chars.update(ord(c) for c in text)
    return {c for c in chars if c not in covered and c > 0x7F}


def render_pdf(book: BookSpec, theme: Theme = DEFAULT, fix_tounicode: bool = True,
               renderer_class: type[Renderer] = Renderer) -> bytes:
    """The book as PDF bytes (deterministic)."""
    rl_config.invariant = 1
    fallback = fallback_codepoints(book, theme)
    with tempfile.TemporaryDirectory() as folder:
        emoji_path = Path(folder) / "emoji.ttf"
        build_emoji_font(sorted(fallback), emoji_path)
        # A fresh registration per render: the glyph set depends on the book.
        pdfmetrics._fonts.pop(EMOJI_FONT, None)
        pdfmetrics.registerFont(TTFont(EMOJI_FONT, str(emoji_path)))
        renderer = renderer_class(theme, fallback)
        out = io.BytesIO()
        left, right, top, bottom = theme.margins
        width, height = theme.pagesize
        doc = BaseDocTemplate(out, pagesize=theme.pagesize, leftMargin=left, rightMargin=right,
                              topMargin=top, bottomMargin=bottom, title=book.title,
                              author="drillbook sample", creator="drillbook", invariant=1)
        frame = Frame(left, bottom, width - left - right, height - top - bottom, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame],
                                           onPageEnd=_decorate(book.title, theme,
                                                               renderer.regular))])
        with fixed_tounicode(fix_tounicode):
            doc.build(renderer.story(book))
        return out.getvalue()
