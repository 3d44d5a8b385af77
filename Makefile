# Everything a user needs: `make run` and `make test`. Both create .venv and install the project first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: run test ui samples manifest lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

manifest: $(STAMP)
	$(BIN)/python -c "from orchestration.defs.dbt_project import ensure_manifest; ensure_manifest()"

samples: $(STAMP)
	$(BIN)/python -m orchestration.samples --out raw/samples

run: samples manifest
	$(BIN)/budget-etl run

test: manifest
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check orchestration tests

ui: manifest
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/dagster dev -w workspace.yaml

clean:
	rm -rf warehouse dbt_project/target .dagster_home
