"""Quiz item generation: one multiple-choice item grounded in one problem of the corpus.

The kinds (``KINDS``) and their builders (``BUILDERS``), one module per family of kinds:

- ``naming.py``: name-concept and name-from-example (which idea does this explanation
  describe, or this example illustrate; options are point titles of the same subject);
- ``commands.py``: which-command (which command, setting or header of one family);
- ``contrast.py``: which-contrast (of the book's "X vs Y" choices, which need points to X).

Every builder takes ``(bank, problem, point, rng, avoid_key_longest)`` and returns an
``Item`` or a ``Decline`` saying why the point gives no fair item. ``RETIRED`` kinds are
still accepted in settings (so an old drillbook.toml keeps working) but make no items:
they could not meet the bar (see the reasons).
"""
from __future__ import annotations

import random
from typing import Callable

from ...models import Point, Problem
from .bank import COMMON_SHARE, Bank, PointRef, problem_text
from .commands import WHICH_COMMAND, build_command_item, command_keys
from .contrast import WHICH_CONTRAST, build_contrast_item
from .items import (MAX_LENGTH_RATIO, OPTIONS_PER_ITEM, Decline, Item, item_id, option_length,
                    pick_distractors)
from .naming import (NAME_CONCEPT, NAME_FROM_EXAMPLE, build_concept_item, build_example_item,
                     build_name_item)

__all__ = ["BUILDERS", "COMMON_SHARE", "Bank", "Builder", "DEFAULT_KINDS", "Decline", "Item",
           "KINDS", "MAX_LENGTH_RATIO", "NAME_CONCEPT", "NAME_FROM_EXAMPLE", "OPTIONS_PER_ITEM",
           "PointRef", "RETIRED", "WHICH_APPROACH", "WHICH_COMMAND", "WHICH_CONTRAST",
           "WHICH_TECHNOLOGY", "build_name_item", "command_keys", "item_id", "option_length",
           "pick_distractors", "problem_text"]

WHICH_APPROACH = "which-approach"
WHICH_TECHNOLOGY = "which-technology"
KINDS = (NAME_CONCEPT, NAME_FROM_EXAMPLE, WHICH_APPROACH, WHICH_TECHNOLOGY, WHICH_COMMAND,
         WHICH_CONTRAST)
RETIRED = {
    WHICH_APPROACH: "an interview question is open: every technique of its subject belongs in "
                    "some good answer, so distractors on the subject are right too and "
                    "distractors off it give the key away; the book has no evidence of which "
                    "same-subject technique is wrong for a question",
    WHICH_TECHNOLOGY: "products of one family do the same job (Redis and Memcached both cache), "
                      "so a stem rarely rules out a same-family distractor; commands, settings "
                      "and headers, which the stem can tell apart, are asked by which-command, "
                      "and the book's product choices by which-contrast",
}
DEFAULT_KINDS = tuple(k for k in KINDS if k not in RETIRED)

Builder = Callable[[Bank, Problem, Point, random.Random, int], "Item | Decline | None"]

BUILDERS: dict[str, Builder] = {
    NAME_CONCEPT: build_concept_item,
    NAME_FROM_EXAMPLE: build_example_item,
    WHICH_COMMAND: build_command_item,
    WHICH_CONTRAST: build_contrast_item,
}
