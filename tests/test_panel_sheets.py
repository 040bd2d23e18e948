"""scripts/panel_sheets.py: cards as the rubric's plain text, seeded sheets, the tally."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import load_script

from pipeline.emit.anki import AnkiOptions, anki_outputs
from pipeline.emit.corpus_json import load_corpus
from pipeline.templating import make_environment

ROOT = Path(__file__).resolve().parent.parent
panel_sheets = load_script("panel_sheets")

FIXTURE = ROOT / "tests" / "fixtures" / "anki" / "corpus.json"


def test_a_card_side_reads_as_the_rubric_says():
    side = ('<style>.x{}</style><div>Keep <span class="cloze-blank">[...]</span> warm; '
            'the key is <span class="cloze-term">hot rows</span>.</div>'
            '<div>Run <code>SET k v</code> &amp; check</div>'
            '<ol><li value="2">Second</li><li class="uncounted">Aside</li></ol>'
            r'<div><span class="math">\(\text&#123;rate&#125; \times 2\)</span></div>')
    assert panel_sheets.card_text(side).splitlines() == [
        "Keep [...] warm; the key is [[hot rows]].", "Run `SET k v` & check",
        "2. Second", "(unnumbered heading, faded italics) Aside", "rate ×2"]


def test_sample_wants_a_count_or_all():
    assert panel_sheets.parse_sample("Explain=3, Name=all") == {"Explain": 3, "Name": None}
    with pytest.raises(SystemExit):
        panel_sheets.parse_sample("Explain")


@pytest.fixture(scope="module")
def apkg(tmp_path_factory):
    built = anki_outputs(load_corpus(FIXTURE), AnkiOptions(), None, 1_700_000_000,
                         make_environment())
    path = tmp_path_factory.mktemp("deck") / "deck.apkg"
    path.write_bytes(built.files[built.apkg_path])
    return path


def test_draw_splits_a_seeded_sample_into_sheets_with_a_key(apkg, tmp_path):
    folder = tmp_path / "panel"
    drawn = panel_sheets.draw(apkg, folder, 7, {"Cloze": None, "Explain": 2}, 2)
    every = panel_sheets.deck_cards(apkg)
    clozes = sum(1 for c in every if c["card_type"] == "Cloze")
    assert drawn == {"Cloze": clozes, "Explain": 2}
    sheets = [json.loads((folder / f"sheet-{n}.json").read_text("utf-8")) for n in (1, 2)]
    key = json.loads((folder / "key.json").read_text("utf-8"))
    assert sum(map(len, sheets)) == len(key) == clozes + 2
    by_id = {c["card_id"]: c for c in every}
    for number, card in key.items():
        sheet, n = number.split(":")
        row = sheets[int(sheet) - 1][int(n) - 1]
        assert row["n"] == int(n) and row["front"] == by_id[card["card_id"]]["front"]
    cloze_fronts = [r["front"] for s in sheets for r in s if r["card_type"] == "Cloze"]
    assert cloze_fronts and all("[...]" in f for f in cloze_fronts)
    again = tmp_path / "again"
    panel_sheets.draw(apkg, again, 7, {"Cloze": None, "Explain": 2}, 2)
    assert (again / "key.json").read_text() == (folder / "key.json").read_text()


def test_draw_refuses_to_write_the_books_text_into_the_repository(apkg):
    with pytest.raises(SystemExit):
        panel_sheets.draw(apkg, ROOT / "build" / "panel", 7, {"Cloze": None}, 1)


def test_tally_keeps_a_card_most_of_its_readers_keep(tmp_path):
    key = {"1:1": {"card_id": 10, "card_type": "Cloze"},
           "1:2": {"card_id": 11, "card_type": "Cloze"},
           "1:3": {"card_id": 12, "card_type": "Name"}}
    (tmp_path / "key.json").write_text(json.dumps(key))
    readers = {"a": [True, False, True], "b": [True, False, False], "c": [False, True, False]}
    for reader, keeps in readers.items():
        verdicts = [{"n": n, "keep": keep, "problem": "" if keep else f"{reader} says no"}
                    for n, keep in enumerate(keeps, 1)]
        (tmp_path / f"sheet-1.{reader}.json").write_text(json.dumps(verdicts))
    counts, rejects = panel_sheets.tally(tmp_path)
    assert counts == {"Cloze": (1, 2), "Name": (0, 1)}
    assert len(rejects) == 2 and "a says no" in rejects[0] and "b says no" in rejects[0]
