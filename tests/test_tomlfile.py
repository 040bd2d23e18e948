"""The TOML reader: tomllib's data plus the line of every key, for errors that name lines."""
from __future__ import annotations

import pytest

from pipeline.errors import DrillbookError
from pipeline.tomlfile import load_toml, parse_toml

TEXT = '''# a comment
top = 1
"quoted key" = 'x'
a.b = [1,
  2, # trailing comment
  [3, 4]]
text = """several
lines with "" quotes and \\""" an escaped closer
"""
inline = {x = 1, y = "}"}

[dedupe]
title_threshold = 85

[[merge]]
problems = ["a",
   "b"]

[[merge]]
problems = ["c"]

[[fruit]]
[[fruit.variety]]
name = "first"
[[fruit]]
[[fruit.variety]]
name = "second"
[fruit.info]
k = 1
'''


@pytest.fixture(scope="module")
def toml():
    return parse_toml(TEXT, "f.toml")


@pytest.mark.parametrize("path, line", [
    (("top",), 2), (("quoted key",), 3), (("a", "b"), 4), (("a", "b", 1), 5),
    (("a", "b", 2, 1), 6), (("text",), 7), (("inline",), 10), (("inline", "y"), 10),
    (("dedupe",), 12), (("dedupe", "title_threshold"), 13), (("merge", 0), 15),
    (("merge", 0, "problems", 1), 17), (("merge", 1, "problems"), 20),
    (("fruit", 0, "variety", 0, "name"), 24), (("fruit", 1, "variety", 0, "name"), 27),
    (("fruit", 1, "info", "k"), 29),
])
def test_every_key_has_the_line_it_is_written_on(toml, path, line):
    assert toml.line_of(*path) == line


def test_data_is_what_tomllib_parses(toml):
    assert toml.data["text"] == 'several\nlines with "" quotes and """ an escaped closer\n'
    assert toml.data["fruit"][1]["variety"][0]["name"] == "second"
    assert toml.data["merge"][0]["problems"] == ["a", "b"]


def test_an_unwritten_path_falls_back_to_its_nearest_written_parent(toml):
    assert toml.line_of("dedupe", "no_such_key") == 12  # the [dedupe] header
    assert toml.line_of("nothing") is None


def test_error_names_file_and_line(toml):
    error = toml.error("bad value", "merge", 1, "problems", 0)
    assert str(error) == "f.toml:20: bad value"


def test_invalid_toml_names_the_line_tomllib_found():
    with pytest.raises(DrillbookError) as caught:
        parse_toml("a = 1\nb = = 2\n", "bad.toml")
    assert str(caught.value).startswith("bad.toml:2: invalid TOML")
    assert "column" not in str(caught.value)


def test_missing_and_unreadable_files(tmp_path):
    assert load_toml(tmp_path / "none.toml", missing_ok=True).data == {}
    with pytest.raises(DrillbookError, match="file not found"):
        load_toml(tmp_path / "none.toml")
    (tmp_path / "latin.toml").write_bytes(b"a = '\xe9'\n")
    with pytest.raises(DrillbookError, match="not UTF-8"):
        load_toml(tmp_path / "latin.toml")
    with pytest.raises(DrillbookError, match="is a folder"):
        load_toml(tmp_path)
