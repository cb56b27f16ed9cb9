# Two commands for a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of torch that this machine type keeps on disk; installed before
# the package so pip never pulls the multi-GB CUDA build.
TORCH_SPEC ?= torch==2.13.0
.PHONY: run test bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# One stamp per set of extras: .installed-dev (tests), .installed-fast (the service).
$(VENV)/.installed-%: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/pip install --quiet -e ".[$*]"
	touch $@

install: $(VENV)/.installed-dev

run: $(VENV)/.installed-fast
	$(BIN)/translator serve

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

# Cross-request batching under 16 concurrent HTTP clients (pooled vs one at a time).
.PHONY: bench-concurrency
bench-concurrency: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks.concurrency

# Cache first: a stored French version vs a same-size static file, server-side (Server-Timing).
.PHONY: bench-cached
bench-cached: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks.cached_translation
