# Two commands do all set-up: `make run` and `make test`.
# The venv is (re)installed from the hashed lock files only when one is newer than its stamp.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
HOST ?= localhost
# the same resolution for every machine the lock is used on (Linux, x86_64 or aarch64 wheels)
LOCK := $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28

.PHONY: run serve-class test test-fast lint format bench bench-classroom lock clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# MALLOC_ARENA_MAX: a class's memory is given back when it leaves (deploy/serve_class.py)
run: $(VENV)/.runtime-installed
	MALLOC_ARENA_MAX=2 $(BIN)/streamlit run dashboard/app.py --server.port $(PORT) --server.address $(HOST)

# a class from PROCESSES streamlit processes behind HAProxy (Debian's haproxy package) with one
# training engine; README "Running a class". SERVE_CLASS_ARGS: e.g. --scheduler, --also (other
# machines), --workers (python -m deploy.serve_class --help)
PROCESSES ?= 2
SERVE_CLASS_ARGS ?=
serve-class: $(VENV)/.runtime-installed
	$(BIN)/python -m deploy.serve_class --processes $(PROCESSES) --host $(HOST) --port $(PORT) $(SERVE_CLASS_ARGS)

# everything: lint, unit tests, AppTests, real training, the browser suite (CI runs this)
test: $(VENV)/.runtime-installed $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

# the inner loop: no test that trains a real model or takes seconds, no browser
test-fast: $(VENV)/.runtime-installed $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not slow and not e2e"

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.runtime-installed $(VENV)/.dev-installed
	$(BIN)/python -m bench

# the classroom load benchmark's default scenarios (1 student, 30 on the math pages, the class,
# the live panel's CPU per tick; ~25 min, each bounded); BENCH_CLASSROOM_ARGS picks others
bench-classroom: $(VENV)/.runtime-installed $(VENV)/.dev-installed
	$(BIN)/python -m bench classroom

# after editing requirements*.txt: resolve every transitive dependency, with hashes
lock: $(VENV)/.dev-installed
	$(LOCK) requirements.txt -o requirements.lock
	$(LOCK) requirements-dev.txt -o requirements-dev.lock

clean:
	rm -rf $(VENV) artifacts .pytest_cache .ruff_cache
