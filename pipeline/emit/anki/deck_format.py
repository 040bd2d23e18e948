"""The deck format: drillbook's Anki note types, frozen and versioned.

A learner's collection matches a re-imported note by its GUID and its note type by id; the
note type's *schema* (its field names and its card templates, by count and name) must then
be exactly what the learner already has, or Anki refuses the update (it files the notes as
"conflicting" and makes a copy of the note type). So from format 2 on:

- everything below is frozen: ids, names, fields, template names and their order;
  ``tests/test_anki_format.py`` compares them with a copy written out by hand;
- the text of a card template (``qfmt``/``afmt``) and the CSS may change: Anki updates the
  note type in place when the package's copy is newer (the manifest stamps it);
- a change that needs another field or card template is a new format: new note type ids
  and names, new GUID namespaces, ``FORMAT`` + 1 and a section for its learners in docs/anki.md.

Format 1 (before this module) had three one-card note types (``drillbook Problem``,
``drillbook Point``, ``drillbook Cloze``); format 2 keeps every card of one point in one
note, so Anki's sibling burying keeps them apart.
"""
from __future__ import annotations

from dataclasses import dataclass

FORMAT = 2


@dataclass(frozen=True)
class CardTemplate:
    """One card template of a note type: the card kind it belongs to and the fields that
    hold its two sides (rendered by the Jinja templates named in ``FIELD_TEMPLATES``)."""

    name: str
    kind: str  # a card kind of KINDS: what --kinds chooses
    front: str  # field name of the front
    back: str  # field name of the back


@dataclass(frozen=True)
class NoteType:
    id: int  # pinned random 31-bit int, chosen once
    name: str
    fields: tuple[str, ...]  # the first is the sort field the browser lists
    templates: tuple[CardTemplate, ...]
    namespace: str  # GUID namespace of its notes


# Card kinds, in the order a learner meets them inside a topic (see notes.py: passes).
KINDS = ("problem", "point", "cloze")

PROBLEM = NoteType(
    1545003817, "drillbook Problem (format 2)",
    ("Problem", "Front", "Back"),
    (CardTemplate("Outline", "problem", "Front", "Back"),),
    "drillbook-2-problem")

POINT = NoteType(
    1287463790, "drillbook Point (format 2)",
    ("Point", "Explain Front", "Explain Back", "Name Front", "Name Back",
     "Cloze Front", "Cloze Back"),
    (CardTemplate("Explain", "point", "Explain Front", "Explain Back"),
     CardTemplate("Name", "point", "Name Front", "Name Back"),
     CardTemplate("Cloze", "cloze", "Cloze Front", "Cloze Back")),
    "drillbook-2-point")

NOTE_TYPES = {"problem": PROBLEM, "point": POINT}

# The Jinja template (templates/anki/) that renders each field's HTML, per note type.
FIELD_TEMPLATES = {
    "problem": {"Problem": "anki/problem-sort.html", "Front": "anki/problem-front.html",
                "Back": "anki/problem-back.html"},
    "point": {"Point": "anki/point-sort.html",
              "Explain Front": "anki/explain-front.html", "Explain Back": "anki/explain-back.html",
              "Name Front": "anki/name-front.html", "Name Back": "anki/name-back.html",
              "Cloze Front": "anki/cloze-front.html", "Cloze Back": "anki/cloze-back.html"},
}


def qfmt(template: CardTemplate) -> str:
    """The Anki front template: the front field only (an empty field makes no card)."""
    return "{{%s}}" % template.front


def afmt(template: CardTemplate) -> str:
    """The Anki back template: the back field replaces the front, which it repeats itself
    where it needs to (a cloze back shows the revealed text instead of the blank)."""
    return "{{%s}}" % template.back
