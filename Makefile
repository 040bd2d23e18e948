# A newcomer runs `make build` then `make test`; both set up the venv themselves.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: build test lint bench golden sample-pdf clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

build: $(STAMP)
	$(VENV)/bin/drillbook build raw/sample/ --out build/

test: $(STAMP)
	$(PY) -m pytest -q

# ruff and mypy read their settings from pyproject.toml ([tool.ruff], [tool.mypy]).
lint: $(STAMP)
	$(VENV)/bin/ruff check
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) bench/run.py --out build/bench.json

# Regenerate the golden files after checking the change by eye.
golden: $(STAMP)
	$(PY) tests/golden.py

# Re-render raw/sample/sample-ebook.pdf and the PDF fixtures after editing raw/sample/sample-ebook.txt.
sample-pdf: $(STAMP)
	$(PY) scripts/render_sample_pdf.py

clean:
	rm -rf build
