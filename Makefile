# Workshop Playbook: build, demo and test.
#
#   make test     lint, type-check, check the layers, then run the whole test suite (what CI runs, via .ci/run)
#   make demo     run the demo on the example workshop
#
# Everything runs in .venv, created on first use with `python3 -m venv`; the kit is installed
# there in editable mode with its test and dask extras, again only when pyproject.toml changes.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

# The Python the virtual environment is made with: the first of PYTHON_CANDIDATES that is 3.11 or
# newer with its venv module, else python3 (whose venv step then says what is missing). The
# distribution's comes first: distributions build it with profile-guided and link-time
# optimisation, and the suite's Python code ran 15-20% faster on Debian's than on a Python built
# from source without them, as pyenv builds by default. make test PYTHON=... picks one.
PYTHON_CANDIDATES ?= /usr/bin/python3 python3
PYTHON ?= $(shell for p in $(PYTHON_CANDIDATES); do \
            $$p -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; exit; }; \
          done; echo python3)
VENV ?= .venv
VENV_PY := $(VENV)/bin/python
# Touched after a successful install; pip runs again only when pyproject.toml is newer.
STAMP := $(VENV)/.installed
# Debian packages the test suite needs (PostgreSQL for the store tests, Chromium for the browser tests, zbar-tools
# to read back the QR codes of team handouts). Empty to skip the check:
#   make test DEBIAN_PACKAGES=
DEBIAN_PACKAGES ?= postgresql chromium fonts-noto-cjk poppler-utils zbar-tools
# Extra pytest arguments, for example: make test PYTEST_ARGS='-m "not slow"'
PYTEST_ARGS ?=
# Test processes run in parallel (pytest-xdist; tests/conftest.py groups what must share one).
# 0 runs everything in this process, in file order: make test PYTEST_WORKERS=0
# Four on this 2-core machine: with three, tests that wait (servers stopping, kernels timing out)
# left a core idle, 1.84 busy cores on average against 1.96 with four (3 min 59 s, then 3 min 47 s
# and 3 min 41 s with four, the same CPU time).
PYTEST_WORKERS ?= 4
# Only the folders that exist: a fresh clone has no empty ones.
LINT_PATHS := $(wildcard playbook widgets tests benchmarks)

export PIP_DISABLE_PIP_VERSION_CHECK := 1
# The suite starts hundreds of Python processes (kernels, servers, workers, the CLI): with
# PYTHONDONTWRITEBYTECODE set (some machines set it for every shell) none of them keeps the
# kit's compiled modules, and each compiles them again (0.3 CPU-s a process, measured here).
NO_BYTECODE_OFF := env -u PYTHONDONTWRITEBYTECODE

.PHONY: help venv install demo test lint typecheck layers catalogues translations clean

help:
	@echo "make test    lint, then run the test suite (installs into $(VENV) first)"
	@echo "make demo    run the demo on the example workshop"
	@echo "make lint    ruff check"
	@echo "make typecheck   mypy (strict on the model, scoring and the store)"
	@echo "make layers  import-linter: the package layers, no cycles, no UI in the engine"
	@echo "make catalogues    extract the interface messages and bring every language's catalogues up to date"
	@echo "make translations  check every language's catalogues: missing, extra, stale, placeholders"
	@echo "make clean   remove $(VENV), build outputs and caches"

venv: $(VENV_PY)

$(VENV_PY):
	@echo "Creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create $(VENV). Python 3.11 or newer with the venv module is needed" \
	       "(on Debian: apt-get install python3-venv)." >&2; rm -rf $(VENV); exit 1; }

install: $(STAMP)

$(STAMP): pyproject.toml | $(VENV_PY)
	@echo "Installing the kit, its test dependencies and the dask extra into $(VENV) (editable)"
	@$(VENV_PY) -m pip install --quiet --editable '.[test,dask]'
	@touch $@

demo: install
	@bash scripts/ensure-debian-packages.sh chromium fonts-noto-cjk
	$(VENV_PY) -m playbook.demo

lint: install
	$(VENV)/bin/ruff check $(LINT_PATHS)

# Both read their settings from pyproject.toml ([tool.mypy], [tool.importlinter]).
typecheck: install
	$(VENV)/bin/mypy

layers: install
	$(VENV)/bin/lint-imports

# playbook/locale/messages.pot from the code, then each language's messages.po and definition
# catalogues in step with it (nothing translated is lost); see README, "Languages".
catalogues: install
	$(VENV)/bin/playbook translations update

translations: install
	$(VENV)/bin/playbook translations check

test: install
	@bash scripts/ensure-debian-packages.sh $(DEBIAN_PACKAGES)
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(NO_BYTECODE_OFF) $(VENV_PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadgroup --no-loadscope-reorder $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .mypy_cache .import_linter_cache .grimp_cache .hypothesis
	find . \( -path ./examples -o -path ./.git \) -prune -o \
	  \( -type d \( -name __pycache__ -o -name '*.egg-info' \) \) -prune -exec rm -rf {} +
