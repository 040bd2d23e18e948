"""Bad input never hurts: one clear line on stderr naming the file (and line or page), a
non-zero exit, no traceback, and the previous output folder left exactly as it was."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner
from conftest import ROOT

from pipeline.cli import main

SAMPLE = ROOT / "raw" / "sample" / "sample-ebook.txt"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` except cached stage results (content-addressed, harmless);
    the build stamp is kept, so a failed build can never make the next one look up to date."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and (".cache" not in p.relative_to(folder).parts
                                or p.name == "build-stamp.json")}


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("good") / "build"
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def previous(sample_build, tmp_path) -> Path:
    """A copy of a good build, as the user's build/ before the bad command."""
    out = tmp_path / "build"
    shutil.copytree(sample_build, out)
    return out


# ----- the inputs ------------------------------------------------------------------------
def _pdf(path: Path, draw: Callable, **canvas_options) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), **canvas_options)
    draw(pdf)
    pdf.showPage()
    pdf.save()
    return path


def _text_page(pdf) -> None:
    pdf.drawString(72, 720, "Problem 1: Choosing a Retry Budget")
    pdf.drawString(72, 700, "1 Cap the Retries")


def _image_page(pdf) -> None:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    pdf.drawImage(ImageReader(Image.new("RGB", (120, 60), (20, 90, 160))), 72, 600, 240, 120)


def _future_corpus(previous: Path, tmp_path: Path) -> Path:
    data = json.loads((previous / "corpus.json").read_text("utf-8"))
    data["schema_version"] = "99"
    data["hovercraft"] = {"added": "in a later drillbook"}
    path = tmp_path / "future.json"
    path.write_text(json.dumps(data), "utf-8")
    return path


def _templates(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "my-templates"
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, "utf-8")
    return folder


def _unreadable(tmp_path: Path) -> Path:
    path = tmp_path / "unreadable.txt"
    if os.geteuid() == 0:  # root reads any mode; reading /proc/self/mem fails for everyone
        if not Path("/proc/self/mem").exists():
            pytest.skip("needs a non-root user or /proc/self/mem")
        path.symlink_to("/proc/self/mem")
    else:
        path.write_text("Problem 1: Locked\n", "utf-8")
        path.chmod(0)
    return path


def case_missing(tmp_path, previous):
    path = tmp_path / "no-such-book.txt"
    return ["build", str(path)], str(path), ["no such file or folder"]


def case_unreadable(tmp_path, previous):
    path = _unreadable(tmp_path)
    return ["build", str(path)], str(path), ["cannot read"]


def case_empty_file(tmp_path, previous):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    return ["build", str(path)], str(path), ["empty"]


def case_folder_with_nothing_to_read(tmp_path, previous):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "notes.csv").write_text("a,b\n", "utf-8")
    (folder / "README.md").write_text("# not a book\n", "utf-8")
    return ["build", str(folder)], str(folder), ["nothing to read"]


def case_unknown_extension(tmp_path, previous):
    path = tmp_path / "book.docx"
    path.write_bytes(b"PK\x03\x04 not really a document")
    return ["build", str(path)], str(path), ["unsupported file type", ".docx"]


def case_binary_garbage_named_txt(tmp_path, previous):
    path = tmp_path / "garbage.txt"
    path.write_bytes(b"Problem 1: fine so far\n" + bytes(range(256)) * 8)
    return ["build", str(path)], f"{path}:2", ["binary"]


def case_latin1_file(tmp_path, previous):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Topic 1: Caching\n\nProblem 1: Caf\u00e9 Menus Cached\n".encode("latin-1"))
    return ["build", str(path)], f"{path}:3", ["not UTF-8", "0xe9"]


def case_five_megabyte_single_line(tmp_path, previous):
    # Brackets and half-links: the line that once made the markup patterns quadratic.
    path = tmp_path / "one-line.txt"
    path.write_bytes(b"[" * 2_500_000 + b"[x](" * 625_000)
    return ["build", str(path)], f"{path}:1", ["no 'Problem N: Title' headings"]


def case_headings_but_no_points(tmp_path, previous):
    path = tmp_path / "headings-only.txt"
    path.write_text("Study Notes\n\nProblem 1: Picking a Shard Key\n\nSome prose.\n\n"
                    "Problem 2: Draining a Queue\n\nMore prose, no numbered points.\n", "utf-8")
    return ["build", str(path)], f"{path}:3", ["no numbered solution points"]


def case_corrupt_pdf(tmp_path, previous):
    good = _pdf(tmp_path / "whole.pdf", _text_page)
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return ["build", str(path)], str(path), ["PDF"]


def case_encrypted_pdf(tmp_path, previous):
    from reportlab.lib import pdfencrypt

    path = _pdf(tmp_path / "locked.pdf", _text_page,
                encrypt=pdfencrypt.StandardEncryption("user-secret", ownerPassword="owner"))
    return ["build", str(path)], str(path), ["encrypted"]


def case_image_only_pdf(tmp_path, previous):
    path = _pdf(tmp_path / "scan.pdf", _image_page)
    return ["build", str(path)], str(path), ["no text"]


def _three_columns(pdf) -> None:
    pdf.setFont("Helvetica", 8)
    for column in range(3):
        for row in range(12):
            pdf.drawString(54 + 170 * column, 600 - 11 * row, f"Note {row} of column {column}")


def case_pdf_in_three_columns(tmp_path, previous):
    path = _pdf(tmp_path / "three-columns.pdf", _three_columns)
    return ["build", str(path)], f"{path} (page 1)", ["more than two columns"]


def case_pdf_with_a_decompression_bomb(tmp_path, previous):
    from test_pdf_checks import bomb_pdf

    path = bomb_pdf(tmp_path / "bomb.pdf", 200)  # 200 MB of zeros in about 200 KB
    assert path.stat().st_size < 1 << 20
    return ["build", str(path)], f"{path} (page 1)", ["inflates to more than 128 MB"]


def case_future_corpus_for_anki(tmp_path, previous):
    path = _future_corpus(previous, tmp_path)
    return (["anki", "--corpus", str(path), "--out", str(previous)], str(path),
            ["schema_version", "99"])


def case_future_corpus_for_quiz(tmp_path, previous):
    path = _future_corpus(previous, tmp_path)
    return (["quiz", "--corpus", str(path), "--no-pdf",
             "--out", str(previous / "quizzes" / "quiz")],
            str(path), ["schema_version", "99"])


def case_future_corpus_for_diff(tmp_path, previous):
    path = _future_corpus(previous, tmp_path)
    return ["diff", str(previous / "corpus.json"), str(path)], str(path), ["schema_version"]


def case_future_corpus_left_in_build(tmp_path, previous):
    # The previous corpus carries the ids; one this version cannot read stops the build.
    future = _future_corpus(previous, tmp_path)
    shutil.copy(future, previous / "corpus.json")
    target = previous / "corpus.json"
    return ["build", str(SAMPLE)], str(target), ["schema_version"]


def case_broken_template_in_build(tmp_path, previous):
    folder = _templates(tmp_path, "report/report.html", "<h1>Report</h1>\n{% if corpus %}\n")
    return (["build", str(SAMPLE), "--templates", str(folder)],
            str(folder / "report" / "report.html") + ":2", ["template"])


def case_broken_template_in_quiz(tmp_path, previous):
    folder = _templates(tmp_path, "quiz/paper.html", "<p>{{ title | nosuchfilter }}</p>\n")
    return (["quiz", "--corpus", str(previous / "corpus.json"), "--no-pdf",
             "--out", str(previous / "quizzes" / "quiz"), "--templates", str(folder)],
            "quiz/paper.html", ["template"])


def case_template_naming_an_unknown_variable(tmp_path, previous):
    # Fails only when rendered; the message names the template (its line is not known yet).
    folder = _templates(tmp_path, "quiz/paper.html", "<p>{{ no_such_variable.title }}</p>\n")
    return (["quiz", "--corpus", str(previous / "corpus.json"), "--no-pdf",
             "--out", str(previous / "quizzes" / "quiz"), "--templates", str(folder)],
            "quiz/paper.html", ["no_such_variable"])


def case_broken_template_in_anki(tmp_path, previous):
    folder = _templates(tmp_path, "anki/problem-front.html", "{{ problem.title + }}\n")
    return (["anki", "--corpus", str(previous / "corpus.json"), "--out", str(previous),
             "--templates", str(folder)],
            str(folder / "anki" / "problem-front.html") + ":1", ["template"])


def case_hostile_template_reaching_popen(tmp_path, previous):
    marker = tmp_path / "PWNED"
    folder = _templates(tmp_path, "report/report.html",
                        "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker)
                        + "').read() }}\n")
    assert not marker.exists()
    return (["build", str(SAMPLE), "--templates", str(folder)],
            str(folder / "report" / "report.html") + ":1", ["template error", "unsafe"])


def case_template_symlinked_to_etc_passwd(tmp_path, previous):
    folder = tmp_path / "my-templates"
    (folder / "quiz").mkdir(parents=True)
    (folder / "quiz" / "paper.html").symlink_to("/etc/passwd")
    return (["build", str(SAMPLE), "--templates", str(folder)],
            str(folder / "quiz" / "paper.html"), ["links outside the templates folder"])


def case_templates_folder_missing(tmp_path, previous):
    folder = tmp_path / "no-such-templates"
    return ["build", str(SAMPLE), "--templates", str(folder)], str(folder), ["does not exist"]


def case_corpus_not_json(tmp_path, previous):
    path = tmp_path / "corpus.json"
    path.write_text('{\n  "schema_version": "1",\n  "topics": [,]\n}\n', "utf-8")
    return ["anki", "--corpus", str(path), "--out", str(previous)], f"{path}:3", ["JSON"]


def case_overlong_problem_heading(tmp_path, previous):
    # Blanked like any overlong line, its points would silently join the problem before.
    text = SAMPLE.read_text("utf-8").split("\n")
    index = next(i for i, line in enumerate(text) if "Problem 2:" in line)
    text[index] = "Problem 2: Sticky Sessions " + "and more words " * 500
    path = tmp_path / "long-heading.txt"
    path.write_text("\n".join(text), "utf-8")
    return ["build", str(path)], f"{path}:{index + 1}", ["problem heading of", "characters"]


def case_nul_byte_after_the_first_64_kib(tmp_path, previous):
    text = SAMPLE.read_text("utf-8")
    while len(text.encode("utf-8")) < 70_000:
        text += "\n" + text
    lines = text.split("\n")
    data = "\n".join(lines[:-3]).encode("utf-8") + b"\nstray\x00byte\n"
    path = tmp_path / "late-nul.txt"
    path.write_bytes(data)
    offset = data.index(b"\x00")
    assert offset > 65536
    return ["build", str(path)], f"{path}:{len(lines) - 2}", ["NUL byte", str(offset)]


def case_fifo_as_the_book(tmp_path, previous):
    # Reading a FIFO nobody writes to would block forever.
    path = tmp_path / "book.txt"
    os.mkfifo(path)
    return ["build", str(path)], str(path), ["FIFO", "not a regular file"]


def case_fifo_named_pdf(tmp_path, previous):
    path = tmp_path / "book.pdf"
    os.mkfifo(path)
    return ["build", str(path)], str(path), ["FIFO", "not a regular file"]


def case_link_to_a_device_as_the_book(tmp_path, previous):
    # /dev/zero never ends; through a symlink it looks like any book.txt.
    path = tmp_path / "endless.txt"
    path.symlink_to("/dev/zero")
    return ["build", str(path)], str(path), ["character device", "not a regular file"]


CASES = {name[len("case_"):]: fn for name, fn in dict(globals()).items()
         if name.startswith("case_")}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(name, tmp_path, previous):
    args, names, expected = CASES[name](tmp_path, previous)
    if args[0] == "build" and "--out" not in args:
        args += ["--out", str(previous)]
    before = snapshot(previous)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("drillbook: error: ")
    assert names in lines[0], (names, lines[0])
    for word in expected:
        assert word in lines[0], (word, lines[0])
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert snapshot(previous) == before
    assert not (tmp_path / "PWNED").exists()


def test_the_matrix_covers_the_issue():
    assert len(CASES) >= 15


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT,
                          capture_output=True, text=True)


def test_real_process_prints_one_line_and_verbose_shows_the_traceback(tmp_path):
    missing = tmp_path / "nothing-here.txt"
    plain = _run_cli("build", str(missing), "--out", str(tmp_path / "out"))
    assert plain.returncode == 1
    assert plain.stderr.strip().splitlines() == [
        f"drillbook: error: {missing}: no such file or folder"]
    verbose = _run_cli("--verbose", "build", str(missing), "--out", str(tmp_path / "out"))
    assert verbose.returncode != 0
    assert "Traceback (most recent call last)" in verbose.stderr
    assert "DrillbookError" in verbose.stderr and str(missing) in verbose.stderr
    assert not (tmp_path / "out").exists()
