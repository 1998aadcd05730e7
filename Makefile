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
SPARK_STAMP := $(VENV)/.spark-installed
FRONTEND_SOURCES := $(shell find frontend -type f 2>/dev/null) package-lock.json
# Translations: git holds the .po catalogues; the compiled .mo files are built (and git-ignored).
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
MAKEMESSAGES := $(MANAGE) makemessages -l cy --add-location file \
	-i .venv -i node_modules -i vigil/static/dist -i var -i bench -i tests

.PHONY: help run test lint typecheck checks pytest-sqlite pytest-postgres e2e deps spark-deps static messages translations migrate demo clean

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

# Babel (pinned in requirements.txt) compiles in pure Python, so no GNU gettext is needed to run.
%.mo: %.po | $(DEPS_STAMP)
	$(PY) -m babel.messages.frontend compile --statistics -i $< -o $@

deps: $(DEPS_STAMP) $(NODE_STAMP)

# Spark for `link_records --engine spark` and its one test: pyspark (requirements-spark.txt) and a
# Java runtime from Debian. Only the test suite and a Spark user need them, so not in `deps`.
$(SPARK_STAMP): requirements-spark.txt | $(DEPS_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-spark.txt \
		2>&1 | { grep -v '^WARNING: Location' || true; }
	@touch $@

spark-deps: $(SPARK_STAMP)
	@if [ -n "$$JAVA_HOME" ] && [ -x "$$JAVA_HOME/bin/java" ] || command -v java >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then echo "Installing a Java runtime (default-jre-headless) for Spark"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	else echo "Spark needs Java: sudo apt-get install default-jre-headless" >&2; exit 1; fi
# Everything built from sources git does not hold as-is: the front end and the translations.
static: $(STATIC_STAMP) messages
messages: $(MO_FILES)

# After changing user-facing text: add it to the Welsh catalogue (needs GNU gettext's xgettext),
# then translate every new entry; tests/test_welsh_catalogue.py fails until they are.
translations: $(DEPS_STAMP)
	VIGIL_ENV=test $(MAKEMESSAGES)

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
	$(BIN)/lint-imports
	$(PY) scripts/dead-code

typecheck: deps
	VIGIL_ENV=test $(BIN)/mypy

checks: deps static
	VIGIL_ENV=test $(MANAGE) check --fail-level WARNING
	VIGIL_ENV=test $(MANAGE) makemigrations --check --dry-run

# The Spark test runs here (VIGIL_REQUIRE_SPARK: failing, not skipping, if Spark is missing) and
# not again on PostgreSQL: it touches no database.
pytest-sqlite: deps static spark-deps
	VIGIL_REQUIRE_SPARK=1 $(BIN)/pytest -m "not e2e" -n 2 -p no:cacheprovider

pytest-postgres: deps static
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not e2e and not spark" -n 2 -p no:cacheprovider

e2e: deps static
	$(BIN)/pytest -m e2e -p no:cacheprovider

test: lint typecheck checks pytest-sqlite pytest-postgres e2e

clean:
	rm -rf $(VENV) node_modules vigil/static/dist var/static $(MO_FILES)
