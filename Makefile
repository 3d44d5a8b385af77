# Everything a user needs: `make run` and `make test`. Both create .venv and install the project first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make run` and `make ui` share one Dagster instance (run history, pool limits); tests make their own.
DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: run test ui samples manifest lint clean bench docs dagster-home

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

manifest: $(STAMP)
	$(BIN)/python -c "from orchestration.defs.dbt_parse_state import ensure_manifest; ensure_manifest()"

samples: $(STAMP)
	$(BIN)/python -m orchestration.samples --out raw/samples

# The pool's one slot is written before any run arrives: two runs that both meet an unconfigured pool at
# once can each allocate a slot from `default_limit` (seen once in tests/e2e/test_concurrency.py).
dagster-home: $(STAMP)
	mkdir -p $(DAGSTER_HOME)
	test -f $(DAGSTER_HOME)/dagster.yaml || cp orchestration/dagster_home/dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME) $(BIN)/dagster instance concurrency set duckdb_warehouse 1

run: samples manifest dagster-home
	DAGSTER_HOME=$(DAGSTER_HOME) $(BIN)/budget-etl run

# Pipeline vs plain pdfplumber on the real corpus ($$BUDGET_CORPUS_DIR, default ../shared/corpus) and on a generated
# one of 302 PDFs (benchmarks/README.md); ARGS=--quick is a small harness check, ARGS="--departments 40 --repeat 1" etc.
bench: manifest
	$(BIN)/python benchmarks/bench.py $(ARGS)

test: manifest
	env -u DAGSTER_HOME $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check orchestration tests

ui: manifest dagster-home
	# prepare_if_dev() runs `dbt` from PATH
	DAGSTER_HOME=$(DAGSTER_HOME) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dagster dev -w workspace.yaml

# dbt docs (models, columns, lineage) for warehouse/budget.duckdb (run `make run` first), on http://localhost:8080
DBT_ENV := BUDGET_WAREHOUSE=$(CURDIR)/warehouse/budget.duckdb BUDGET_LANDING_DIR=$(CURDIR)/warehouse/budget/landing
docs: $(STAMP)
	cd dbt_project && $(DBT_ENV) $(CURDIR)/$(BIN)/dbt docs generate --profiles-dir .
	cd dbt_project && $(DBT_ENV) $(CURDIR)/$(BIN)/dbt docs serve --port 8080 --profiles-dir .

clean:
	rm -rf warehouse dbt_project/target .dagster_home
