# One place for the project's commands; `make demo` and `make test` do what the README's two set-up commands do.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8866

.PHONY: install demo classify-sample test check lint format bench browser clean-notebooks

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/socanalysis warm-up
	touch $@

install: $(VENV)/.installed

# the main job: the dashboards on the bundled sample data, on http://127.0.0.1:$(PORT)/
demo: install
	$(BIN)/socanalysis dashboard --port $(PORT)

# the lead-list job on the bundled sample: classify it and print the summary (the workbook goes to build/, which git ignores)
classify-sample: install
	mkdir -p build
	$(BIN)/socanalysis classify "$$($(BIN)/socanalysis sample leads)" -o build/sample_leads_classified.xlsx

# Debian's chromium for the browser tests (needs root; CI runs as root)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install it with 'sudo apt-get install chromium' for the browser tests"; fi; }

test: install browser
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check socanalysis tests benchmarks

format: install
	$(BIN)/ruff format socanalysis tests benchmarks
	$(BIN)/ruff check --fix .

check: lint test

bench: install
	$(BIN)/python benchmarks/bench_classify.py
	$(BIN)/python benchmarks/bench_dashboard.py

clean-notebooks: install
	$(BIN)/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb
