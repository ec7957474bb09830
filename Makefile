# Entry point of batch runs:  make run CORPUS=... OUT=...
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
CORPUS ?= corpus
OUT    ?= outputs
CONFIG ?= configs/pipeline.yaml
WORKERS ?=
ARGS   ?=

.PHONY: run test clean bench eval baseline status docs install report one-store

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,dask]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) -m pipeline run --corpus $(CORPUS) --out $(OUT) --config $(CONFIG) $(if $(WORKERS),--workers $(WORKERS)) $(ARGS)

status: install
	$(PY) -m pipeline status --corpus $(CORPUS) --out $(OUT) --config $(CONFIG)

# One self-contained HTML report of the tables: $(OUT)/report.html
report: install
	$(PY) -m pipeline report --out $(OUT) --html $(OUT)/report.html

test: install
	$(PY) -m pytest -q $(ARGS)

# Gold sets: seeds (corpus/), articles (unseen Pakistan/China), world (other conflicts), and all pooled.
SEEDS_SET    := --gold eval/seeds/gold --corpus corpus --out $(OUT)
ARTICLES_SET := --gold eval/articles/gold --corpus eval/articles/corpus --out eval/outputs/articles
WORLD_SET    := --gold eval/world/gold --corpus eval/world/corpus --out eval/outputs/world
# Seeds and articles in ONE corpus folder and one store, so that happenings are resolved across the two sets
# (the "all" line scores the three stores side by side; no happening is joined across them there).
ONE_STORE    := eval/outputs/seeds+articles
ONE_STORE_SET := --gold $(ONE_STORE)/gold --corpus $(ONE_STORE)/corpus --out $(ONE_STORE)/out

# Copied afresh each time (times kept, so the store sees unchanged files as unchanged); a name in both sets stops it.
one-store:
	@dup=$$(ls corpus eval/articles/corpus | grep -v ':$$' | grep . | sort | uniq -d); \
	  if [ -n "$$dup" ]; then echo "one-store: the same file name in corpus/ and eval/articles/corpus/: $$dup"; exit 2; fi
	rm -rf $(ONE_STORE)/corpus $(ONE_STORE)/gold
	mkdir -p $(ONE_STORE)/corpus $(ONE_STORE)/gold
	cp -pR corpus/. eval/articles/corpus/. $(ONE_STORE)/corpus/
	cp -p eval/seeds/gold/* eval/articles/gold/* $(ONE_STORE)/gold/

eval: install one-store
	$(PY) -m pipeline eval --name seeds $(SEEDS_SET) $(ARGS)
	$(PY) -m pipeline eval --name articles $(ARTICLES_SET) $(ARGS)
	$(PY) -m pipeline eval --name world $(WORLD_SET) $(ARGS)
	$(PY) -m pipeline eval --name all $(SEEDS_SET) $(ARTICLES_SET) $(WORLD_SET) $(ARGS)
	$(PY) -m pipeline eval --name seeds+articles $(ONE_STORE_SET) $(ARGS)

# Record the current figures as the regression baseline (commit it with the change that moved them).
baseline: install one-store
	$(PY) -m pipeline eval --name seeds $(SEEDS_SET) --format json --save-baseline eval/baseline.json > /dev/null
	$(PY) -m pipeline eval --name articles $(ARTICLES_SET) --format json --save-baseline eval/baseline.json > /dev/null
	$(PY) -m pipeline eval --name world $(WORLD_SET) --format json --save-baseline eval/baseline.json > /dev/null
	$(PY) -m pipeline eval --name all $(SEEDS_SET) $(ARTICLES_SET) $(WORLD_SET) --format json --save-baseline eval/baseline.json > /dev/null
	$(PY) -m pipeline eval --name seeds+articles $(ONE_STORE_SET) --format json --save-baseline eval/baseline.json > /dev/null
	cat eval/baseline.json

bench: install
	$(PY) -m pipeline bench $(ARGS)

docs: install
	$(PY) -m pipeline docs

# Refuses a folder that is not a pipeline output folder (the same check as run).
clean: install
	$(PY) -m pipeline clean --out $(OUT)
