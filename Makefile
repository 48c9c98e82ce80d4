# Two commands on a fresh machine with Python 3.11+ and make:
#   make run    the app with demo data, a Celery worker and beat
#   make test   the whole test suite (unit, HTTP and browser tests)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint check-python clean-data catalogs messages

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Coalition needs Python 3.11 or newer; found " + sys.version.split()[0] + ". Set PYTHON=python3.11 (or newer).")'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

run: $(VENV)/.installed catalogs
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runstack --port $(PORT)

test: $(VENV)/.installed-dev catalogs
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Compile the translation catalogs (locale/*/LC_MESSAGES/*.po → .mo) with Babel: no gettext needed.
catalogs: $(VENV)/.installed
	@$(BIN)/python -m coalition.catalogs

# After adding or changing text meant for people: update locale/es/LC_MESSAGES/django.po
# (needs GNU gettext: `apt-get install gettext`), then translate what is new (locale/GLOSSARY.md).
messages: $(VENV)/.installed
	DATABASE_URL=$${DATABASE_URL:-postgres://unused@localhost/unused} $(BIN)/python manage.py makemessages \
	  --locale es --add-location file --no-obsolete \
	  --ignore '.venv/*' --ignore 'static/vendor/*' --ignore 'tests/*' --ignore 'benchmarks/*' \
	  --ignore '.data/*' --ignore 'staticfiles/*'
	@$(BIN)/python -m coalition.catalogs

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Stop the embedded PostgreSQL and delete local data (database, Celery queue, uploads).
clean-data: $(VENV)/.installed
	$(BIN)/python -c 'from pathlib import Path; from coalition import embedded_postgres as e; e.stop(Path(".data/pgdata"))'
	rm -rf .data
