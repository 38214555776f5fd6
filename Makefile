# Two commands matter: `make run` (set up, build the store, serve on localhost) and `make test`.
PYTHON_312 := $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
STORE ?= var/store

.PHONY: setup run test init bench clean

$(BIN)/thamquyen: pyproject.toml
	test -x $(BIN)/python || $(PYTHON_312) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/thamquyen

init: setup
	$(BIN)/thamquyen --store $(STORE) init

run: init
	$(BIN)/thamquyen --store $(STORE) serve --host 127.0.0.1 --port 8000

test: setup
	scripts/ensure-system-deps
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var .pytest_cache
