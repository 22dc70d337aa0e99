# The two commands: `make run` (the app on this machine) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint system-deps clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m pcosync.devrun

# Headless Chromium for the browser tests (Debian's package; Playwright drives it).
system-deps:
	@bash .ci/system-deps

test: $(STAMP) system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/python -m flake8 pcosync pco_sandbox tests benchmarks docs/hooks wsgi.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache test-artifacts
