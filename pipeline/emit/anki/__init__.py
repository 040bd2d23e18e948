"""Anki decks from the corpus that re-import without duplicates or lost progress.

``emit(corpus, ctx)`` is the output the build and ``drillbook anki`` run (the [anki]
settings are its options, the previous manifest comes from ``ctx.previous``);
``anki_outputs(corpus, options, manifest, now, env)`` does the work and writes nothing.
The note types are the frozen deck format (``deck_format.py``): a Problem note (Outline
card) per problem and a Point note (Explain, Name and Cloze cards, siblings) per point;
the Jinja templates in ``templates/anki/`` render their fields' HTML and the Anki card
templates only place those fields. Identity: GUIDs from the corpus's stable ids
(``guid_for(namespace, key)``), pinned note type and deck ids, and a manifest that keeps an
unchanged note's modification time so Anki leaves it (and the learner's edits) alone.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import jinja2

from ...config import AnkiSettings
from ...errors import DrillbookError
from ...ids import slugify
from ...models import Corpus, Diagnostic
from ..base import EmitContext, Emitted
from ...templating import render
from .deck_format import FORMAT
from .manifest import (MANIFEST_PATH, RETIRED_TAG, is_older_format, load_manifest,
                       manifest_bytes, package_time, stamp, stamp_note_types, Stamped)
from .notes import KINDS, build_notes, select_notes
from .tags import TagPolicy
from .package import apkg_bytes, make_decks, models, note_type_hash
from ...topics import resolve_topics

__all__ = ["DEFAULT_DECK", "DEFAULT_KINDS", "KINDS", "MANIFEST_PATH", "RETIRED_TAG", "AnkiBuild",
           "AnkiOptions", "RetiredNote", "anki_outputs", "emit", "load_manifest",
           "resolve_topics"]

DEFAULT_DECK = AnkiSettings().deck
DEFAULT_KINDS = AnkiSettings().kinds
RETIRED_DECK = "Retired"
# Diagnostics that only matter when their card kind is shipped.
_KIND_OF_CODE = {"anki-no-cloze-term": "cloze"}


# What to put in the deck: the record and its defaults are the [anki] settings.
AnkiOptions = AnkiSettings


@dataclass(frozen=True)
class RetiredNote:
    """A note of an earlier build whose problem (or point) left the corpus."""

    guid: str
    kind: str
    problem: str  # problem id
    title: str  # problem title
    newly: bool  # retired by this build (not already in an earlier one)


@dataclass
class AnkiBuild:
    """The deck and manifest bytes (paths relative to the output folder) and what happened."""

    files: dict[str, bytes]
    apkg_path: str  # "anki/<deck-slug>.apkg", a key of ``files``
    counts: dict[str, dict[str, int]]  # kind (and "retired") -> {"notes": n, "cards": n}
    changes: dict[str, int]  # shipped notes that are "new", "changed", "unchanged"
    retired: list[RetiredNote] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Outline cards of the whole corpus (whatever --topic and --kinds ship) by variant, and
    # the problems declined one by reason: {"every": n, "some": n, "declined": {reason: n}}
    outline: dict[str, Any] = field(default_factory=dict)


def _check_options(options: AnkiOptions) -> str:
    root = " ".join(options.deck.split())
    if not root or root.startswith("::") or root.endswith("::"):
        raise DrillbookError(f"invalid deck name {options.deck!r}")
    unknown = [kind for kind in options.kinds if kind not in KINDS]
    if unknown or not options.kinds:
        raise DrillbookError(f"unknown card kind(s) {', '.join(unknown) or '(none given)'}; "
                             f"choose from {', '.join(KINDS)}")
    return root


def _retired_diagnostics(corpus: Corpus, gone: Sequence[RetiredNote],
                         shipped: bool) -> list[Diagnostic]:
    """One warning per problem that lost notes in this build."""
    live = {problem.id for problem in corpus.problems}
    hint = "" if shipped else "; ship them tagged drillbook::retired with --retired"
    found: list[Diagnostic] = []
    for problem_id, title in sorted({(r.problem, r.title) for r in gone if r.newly}):
        what = (f"{sum(1 for r in gone if r.newly and r.problem == problem_id)} note(s) of "
                f"problem {title!r} ({problem_id}) match no point any more (retitled or removed)"
                if problem_id in live else
                f"problem {title!r} ({problem_id}) is no longer in the corpus")
        found.append(Diagnostic("warning", "anki-retired", what + hint))
    return found


def _chosen(items: Sequence[Stamped], kinds: Sequence[str],
            topics: Sequence[str] | None) -> list[Stamped]:
    """The stamped notes of the chosen topics, each with only the chosen kinds' cards."""
    picked = {note.guid: note for note in select_notes([i.note for i in items], kinds, topics)}
    return [dataclasses.replace(item, note=picked[item.note.guid]) for item in items
            if item.note.guid in picked]


def anki_outputs(corpus: Corpus, options: AnkiOptions, manifest: Mapping[str, Any] | None,
                 now: int, env: jinja2.Environment) -> AnkiBuild:
    """Build the .apkg and the new manifest; equal inputs give byte-identical files.

    ``now`` only stamps what changed since ``manifest``: an unchanged rebuild gives the
    same bytes whatever ``now`` is.
    """
    root = _check_options(options)
    topics = resolve_topics(corpus, options.topics)
    policy = TagPolicy(options.tag_min_points, options.tag_technologies)
    notes, noticed, outlines = build_notes(corpus, env, policy, options.topic_numbers)
    diagnostics = [d for d in noticed
                   if d.code not in _KIND_OF_CODE or _KIND_OF_CODE[d.code] in options.kinds]
    if is_older_format(manifest):
        diagnostics.append(Diagnostic(
            "info", "anki-format-change",
            f"the last deck was built in format {manifest['format']}; format {FORMAT} notes "  # type: ignore[index]
            "are all new to Anki (see docs/anki.md, learners of deck format 1)"))
    current, retired = stamp(notes, manifest, int(now))
    shipped = _chosen(current, options.kinds, topics)
    if options.retired:
        shipped += _chosen(retired, options.kinds, topics)
    note_types = models(render(env, "anki/style.css"))
    type_stamps = stamp_note_types({kind: note_type_hash(model)
                                    for kind, model in note_types.items()},
                                   None if is_older_format(manifest) else manifest, int(now))
    decks, counts = make_decks(root, shipped, note_types, RETIRED_DECK)
    for kind in options.kinds:
        counts.setdefault(kind, {"notes": 0, "cards": 0})
    counts = {kind: counts[kind] for kind in (*KINDS, "retired") if kind in counts}
    changes = {"new": 0, "changed": 0, "unchanged": 0}
    for item in shipped:
        changes[item.status] += 1
    gone = [RetiredNote(item.note.guid, item.note.kind, item.note.problem, item.note.title,
                        item.newly_retired) for item in retired]
    diagnostics.extend(_retired_diagnostics(corpus, gone, options.retired))
    apkg_path = f"anki/{slugify(root, 64)}.apkg"
    files = {apkg_path: apkg_bytes(decks, package_time(current, retired, type_stamps, int(now))),
             MANIFEST_PATH: manifest_bytes(current, retired, type_stamps)}
    return AnkiBuild(files, apkg_path, counts, changes, gone, diagnostics, outlines)


def emit(corpus: Corpus, ctx: EmitContext) -> Emitted:
    """The deck of the [anki] settings; unchanged notes keep the previous manifest's times."""
    manifest_file = ctx.previous_file(MANIFEST_PATH)
    manifest = load_manifest(manifest_file) if manifest_file is not None else None
    built = anki_outputs(corpus, ctx.settings.anki, manifest, ctx.now, ctx.env)
    kinds = ", ".join(f"{counts['cards']} {kind}" for kind, counts in built.counts.items())
    changes = built.changes
    summary = (f"{built.apkg_path}: {kinds} cards; notes: {changes['new']} new, "
               f"{changes['changed']} changed, {changes['unchanged']} unchanged since the last "
               "build; "
               f"{len({r.problem for r in built.retired})} problem(s) with retired notes")
    section = {"deck": built.apkg_path, "counts": built.counts, "outline": built.outline,
               "changes": built.changes,
               "retired": [{"guid": r.guid, "kind": r.kind, "problem": r.problem,
                            "title": r.title, "newly": r.newly} for r in built.retired]}
    return Emitted("anki", built.files, tuple(built.diagnostics), {"anki": section}, summary)
