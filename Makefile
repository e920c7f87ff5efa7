# TrustDesk — the two commands: `make run` and `make test`.
# Both create .venv and install the pinned dependencies when they are missing;
# nothing but python3 and pip is needed on the machine.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
BANK_PORT ?= 8001

export TRUSTDESK_DATASETS ?= $(abspath ../shared/datasets)

.PHONY: run test lint typecheck bench venv clean

venv: $(STAMP)

$(STAMP): requirements/lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

## run: migrate, seed the demo bank, serve API + console on http://$(HOST):$(PORT)
##      and the demo core-banking service (its own process and database) on $(BANK_PORT)
run: $(STAMP)
	TRUSTDESK_DEMO=true $(BIN)/trustdesk db upgrade
	TRUSTDESK_DEMO=true $(BIN)/trustdesk demo
	@echo "Console: http://$(HOST):$(PORT)/ (customer chat) · staff sign in at http://$(HOST):$(PORT)/login"
	@echo "         with a login above: /desk (agent), /supervisor (supervisor), /compliance (compliance officer)"
	TRUSTDESK_DEMO=true $(BIN)/trustdesk bank serve --host $(HOST) --port $(BANK_PORT) & \
	bank=$$!; trap 'kill $$bank 2>/dev/null' EXIT INT TERM; \
	TRUSTDESK_DEMO=true TRUSTDESK_AGENT__BANK_URL=http://$(HOST):$(BANK_PORT) \
	  $(BIN)/trustdesk serve --host $(HOST) --port $(PORT)

## lint: ruff (lint + format check) and mypy --strict on the package
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

## test: lint, types, then the whole suite (SQLite always; PostgreSQL when reachable, required in CI)
test: lint
	$(BIN)/python -m pytest

## bench: benchmarks; JSON results under bench/results/
bench: $(STAMP)
	$(BIN)/python bench/turns.py
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/guard.py
	$(BIN)/python bench/privacy.py
	$(BIN)/python bench/intents.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
