# grassroots — two commands: `make demo` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 3
DEMO_PASSWORD ?=
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test lint setup browser screenshots serve migrate messages check-messages clean

# The virtual environment, from the lock file (hash-checked), and the project itself.
$(BIN)/.installed: requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

setup: $(BIN)/.installed

# The browser journeys drive Debian's chromium (Playwright cannot download its own browser on a
# closed network); CJK fonts so that pages and screenshots show Chinese; nginx for the install
# test (tests/deploy: docs/deploy.md end to end). Installed once, as root or through sudo.
CHROMIUM ?= /usr/bin/chromium
APT_PACKAGES := chromium fonts-noto-cjk nginx
browser:
	@if [ ! -x $(CHROMIUM) ] || ! fc-list 2>/dev/null | grep -qi "noto sans cjk" || [ ! -x /usr/sbin/nginx ]; then \
	  echo "installing $(APT_PACKAGES) from Debian"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

migrate: setup
	$(BIN)/grassroots migrate --noinput -v 1

# Loads the Shilou demo (or reuses it), then serves it with `grassroots serve`: gunicorn (the
# production server), the scheduler (time limits and figures every minute, nightly checks) and
# the background task worker, all stopped by one Ctrl-C.
demo: migrate
	$(BIN)/grassroots loaddemo $(if $(DEMO_PASSWORD),--password '$(DEMO_PASSWORD)')
	$(BIN)/grassroots collectstatic --noinput -v 0
	@echo "Serving http://127.0.0.1:$(PORT)/ with the scheduler and the task worker (Ctrl-C stops all)"
	$(BIN)/grassroots serve --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) --workers $(WORKERS)

# The suite in TEST_WORKERS processes (pytest-xdist; `auto` is one a core), a test file kept on
# one worker so that a module's costly fixture (the demo, a real server) is built once.
# `make test TEST_WORKERS=0` runs it in this process.
TEST_WORKERS ?= auto
test: setup browser
	$(BIN)/pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile) $(PYTEST_ARGS)

# The README's pictures, taken by the browser journeys as they run (tests/browser/).
screenshots: setup browser
	GRASSROOTS_SHOTS_DIR=docs/screenshots $(BIN)/pytest tests/browser -q

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/grassroots check --fail-level WARNING
	$(BIN)/grassroots makemigrations --check --dry-run

# Refresh the English catalogue after changing user-visible strings (needs GNU gettext).
messages: setup
	cd src/grassroots && ../../$(BIN)/grassroots makemessages -l en --no-obsolete --no-location --no-wrap -i "demo/*"
	cd src/grassroots && ../../$(BIN)/grassroots compilemessages -l en

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info

# The benchmark (issue 7): the full run (county and province scale, SQLite and PostgreSQL when it
# is up; 21–23 minutes on 2 quiet cores; never in CI), and the same harness at a tiny scale.
.PHONY: bench bench-quick
bench: setup
	$(BIN)/python bench/run.py --scale full
	$(BIN)/python bench/suggest.py

# Dispatch suggestion alone (issue 22): a fresh demo, the model against the keyword vote on
# resident talk, training at 100,000 cases; SUGGEST_BENCH_URL=postgres://…/…bench for PostgreSQL
# (that database is recreated), else SQLite under var/bench.
.PHONY: bench-suggest
bench-suggest: setup
	$(BIN)/python bench/suggest.py $(if $(SUGGEST_BENCH_URL),--database-url $(SUGGEST_BENCH_URL))

bench-quick: setup
	$(BIN)/python bench/run.py --scale quick --out-dir var/bench/results-quick
