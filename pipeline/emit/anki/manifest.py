"""The build manifest: what every note looked like last time, and when it last changed.

Anki applies a re-imported note only when its modification time is newer than the
collection's copy. So a note whose content hash is unchanged keeps its previous time
(a re-import leaves it, and the learner's edits, alone) and a changed note gets a newer
one (it updates). Notes that left the corpus stay in the manifest as retired, with their
last content, so they can still be shipped tagged ``drillbook::retired``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from ...errors import DrillbookError
from ..corpus_json import dumps_json
from .deck_format import FORMAT, NOTE_TYPES
from .notes import NoteSpec

MANIFEST_PATH = "anki/manifest.json"
MANIFEST_FORMAT = FORMAT  # the deck format the manifest describes (deck_format.py)
RETIRED_TAG = "drillbook::retired"


@dataclass(frozen=True, slots=True)
class Stamped:
    """A note with its content hash, modification time and how it compares to last build."""

    note: NoteSpec
    hash: str
    mod: int
    status: str  # "new", "changed" or "unchanged"
    retired: bool = False
    newly_retired: bool = False


def content_hash(kind: str, model_id: int, fields: Sequence[str], tags: Sequence[str]) -> str:
    """What decides whether a note changed: its note type, fields and tags (not its deck,
    which Anki never changes for cards it already has)."""
    payload = json.dumps([kind, model_id, list(fields), sorted(tags)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def load_manifest(path: Path) -> dict[str, Any] | None:
    """The previous build's manifest, or None when there is none yet."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DrillbookError(f"cannot read the Anki build manifest ({exc}); restore it, or "
                             "delete it to start over (every note then counts as changed)",
                             str(path)) from None
    return data


def _entries(manifest: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The manifest's notes, checked: a damaged manifest must not silently reset times."""
    if manifest is None:
        return {}
    if is_older_format(manifest):
        return {}
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT \
            or not isinstance(manifest.get("notes"), dict):
        raise DrillbookError(f"not a drillbook Anki manifest (format {MANIFEST_FORMAT})",
                             MANIFEST_PATH)
    notes: dict[str, dict[str, Any]] = manifest["notes"]
    for guid, entry in notes.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("hash"), str)
                and isinstance(entry.get("mod"), int) and isinstance(entry.get("fields"), list)
                and isinstance(entry.get("tags"), list) and entry.get("kind") in NOTE_TYPES
                and len(entry["fields"]) == len(NOTE_TYPES[entry["kind"]].fields)
                and isinstance(entry.get("cards"), list)
                and all(isinstance(c, list) and len(c) == 2 and all(isinstance(x, int) for x in c)
                        and 0 <= c[0] < len(NOTE_TYPES[entry["kind"]].templates)
                        for c in entry["cards"])):
            raise DrillbookError(f"damaged manifest entry for note {guid!r}", MANIFEST_PATH)
    return notes


def is_older_format(manifest: Mapping[str, Any] | None) -> bool:
    """The manifest of an earlier deck format (format 1 had no note of today's note types:
    its notes are neither current nor retired, so it is set aside)."""
    return isinstance(manifest, dict) and isinstance(manifest.get("format"), int) \
        and 0 < manifest["format"] < MANIFEST_FORMAT


def _next_mod(previous: Mapping[str, Any] | None, now: int) -> int:
    # Strictly newer than what the learner may have, even if the clock went backwards.
    return now if previous is None else max(now, previous["mod"] + 1)


def stamp(notes: Sequence[NoteSpec], manifest: Mapping[str, Any] | None,
          now: int) -> tuple[list[Stamped], list[Stamped]]:
    """(current notes, retired notes) with modification times decided against the manifest."""
    previous = _entries(manifest)
    current: list[Stamped] = []
    for note in notes:
        digest = content_hash(note.kind, NOTE_TYPES[note.kind].id, note.fields, note.tags)
        before = previous.get(note.guid)
        if before is not None and before["hash"] == digest:
            current.append(Stamped(note, digest, before["mod"], "unchanged"))
        else:
            current.append(Stamped(note, digest, _next_mod(before, now),
                                   "new" if before is None else "changed"))
    present = {note.guid for note in notes}
    retired: list[Stamped] = []
    for guid in sorted(previous):
        if guid in present:
            continue
        entry = previous[guid]
        tags = tuple(sorted(set(entry["tags"]) | {RETIRED_TAG}))
        note = NoteSpec(guid, entry["kind"], entry.get("key", ""), entry.get("problem", ""),
                        entry.get("title", ""), entry.get("topic", ""), entry.get("deck", ""),
                        tuple(entry["fields"]), tags, tuple((o, d) for o, d in entry["cards"]))
        digest = content_hash(note.kind, NOTE_TYPES[note.kind].id, note.fields, tags)
        unchanged = entry["hash"] == digest
        retired.append(Stamped(note, digest, entry["mod"] if unchanged else _next_mod(entry, now),
                               "unchanged" if unchanged else "changed", retired=True,
                               newly_retired=not entry.get("retired", False)))
    return current, retired


def stamp_note_types(hashes: Mapping[str, str], manifest: Mapping[str, Any] | None,
                     now: int) -> dict[str, dict[str, Any]]:
    """Kind -> {hash, mod} of the note types: a CSS or card template change moves mod on."""
    previous = manifest.get("note_types", {}) if isinstance(manifest, dict) else {}
    stamped: dict[str, dict[str, Any]] = {}
    for kind in sorted(hashes):
        before = previous.get(kind) if isinstance(previous, dict) else None
        if not (isinstance(before, dict) and isinstance(before.get("mod"), int)):
            before = None
        if before is not None and before.get("hash") == hashes[kind]:
            stamped[kind] = {"hash": hashes[kind], "mod": before["mod"]}  # unchanged
        else:
            stamped[kind] = {"hash": hashes[kind], "mod": _next_mod(before, now)}
    return stamped


def package_time(current: Sequence[Stamped], retired: Sequence[Stamped],
                 note_types: Mapping[str, Mapping[str, Any]], now: int) -> int:
    """The package's timestamp: the newest change the manifest knows of.

    genanki stamps the note types (and the note and card ids) with it, so an unchanged
    rebuild gives the same bytes, and a changed note type is still newer than the learner's.
    """
    times = [item.mod for item in (*current, *retired)]
    times += [entry["mod"] for entry in note_types.values()]
    return max(times, default=now)


def manifest_bytes(current: Sequence[Stamped], retired: Sequence[Stamped],
                   note_types: Mapping[str, Mapping[str, Any]]) -> bytes:
    """The new manifest: every note of the corpus plus the retired ones, sorted by GUID."""
    notes: dict[str, dict[str, Any]] = {}
    for item in sorted([*current, *retired], key=lambda s: s.note.guid):
        note = item.note
        notes[note.guid] = {"kind": note.kind, "key": note.key, "problem": note.problem,
                            "title": note.title, "topic": note.topic, "deck": note.deck,
                            "hash": item.hash, "mod": item.mod, "retired": item.retired,
                            "tags": list(note.tags), "fields": list(note.fields),
                            "cards": [list(card) for card in note.cards]}
    return dumps_json({"format": MANIFEST_FORMAT, "note_types": dict(note_types), "notes": notes})
