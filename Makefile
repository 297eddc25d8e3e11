# Each target sets up what it needs in .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOWEST := .venv-lowest

.PHONY: example example-async example-notes example-teams example-links example-admin test test-lowest lint typecheck pytest mariadb-server docs-build docs bench dist clean

$(BIN)/pip:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"

$(VENV)/.example: $(BIN)/pip pyproject.toml
	$(BIN)/pip install --quiet -e . --group example
	touch $@

$(VENV)/.test: $(BIN)/pip pyproject.toml
	$(BIN)/pip install --quiet -e . --group test
	touch $@ $(VENV)/.example

# The lowest versions of our dependencies that pyproject.toml declares (Starlette before
# 1.0 needs httpx for its TestClient).
$(LOWEST)/.test: pyproject.toml .ci/floors.py
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --upgrade "pip>=25.1"
	$(PYTHON) .ci/floors.py > $(LOWEST)/floors.txt
	$(LOWEST)/bin/pip install --quiet -e . --group test httpx -c $(LOWEST)/floors.txt
	touch $@

$(VENV)/.bench: $(BIN)/pip pyproject.toml
	$(BIN)/pip install --quiet -e . --group bench
	touch $@

## Serve the hero example on http://127.0.0.1:8000 (SQLite file heroes.db; DATABASE_URL to change).
example: $(VENV)/.example
	$(BIN)/python -m examples.heroes

example-async: $(VENV)/.example
	$(BIN)/python -m examples.heroes --async

## The notes example: users, HTTP Basic login, each user's own notes (SQLite file notes.db).
example-notes: $(VENV)/.example
	$(BIN)/python -m examples.notes

## The team/hero example: related rows nested in reads (SQLite file teams.db).
example-teams: $(VENV)/.example
	$(BIN)/python -m examples.teams

## The many-to-many example: heroes, teams and their link rows (SQLite file links.db).
example-links: $(VENV)/.example
	$(BIN)/python -m examples.links

## The admin back end for react-admin (/ra) and refine (/refine) (SQLite file admin.db).
example-admin: $(VENV)/.example
	$(BIN)/python -m examples.admin

## The whole suite: lint, types, tests on SQLite and PostgreSQL with coverage, docs build.
test: lint typecheck pytest docs-build

## The tests again on the lowest versions of fastapi, sqlmodel and pydantic we declare.
test-lowest: $(LOWEST)/.test mariadb-server tests/admin/node_modules/.installed
	$(LOWEST)/bin/pip list 2>/dev/null | grep -iE "^(fastapi|sqlmodel|pydantic|sqlalchemy|starlette) "
	SQLCRUD_BACKENDS=sqlite_sync,sqlite_async,pg_sync,pg_async $(LOWEST)/bin/pytest -q

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.test
	$(BIN)/mypy

pytest: $(VENV)/.test mariadb-server tests/admin/node_modules/.installed
	$(BIN)/pytest --cov --cov-report=term

# The suite starts its own MariaDB servers and Galera cluster from these programs (and
# PostgreSQL's from the machine's); installed here when missing (Debian, as root), with
# policy-rc.d keeping the package from starting a server of its own.
mariadb-server:
	@{ test -x /usr/sbin/mariadbd && test -e /usr/lib/galera/libgalera_smm.so && command -v rsync >/dev/null; } || { \
	  test -e /usr/sbin/policy-rc.d || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; \
	    chmod +x /usr/sbin/policy-rc.d; trap 'rm -f /usr/sbin/policy-rc.d' EXIT; }; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server galera-4 rsync >/dev/null; }

# The data providers of react-admin and refine, for tests/test_admin.py (Node and npm).
tests/admin/node_modules/.installed: tests/admin/package-lock.json
	cd tests/admin && npm ci --no-audit --no-fund --loglevel=error
	touch $@

docs-build: $(VENV)/.test
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

## Preview the docs site on http://127.0.0.1:8001
docs: $(VENV)/.test
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8001

bench: $(VENV)/.bench
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.bulk

dist: $(VENV)/.test
	rm -rf dist
	$(BIN)/python -m build --installer pip

clean:
	rm -rf $(VENV) $(LOWEST) dist site .coverage .pytest_cache .mypy_cache .ruff_cache
