"""Reading the overrides file: ``[[merge]]``, ``[[keep_apart]]``, ``[[move]]``, ``[[retitle]]``,
``[[edit]]``.

Every entry keeps the line of its ``[[kind]]`` header, and every error names the file and
the line (an unknown key, a missing one, an empty name, bad TOML). Parsing knows nothing of
the book: ``pipeline.overrides.apply`` matches the entries against a build.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..ids import normalize_title
from ..tomlfile import TomlFile, load_toml, parse_toml

OverrideKind = Literal["merge", "keep_apart", "move", "retitle", "edit"]
# Entry keys per kind: the required ones, then the optional ones.
REQUIRED: dict[str, tuple[str, ...]] = {"merge": ("problems",), "keep_apart": ("problems",),
                                         "move": ("problem", "topic"),
                                         "retitle": ("problem", "title"),
                                         "edit": ("problem",)}
OPTIONAL = ("reason",)
# What an [[edit]] with a ``point`` may give that point a new text for (at least one); an
# empty example removes the example.
POINT_FIELDS = ("title", "explanation", "example")
# What an [[edit]] without a ``point`` may give the problem a new text for (at least one).
PROBLEM_FIELDS = ("question", "summary")


@dataclass(frozen=True, slots=True)
class Override:
    """One entry of the overrides file."""

    kind: OverrideKind
    problems: tuple[str, ...]  # references: ids or exact titles
    target: str | None = None  # the topic (move), the new title (retitle), the point (edit;
    #                            None: the edit is of the problem's own texts)
    reason: str = ""
    line: int | None = None
    changes: tuple[tuple[str, str], ...] = ()  # edit: (field, new text), in field order
    point_number: int | None = None  # edit: the point named by its printed number instead

    def describe(self) -> str:
        """A one-line description naming the entry, for diagnostics and the report."""
        names = " + ".join(repr(p) for p in self.problems)
        fields = ", ".join(name for name, _ in self.changes)
        what = {"merge": f"merge {names}", "keep_apart": f"keep apart {names}",
                "move": f"move {names} to topic {self.target!r}",
                "retitle": f"retitle {names} as {self.target!r}",
                "edit": (f"edit the {fields} of point {self.target!r} of {names}"
                         if self.target is not None else
                         f"edit the {fields} of point {self.point_number} of {names}"
                         if self.point_number is not None else f"edit the {fields} of {names}")
                }[self.kind]
        return f"[[{self.kind}]] {what}"


@dataclass(frozen=True)
class Overrides:
    """Everything in the overrides file; ``Overrides()`` is the empty (or missing) file."""

    entries: tuple[Override, ...] = ()
    path: str | None = None


def _text(value: Any, what: str, toml: TomlFile, *at: str | int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise toml.error(f"{what} must be a non-empty string", *at)
    return " ".join(value.split())


def _entry(kind: str, index: int, data: Any, toml: TomlFile) -> Override:
    line = toml.line_of(kind, index)
    if not isinstance(data, dict):
        raise toml.error(f"each [[{kind}]] entry must be a table", kind, index)
    known = REQUIRED[kind] + OPTIONAL + (
        ("point", *POINT_FIELDS, *PROBLEM_FIELDS) if kind == "edit" else ())
    for key in data:
        if key not in known:
            raise toml.error(f"unknown key {key!r} in [[{kind}]] (expected "
                             f"{', '.join(known)})", kind, index, key)
    for key in REQUIRED[kind]:
        if key not in data:
            raise toml.error(f"[[{kind}]] needs {key!r}", kind, index)
    reason = (_text(data["reason"], "reason", toml, kind, index, "reason")
              if "reason" in data else "")
    if kind in ("merge", "keep_apart"):
        problems = data["problems"]
        if not isinstance(problems, list) or len(problems) < 2:
            raise toml.error(f"'problems' of [[{kind}]] must list at least two problems "
                             "(ids or titles)", kind, index, "problems")
        refs = tuple(_text(p, f"each problem of [[{kind}]]", toml, kind, index, "problems", k)
                     for k, p in enumerate(problems))
        if len({normalize_title(r) for r in refs}) < len(refs):
            raise toml.error(f"[[{kind}]] names the same problem twice", kind, index,
                             "problems")
        return Override(kind, refs, None, reason, line)  # type: ignore[arg-type]
    problem = _text(data["problem"], f"'problem' of [[{kind}]]", toml, kind, index, "problem")
    if kind == "edit":
        return _edit(data, index, problem, reason, line, toml)
    key = "topic" if kind == "move" else "title"
    target = _text(data[key], f"{key!r} of [[{kind}]]", toml, kind, index, key)
    return Override(kind, (problem,), target, reason, line)  # type: ignore[arg-type]


def _edit(data: dict[str, Any], index: int, problem: str, reason: str, line: int | None,
          toml: TomlFile) -> Override:
    """An [[edit]]: the point (by its title as printed, or by its number when the book
    printed no title) and its new texts, or without a point the problem's own new question
    or summary."""
    point: str | None = None
    point_number: int | None = None
    if isinstance(data.get("point"), int) and not isinstance(data["point"], bool):
        point_number = data["point"]
        if point_number < 1:
            raise toml.error("'point' of [[edit]] must be a point's title or its number "
                             "(1 or more)", "edit", index, "point")
    elif "point" in data:
        point = _text(data["point"], "'point' of [[edit]]", toml, "edit", index, "point")
    named = point is not None or point_number is not None
    fields, others = (POINT_FIELDS, PROBLEM_FIELDS) if named else (PROBLEM_FIELDS, POINT_FIELDS)
    for name in others:
        if name in data:
            raise toml.error(
                f"{name!r} is a text of the problem: give it in an [[edit]] without 'point'"
                if named else f"{name!r} is a text of a point: name the point with 'point'",
                "edit", index, name)
    changes = []
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if name == "example" and isinstance(value, str) and not value.strip():
            changes.append((name, ""))  # no example at all
            continue
        changes.append((name, _text(value, f"{name!r} of [[edit]]", toml, "edit", index,
                                    name)))
    if not changes:
        raise toml.error(f"[[edit]] needs a new {', '.join(fields[:-1])} or {fields[-1]}"
                         + ("" if named else " (or a 'point' to edit)"), "edit", index)
    return Override("edit", (problem,), point, reason, line, tuple(changes), point_number)


def overrides_from_toml(toml: TomlFile) -> Overrides:
    """The overrides of a parsed file; errors name the file and the line of the bad value."""
    for key in toml.data:
        if key not in REQUIRED:
            raise toml.error(f"unknown key {key!r} (expected [[merge]], [[keep_apart]], "
                             "[[move]], [[retitle]] or [[edit]] entries)", key)
    entries: list[Override] = []
    for kind in REQUIRED:
        items = toml.data.get(kind, [])
        if not isinstance(items, list):
            raise toml.error(f"{kind!r} must be written as [[{kind}]] entries", kind)
        entries.extend(_entry(kind, index, item, toml) for index, item in enumerate(items))
    entries.sort(key=lambda e: (e.line or 0))
    return Overrides(entries=tuple(entries), path=toml.path)


def parse_overrides(text: str, path: str = "overrides.toml") -> Overrides:
    """Parse the overrides file's text; errors name the file and line."""
    return overrides_from_toml(parse_toml(text, path))


def load_overrides(path: Path | str | None) -> Overrides:
    """Read the overrides file; a missing file (or None) is the empty file."""
    if path is None:
        return Overrides()
    path = Path(path)
    if not path.is_file():
        return Overrides(path=str(path))
    return overrides_from_toml(load_toml(path))
