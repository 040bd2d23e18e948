"""Settings: the defaults (defined here once), drillbook.toml or [tool.drillbook], then CLI flags.

Every setting is a typed field of a frozen dataclass; ``metadata`` holds its range or
choices. ``load_config`` checks each value of the file against its field (type, range,
finite numbers, known keys) and names the file and line of a bad one, so
``count = "twenty"`` stops with ``drillbook.toml:3: quiz.count must be a whole number``
instead of failing later inside a stage. The emitters' options (``QuizOptions``,
``AnkiOptions``) take their defaults from these sections.
"""
from __future__ import annotations

import dataclasses
import math
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DrillbookError
from .tomlfile import TomlFile, load_toml

# The card kinds of pipeline.emit.anki and the question kinds of pipeline.emit.quiz (a test
# checks they match), so a bad kind in the settings file is caught with its line.
ANKI_KINDS = ("problem", "point", "cloze")
CHOICE_KINDS = ("name-concept", "name-from-example", "which-approach", "which-technology",
                "which-command", "which-contrast")
QUIZ_KINDS = (*CHOICE_KINDS, "open-interview")  # open-interview: asked only when named
# Retired kinds stay accepted (an old drillbook.toml keeps working) but are not made.
QUIZ_RETIRED_KINDS = ("which-approach", "which-technology")
DEFAULT_QUIZ_KINDS = tuple(k for k in CHOICE_KINDS if k not in QUIZ_RETIRED_KINDS)
POOL_GROUPINGS = ("topic", "kind")


def _score(default: float, what: str) -> Any:
    return field(default=default, metadata={"range": (0.0, 100.0), "help": what})


@dataclass(frozen=True)
class DedupeConfig:
    """Thresholds (0-100, rapidfuzz scores) for merging repeated problems."""

    title_threshold: float = _score(85.0, "titles at least this alike are candidates")
    body_threshold: float = _score(80.0, "...and merge only if their bodies are this alike too")
    strong_body_threshold: float = _score(92.0, "bodies this alike merge even if retitled")
    near_miss_margin: float = _score(10.0, "pairs this close below a threshold are reported")


@dataclass(frozen=True)
class QuizSettings:
    """The quiz a build writes (quizzes/default/) and the defaults of ``drillbook quiz``.

    ``pipeline.emit.quiz.QuizOptions`` is this record: the same corpus and options give the
    same quiz.
    """

    count: int = field(default=20, metadata={"range": (1, None)})
    topics: tuple[str, ...] = ()  # topic ids or titles; empty means every topic
    kinds: tuple[str, ...] = field(default=DEFAULT_QUIZ_KINDS,
                                   metadata={"choices": QUIZ_KINDS, "nonempty": True})
    seed: int = 1
    versions: int = field(default=2, metadata={"range": (1, 999)})  # A-Z, then AA, AB, ...
    name: str = field(default="default", metadata={"nonempty": True})  # quizzes/<name>/
    title: str = field(default="Backend Interview Quiz", metadata={"nonempty": True})
    pdf: bool = True  # render the PDFs (the slowest part of a build)
    # LMS question pools (Moodle/GIFT categories, QTI sections that draw pool_pick items):
    pools: str = field(default="topic", metadata={"choices": POOL_GROUPINGS})
    pool_pick: int = field(default=0, metadata={"range": (0, None)})  # per pool; 0: all


@dataclass(frozen=True)
class AnkiSettings:
    """The deck a build writes and the defaults of ``drillbook anki``.

    ``pipeline.emit.anki.AnkiOptions`` is this record.
    """

    # The root deck name; topics become "<deck>::<topic title>".
    deck: str = field(default="Backend Interview Problems", metadata={"nonempty": True})
    topics: tuple[str, ...] = ()  # topic ids or titles; empty means every topic
    kinds: tuple[str, ...] = field(default=ANKI_KINDS,
                                   metadata={"choices": ANKI_KINDS, "nonempty": True})
    retired: bool = False  # also ship retired notes, tagged drillbook::retired
    # Topic decks named "07 Title" so Anki's A-Z deck list (and study order) is the book's.
    topic_numbers: bool = True
    # Corpus tags reach cards as drillbook::concept::… / drillbook::command::… only when at
    # least this many points share them; technologies (drillbook::tech::…) always, unless off.
    tag_min_points: int = field(default=3, metadata={"range": (1, None)})
    tag_technologies: bool = True


@dataclass(frozen=True)
class SiteSettings:
    """The study site a build writes (site/) and the defaults of ``drillbook site``."""

    build: bool = True  # drillbook build writes site/ (false: only drillbook site does)
    title: str = field(default="Backend Interview Problems", metadata={"nonempty": True})
    # Self-marking quiz items, made by the quiz library with the [quiz] topics, kinds and
    # seed (0: no quiz in the site).
    quiz_count: int = field(default=50, metadata={"range": (0, 2000)})
    new_cards_per_day: int = field(default=20, metadata={"range": (1, 10_000)})


@dataclass(frozen=True)
class SourceSettings:
    """How source folders are scanned."""

    # Subfolders with these names are skipped when their parent folder is scanned (name
    # the folder itself to build it): raw/sample/ holds the invented sample book.
    skip_folders: tuple[str, ...] = ("sample",)


@dataclass(frozen=True)
class Config:
    """Everything a build can be told."""

    dedupe: DedupeConfig = DedupeConfig()
    quiz: QuizSettings = QuizSettings()
    anki: AnkiSettings = AnkiSettings()
    site: SiteSettings = SiteSettings()
    sources: SourceSettings = SourceSettings()
    tags_file: str | None = None  # defaults to tags.toml beside the first source folder
    overrides_file: str | None = None  # defaults to overrides.toml beside it


Settings = Config  # the name the emitters' docs use

# Keys of earlier versions, named in the error so an old drillbook.toml is easy to fix.
RENAMED = {"deck_name": "[anki] deck", "quiz_count": "[quiz] count",
           "quiz_versions": "[quiz] versions", "quiz_seed": "[quiz] seed"}


# ----- checking values ---------------------------------------------------------------------

_TYPE_WORDS = {int: "a whole number", float: "a number", str: "a string", bool: "true or false"}


def _check_scalar(kind: Any, value: Any, name: str, meta: dict[str, Any], toml: TomlFile,
                  path: tuple[str | int, ...]) -> Any:
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise toml.error(f"{name} must be {_TYPE_WORDS[kind]}, not {value!r}", *path)
    if kind is float and not math.isfinite(value):
        raise toml.error(f"{name} must be a finite number, not {value!r}", *path)
    low, high = meta.get("range", (None, None))
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = (f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}")
        raise toml.error(f"{name} must be {bounds}, not {value!r}", *path)
    if meta.get("nonempty") and kind is str and not value.strip():
        raise toml.error(f"{name} must not be empty", *path)
    if "choices" in meta and kind is str and value not in meta["choices"]:
        raise toml.error(f"{name} must be one of {', '.join(meta['choices'])}, not {value!r}",
                         *path)
    return value


def _check(kind: Any, value: Any, name: str, meta: dict[str, Any], toml: TomlFile,
           path: tuple[str | int, ...]) -> Any:
    """``value`` converted to ``kind`` (a field's type), or an error naming its line."""
    args = typing.get_args(kind)
    if type(None) in args:  # "str | None": absent in TOML means None
        (inner,) = [a for a in args if a is not type(None)]
        return _check(inner, value, name, meta, toml, path)
    if typing.get_origin(kind) is tuple:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            raise toml.error(f"{name} must be a list of strings, not {value!r}", *path)
        checked = tuple(_check_scalar(args[0], item, name, {}, toml, path + (i,))
                        for i, item in enumerate(items))
        unknown = [item for item in checked if "choices" in meta and item not in meta["choices"]]
        if unknown:
            raise toml.error(f"{name}: unknown value {unknown[0]!r} (choose from "
                             f"{', '.join(meta['choices'])})", *path)
        if meta.get("nonempty") and not checked:
            raise toml.error(f"{name} must not be empty", *path)
        return checked
    return _check_scalar(kind, value, name, meta, toml, path)


def apply_settings(obj: Any, values: dict[str, Any], toml: TomlFile,
                   prefix: tuple[str | int, ...] = (), name: str = "") -> Any:
    """``obj`` (a settings dataclass) with ``values`` checked and applied."""
    known = {f.name: f for f in dataclasses.fields(obj)}
    hints = typing.get_type_hints(type(obj))
    changes: dict[str, Any] = {}
    for key, value in values.items():
        attribute = key.replace("-", "_")
        path = prefix + (key,)
        full = f"{name}.{key}" if name else key
        if attribute not in known:
            if not name and key in RENAMED:
                raise toml.error(f"setting {key!r} is now {RENAMED[key]}", *path)
            where = f" in [{name}]" if name else ""
            raise toml.error(f"unknown setting {key!r}{where} (expected one of "
                             f"{', '.join(sorted(known))})", *path)
        current = getattr(obj, attribute)
        if dataclasses.is_dataclass(current):
            if not isinstance(value, dict):
                raise toml.error(f"{full} must be a table ([{full}])", *path)
            changes[attribute] = apply_settings(current, value, toml, path, full)
        else:
            changes[attribute] = _check(hints[attribute], value, full,
                                        dict(known[attribute].metadata), toml, path)
    return dataclasses.replace(obj, **changes)


def load_config(directory: Path = Path("."), explicit: Path | None = None) -> Config:
    """Read drillbook.toml (or [tool.drillbook] of pyproject.toml) over the defaults.

    ``explicit`` (``--config FILE``) must exist; it may be a drillbook.toml or a
    pyproject.toml.
    """
    candidates = [explicit] if explicit else [directory / "drillbook.toml",
                                              directory / "pyproject.toml"]
    for path in candidates:
        if not explicit and not path.is_file():
            continue
        if explicit and not path.exists():
            raise DrillbookError("config file not found", str(path))
        toml = load_toml(path)
        data: Any = toml.data
        prefix: tuple[str | int, ...] = ()
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("drillbook", {})
            prefix = ("tool", "drillbook")
            if not isinstance(data, dict):
                raise toml.error("[tool.drillbook] must be a table", *prefix)
        return apply_settings(Config(), data, toml, prefix)
    return Config()
