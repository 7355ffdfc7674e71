# One task runner: `make demo` serves the demo initiative, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench install clean

# uv installs the same packages from the same index in a quarter of pip's time.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/python -m uv pip install --quiet --python $(BIN)/python -e '.[test]'
	touch $(STAMP)

# The translation catalogues, compiled with polib (no GNU gettext needed): backbone/locale.
MESSAGES := $(patsubst %.po,%.mo,$(wildcard backbone/locale/*/LC_MESSAGES/*.po))
$(MESSAGES): %.mo: %.po $(STAMP)
	BACKBONE_DEBUG=1 $(BIN)/backbone compilemessages -v 0

install: $(STAMP) $(MESSAGES)

demo: install
	$(BIN)/backbone demo

test: install
	$(BIN)/python -m pytest -n 2 --dist worksteal --durations=20

# Benchmarks print their figures; with DATABASE_URL set to PostgreSQL they run at a million values.
ifeq ($(findstring postgres,$(DATABASE_URL)),postgres)
BENCH_SIZE := 1000000
else
BENCH_SIZE := 100000
endif
bench: $(STAMP)
	$(BIN)/python -m uv pip install --quiet --python $(BIN)/python -e '.[bench]'
	$(BIN)/python benchmarks/import_values.py --rows $(BENCH_SIZE)
	$(BIN)/python benchmarks/engine_answers.py $(if $(findstring postgres,$(DATABASE_URL)),,--partners 10)
	$(BIN)/python benchmarks/dashboards.py --values $(BENCH_SIZE)
	$(BIN)/python benchmarks/activities.py
	$(BIN)/python benchmarks/network.py
	$(BIN)/python benchmarks/disclosure.py
	$(if $(findstring postgres,$(DATABASE_URL)),$(BIN)/python benchmarks/load.py)

lint: $(STAMP)
	$(BIN)/ruff check backbone tests
	$(BIN)/ruff format --check backbone tests
	$(BIN)/python -m pytest -q -p no:xdist -p no:cacheprovider tests/test_translations.py tests/test_translations_python.py

clean:
	rm -rf $(VENV) var
