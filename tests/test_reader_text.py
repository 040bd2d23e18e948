"""Text reader: 1-based lines, UTF-8 only, clear errors naming the file and place."""
from __future__ import annotations

import pytest

from pipeline.errors import DrillbookError
from pipeline.readers.text import read_text_lines


def test_lines_are_one_based_over_newline_split(tmp_path):
    path = tmp_path / "book.txt"
    path.write_bytes("\ufefffirst\r\nsecond\n\nfourth".encode("utf-8"))
    got = read_text_lines(path, "src")
    assert ([(line.line, line.text) for line in got]
            == [(1, "first"), (2, "second"), (3, ""), (4, "fourth")])
    assert {line.source for line in got} == {"src"}


def test_latin1_is_an_error_with_line_and_offset(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("ok line\nna\xefve caf\xe9\n".encode("latin-1"))
    with pytest.raises(DrillbookError) as caught:
        read_text_lines(path, "src")
    message = str(caught.value)
    assert message.startswith(f"{path}:2: not UTF-8")
    assert "byte offset 10" in message


@pytest.mark.parametrize("data, expected", [(b"", "file is empty"), (b"  \n\n", "file is empty"),
                                            (b"abc\x00\x01def", "binary data")])
def test_empty_and_binary_files(tmp_path, data, expected):
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    with pytest.raises(DrillbookError, match=expected):
        read_text_lines(path, "src")
