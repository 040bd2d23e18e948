"""Every example in the README and in the pages of docs/ (their `sh` blocks) and in every
`--help` runs as written after `make build`, in a scratch copy of the repository's inputs."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from conftest import ROOT

from golden import make_build_arguments
from pipeline.cli import main

BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)
# Blocks about developing drillbook (make, the test suite, scripts, benchmarks) are run by
# `make` and CI themselves, not here.
DEVELOPER = re.compile(r"^\s*(?:[A-Z_]+=\S+\s+)*(?:make\b|\.venv/bin/python (?:-m pytest|scripts/"
                       r"|bench/))", re.M)


# The README keeps the main examples; the reference pages in docs/ carry the rest.
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def page_blocks(page) -> list[str]:
    return BLOCK.findall(page.read_text("utf-8"))


def readme_blocks() -> list[str]:
    return page_blocks(ROOT / "README.md")


def all_blocks() -> list[tuple[str, str]]:
    """(page, block) for every `sh` block of the README and of docs/*.md."""
    return [(page.relative_to(ROOT).as_posix(), block)
            for page in PAGES for block in page_blocks(page)]


def is_user_block(block: str) -> bool:
    return not DEVELOPER.search(block)


def user_blocks() -> list[tuple[str, str]]:
    return [(page, block) for page, block in all_blocks() if is_user_block(block)]


def help_examples() -> list[str]:
    """The example lines of every command's --help, as a user types them."""
    examples = []
    for name in sorted(main.commands):
        text = CliRunner().invoke(main, [name, "--help"]).output
        examples += [line.strip() for line in text.splitlines()
                     if line.strip().startswith("drillbook ")]
    return examples


def test_readme_never_calls_a_bare_drillbook():
    bare = [f"{page}: {line}" for page, block in all_blocks() for line in block.splitlines()
            if re.match(r"\s*(?:[A-Z_]+=\S+\s+)*drillbook\b", line)]
    assert bare == [], "use .venv/bin/drillbook: drillbook is not on PATH after make build"


def test_every_command_has_an_example_and_the_readme_has_examples():
    assert {example.split()[1] for example in help_examples()} == set(main.commands)
    assert len([block for block in readme_blocks() if is_user_block(block)]) >= 6


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """The repository's inputs after `make build`: raw/, templates/, .venv and build/."""
    root = tmp_path_factory.mktemp("newcomer")
    shutil.copytree(ROOT / "raw", root / "raw")
    (root / "templates").symlink_to(ROOT / "templates")
    (root / ".venv").symlink_to(ROOT / ".venv")
    done = subprocess.run([".venv/bin/drillbook", *make_build_arguments(), "--out", "build/"],
                          cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return root


def run_shell(script: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("block", [pytest.param(block, id=f"{page}: {block.splitlines()[0][:60]}")
                                   for page, block in user_blocks()])
def test_readme_example_runs_as_written(scratch, block):
    done = run_shell(block, scratch)
    assert done.returncode == 0, f"{block}\n--- stderr:\n{done.stderr}"


@pytest.mark.parametrize("example", help_examples())
def test_help_example_runs_as_written(scratch, example):
    done = run_shell(".venv/bin/" + example, scratch)
    assert done.returncode == 0, f"{example}\n--- stderr:\n{done.stderr}"
