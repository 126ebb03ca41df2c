# Fanzha — the two commands of the README: `make demo` and `make test`.
# Both create .venv and install everything on a fresh machine that has Python 3.11+ and make.

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export FANZHA_DATA_DIR ?= $(CURDIR)/var

.PHONY: install demo serve test lint format bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## demo: generate the simulated region, replay it through the platform, serve API and console
demo: install
	$(BIN)/fanzha demo

## serve: only migrate and serve the API on the embedded default
serve: install
	$(BIN)/fanzha serve

## test: lint, then the whole test suite (PostgreSQL and Redis suites required when CI is set)
test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/pytest -q -p no:cacheprovider

lint: install
	$(BIN)/ruff check src tests bench

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

clean:
	rm -rf $(VENV) var .pytest_cache
