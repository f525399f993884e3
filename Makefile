# Auto-graded deep-learning course. `make help` lists the targets.
# Every target sets up what it needs first; running one twice is harmless.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Use the active conda environment when there is one (not `base`), else .venv.
ifneq ($(and $(CONDA_PREFIX),$(filter-out base,$(CONDA_DEFAULT_ENV))),)
  ENV_DIR := $(CONDA_PREFIX)
else
  ENV_DIR := $(CURDIR)/.venv
endif
BIN    := $(ENV_DIR)/bin
PY     := $(BIN)/python
STAMP  := $(ENV_DIR)/.dlcourse-installed
PYTHON ?= python3.11
# nbgrader shells out to `alembic`, and the notebooks' kernel is this env's python.
export PATH := $(BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

CHAPTER ?=
DEMO_ROOT := build/demo

.PHONY: help setup system-packages lab formgrader release autograde feedback grades demo test clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
	@echo "  Variables: CHAPTER=chNN_slug limits release/autograde/feedback to one chapter;"
	@echo "             DLCOURSE_DEVICE=cpu|cuda|mps overrides the device used by tests."
	@echo "             LAB_DIR=folder for make lab (default notebooks/; fetched chapters go there);"
	@echo "             DLCOURSE_EXCHANGE=shared exchange for lab/formgrader (default build/exchange)."

setup: $(STAMP) system-packages ## create .venv (or use the active conda env) and install the course package

# Chromium and a CJK font for the browser tests (tests/browser/); apt-get as root only.
SYSTEM_PACKAGES := chromium fonts-noto-cjk postgresql
system-packages:
	@missing=""; \
	  [ -x "$${DLCOURSE_CHROMIUM:-/usr/bin/chromium}" ] || missing=" chromium"; \
	  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  if [ -z "$$missing" ]; then exit 0; fi; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing (log: build/apt.log)"; mkdir -p build; \
	    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES); } \
	      > build/apt.log 2>&1 || { tail -n 5 build/apt.log; echo "apt-get failed: browser tests will be skipped"; }; \
	  else \
	    echo "Skipping system packages:$$missing not installed (needs root and apt-get; e.g."; \
	    echo "  sudo apt-get install $(SYSTEM_PACKAGES)). Browser tests will be skipped."; \
	  fi

$(STAMP): pyproject.toml
	@if [ ! -x "$(PY)" ]; then \
	  echo "Creating $(ENV_DIR) with $(PYTHON)"; \
	  $(PYTHON) -m venv "$(ENV_DIR)"; \
	fi
	@echo "Installing dependencies from pyproject.toml (log: $(ENV_DIR)/pip.log)"
	@$(PY) -m pip install -e . > "$(ENV_DIR)/pip.log" 2>&1 \
	  || { tail -n 30 "$(ENV_DIR)/pip.log"; echo "pip install failed"; exit 1; }
	@touch $(STAMP)

lab: setup ## the student's JupyterLab on notebooks/ (Validate, Assignment List; LAB_DIR=...)
	$(PY) -m autograder.lab student $(if $(LAB_DIR),--dir "$(LAB_DIR)",)

formgrader: setup ## the instructor's JupyterLab: formgrader on the course, Create Assignment
	$(PY) -m autograder.lab instructor

release: setup ## solutions/ -> notebooks/ (nbgrader generate_assignment)
	$(PY) -m autograder release $(if $(CHAPTER),--chapter $(CHAPTER),)

autograde: setup ## grade new/changed submitted/<student>/<chapter>/ (JOBS=N SCHEDULER=tcp://.. FORCE=1)
	$(PY) -m autograder autograde $(if $(CHAPTER),--chapter $(CHAPTER),) $(if $(JOBS),--jobs $(JOBS),) \
	  $(if $(SCHEDULER),--scheduler $(SCHEDULER),) $(if $(FORCE),--force,)

feedback: setup ## HTML feedback for every autograded submission, into feedback/
	$(PY) -m autograder feedback $(if $(CHAPTER),--chapter $(CHAPTER),)

grades: setup ## export grades to reports/*.csv and plot per-exercise class results
	MPLBACKEND=Agg $(PY) -m autograder grades

demo: setup ## release, autograde the bundled sample class, print grades, write a plot
	$(PY) -m autograder release
	MPLBACKEND=Agg $(PY) -m autograder demo --root $(DEMO_ROOT)

test: setup ## run every test (pytest)
	MPLBACKEND=Agg $(PY) -m pytest $(PYTEST_ARGS)

clean: ## remove build outputs and caches (keeps .venv and a class's grading state)
	rm -rf build .pytest_cache
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
