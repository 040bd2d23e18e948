"""The deck format is frozen: its note types may only change in ways Anki updates in place.

The expected schema below is written out by hand, on purpose: if a change to
``pipeline/emit/anki/deck_format.py`` makes this test fail, it would make every learner's
next import conflict (Anki copies the note type instead of updating it). Such a change is
a new format (new ids, names and GUID namespaces, FORMAT + 1), not an edit of this one.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from pipeline.emit.anki import MANIFEST_PATH, AnkiOptions, anki_outputs
from pipeline.emit.anki import deck_format
from pipeline.emit.anki.package import models
from pipeline.emit.corpus_json import load_corpus
from pipeline.templating import make_environment

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "anki" / "corpus.json"
NOW = 1_700_000_000
FROZEN = {
    1545003817: ("drillbook Problem (format 2)", ["Problem", "Front", "Back"], ["Outline"]),
    1287463790: ("drillbook Point (format 2)",
                 ["Point", "Explain Front", "Explain Back", "Name Front", "Name Back",
                  "Cloze Front", "Cloze Back"], ["Explain", "Name", "Cloze"]),
}
CSS = Path(__file__).resolve().parent.parent / "templates" / "anki" / "style.css"


def test_the_note_types_are_the_frozen_format_2():
    assert deck_format.FORMAT == 2
    built = models("")
    assert {m.model_id: (m.name, [f["name"] for f in m.fields], [t["name"] for t in m.templates])
            for m in built.values()} == FROZEN
    assert {t.namespace for t in deck_format.NOTE_TYPES.values()} == {
        "drillbook-2-problem", "drillbook-2-point"}


@pytest.fixture
def collection(tmp_path):
    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


def _import(col, built, path: Path):
    path.write_bytes(built.files[built.apkg_path])
    return col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(path), options=ImportAnkiPackageOptions())).log


def test_a_later_template_change_updates_notes_instead_of_duplicating(collection, tmp_path,
                                                                      monkeypatch):
    corpus = load_corpus(FIXTURE)
    first = anki_outputs(corpus, AnkiOptions(), None, NOW, make_environment())
    log = _import(collection, first, tmp_path / "first.apkg")
    notes, cards = collection.note_count(), collection.card_count()
    assert len(log.new) == notes
    # a later drillbook: new card template text and new field HTML for the Explain back
    from pipeline.emit.anki import package
    monkeypatch.setattr(package, "afmt", lambda t: "<div class=v3>{{%s}}</div>" % t.back)
    mine = tmp_path / "mine" / "anki"
    mine.mkdir(parents=True)
    (mine / "explain-back.html").write_text(
        '{% include "default/anki/explain-back.html" %}<p>new</p>', "utf-8")
    later = anki_outputs(corpus, AnkiOptions(), json.loads(first.files[MANIFEST_PATH]),
                         NOW + 3600, make_environment(tmp_path / "mine"))
    points = later.counts["point"]["notes"]
    assert later.changes == {"new": 0, "changed": points, "unchanged": notes - points}
    log = _import(collection, later, tmp_path / "later.apkg")
    assert not log.new and not log.conflicting and len(log.updated) == points
    assert collection.note_count() == notes and collection.card_count() == cards
    names = [m.name for m in collection.models.all_names_and_ids()]
    assert sorted(n for n in names if n.startswith("drillbook")) == [
        "drillbook Point (format 2)", "drillbook Problem (format 2)"]  # no copies
    point = next(collection.get_card(cid) for cid in collection.find_cards("card:Explain"))
    assert point.answer().count("<div class=v3>") == 1 and "<p>new</p>" in point.answer()


def _selectors(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [sel.strip() for block in re.findall(r"([^{}]+)\{[^}]*\}", css)
            for sel in block.split(",")]


def test_css_styles_only_the_blank_and_the_term_as_the_cloze_answer():
    selectors = _selectors(CSS.read_text("utf-8"))
    assert selectors, "no CSS rules found"
    cloze = [s for s in selectors if "cloze" in s]
    assert cloze  # the blank and the revealed term are visibly marked
    for selector in cloze:
        last = selector.split()[-1]
        assert last in ("span.cloze-blank", "span.cloze-term") or "cloze" not in last, selector
        assert not re.search(r"\.cloze(?![-\w])", selector), selector  # Anki's own class


def test_no_card_wraps_its_content_in_a_cloze_answer_class(tmp_path):
    corpus = load_corpus(FIXTURE)
    built = anki_outputs(corpus, AnkiOptions(), None, NOW, make_environment())
    fields = [f for note in json.loads(built.files[MANIFEST_PATH])["notes"].values()
              for f in note["fields"]]
    marked = [m for f in fields for m in re.finditer(r'<(\w+)[^>]*class="([^"]*)"', f)
              if "cloze-term" in m.group(2).split() or "cloze-blank" in m.group(2).split()]
    assert marked and all(m.group(1) == "span" for m in marked)
    # Anki's own answer class on a container would style the whole card as the answer
    assert not [f for f in fields if re.search(r'class="(?:[^"]* )?cloze(?: [^"]*)?"', f)]
    for f in fields:  # the marked spans hold text or inline marks only, never a block
        for inner in re.findall(r'<span class="cloze-(?:term|blank)">(.*?)</span>', f):
            assert not re.search(r"<(div|p|ol|ul|li|hr)\b", inner)
