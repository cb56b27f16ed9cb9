# Two commands for a fresh clone: `make run` and `make test` (and `make demo`, offline, on a tiny demo model).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# torch is installed before the package, chosen in this order (README "Getting started"):
#   1. a torch==2.13.0 wheel pip can already see (a local wheel directory in pip's configuration);
#   2. TORCH_INDEX, when set (pip's --index-url), e.g. https://download.pytorch.org/whl/cpu for the small CPU build;
#   3. pip's default index: on Linux the CUDA build (several GB), for GPU servers.
# pip runs with -qq: its errors show, its warnings and progress do not; one summary line follows.
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX ?=
PORT ?= 8000
.PHONY: run demo docs test test-fast bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip

# One stamp per set of extras: .installed-dev (tests), .installed-fast (the service).
$(VENV)/.installed-%: $(BIN)/python pyproject.toml
	@echo "installing torch ($(TORCH_SPEC)$(if $(TORCH_INDEX), from $(TORCH_INDEX))) and translator[$*] into $(VENV)"
	@$(BIN)/python -m pip install -qq $(if $(TORCH_INDEX),--index-url "$(TORCH_INDEX)") "$(TORCH_SPEC)"
	@$(BIN)/python -m pip install -qq -e ".[$*]"
	@$(BIN)/python -c 'import torch, translator; print(f"installed translator[$*] with torch {torch.__version__} in $(VENV)")'
	@touch $@

install: $(VENV)/.installed-dev

run: $(VENV)/.installed-fast
	$(BIN)/translator serve --port $(PORT)

# Offline: a tiny demo model built here (its output is not French) and sample articles; see README.
demo: $(VENV)/.installed-fast
	$(BIN)/python -m translator.testing.demo --port $(PORT)

# The guide in docs/, as a site in build/site (strict: a broken link or a stale generated page fails).
docs: $(VENV)/.installed-dev
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

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
