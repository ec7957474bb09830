# Entry point of batch runs:  make run CORPUS=... OUT=...
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
CORPUS ?= corpus
OUT    ?= outputs
CONFIG ?= configs/pipeline.yaml
WORKERS ?= 1
ARGS   ?=

.PHONY: run test clean bench eval baseline status docs install

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) -m pipeline run --corpus $(CORPUS) --out $(OUT) --config $(CONFIG) --workers $(WORKERS) $(ARGS)

status: install
	$(PY) -m pipeline status --corpus $(CORPUS) --out $(OUT) --config $(CONFIG)

test: install
	$(PY) -m pytest -q $(ARGS)

eval: install
	$(PY) -m pipeline eval --name seeds --gold eval/seeds/gold --corpus corpus --out $(OUT) $(ARGS)
	$(PY) -m pipeline eval --name articles --gold eval/articles/gold --corpus eval/articles/corpus --out eval/outputs $(ARGS)
	$(PY) -m pipeline eval --name all --gold eval/seeds/gold --corpus corpus --out $(OUT) --gold eval/articles/gold --corpus eval/articles/corpus --out eval/outputs $(ARGS)

# Record the current figures as the regression baseline (commit it with the change that moved them).
baseline: install
	$(PY) -m pipeline eval --name seeds --gold eval/seeds/gold --corpus corpus --out $(OUT) --format json --save-baseline eval/baseline.json > /dev/null
	$(PY) -m pipeline eval --name articles --gold eval/articles/gold --corpus eval/articles/corpus --out eval/outputs --format json --save-baseline eval/baseline.json > /dev/null
	$(PY) -m pipeline eval --name all --gold eval/seeds/gold --corpus corpus --out $(OUT) --gold eval/articles/gold --corpus eval/articles/corpus --out eval/outputs --format json --save-baseline eval/baseline.json > /dev/null
	cat eval/baseline.json

bench: install
	$(PY) -m pipeline bench $(ARGS)

docs: install
	$(PY) -m pipeline docs

# Refuses a folder that is not a pipeline output folder (the same check as run).
clean: install
	$(PY) -m pipeline clean --out $(OUT)
