"""What a reader sees in every emitted file, and the book's raw marks left in it.

Used by tests/test_format_real_book.py (and handy by hand:
``python tests/format_scan.py BUILD_FOLDER``). Each reader turns one output into the text a
person sees there, formulas set apart (MathJax ``\\( … \\)``, MathML, SVG images), so the
test can say: no backtick, no dollar-TeX, no backslash escape from the book is left.
"""
from __future__ import annotations

import html
import json
import re
import sqlite3
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

# A raw mark: a backtick, a backslash before punctuation or a letter (an escape or a TeX
# command), or dollar-delimited TeX.
RAW_MARK = re.compile(r"`|\\[!-/:-@\[-`{-~A-Za-z]|\$[^$\s][^$]*\\[A-Za-z]")
MATHJAX = re.compile(r"\\\((.*?)\\\)", re.S)


class _Visible(HTMLParser):
    """The text of an HTML fragment as shown: tags, MathML and scripts left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.code = 0
        self.math = 0
        self.reason = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag in ("math", "style", "script", "title"):
            self.skip += 1
        # The report's tag-split reasons quote the splitter's tokens as it saw them
        # (class "reason"); they are about characters, not text to read.
        if tag == "td" and dict(attrs).get("class") == "reason":
            self.reason = True
        if tag == "math":
            self.math += 1
        if tag == "code":
            self.code += 1
        if tag == "img" and dict(attrs).get("class") == "math":
            self.math += 1

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("math", "style", "script", "title"):
            self.skip -= 1
        if tag == "td":
            self.reason = False

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if not self.skip and not self.reason:
            self.parts.append(data)


def visible(fragment: str) -> tuple[str, dict[str, int]]:
    """(text shown, counts of code spans and formulas) of HTML with MathJax math."""
    counts = {"mathjax": len(MATHJAX.findall(fragment))}
    parser = _Visible()
    parser.feed(MATHJAX.sub(" ", fragment))
    parser.close()
    counts.update(code=parser.code, math=parser.math)
    return "".join(parser.parts), counts


def corpus_texts(folder: Path) -> list[tuple[str, str]]:
    """corpus.json: every plain-text twin."""
    data = json.loads((folder / "corpus.json").read_text("utf-8"))
    found: list[tuple[str, str]] = []

    def walk(value, path):  # type: ignore[no-untyped-def]
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "plain":
                    found.extend((f"{path}.plain.{k}", v) for k, v in item.items())
                else:
                    walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")

    walk(data, "corpus")
    return found


def anki_fields(deck: Path) -> list[str]:
    with zipfile.ZipFile(deck) as archive, tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "collection.anki2"
        database.write_bytes(archive.read("collection.anki2"))
        with sqlite3.connect(database) as db:
            return [field for (row,) in db.execute("select flds from notes")
                    for field in row.split("\x1f")]


def gift_questions(path: Path) -> list[str]:
    """GIFT texts as Moodle's importer reads them: backslash escapes removed."""
    texts = []
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("//") or not line.strip() or line.strip() == "}":
            continue
        body = re.sub(r"^\s*(::[^:]*::)?(\[html\])?|\{$|^\s*[=~]", "", line)
        texts.append(re.sub(r"\\(.)", r"\1", body))
    return texts


def moodle_texts(path: Path) -> list[str]:
    root = ET.fromstring(path.read_bytes())
    return [node.text or "" for node in root.iter("text")
            if node.text and "$course$" not in node.text]


def pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def scan(folder: Path) -> dict[str, dict[str, object]]:
    """Per output kind: how many texts were read, code/formula counts, raw marks found."""
    results: dict[str, dict[str, object]] = {}

    def record(kind: str, texts: list[tuple[str, str]], html_texts: bool) -> None:
        entry = results.setdefault(kind, {"texts": 0, "code": 0, "math": 0, "raw": []})
        for where, text in texts:
            shown, counts = visible(text) if html_texts else (text, {})
            entry["texts"] = int(entry["texts"]) + 1  # type: ignore[call-overload]
            entry["code"] = int(entry["code"]) + counts.get("code", 0)  # type: ignore[call-overload]
            entry["math"] = int(entry["math"]) + counts.get("math", 0) + \
                counts.get("mathjax", 0)  # type: ignore[call-overload]
            for match in RAW_MARK.finditer(shown):
                entry["raw"].append((where, shown[max(0, match.start() - 30):match.end() + 30]))  # type: ignore[union-attr]

    record("corpus.json plain", corpus_texts(folder), False)
    record("report.html", [("report.html", (folder / "report.html").read_text("utf-8"))], True)
    for deck in sorted((folder / "anki").glob("*.apkg")):
        record("anki fields", [(deck.name, f) for f in anki_fields(deck)], True)
    for quiz in sorted((folder / "quizzes").iterdir()):
        for page in sorted(quiz.glob("*.html")):
            record("quiz html", [(str(page), page.read_text("utf-8"))], True)
        for pdf in sorted(quiz.glob("*.pdf")):
            record("quiz pdf text", [(str(pdf), pdf_text(pdf))], False)
        record("quiz gift", [(str(quiz / "quiz.gift"), t)
                             for t in gift_questions(quiz / "quiz.gift")], True)
        record("quiz moodle xml", [(str(quiz / "quiz.moodle.xml"), t)
                                   for t in moodle_texts(quiz / "quiz.moodle.xml")], True)
        stems = json.loads((quiz / "quiz.json").read_text("utf-8"))
        del stems  # quiz.json holds the book's Markdown (the corpus's format), as documented
    return results


if __name__ == "__main__":
    for kind, entry in scan(Path(sys.argv[1])).items():
        raw = entry.pop("raw")
        print(kind, entry, "raw marks:", len(raw))  # type: ignore[arg-type]
        for where, context in raw[:10]:  # type: ignore[index]
            print("   ", where, repr(html.unescape(context)))
