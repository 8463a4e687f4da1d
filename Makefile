# Entry points (README): `make setup` only installs (.venv, the Lab configuration, the git
# filter that keeps notebook outputs out of git), `make reports` renders every city's report
# into reports/, `make test` runs the whole test suite, `make lab` starts JupyterLab in the
# project.  All bootstrap a project-local virtual environment (.venv) from pyproject.toml on
# first use and are idempotent.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FILTER := $(VENV)/.git-filter
# the project's Jupyter server configuration (notebooks saved without outputs), linked into
# one of the folders Jupyter reads configuration from, so `.venv/bin/jupyter lab` uses it too
LAB_CONFIG := $(VENV)/etc/jupyter/jupyter_server_config.py

# JupyterLab refuses to start as root unless told; containers often run as root
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: setup reports test lab lint clean-venv

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required, found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# the notebooks' git filter (nbstripout, as the Lab save hook strips), in this checkout's git
# config; a no-op outside a git checkout
$(FILTER): .jupyter/git_filter.py | $(STAMP)
	$(BIN)/python .jupyter/git_filter.py
	@touch $(FILTER)

$(LAB_CONFIG): | $(STAMP)
	@mkdir -p $(dir $@)
	ln -sfn ../../../.jupyter/jupyter_server_config.py $@

# install only: the environment, the Lab configuration and the notebooks' git filter
setup: $(STAMP) $(LAB_CONFIG) $(FILTER)
	@echo "set up: .venv/bin/eduanalysis, .venv/bin/jupyter lab (or make lab); see README.md"

reports: $(STAMP) $(FILTER)
	$(BIN)/eduanalysis batch

# three workers on two cores: many tests wait on kernels and subprocesses rather than compute;
# the end-to-end tests that share one rendered batch stay on one worker (xdist_group)
test: $(STAMP) $(LAB_CONFIG) $(FILTER)
	$(BIN)/python -m pytest -n 3 --dist loadgroup

# JupyterLab on the project folder; extra options with LAB_ARGS="--port 8890"
lab: $(STAMP) $(LAB_CONFIG) $(FILTER)
	$(BIN)/jupyter lab $(ALLOW_ROOT) $(LAB_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

clean-venv:
	rm -rf $(VENV)
