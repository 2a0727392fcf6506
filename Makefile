# Scaling Laws, an executable course. Every task a person or CI runs is a target here.
# Run `make` (or `make help`) for the list.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
NB ?=
PYTEST_OPTS ?=
# The venv's kernelspec comes first, so notebooks always run with the venv (and its lib).
export JUPYTER_PATH := $(abspath $(VENV))/share/jupyter
export PYDEVD_DISABLE_FILE_VALIDATION := 1

READY := $(VENV)/.ready
LIB_FILES := $(shell find lib -name '*.py' -o -name '*.csv' 2>/dev/null)

.DEFAULT_GOAL := help
.PHONY: help book check test lab grade exercises bench constraints clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(READY): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (pinned NumPy/SciPy); try make PYTHON=python3.11"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (scaling-laws course)" > /dev/null
	touch $@

# jupyter-cache keys on the notebook, not on lib: a change to lib clears the cache.
_build/.lib-stamp: $(LIB_FILES)
	rm -rf _build/.jupyter_cache
	mkdir -p _build
	touch $@

book: $(READY) _build/.lib-stamp ## build the website into _build/html (warnings are errors)
	$(if $(filter true,$(CI)),rm -rf _build/.jupyter_cache)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The book is at $(abspath _build/html/index.html)"

# ruff runs as a test (tests/test_repo.py), so the marker-filtered run includes it.
check: $(READY) ## the fast inner loop: lib unit tests and doctests, ruff, no kernels or browser (about a minute)
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not slow and not browser and not kernel" $(PYTEST_OPTS)

test: $(READY) ## run every test: lib, notebooks, exercises, grader, ruff, book, the site and JupyterLab in chromium
	$(BIN)/python -m pytest -n auto --dist loadfile $(PYTEST_OPTS)

lab: $(READY) ## open the exercises in JupyterLab
	$(BIN)/jupyter lab --ServerApp.root_dir=exercises $(if $(filter 0,$(shell id -u)),--allow-root)

grade: $(READY) ## per-question scores for NB=notebook-or-folder (a folder also gets grades.csv)
	@test -n "$(NB)" || { echo "usage: make grade NB=path/to/notebook.ipynb (or a folder)"; exit 2; }
	$(BIN)/python -m lib.grader "$(NB)"

exercises: $(READY) ## regenerate exercises/ from solutions/
	$(BIN)/python -m lib.course.exercisegen

bench: $(READY) ## time the parts of `make test`, the book build, the explorers and the Chinchilla fit
	$(BIN)/python tests/bench/run.py
	for script in tests/bench/bench_*.py; do $(BIN)/python "$$script" || exit 1; done

constraints: $(READY) ## re-pin constraints.txt from the current venv
	{ sed -n '1,2p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable; } > constraints.tmp
	mv constraints.tmp constraints.txt

clean: ## remove the build output (keeps the venv)
	rm -rf _build
