# The commands a person types. `make run` and `make test` are the contract.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint check typecheck setup catalogues messages bench bench-ledger bench-matching clean load

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies or their pins change.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# The translation catalogues, compiled in pure Python (no GNU gettext needed).
catalogues: $(STAMP)
	$(BIN)/equitime catalogues_compile --verbosity 0

setup: $(STAMP) catalogues

# The catalogues brought up to date with the code (GNU gettext's xgettext
# needed: apt-get install gettext). From src/equitime, the same as
#   equitime makemessages -l cy -l ar --add-location=file --no-obsolete \
#     --ignore='*/tests/*' --ignore='browser_tests/*' --ignore='tests/*'
# with the options kept in one place (core/catalogues.py), which the catalogue
# tests run too. New sentences arrive untranslated: README, "Languages and translators".
messages: $(STAMP)
	cd src/equitime && ../../$(BIN)/equitime messages

# The worker (tasks and the periodic schedule) runs beside the web server and
# stops with it: Ctrl-C reaches both, and the trap stops the worker whenever
# runserver ends, by Ctrl-C or by an error. Both see EQUITIME_SITE_URL, the
# address served on (from HOST and PORT unless set), for links in e-mails.
run: export EQUITIME_SITE_URL ?= http://$(HOST):$(PORT)
run: $(STAMP) catalogues
	$(BIN)/equitime migrate --no-input
	$(BIN)/equitime demo
	$(BIN)/equitime worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/equitime runserver $(HOST):$(PORT)

# The templates are linted too (djLint, settings in pyproject.toml): all of them
# live under src/equitime, in each app's templates/ and the project's own. The
# import contracts (import-linter, the layers of ARCHITECTURE.md) run here too.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --lint src/equitime
	$(BIN)/lint-imports

check: $(STAMP)
	$(BIN)/equitime makemigrations --check --dry-run
	$(BIN)/equitime check

# mypy with django-stubs over the whole package ([tool.mypy] in pyproject.toml):
# every body checked, strict on the ledger, the exchanges and the API. The cache
# (.mypy_cache) makes a second run take seconds.
typecheck: $(STAMP)
	$(BIN)/mypy -p equitime

# In parallel (pytest-xdist): each worker has its own test database (SQLite
# file or PostgreSQL database) and Redis database (so eight workers at most,
# see equitime.core.testing); the browser tests run together on one worker.
# --no-loadscope-reorder keeps pytest-django's order, every test in a
# transaction before the transactional ones: these empty the database after
# them (the migrations' skills, groups and pool come back only for the next
# transactional test), and xdist would otherwise send the browser tests,
# its largest group, first. One worker per core by default (auto);
# PYTEST_WORKERS=0 runs serially, in one process, e.g. to debug a test.
PYTEST_WORKERS ?= auto
test: catalogues lint check typecheck
	$(BIN)/pytest -n $(PYTEST_WORKERS) --maxprocesses 8 --dist loadgroup --no-loadscope-reorder $(PYTEST_ARGS)

bench-ledger: $(STAMP)
	$(BIN)/python bench/ledger.py

# Who can help: precision@5, recall@10 and time per request, on the demo and
# 10,000 generated members (bench/matching.py): ARGS="--size small" for a quick run.
bench-matching: $(STAMP)
	$(BIN)/python bench/matching.py $(ARGS)

# Page speed beside a hello world (bench/pages.py): BENCH_SIZE=small or ARGS="--size small".
bench: $(STAMP)
	$(BIN)/python bench/pages.py $(ARGS)

# Two web processes and a worker behind nginx, on PostgreSQL and Redis, under a
# mixed load from locust (load/run.py). Ten minutes; `make load DURATION=60`;
# LOAD_ARGS="--writes 5 --reads 20" for a gentler rate.
DURATION ?= 600
load: $(STAMP)
	$(BIN)/python load/run.py --duration $(DURATION) $(LOAD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .import_linter_cache .mypy_cache
