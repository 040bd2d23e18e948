"""The segmenter's shortcut for running headers never passes over a line that repeats the
document's title, and its chunked folding answers as folding each line would."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ids import normalize_title
from pipeline.markup import clean_inline, strip_decoration
from pipeline.line_patterns import MARKUP, folded, may_repeat_title

WORDS = ["Server", "Side", "Drill", "Book", "volume", "7", "Caché", "ｃａｃｈｅ", "ﬁle", "Ⅻ",
         "naïve", "ONE", "™"]
GAPS = [" ", "  ", "\t", "\u00a0", "\u2003", " 💡 ", "👉", "\ufe0f", "-", "’", ":", " (", ")",
        "**", "*", "[", "](#)", "\\n", "\\(", "\ufffd", "\u0301"]
TITLE_LIKE = st.lists(st.tuples(st.sampled_from(GAPS), st.sampled_from(WORDS)), min_size=1,
                      max_size=6).map(lambda parts: "".join(g + w for g, w in parts))
SETTINGS = settings(max_examples=400, deadline=None)


@SETTINGS
@given(TITLE_LIKE, TITLE_LIKE)
def test_a_line_that_normalizes_to_the_title_is_never_ruled_out(title, line):
    key = normalize_title(strip_decoration(clean_inline(title)))
    if not key:
        return
    word = key.split()[0]
    for text in (title, line, title.upper(), " " + title + " 💡"):
        if normalize_title(strip_decoration(clean_inline(text))) == key:
            assert may_repeat_title([text], word) == [True]


@SETTINGS
@given(st.lists(st.one_of(TITLE_LIKE, st.text(max_size=20)), max_size=30),
       st.sampled_from(["server", "cache", "file", "7", "tm"]), st.integers(1, 7))
def test_chunked_folding_is_folding_each_line(texts, word, chunk):
    expected = [word in folded(text) or MARKUP.search(text) is not None for text in texts]
    assert may_repeat_title(texts, word, chunk) == expected


def test_no_title_word_leaves_every_line_to_the_full_test():
    assert may_repeat_title(["a", "", "b"], "") == [True, True, True]
