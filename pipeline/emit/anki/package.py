"""genanki note types, decks and the .apkg bytes, reproducibly.

The note types come from ``deck_format.py`` (frozen ids, fields and card templates that
only show the fields); the fields' HTML comes from the Jinja templates (``notes.py``), the
CSS from ``templates/anki/style.css``. Changing CSS or card template text under the same
note type id is safe, changing the fields or the templates' count or names is not.
"""
from __future__ import annotations

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

from .deck_format import NOTE_TYPES, afmt, qfmt
from .manifest import Stamped

# Pinned root deck id (random 31-bit int, chosen once). Anki matches decks by name on
# import; the topic decks' ids derive from their names so they are stable too.
ROOT_DECK_ID = 1338597277

# The deck options preset the package carries (pinned random 31-bit id, chosen once): the
# defaults with "bury new / review / interday learning siblings" on. Anki applies it only
# when the learner imports with "Import any deck presets" on (Anki 23.12 and later; from
# 2.1.55 to 23.10, with "Import any learning progress"); otherwise every deck keeps the
# preset it has (a new deck gets "Default"). A preset with this id already in the
# collection is left as the learner set it.
PRESET_ID = 1473306151
PRESET_NAME = "drillbook (siblings buried)"

# Zip entries get this date instead of the temporary file's, so equal input gives equal bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class StampedNote(genanki.Note):
    """A note written with its own modification time and exactly the cards it is given.

    genanki 0.13.1 stamps every note with the package timestamp (Anki needs unchanged
    notes to keep their previous time so a re-import leaves them alone), makes a card for
    every template with a front and gives them all the note's ``due``; here each card has
    its own place in the new-card order and only the chosen kinds' cards are written.
    """

    def __init__(self, mod_time: int, cards: tuple[tuple[int, int], ...], **kwargs: object):
        super().__init__(**kwargs)
        self.mod_time = mod_time
        self.card_dues = dict(cards)

    @property
    def cards(self):
        return [genanki.Card(ord_) for ord_ in sorted(self.card_dues)]

    def write_to_db(self, cursor, timestamp, deck_id, id_gen):
        # genanki 0.13.1's Note.write_to_db, with the note's time and each card's own due.
        self._check_number_model_fields_matches_num_fields()
        self._check_invalid_html_tags_in_fields()
        cursor.execute("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?);", (
            next(id_gen), self.guid, self.model.model_id, self.mod_time, -1,
            self._format_tags(), self._format_fields(), self.sort_field, 0, 0, ""))
        note_id = cursor.lastrowid
        for card in self.cards:
            card.write_to_db(cursor, self.mod_time, deck_id, note_id, id_gen,
                             self.card_dues[card.ord])


def models(css: str) -> dict[str, genanki.Model]:
    """The note types of the deck format, with pinned ids and frozen fields."""
    built = {}
    for kind, note_type in NOTE_TYPES.items():
        built[kind] = genanki.Model(
            note_type.id, note_type.name, fields=[{"name": name} for name in note_type.fields],
            templates=[{"name": t.name, "qfmt": qfmt(t), "afmt": afmt(t)}
                       for t in note_type.templates],
            css=css, model_type=genanki.Model.FRONT_BACK, sort_field_index=0)
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
    """The root deck and one subdeck per topic (first-seen order), plus, per card kind, the
    notes with cards of that kind and the cards."""
    decks: dict[str, genanki.Deck] = {root: genanki.Deck(ROOT_DECK_ID, root)}
    counts: dict[str, dict[str, int]] = {}
    for item in notes:
        note = item.note
        name = f"{root}::{retired_deck if item.retired else note.deck}"
        if name not in decks:
            decks[name] = genanki.Deck(deck_id(name), name)
        # due orders new cards: the learner meets them in book order.
        written = StampedNote(item.mod, note.cards, model=kinds[note.kind],
                              fields=list(note.fields), tags=list(note.tags), guid=note.guid)
        decks[name].add_note(written)
        for kind in sorted(set(note.card_kinds())) if not item.retired else ["retired"]:
            tally = counts.setdefault(kind, {"notes": 0, "cards": 0})
            tally["notes"] += 1
            tally["cards"] += (len(note.cards) if item.retired
                               else note.card_kinds().count(kind))
    return list(decks.values()), counts


def _add_preset(cursor: sqlite3.Cursor, now: int) -> None:
    """Add the burying preset to the collection genanki wrote and give it to every deck.

    genanki 0.13.1 has no API for deck options: its collection holds the "Default" preset
    (id 1, which Anki never imports over the learner's) and decks that use it."""
    presets = json.loads(cursor.execute("SELECT dconf FROM col").fetchone()[0])
    preset = json.loads(json.dumps(presets["1"]))
    preset.update(id=PRESET_ID, name=PRESET_NAME, mod=now, usn=-1,
                  buryInterdayLearning=True)
    preset["new"]["bury"] = preset["rev"]["bury"] = True
    presets[str(PRESET_ID)] = preset
    decks = json.loads(cursor.execute("SELECT decks FROM col").fetchone()[0])
    for deck_key, deck in decks.items():
        if deck_key != "1":
            deck["conf"] = PRESET_ID
    cursor.execute("UPDATE col SET dconf = ?, decks = ?",
                   (json.dumps(presets, sort_keys=True), json.dumps(decks, sort_keys=True)))


def apkg_bytes(decks: Sequence[genanki.Deck], now: int) -> bytes:
    """The .apkg file's bytes: genanki's collection database, zipped with fixed dates.

    genanki's own write_to_file zips with the temporary file's date (so bytes differ per run)
    and leaves that file behind; this writes the same database through its write_to_db.
    """
    with tempfile.TemporaryDirectory(prefix="drillbook-anki-") as folder:
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            cursor = connection.cursor()
            genanki.Package(list(decks)).write_to_db(cursor, now, itertools.count(now * 1000))
            _add_preset(cursor, now)
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
