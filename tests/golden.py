"""The golden tree: `make golden` (python tests/golden.py) rewrites it from the current code.

It holds what `make build` writes for the sample, built exactly as the Makefile's `build`
recipe builds it (the recipe's own arguments, from the repository root), with
SOURCE_DATE_EPOCH fixed: corpus.json, report.json and report.html, the default quiz's HTML,
JSON, GIFT and Moodle XML, and the deck's notes (fields and tags, read back out of the
.apkg). PDFs and the .apkg itself are binary: tests check they are reproducible instead.

Check the diff by eye before committing: a golden file is a human-approved output.
"""
from __future__ import annotations

import json
import os
import shlex
import sqlite3
import sys
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "sample-build"
EPOCH = "1700000000"  # any fixed time: what SOURCE_DATE_EPOCH stands for in the golden files
# Outputs kept as they are written (text); the deck is kept as its notes (anki/notes.json).
TEXT_OUTPUTS = ("corpus.json", "report.json", "report.html", "quizzes/default/quiz.json",
                "quizzes/default/version-A.html", "quizzes/default/version-B.html",
                "quizzes/default/answer-key.html", "quizzes/default/quiz.gift",
                "quizzes/default/quiz.moodle.xml")
DECK = "anki/backend-interview-problems.apkg"


def make_build_arguments() -> list[str]:
    """The arguments of `drillbook` in the Makefile's `build` recipe, without `--out DIR`."""
    lines = (ROOT / "Makefile").read_text("utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if line.startswith("build:"))
    recipe = lines[target + 1:]
    command = next(line for line in recipe if "/bin/drillbook " in line)
    words = shlex.split(command)[1:]
    out = words.index("--out")
    return words[:out] + words[out + 2:]


@contextmanager
def _fixed_clock() -> Iterator[None]:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def build_sample(out: Path, *extra: str) -> None:
    """`make build`'s command into ``out`` from the repository root, with a fixed clock."""
    from click.testing import CliRunner

    from pipeline.cli import main

    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        with _fixed_clock():
            result = CliRunner().invoke(main, [*make_build_arguments(), "--out", str(out),
                                               *extra])
    finally:
        os.chdir(cwd)
    if result.exit_code != 0:
        raise RuntimeError(f"the sample build failed: {result.output}")


def deck_notes(apkg: Path) -> bytes:
    """The deck's notes as JSON: note type, fields and tags per GUID, sorted."""
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(apkg) as archive:
            archive.extract("collection.anki2", folder)
        connection = sqlite3.connect(Path(folder) / "collection.anki2")
        try:
            models = json.loads(connection.execute("select models from col").fetchone()[0])
            rows = connection.execute("select guid, mid, flds, tags from notes").fetchall()
        finally:
            connection.close()
    notes = [{"guid": guid, "note_type": models[str(mid)]["name"],
              "fields": fields.split("\x1f"), "tags": tags.split()}
             for guid, mid, fields, tags in sorted(rows)]
    return (json.dumps(notes, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def sample_corpus_bytes() -> bytes:
    """corpus.json of the sample's text alone (no PDF copy), with the sample's tags.toml.

    Not a golden file: tests of the text's tag splitter measure it against a person's
    reading of the sample (the PDF copy's tag pills would settle every row).
    """
    from pipeline.build import SourceInput, build_corpus, finish_corpus
    from pipeline.config import Config
    from pipeline.emit.corpus_json import corpus_json_bytes

    sample = ROOT / "raw" / "sample"
    config = Config()
    built = build_corpus([SourceInput(sample / "sample-ebook.txt",
                                      "raw/sample/sample-ebook.txt")], config)
    built = finish_corpus(built, config, tags_file=sample / "tags.toml")
    return corpus_json_bytes(built.corpus)


def golden_files(out: Path) -> dict[str, bytes]:
    """The golden tree's files from a build in ``out``."""
    files = {name: (out / name).read_bytes() for name in TEXT_OUTPUTS}
    files["anki/notes.json"] = deck_notes(out / DECK)
    return files


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "build"
        build_sample(out)
        files = golden_files(out)
    for old in sorted(GOLDEN.rglob("*"), reverse=True):
        if old.is_file() and old.relative_to(GOLDEN).as_posix() not in files:
            old.unlink()
    for name, data in sorted(files.items()):
        (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
        (GOLDEN / name).write_bytes(data)
        print(f"wrote {(GOLDEN / name).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
