# Two commands for a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# torch is installed before the package, from TORCH_INDEX when it is set (pip's --index-url):
#   GPU servers: leave it empty; pip's default index has the CUDA build of torch for Linux.
#   CPU servers: make run TORCH_INDEX=https://download.pytorch.org/whl/cpu (the small CPU build, no CUDA).
# (This machine type keeps a CPU build on disk, which pip finds without an index.)
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX ?=
.PHONY: run test test-fast bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# One stamp per set of extras: .installed-dev (tests), .installed-fast (the service).
$(VENV)/.installed-%: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet $(if $(TORCH_INDEX),--index-url "$(TORCH_INDEX)") "$(TORCH_SPEC)"
	$(BIN)/pip install --quiet -e ".[$*]"
	touch $@

install: $(VENV)/.installed-dev

run: $(VENV)/.installed-fast
	$(BIN)/translator serve

# Test worker processes (pytest-xdist): most of the suite waits on child processes, servers and the browser,
# so two workers finish far sooner than one even on two cores. TEST_WORKERS=0 runs in this process alone.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadgroup)

test: $(VENV)/.installed-dev
	$(PYTEST)

# The quick loop while editing: no browser, no Redis or RabbitMQ, nothing marked slow (CI runs `make test`).
test-fast: $(VENV)/.installed-dev
	$(PYTEST) -m "not browser and not redis and not rabbitmq and not postgres and not slow"

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
