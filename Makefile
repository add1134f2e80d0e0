# ipvalue: `make run` serves the platform with demo data; `make test` runs the test suite.
# Each target sets up what it needs (a virtual environment in .venv) on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
LANGS := fr es ru zh_Hans ar

.PHONY: run test lint format bench messages install install-dev setup clean e2e

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# IPVALUE_DEMO=0 leaves the demo data out (accounts, stakeholders, questionnaires, knowledge-base examples).
setup: install
	IPVALUE_HTTPS=false $(BIN)/ipvalue setup $(if $(filter 0,$(IPVALUE_DEMO)),,--demo)

run: setup
	IPVALUE_HTTPS=false PORT=$(PORT) $(BIN)/ipvalue serve

test: install-dev
	$(BIN)/pytest

e2e: install-dev
	$(BIN)/pytest -m e2e

lint: install-dev
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy --strict src/ipvalue/valuation

format: install-dev
	$(BIN)/ruff check --fix src tests bench tools
	$(BIN)/ruff format src tests bench tools

bench: install-dev
	$(BIN)/python bench/run.py
	$(BIN)/python bench/valuation_mc.py
	$(BIN)/python bench/loan_book.py
	$(BIN)/python bench/survey_save.py
	$(BIN)/python bench/survey_export.py
	$(BIN)/python bench/indicators_import.py

# Extract translatable strings into the catalogs (needs GNU gettext), then compile them (pure Python).
messages: install-dev
	cd src/ipvalue && IPVALUE_VAR_DIR=$(CURDIR)/var ../../$(BIN)/ipvalue makemessages --no-obsolete --no-location \
		$(addprefix -l ,$(LANGS)) --ignore 'var/*'
	$(BIN)/ipvalue compile_translations

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
