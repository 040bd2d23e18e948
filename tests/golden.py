"""Golden files: `make golden` (python -m tests.golden) rewrites them from the current code.

Check the diff by eye before committing: a golden file is a human-approved output.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLE = "raw/sample-ebook.txt"


def sample_corpus_bytes() -> bytes:
    """corpus.json of the sample, built exactly as `make build` builds it."""
    from pipeline.build import SourceInput, build_corpus, finish_corpus
    from pipeline.config import Config
    from pipeline.emit.corpus_json import corpus_json_bytes

    config = Config()
    build = build_corpus([SourceInput(ROOT / SAMPLE, SAMPLE)], config)
    finish_corpus(build, config, tags_file=ROOT / "raw" / "tags.toml")
    return corpus_json_bytes(build.corpus)


GOLDEN_FILES = {"sample-corpus.json": sample_corpus_bytes}


def main() -> int:
    GOLDEN.mkdir(exist_ok=True)
    for name, produce in GOLDEN_FILES.items():
        (GOLDEN / name).write_bytes(produce())
        print(f"wrote tests/golden/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
