"""genanki note types, decks and the .apkg bytes, reproducibly.

Card templates are fixed here and only show the fields; the fields' HTML comes from the
Jinja templates (``notes.py``). CSS comes from ``templates/anki/style.css``: changing CSS or
card template text under the same model id is safe, changing the fields is not.
"""
from __future__ import annotations

import copy
import hashlib
import io
import json
import itertools
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Sequence

import genanki

from .manifest import Stamped
from .notes import FIELD_TEMPLATES, MODEL_IDS

# Pinned root deck id (random 31-bit int, chosen once). Anki matches decks by name on
# import; the topic decks' ids derive from their names so they are stable too.
ROOT_DECK_ID = 1338597277

_FRONT_BACK = [{"name": "Card 1", "qfmt": "{{Front}}",
                "afmt": "{{FrontSide}}\n<hr id=answer>\n{{Back}}"}]
_CLOZE = [{"name": "Cloze", "qfmt": "{{cloze:Text}}",
           "afmt": "{{cloze:Text}}\n<hr id=answer>\n{{Back Extra}}"}]
_MODEL_NAMES = {"problem": "drillbook Problem", "point": "drillbook Point",
                "cloze": "drillbook Cloze"}

# Zip entries get this date instead of the temporary file's, so equal input gives equal bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class StampedNote(genanki.Note):
    """A note written with its own modification time instead of the package's.

    genanki 0.13.1 stamps every note with the package timestamp; Anki needs unchanged notes
    to keep their previous time so a re-import leaves them alone.
    """

    def __init__(self, mod_time: int, **kwargs: object):
        super().__init__(**kwargs)
        self.mod_time = mod_time

    def write_to_db(self, cursor, timestamp, deck_id, id_gen):  # type: ignore[no-untyped-def]
        super().write_to_db(cursor, self.mod_time, deck_id, id_gen)


def models(css: str) -> dict[str, genanki.Model]:
    """The three note types, with pinned ids and fixed fields."""
    built = {}
    for kind, fields in FIELD_TEMPLATES.items():
        built[kind] = genanki.Model(
            MODEL_IDS[kind], _MODEL_NAMES[kind], fields=[{"name": name} for name, _ in fields],
            # genanki's to_json writes into these dicts ("ord"), so each model gets copies.
            templates=copy.deepcopy(_CLOZE if kind == "cloze" else _FRONT_BACK), css=css,
            model_type=genanki.Model.CLOZE if kind == "cloze" else genanki.Model.FRONT_BACK)
    return built


def note_type_hash(model: genanki.Model) -> str:
    """What decides whether a note type changed: its name, fields, card templates and CSS."""
    payload = json.dumps([model.name, model.fields, model.templates, model.css, model.model_type],
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def deck_id(name: str) -> int:
    """A stable 31-bit deck id for a full deck name."""
    digest = hashlib.sha1(f"drillbook-deck\x1f{name}".encode("utf-8")).hexdigest()
    return (1 << 30) + int(digest[:8], 16) % (1 << 30)


def make_decks(root: str, notes: Sequence[Stamped], kinds: dict[str, genanki.Model],
               retired_deck: str) -> tuple[list[genanki.Deck], dict[str, dict[str, int]]]:
    """The root deck and one subdeck per topic (first-seen order), plus note and card counts."""
    decks: dict[str, genanki.Deck] = {root: genanki.Deck(ROOT_DECK_ID, root)}
    counts: dict[str, dict[str, int]] = {}
    for position, item in enumerate(notes):
        note = item.note
        name = f"{root}::{retired_deck if item.retired else note.deck}"
        if name not in decks:
            decks[name] = genanki.Deck(deck_id(name), name)
        # due orders new cards: the learner meets them in book order.
        written = StampedNote(item.mod, model=kinds[note.kind], fields=list(note.fields),
                              tags=list(note.tags), guid=note.guid, due=position)
        decks[name].add_note(written)
        tally = counts.setdefault("retired" if item.retired else note.kind,
                                  {"notes": 0, "cards": 0})
        tally["notes"] += 1
        tally["cards"] += len(written.cards)
    return list(decks.values()), counts


def apkg_bytes(decks: Sequence[genanki.Deck], now: int) -> bytes:
    """The .apkg file's bytes: genanki's collection database, zipped with fixed dates.

    genanki's own write_to_file zips with the temporary file's date (so bytes differ per run)
    and leaves that file behind; this writes the same database through its write_to_db.
    """
    with tempfile.TemporaryDirectory(prefix="drillbook-anki-") as folder:
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            genanki.Package(list(decks)).write_to_db(connection.cursor(), now,
                                                     itertools.count(now * 1000))
            connection.commit()
        finally:
            connection.close()
        collection = database.read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, payload in (("collection.anki2", collection), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, payload)
    return buffer.getvalue()
