# A newcomer runs `make build` then `make test`; both set up the venv themselves.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: build bytecode test lint bench golden sample-pdf clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The package's bytecode, as `pip install` of a wheel compiles it: an editable install
# leaves it to the first run, and with PYTHONDONTWRITEBYTECODE set no run ever writes it,
# so every command would compile the package's modules again (about 0.1 s). Up-to-date
# files are skipped.
bytecode: $(STAMP)
	$(PY) -m compileall -q pipeline

build: $(STAMP) bytecode
	$(VENV)/bin/drillbook build raw/sample/ --out build/

test: $(STAMP) bytecode
	$(PY) -m pytest -q

# ruff and mypy read their settings from pyproject.toml ([tool.ruff], [tool.mypy]).
lint: $(STAMP)
	$(VENV)/bin/ruff check
	$(VENV)/bin/mypy

bench: $(STAMP) bytecode
	$(PY) bench/run.py --out build/bench.json

# Regenerate the golden files after checking the change by eye.
golden: $(STAMP)
	$(PY) tests/golden.py

# Re-render raw/sample/sample-ebook.pdf and the PDF fixtures after editing raw/sample/sample-ebook.txt.
sample-pdf: $(STAMP)
	$(PY) scripts/render_sample_pdf.py

clean:
	rm -rf build
