# Vigil: `make run` to try it, `make test` to check it. Both set up everything they need.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
DEPS_STAMP := $(VENV)/.deps-installed
NODE_STAMP := node_modules/.deps-installed
STATIC_STAMP := vigil/static/dist/.built
FRONTEND_SOURCES := $(shell find frontend -type f 2>/dev/null) package-lock.json

.PHONY: help run test lint typecheck checks pytest-sqlite pytest-postgres e2e deps static migrate demo clean

help:
	@echo "make run   - install, migrate, load demo data and serve http://127.0.0.1:$(PORT)"
	@echo "make test  - lint, type-check, and run every test (SQLite, PostgreSQL, Chromium)"

# --- set-up: each step runs again only when its inputs change -------------------------------
$(VENV)/bin/python:
	@py="$$(PYTHON="$(PYTHON)" scripts/find-python)" && echo "Creating $(VENV) with $$py" && "$$py" -m venv $(VENV)

$(DEPS_STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt \
		2>&1 | { grep -v '^WARNING: Location' || true; }
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STATIC_STAMP): $(NODE_STAMP) $(FRONTEND_SOURCES)
	npm run --silent build
	@touch $@

deps: $(DEPS_STAMP) $(NODE_STAMP)
static: $(STATIC_STAMP)

migrate: deps
	@mkdir -p var
	VIGIL_ENV=development $(MANAGE) migrate --noinput

demo: migrate
	VIGIL_ENV=development $(MANAGE) load_demo

run: deps static demo
	PORT=$(PORT) scripts/run-dev

# --- checks ---------------------------------------------------------------------------------
lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: deps
	VIGIL_ENV=test $(BIN)/mypy

checks: deps static
	VIGIL_ENV=test $(MANAGE) check --fail-level WARNING
	VIGIL_ENV=test $(MANAGE) makemigrations --check --dry-run

pytest-sqlite: deps static
	$(BIN)/pytest -m "not e2e" -n 2 -p no:cacheprovider

pytest-postgres: deps static
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not e2e" -n 2 -p no:cacheprovider

e2e: deps static
	$(BIN)/pytest -m e2e -p no:cacheprovider

test: lint typecheck checks pytest-sqlite pytest-postgres e2e

clean:
	rm -rf $(VENV) node_modules vigil/static/dist var/static
