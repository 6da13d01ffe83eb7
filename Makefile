# 온라인 관악청 — `make run` serves the portal, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PG_CI_URL := postgresql://postgres@127.0.0.1:5432/test
# A throw-away PostgreSQL database for `make bench` (it is emptied); unset: SQLite only.
BENCH_PG_URL ?=

.PHONY: help install run serve migrate seed lint format test test-sqlite test-postgres chromium java bench bench-paint clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

install: $(BIN)/.installed  ## Create the venv and install the app with its test tools

instance/secret_key:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

migrate: install  ## Apply database migrations
	$(FLASK) db upgrade

seed: install  ## Load the Korean demo content (idempotent)
	$(FLASK) gwanak seed-demo

run: install instance/secret_key  ## Migrate, load demo data if empty, serve on 127.0.0.1:5000
	export SECRET_KEY=$$(cat instance/secret_key); \
	$(FLASK) db upgrade && \
	$(FLASK) gwanak seed-demo --if-empty && \
	$(FLASK) run --host 127.0.0.1 --port 5000

lint: install  ## ruff check, ruff format --check, and the dependency contracts (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install  ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

chromium:  ## Install Debian's Chromium for the browser tests when it is missing
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing chromium (Debian package) for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium not found and not root: browser tests will skip (CI installs it)"; \
	  fi; \
	fi

java:  ## Install a Java runtime for the Nu Html Checker (vnu.jar) when it is missing
	@if ! command -v java >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing default-jre-headless (Debian package) for the Nu Html Checker"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else \
	    echo "java not found and not root: the HTML validity test will skip (CI installs it)"; \
	  fi; \
	fi

test: install lint chromium java test-sqlite test-postgres  ## Lint, then the whole suite on SQLite and on PostgreSQL

test-sqlite: install
	@echo "== pytest on SQLite (with browser tests) =="
	env -u TEST_DATABASE_URL $(BIN)/pytest -q

test-postgres: install
	@url="$${TEST_DATABASE_URL:-}"; \
	if [ -z "$$url" ] && [ "$${CI:-}" = "true" ]; then url="$(PG_CI_URL)"; fi; \
	if [ -z "$$url" ]; then \
	  echo "== PostgreSQL run SKIPPED: set TEST_DATABASE_URL=postgresql://user@host:5432/db to run it =="; \
	else \
	  echo "== pytest on PostgreSQL ($$url) =="; \
	  TEST_DATABASE_URL="$$url" $(BIN)/pytest -q -m "not browser"; \
	fi

bench: install  ## Page weights and query counts in-process, then over HTTP (gunicorn) against bare Flask; PostgreSQL with BENCH_PG_URL (emptied!)
	$(BIN)/python -m bench
	BENCH_PG_URL="$(BENCH_PG_URL)" $(BIN)/python -m bench.served

bench-paint: install  ## FCP and LCP under slow 4G with a 4x slower CPU (Playwright + Chromium)
	$(BIN)/python -m bench.page_speed

clean:  ## Remove the venv and caches (keeps instance/)
	rm -rf $(VENV) .pytest_cache .ruff_cache
