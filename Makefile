# Medborgarlöfte: the two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install lint messages check-messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Install the locked dependencies, then the project itself (editable, no new dependencies).
$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Set up, migrate, load the Mullsjö 2024 demo, print the logins and serve on 127.0.0.1:8000.
demo: install
	MEDBORGARLOFTE_DEBUG=1 $(BIN)/medborgarlofte migrate --no-input
	MEDBORGARLOFTE_DEBUG=1 $(BIN)/medborgarlofte compilemessages --ignore=.venv -v 0
	MEDBORGARLOFTE_DEBUG=1 $(BIN)/medborgarlofte load_demo
	MEDBORGARLOFTE_DEBUG=1 TWO_FACTOR_REQUIRED=$${TWO_FACTOR_REQUIRED:-0} $(BIN)/medborgarlofte runserver $(HOST):$(PORT)

# Set up what the tests need and run the whole suite (browser tests use /usr/bin/chromium).
test: install
	MEDBORGARLOFTE_TESTING=1 $(BIN)/medborgarlofte compilemessages --ignore=.venv -v 0
	$(BIN)/python scripts/run_tests.py $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Regenerate the translation catalogues after changing user-facing strings.
messages: install
	cd medborgarlofte && MEDBORGARLOFTE_DEBUG=1 ../$(BIN)/medborgarlofte makemessages -l sv --no-location --no-obsolete
	MEDBORGARLOFTE_DEBUG=1 $(BIN)/medborgarlofte compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) *.sqlite3*
