"""Defaults, overridden by drillbook.toml or [tool.drillbook] in pyproject.toml, then CLI flags."""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DrillbookError


@dataclass(frozen=True)
class DedupeConfig:
    """Thresholds (0-100, rapidfuzz scores) for merging repeated problems."""

    title_threshold: float = 85.0  # titles at least this alike are candidates
    body_threshold: float = 80.0  # ...and merge only if their bodies are this alike too
    strong_body_threshold: float = 92.0  # bodies this alike merge even if retitled
    near_miss_margin: float = 10.0  # pairs this close below a threshold are reported


@dataclass(frozen=True)
class Config:
    """Everything a build can be told."""

    dedupe: DedupeConfig = DedupeConfig()
    deck_name: str = "Backend Interview Problems"
    quiz_count: int = 20
    quiz_versions: int = 2
    quiz_seed: int = 1
    tags_file: str | None = None  # defaults to tags.toml beside the first source folder
    overrides_file: str | None = None


def _apply(obj: Any, values: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in dataclasses.fields(obj)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        name = key.replace("-", "_")
        if name not in known:
            raise DrillbookError(f"unknown setting {key!r}", where)
        current = getattr(obj, name)
        if dataclasses.is_dataclass(current):
            if not isinstance(value, dict):
                raise DrillbookError(f"setting {key!r} must be a table", where)
            changes[name] = _apply(current, value, where)
        else:
            changes[name] = value
    return dataclasses.replace(obj, **changes)


def load_config(directory: Path = Path("."), explicit: Path | None = None) -> Config:
    """Read drillbook.toml (or [tool.drillbook] of pyproject.toml) over the defaults."""
    config = Config()
    candidates = [explicit] if explicit else [directory / "drillbook.toml",
                                              directory / "pyproject.toml"]
    for path in candidates:
        if path is None or not path.is_file():
            if explicit:
                raise DrillbookError("config file not found", str(explicit))
            continue
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DrillbookError(f"invalid TOML: {exc}", str(path)) from None
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("drillbook", {})
        return _apply(config, data, str(path))
    return config
