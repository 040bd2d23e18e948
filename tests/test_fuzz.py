"""Fuzzing: mutated versions of the sample never make the reader, segmenter or dedupe raise
anything but DrillbookError (the one error the CLI turns into a clean line)."""
from __future__ import annotations

import os
import random

from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import DedupeConfig
from pipeline.dedupe import merge_repeats
from pipeline.errors import DrillbookError
from pipeline.readers.text import decode_text, lines_of_text
from pipeline.segment import segment

SAMPLE_LINES = (ROOT / "raw" / "sample" / "sample-ebook.txt").read_text("utf-8").split("\n")
# Characters the book's patterns care about, mixed with arbitrary unicode.
NOISE = st.text(alphabet=st.one_of(
    st.sampled_from(list("[]()*`\\#:-–—•👉💡 \t\r\x00\ufeff\u200b\ufffd"
                         "ProblemTopicExample0123456789.?")),
    st.characters()), max_size=60)
# DRILLBOOK_FUZZ_EXAMPLES=5000 for a long hunt; the default keeps the suite fast.
EXAMPLES = int(os.environ.get("DRILLBOOK_FUZZ_EXAMPLES", "120"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def read_segment_dedupe(data: bytes) -> None:
    """What a build does with one text file, short of writing outputs."""
    lines = lines_of_text(decode_text(data, "fuzz.txt"), "fuzz")
    segmented, _ = segment(lines)
    merge_repeats(segmented.problems, DedupeConfig())


def only_input_errors(data: bytes) -> None:
    try:
        read_segment_dedupe(data)
    except DrillbookError as error:
        assert str(error).startswith("fuzz.txt")  # it names the file


@st.composite
def mutated_sample(draw) -> list[str]:
    """The sample with lines deleted, duplicated, moved, shuffled, cut or replaced."""
    lines = list(SAMPLE_LINES)
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(["delete", "duplicate", "move", "shuffle", "cut",
                                     "replace", "insert", "splice"]))
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            lines.append(draw(NOISE))
        elif kind == "delete":
            del lines[at:at + draw(st.integers(1, 40))]
        elif kind == "duplicate":
            block = lines[at:at + draw(st.integers(1, 60))]
            where = draw(st.integers(0, len(lines)))
            lines[where:where] = block
        elif kind == "move":
            block = lines[at:at + draw(st.integers(1, 60))]
            del lines[at:at + len(block)]
            where = draw(st.integers(0, len(lines)))
            lines[where:where] = block
        elif kind == "shuffle":
            block = lines[at:at + draw(st.integers(2, 30))]
            random.Random(draw(st.integers(0, 2**32))).shuffle(block)
            lines[at:at + len(block)] = block
        elif kind == "cut":
            lines[at] = lines[at][:draw(st.integers(0, max(len(lines[at]), 0)))]
        elif kind == "replace":
            lines[at] = draw(NOISE)
        elif kind == "insert":
            lines.insert(at, draw(NOISE))
        else:  # unicode spliced into the middle of a line
            text = lines[at]
            cut = draw(st.integers(0, len(text)))
            lines[at] = text[:cut] + draw(NOISE) + text[cut:]
    return lines


@FUZZ
@given(mutated_sample(), st.sampled_from(["\n", "\r\n"]))
def test_mutated_sample_raises_only_input_errors(lines, newline):
    only_input_errors(newline.join(lines).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.text(max_size=3000))
def test_random_unicode_text_raises_only_input_errors(text):
    only_input_errors(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes_raise_only_input_errors(data):
    only_input_errors(data)


@settings(max_examples=max(EXAMPLES // 2, 1), deadline=None)
@given(st.lists(st.sampled_from(SAMPLE_LINES[:400]), max_size=200), st.lists(NOISE, max_size=5))
def test_lines_drawn_from_the_sample_raise_only_input_errors(lines, noise):
    only_input_errors("\n".join(lines + noise).encode("utf-8", "surrogatepass"))
