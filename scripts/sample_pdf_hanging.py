"""A third layout of the sample ebook: labelled paragraphs with hanging indents.

The point's ``Example:`` paragraph is set like a definition list: the bold label, then the
example in italics, and every wrapped line of it starts under the example's first word,
indented past the label, at a tighter line pitch than the body text. The tag pills follow
a small "Tags:" label printed on the same row, outside every pill. A reader that joins
wrapped lines only when they start where the line above started leaves the example's tail
behind as a line of its own, and takes it (and the label) for tags.

Used by scripts/render_sample_pdf.py (``hanging-indent-sample.pdf``).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph

from sample_pdf_layout import DEFAULT, DEJAVU, PillRow, PointSpec, Renderer, Theme

HANGING: Theme = replace(DEFAULT, name="hanging", fonts=("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf",
                                                         "DejaVuSansMono.ttf"),
                         body_size=10.5, leading=15, pill_size=8.5, justify=True,
                         marker="inline", point_number="dotted")
EXAMPLE_LEADING = 12.4  # tighter than the body's 15: the wraps of an example sit closer
ITALIC = "DejaVuSerif-Italic"
LABEL = "Example:"
TAGS_LABEL = "Tags:"


def _italic() -> str:
    if ITALIC not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(ITALIC, str(DEJAVU / f"{ITALIC}.ttf")))
    return ITALIC


class LabelledPills(PillRow):
    """Pills after a small text label on the same row (the label is in no pill)."""

    def __init__(self, tags: Sequence[str], theme: Theme, font: str, label: str):
        super().__init__(tags, theme, font)
        self.label = label
        self.label_width = pdfmetrics.stringWidth(label, font, theme.pill_size) + 6

    def _layout(self, width: float) -> list[tuple[float, int, str, float]]:
        placed = super()._layout(width - self.label_width)
        return [(x + self.label_width, row, tag, w) for x, row, tag, w in placed]

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(self.theme.text_color)
        canvas.setFont(self.font, self.theme.pill_size)
        canvas.drawString(0, self.height - (self.height_each + 4) + 0.3 * self.height_each,
                          self.label)
        super().draw()


class HangingRenderer(Renderer):
    """The default renderer, with hanging-indent examples and labelled pill rows."""

    def __init__(self, theme: Theme, fallback: set[int]):
        super().__init__(theme, fallback)
        label_width = pdfmetrics.stringWidth(LABEL + " ", self.bold, theme.body_size)
        self.styles["example"] = ParagraphStyle(
            "example", parent=self.styles["just"], fontName=_italic(), leading=EXAMPLE_LEADING,
            leftIndent=label_width, firstLineIndent=-label_width, spaceBefore=2)

    def point(self, point: PointSpec) -> list[Flowable]:
        flow = super().point(replace(point, example="", pills=()))
        if point.example:
            flow.append(Paragraph(f'<font name="{self.bold}">{LABEL}</font> '
                                  f"{self.code(point.example)}", self.styles["example"]))
        if point.pills:
            flow.append(LabelledPills(point.pills, self.theme, self.regular, TAGS_LABEL))
        return flow
