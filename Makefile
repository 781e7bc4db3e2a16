# mockawx: `make run` starts the mock with demo data, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8013
ADMIN_PASSWORD ?= password
STAMP := $(VENV)/.installed

.PHONY: help venv run test test-fast fuzz bench soak clean

help:
	@echo "make run    start mockawx on http://$(HOST):$(PORT)/ with demo data"
	@echo "make test   install everything into $(VENV) and run the whole suite"
	@echo "make fuzz   long schemathesis run against the mock"
	@echo "make bench  workflow engine benchmarks"
	@echo "make soak   long stress run"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/mockawx serve --host $(HOST) --port $(PORT) --admin-password $(ADMIN_PASSWORD) --seed demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -x

fuzz: $(STAMP)
	MOCKAWX_FUZZ_EXAMPLES=$${MOCKAWX_FUZZ_EXAMPLES:-500} $(BIN)/python -m pytest -q -rfE -p no:randomly tests/fuzz

bench: $(STAMP)
	$(BIN)/python -m mockawx.bench

soak: $(STAMP)
	SOAK_SECONDS=$${SOAK_SECONDS:-300} $(BIN)/python -m tests.reliability.soak
	$(BIN)/python -m mockawx.engine.bench
	$(BIN)/python -m mockawx.bench_servers

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
