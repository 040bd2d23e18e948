"""Font names, weights and colours as PDF producers write them."""
from __future__ import annotations

import pytest

from pipeline.readers.pdf_style import (base_font_name, is_bold_font, is_invisible, is_lettered,
                                        is_mono_font, normalize_color)


@pytest.mark.parametrize("color, expected", [
    ((0,), "#000000"),
    ((1,), "#ffffff"),
    (0.5, "#808080"),  # a bare grey number
    ((1, 0, 0), "#ff0000"),
    ([0.2, 0.4, 0.6], "#336699"),
    ((0, 0, 0, 1), "#000000"),  # CMYK black
    ((0, 0, 0, 0), "#ffffff"),
    ((1, 0, 0, 0), "#00ffff"),  # CMYK cyan
    ((0, 0, 0, 0.9), "#1a1a1a"),
    ((0, 128, 255), "#0080ff"),  # 0-255 components
    (None, None),
    ("P0", None),  # a pattern name
    ((0.1, 0.2), None),  # no such colour space
])
def test_colours_in_every_space_become_hex(color, expected):
    assert normalize_color(color) == expected


@pytest.mark.parametrize("name, base, bold, mono", [
    ("ABCDEF+DejaVuSans-Bold", "DejaVuSans-Bold", True, False),
    ("AAAAAA+DejaVuSerif", "DejaVuSerif", False, False),
    ("Helvetica-BoldOblique", "Helvetica-BoldOblique", True, False),
    ("Courier", "Courier", False, True),
    ("QWERTY+SourceCodePro-Semibold", "SourceCodePro-Semibold", True, True),
    ("DejaVuSansMono", "DejaVuSansMono", False, True),
    ("VeraBd", "VeraBd", True, False),
    ("Inter-Black", "Inter-Black", True, False),
    ("Abdullah-Regular", "Abdullah-Regular", False, False),
    ("abcdef+Lowercase", "abcdef+Lowercase", False, False),  # not a subset prefix
])
def test_font_names(name, base, bold, mono):
    assert base_font_name(name) == base
    assert is_bold_font(name) is bold
    assert is_mono_font(name) is mono


@pytest.mark.parametrize("text", ["\x00", "\ufffd", "\ufe0f", "\u200d", "(cid:42)", "\ue000", ""])
def test_glyphs_without_text(text):
    assert is_invisible(text)


@pytest.mark.parametrize("text", ["a", " ", "→", "💡", "⚖", "©", "α"])
def test_glyphs_with_text(text):
    assert not is_invisible(text)


def test_lettered_means_non_ascii_letters_and_digits():
    assert is_lettered("Ὂ") and is_lettered("α") and is_lettered("٣")
    assert not is_lettered("a") and not is_lettered("💡") and not is_lettered("→")
