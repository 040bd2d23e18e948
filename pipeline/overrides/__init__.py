"""The curator's overrides (``raw/overrides.toml``): merge, keep apart, move, retitle.

The file is read on every build and never written by drillbook, so a curator's decisions
survive rebuilds. ``parse`` reads the file into ``Override`` entries (errors name the file
and line); ``apply`` matches them against a build's drafts before dedupe and settles the
merged problems after it.
"""
from .apply import (AppliedOverride, OverrideResult, Settled, apply_overrides, mended_notes,
                    settle_overrides)
from .parse import Override, OverrideKind, Overrides, load_overrides, parse_overrides

__all__ = ["AppliedOverride", "Override", "OverrideKind", "OverrideResult", "Overrides",
           "Settled", "apply_overrides", "load_overrides", "mended_notes", "parse_overrides",
           "settle_overrides"]
