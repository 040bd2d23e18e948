"""The user's tags.toml: format errors name the line, aliases and pins take effect."""
from __future__ import annotations

from pathlib import Path

import pytest

from tags_helpers import corpus, evidence_of, point

from pipeline.errors import DrillbookError
from pipeline.tags import TagAliases, load_aliases, normalize_tags, parse_aliases

ROOT = Path(__file__).resolve().parent.parent

GOOD = '''
phrases = ["soil moisture probe"]
products = ["Gardenbase"]

[aliases]
"PostgreSQL" = ["Postgres", "PG"]
"rain barrel" = "water butt"

[splits]
"Redis Memcached garden" = ["Redis Memcached", "garden"]
'''


def test_missing_file_is_empty(tmp_path):
    aliases = load_aliases(tmp_path / "tags.toml")
    assert aliases.aliases == {} and aliases.splits == {} and aliases.phrases == ()
    assert load_aliases(None) == TagAliases()


def test_documented_example_in_the_repository_parses():
    aliases = load_aliases(ROOT / "raw" / "sample" / "tags.toml")
    assert aliases.aliases["JWT tokens"] == "JWT"
    assert aliases.phrases and aliases.products


def test_good_file_is_read(tmp_path):
    path = tmp_path / "tags.toml"
    path.write_text(GOOD, "utf-8")
    aliases = load_aliases(path)
    assert aliases.aliases == {"Postgres": "PostgreSQL", "PG": "PostgreSQL",
                               "water butt": "rain barrel"}
    assert aliases.splits == {"redis memcached garden": ("Redis Memcached", "garden")}
    assert aliases.phrases == ("soil moisture probe",)
    assert aliases.products == frozenset({"Gardenbase"})


@pytest.mark.parametrize("text, line, words", [
    ('[aliases]\n"A" = ["b"]\n"C" = = 3\n', 3, "invalid TOML"),
    ('phrases = ["x"]\n\n[alias]\n"A" = "b"\n', 3, "unknown key 'alias'"),
    ('[splits]\n"Red Blue Green" = ["Red", "Green"]\n', 2, "must be its words in order"),
    ('[aliases]\n"A" = ["dup"]\n"B" = ["dup"]\n', 3, "alias of both"),  # the second listing
    ('[aliases]\n"A" = [3]\n', 2, "non-empty strings"),
])
def test_bad_files_name_the_file_and_line(tmp_path, text, line, words):
    path = tmp_path / "tags.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(DrillbookError) as caught:
        load_aliases(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line
    assert words in caught.value.message


def test_aliases_map_variants_to_the_canonical_tag():
    c = corpus(point(("Postgres", "link"), ("water butts", "link")),
               point(("PostgreSQL", "line"), ("PG", "line")))
    result = normalize_tags(c, evidence_of(c), parse_aliases(GOOD))
    tags = {t.id: t for t in result.corpus.tags}
    assert set(tags) == {"postgresql", "rain-barrel"}
    assert tags["postgresql"].label == "PostgreSQL"
    assert tags["postgresql"].forms == ("PG", "PostgreSQL", "Postgres")  # code-point order
    assert tags["rain-barrel"].label == "rain barrel"
    assert tags["postgresql"].count == 2


def test_pinned_split_is_used_and_reported_as_pinned():
    c = corpus(point(("Redis Memcached garden", "joined")))
    result = normalize_tags(c, evidence_of(c), parse_aliases(GOOD))
    assert result.corpus.problems[0].points[0].tags == ("redis-memcached", "garden")
    (split,) = result.splits
    assert split.parts == ("Redis Memcached", "garden") and split.confidence == 1.0
    assert "pinned" in split.reason


def test_unused_aliases_and_pins_are_noted():
    c = corpus(point(("Compost", "link")))
    result = normalize_tags(c, evidence_of(c), parse_aliases(GOOD, "raw/tags.toml"))
    codes = [d.code for d in result.diagnostics]
    assert codes.count("tag-alias-unused") == 3
    assert codes.count("tag-pin-unused") == 1
    assert all(d.where.source == "raw/tags.toml" for d in result.diagnostics
               if d.code.startswith("tag-") and d.code.endswith("unused"))


def test_the_file_is_never_rewritten(tmp_path):
    path = tmp_path / "tags.toml"
    path.write_text(GOOD, "utf-8")
    c = corpus(point(("Postgres", "link")))
    normalize_tags(c, evidence_of(c), load_aliases(path))
    assert path.read_text("utf-8") == GOOD
