# ParkBridge: `make run` serves the demo, `make test` runs the whole suite on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
CHROMIUM := /usr/bin/chromium

.PHONY: run install install-dev browser test test-sqlite test-postgres test-fast lint format bench screenshots messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev,sentence-transformers]"
	touch $@ $(STAMP_RUN)

install: $(STAMP_RUN)
install-dev: $(STAMP_DEV)

# Browser tests drive Debian's Chromium (`playwright install` cannot download browsers here);
# the translation test extracts messages with GNU gettext.
browser:
	@if [ ! -x $(CHROMIUM) ] || ! command -v xgettext >/dev/null; then \
	  echo "Installing Debian's chromium and gettext for the tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium gettext >/dev/null; \
	fi

run: install
	$(BIN)/parkbridge migrate --no-input
	$(BIN)/parkbridge collectstatic --no-input --verbosity 0
	$(BIN)/parkbridge demo
	@echo
	@echo "ParkBridge is at http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/v1/docs)"
	@echo "Stop it with Ctrl+C."
	$(BIN)/parkbridge runserver $(HOST):$(PORT)

test: install-dev browser
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: install-dev
	$(BIN)/pytest --database=sqlite -q

test-postgres: install-dev
	$(BIN)/pytest --database=postgres -q

test-fast: install-dev
	$(BIN)/pytest --database=sqlite -q -m "not browser and not slow"

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

bench: install-dev
	@for script in benchmarks/[!_]*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Chinese text needs a CJK font in the headless browser, or it renders as empty boxes.
screenshots: install-dev browser
	@fc-list 2>/dev/null | grep -qi "noto.*cjk" || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get install -y -qq fonts-noto-cjk >/dev/null; }
	$(BIN)/python -m tests.e2e.screenshots docs/screenshots

# Needs GNU gettext (apt-get install gettext).
messages: install-dev
	cd src/parkbridge && ../../$(BIN)/parkbridge makemessages -l ru -l zh_Hans --no-obsolete --ignore '*/vendor/*' --ignore 'static/*'
	cd src/parkbridge && ../../$(BIN)/parkbridge compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
