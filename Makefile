# Tribuna: `make demo` serves the sample site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export TRIBUNA_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test test-fast test-browser lint bench messages compile-messages check-messages clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Tribuna needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

demo: $(VENV)/.runtime
	DEBUG=$${DEBUG:-0} PORT=$(PORT) sh scripts/demo.sh

# Browser tests also need Debian's chromium and axe-core (npm); the script installs them.
test: $(VENV)/.dev
	sh scripts/ensure-browser.sh
	TRIBUNA_TESTING=1 $(BIN)/pytest -n 2 --dist loadfile -q

# Everything but the browser tests and the slow ones (CONTRIBUTING.md, "Test"). tests/fuzz holds only slow
# tests: it is not even imported, nor are the pytest plugins only it needs. Compiled modules are kept
# (PYTHONDONTWRITEBYTECODE unset): each worker, and each process a test starts, would compile them again.
test-fast: $(VENV)/.dev
	PYTHONDONTWRITEBYTECODE= TRIBUNA_TESTING=1 $(BIN)/pytest -n 2 --dist loadfile -q -m "not browser and not slow" \
		--ignore=tests/fuzz -p no:schemathesis -p no:hypothesispytest -p no:anyio

test-browser: $(VENV)/.dev
	sh scripts/ensure-browser.sh
	TRIBUNA_TESTING=1 $(BIN)/pytest -q -m browser

# The same checks as .ci/run and .pre-commit-config.yaml: style, format, types, migrations, layers.
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=tribuna.settings $(BIN)/python -m django makemigrations --check --dry-run
	$(BIN)/lint-imports

# Translations (needs GNU gettext): extract every string of the Python code, templates and scripts into each
# shipped language's catalogue, then compile them. See CONTRIBUTING.md, "Add a language".
LANGUAGES := es fr de pt_BR ar uk
MAKEMESSAGES := cd src/tribuna && DJANGO_SETTINGS_MODULE=tribuna.settings ../../$(BIN)/python -m django makemessages \
	--add-location=file --no-obsolete --ignore "static/tribuna/vendor/*" $(foreach l,$(LANGUAGES),-l $(l))
messages: $(VENV)/.dev
	$(MAKEMESSAGES) -d django
	$(MAKEMESSAGES) -d djangojs
compile-messages: $(VENV)/.dev
	cd src/tribuna && DJANGO_SETTINGS_MODULE=tribuna.settings ../../$(BIN)/python -m django compilemessages
check-messages: $(VENV)/.dev
	sh scripts/check-messages.sh

bench: $(VENV)/.dev
	$(BIN)/python -m compileall -q src >/dev/null
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) var .pytest_cache
