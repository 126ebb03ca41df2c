# Fanzha — the two commands of the README: `make demo` and `make test`.
# Both create .venv and install everything on a fresh machine that has Python 3.11+ and make.

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export FANZHA_DATA_DIR ?= $(CURDIR)/var

CONSOLE := src/fanzha/console/web
CONSOLE_OUT := src/fanzha/console/static/index.html

.PHONY: install console browser demo serve test lint format bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## console: build the Vue console with Vite from npm (assets served locally, no CDN)
$(CONSOLE_OUT): $(CONSOLE)/package.json $(CONSOLE)/package-lock.json $(CONSOLE)/vite.config.js $(CONSOLE)/index.html $(shell find $(CONSOLE)/src -type f 2>/dev/null)
	cd $(CONSOLE) && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent

console: $(CONSOLE_OUT)

## browser: Debian's Chromium and CJK fonts for the browser tests (Playwright drives /usr/bin/chromium)
browser:
	@(command -v chromium >/dev/null 2>&1 && fc-list :lang=zh | grep -q .) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

## demo: generate the simulated region, replay it through the platform, serve API and console
demo: install console
	$(BIN)/fanzha demo

## serve: only migrate and serve the API on the embedded default
serve: install
	$(BIN)/fanzha serve

## test: lint, then the whole test suite (PostgreSQL and Redis suites required when CI is set)
test: install console browser
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
