"""Which of the requested kinds a corpus can make: retired kinds and kinds without material
are left out, each with a diagnostic saying why."""
from __future__ import annotations

from typing import Sequence

from ...models import Diagnostic
from .bank import Bank
from .commands import command_keys
from .generate import DEFAULT_KINDS, KINDS, RETIRED, WHICH_COMMAND, WHICH_CONTRAST


def _material(bank: Bank, kind: str) -> str | None:
    """Why the selected problems give this kind nothing (None: they may)."""
    if kind == WHICH_COMMAND and not any(command_keys(bank, pt) for p in bank.selected
                                         for pt in p.points):
        return "no point names a command, setting or header of a known family"
    if kind == WHICH_CONTRAST and not any(p.id in bank.contrasts for p in bank.selected):
        return "no problem spells out an X vs Y choice with needs on both sides"
    return None


def usable_kinds(bank: Bank, requested: Sequence[str]
                 ) -> tuple[list[str], dict[str, str], list[Diagnostic]]:
    """The kinds to make (in KINDS order), the left-out ones with their reasons, and the
    diagnostics: a warning for a kind the settings named, a note for one left out of the
    default list (the sample book has no X vs Y problem; that is no fault of a build)."""
    defaults = tuple(requested) == tuple(DEFAULT_KINDS)
    kinds: list[str] = []
    skipped: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    for kind in (k for k in KINDS if k in requested):
        if kind in RETIRED:
            skipped[kind] = f"retired: {RETIRED[kind]}"
            diagnostics.append(Diagnostic("warning", "quiz-kind-retired",
                                          f"quiz kind {kind} is retired and makes no items: "
                                          f"{RETIRED[kind]}"))
            continue
        reason = _material(bank, kind)
        if reason:
            skipped[kind] = reason
            diagnostics.append(Diagnostic("info" if defaults else "warning",
                                          "quiz-kind-skipped",
                                          f"quiz kind {kind} skipped: {reason}"))
            continue
        kinds.append(kind)
    return kinds, skipped, diagnostics
