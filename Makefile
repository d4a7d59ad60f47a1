# ROSC Hub. `make run` serves the demo; `make test` runs every check. `make help` lists all.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The first Python 3.12+ found: the pyenv version named in .python-version, then the usual names.
PYTHON ?= $(shell for p in "$$(pyenv root 2>/dev/null)/versions/$$(cat .python-version 2>/dev/null)/bin/python" python3.13 python3.12 python3; do \
	command -v "$$p" >/dev/null 2>&1 && "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo "$$p"; break; }; done)

.PHONY: help run test lint typecheck test-sqlite test-postgres test-browser bench demo migrate clean

help: ## List every target
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "ROSC Hub needs Python 3.12 or newer, and none was found. Install Python 3.12+ (or pyenv install 3.13) and run make again." >&2; exit 1; fi
	@echo "Setting up $(VENV) with $(PYTHON)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip 2>/dev/null || true
	@$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP) ## Install, migrate SQLite, load the demo if empty, print logins, serve on :8000 (PORT=... overrides)
	@$(BIN)/rosc migrate --verbosity 0
	@ROSC_DEMO_MODE=1 $(BIN)/rosc demo --if-empty
	@ROSC_DEMO_MODE=1 $(BIN)/rosc demo --logins
	@echo "Serving ROSC Hub on http://127.0.0.1:$(PORT)  (Ctrl-C stops it)"
	@ROSC_DEMO_MODE=1 $(BIN)/rosc serve 127.0.0.1:$(PORT) --skip-checks

demo: $(STAMP) ## Rebuild the demo network from scratch in the SQLite database
	@$(BIN)/rosc migrate --verbosity 0
	@$(BIN)/rosc demo --reset

migrate: $(STAMP) ## Apply database migrations
	@$(BIN)/rosc migrate

test: $(STAMP) ## Lint, type-check, then the suite on SQLite, PostgreSQL and in Chromium
	@bash scripts/test.sh all

lint: $(STAMP) ## ruff lint and format check
	@bash scripts/test.sh lint

typecheck: $(STAMP) ## mypy with django-stubs
	@bash scripts/test.sh typecheck

test-sqlite: $(STAMP) ## The suite on SQLite
	@bash scripts/test.sh sqlite

test-postgres: $(STAMP) ## The suite on PostgreSQL (throwaway cluster unless DATABASE_URL is set)
	@bash scripts/test.sh postgres

test-browser: $(STAMP) ## Browser tests in headless Chromium with axe-core
	@bash scripts/test.sh browser

bench: $(STAMP) ## Run the benchmarks (ratios against a floor measured in the same run)
	@$(BIN)/python -m bench

clean: ## Remove the venv and local data
	rm -rf $(VENV) var
