"""Every example in the README (its `sh` blocks) and in every `--help` runs as written after
`make build`, in a scratch copy of the repository's inputs."""
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


def readme_blocks() -> list[str]:
    return BLOCK.findall((ROOT / "README.md").read_text("utf-8"))


def user_blocks() -> list[str]:
    return [block for block in readme_blocks() if not DEVELOPER.search(block)]


def help_examples() -> list[str]:
    """The example lines of every command's --help, as a user types them."""
    examples = []
    for name in sorted(main.commands):
        text = CliRunner().invoke(main, [name, "--help"]).output
        examples += [line.strip() for line in text.splitlines()
                     if line.strip().startswith("drillbook ")]
    return examples


def test_readme_never_calls_a_bare_drillbook():
    bare = [line for block in readme_blocks() for line in block.splitlines()
            if re.match(r"\s*(?:[A-Z_]+=\S+\s+)*drillbook\b", line)]
    assert bare == [], "use .venv/bin/drillbook: drillbook is not on PATH after make build"


def test_every_command_has_an_example_and_the_readme_has_examples():
    assert {example.split()[1] for example in help_examples()} == set(main.commands)
    assert len(user_blocks()) >= 6


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


@pytest.mark.parametrize("block", user_blocks(), ids=lambda b: b.splitlines()[0][:60])
def test_readme_example_runs_as_written(scratch, block):
    done = run_shell(block, scratch)
    assert done.returncode == 0, f"{block}\n--- stderr:\n{done.stderr}"


@pytest.mark.parametrize("example", help_examples())
def test_help_example_runs_as_written(scratch, example):
    done = run_shell(".venv/bin/" + example, scratch)
    assert done.returncode == 0, f"{example}\n--- stderr:\n{done.stderr}"
