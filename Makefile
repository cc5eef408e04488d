# frtrade: two commands on a fresh clone (Python 3.11+ and make only).
#   make demo   runs the main job on the embedded (fictitious) dataset
#   make test   runs every check: ruff, mypy, pytest (with doctests), docs build
# Each creates or updates its own virtual environment in .venv.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.frtrade-installed

.PHONY: demo test lint types pytest docs bench reference dataset snapshots clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("frtrade needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/frtrade fiche 36 --territoires-industrie "Châteauroux – Buzançais – Argenton;Issoudun"

test: lint types docs pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest

docs: $(STAMP)
	@echo 'mkdocs build --strict (log in .docs-build.log)'
	@NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site > .docs-build.log 2>&1 \
	  || { cat .docs-build.log; exit 1; }

# One table of every issue-12 benchmark (~5-10 min); BENCH_ARGS="--with-all" adds fiche --all.
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)

# Maintainers: rebuild the shipped reference tables (needs ../shared) and the dataset.
reference: $(STAMP)
	$(BIN)/python scripts/build_reference.py

dataset: $(STAMP)
	$(BIN)/python scripts/make_fictitious_dataset.py

# Refresh the golden SVGs of tests/snapshots after a deliberate chart change.
snapshots: $(STAMP)
	FRTRADE_UPDATE_SNAPSHOTS=1 $(BIN)/python -m pytest -q tests/test_charts.py -k snapshots

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache .hypothesis fiches
