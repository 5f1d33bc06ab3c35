# MicroGigs: `make run` serves the app on http://localhost:3000, `make test` runs every test.
# Both set up what they need first (.venv, bun in .tools) and skip what is already done.

SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
# Touched after a successful install; reinstall only when pyproject.toml or the lock changes.
INSTALLED := $(VENV)/.microgigs-installed
LOCK := requirements.lock
BUN_STAMP := .tools/node_modules/.microgigs-installed

# Reflex finds bun with `which bun` when told to use the system bun: ours comes from npm into
# .tools, so it never downloads its own. The venv's bin puts `reflex` and `microgigs` on PATH.
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_USE_NPM := 0
export REFLEX_TELEMETRY_ENABLED := false
# Skip Reflex's "is there a newer version on PyPI" check at every start.
export REFLEX_CHECK_LATEST_VERSION := 0
export PYTHONUNBUFFERED := 1

.PHONY: run start test install chromium servers lock catalogues clean

# `make run` is the demo: the demo campus is seeded and its accounts may sign in. A real install
# runs with MICROGIGS_DEMO_MODE=false (`MICROGIGS_DEMO_MODE=false make run` starts empty).
run: export MICROGIGS_DEMO_MODE ?= true
run: install
	$(VENV)/bin/reflex db migrate
	$(VENV)/bin/microgigs seed-demo --if-empty
	@echo
	@echo "Building the frontend, then serving MicroGigs at http://localhost:3000  (Ctrl+C stops it)"
	@echo
	$(VENV)/bin/reflex run --env prod

# A real install (README, "Install for real"): migrate, check (refusing what is dangerous), then
# serve the production build in the foreground. WORKERS=2 or more needs REFLEX_REDIS_URL.
start: install
	$(VENV)/bin/microgigs start --workers $(or $(WORKERS),1) --host $(or $(HOST),127.0.0.1) --port $(or $(PORT),3000)

test: install chromium servers
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)
	@echo "The unit and integration suites again, on PostgreSQL (row locks and isolation differ from SQLite's)"
	MICROGIGS_TEST_DATABASE=postgresql $(PY) -m pytest tests/unit tests/integration $(PYTEST_ARGS)

install: $(INSTALLED) $(BUN_STAMP)

$(PY):
	python3 -m venv $(VENV)

$(INSTALLED): pyproject.toml $(LOCK) | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -c $(LOCK) -e '.[test]'
	touch $@

$(BUN_STAMP): .tools/package.json .tools/package-lock.json
	cd .tools && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests drive Debian's Chromium. MICROGIGS_CHROMIUM may name another binary instead.
chromium:
	@if [ -n "$${MICROGIGS_CHROMIUM:-}" ] || [ -x /usr/bin/chromium ] || command -v chromium >/dev/null; then \
		exit 0; \
	fi; \
	sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	echo "Installing Debian's chromium for the browser tests"; \
	$$sudo apt-get update && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

# The multi-worker live-update tests need Redis, the Postgres search tests PostgreSQL, and the
# test behind a proxy nginx (deploy/nginx/microgigs.conf): the tests start their own throwaway
# servers on free loopback ports from Debian's binaries. An nginx installed here is stopped and
# disabled again (Debian starts it on port 80); the test runs its own with its own config.
servers:
	@missing=; command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	[ -z "$$missing" ] && exit 0; \
	sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	echo "Installing Debian's$$missing for the tests"; \
	$$sudo apt-get update && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing || exit 1; \
	case "$$missing" in *nginx*) $$sudo systemctl disable --now nginx >/dev/null 2>&1 || true;; esac

# Refresh the pinned versions after changing dependencies in pyproject.toml.
lock: $(INSTALLED)
	{ echo "# pip constraints: the tested versions of every dependency. Refresh with 'make lock'."; \
	  $(PY) -m pip freeze --disable-pip-version-check --exclude-editable | grep -iv '^microgigs[= ]'; } > $(LOCK).tmp
	mv $(LOCK).tmp $(LOCK)
	touch $(INSTALLED)

# Languages: collect every text marked in the code into messages.pot, then add the new ones to
# each language's .po (untranslated: translate them there; a unit test fails until you do).
BABEL_KEYWORDS := --no-default-keywords -k _ -k t -k msg -k gettext:2 -k ngettext:2,3 -k page_title -k DomainError -k NotAllowed -k NotFound
catalogues:
	$(VENV)/bin/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output \
	  --project MicroGigs -o microgigs/locale/messages.pot .
	$(VENV)/bin/pybabel update -i microgigs/locale/messages.pot -d microgigs/locale --no-fuzzy-matching

# Reflex's build output (the app's and the browser tests') and saved page states.
# Keeps .venv, .tools and var/ (the database).
clean:
	rm -rf .web .states .pytest_cache/d/e2e-web
