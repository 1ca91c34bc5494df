# Tonus: every target sets up .venv itself, so each works on a fresh clone.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= $(abspath ../shared)

.DEFAULT_GOAL := help
.PHONY: help run demo test test-newest wheel-test check lint typecheck bench clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' -c constraints.txt
	@touch $(STAMP)

run: $(STAMP) ## Set up .venv and start Tonus on your journal
	$(BIN)/tonus

demo: $(STAMP) ## Open Tonus on a temporary journal of 14 sample weekly tests
	$(BIN)/tonus demo

test: $(STAMP) ## Set up .venv and run the whole test suite
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff, ruff format --check and the import layers
	$(BIN)/ruff check journal tests bench
	$(BIN)/ruff format --check journal tests bench
	$(BIN)/lint-imports

typecheck: $(STAMP) ## mypy on the package
	$(BIN)/mypy

test-newest: ## The test suite again on the newest Python found (3.13 or 3.12), in .venv-newest
	@newest=$$(.ci/newest-python); \
	if [ -z "$$newest" ]; then echo "no Python 3.12 or 3.13 found: skipping test-newest"; \
	else $(MAKE) --no-print-directory test PYTHON="$$newest" VENV=.venv-newest; fi

wheel-test: ## Build the wheel, install it in a fresh venv outside the checkout, run the installed tonus
	TONUS_FACE_MODEL=$${TONUS_FACE_MODEL:-$(SHARED)/models/face_landmarker.task} .ci/wheel-test $(PYTHON) $(wildcard $(SHARED)/faces/protocol/p1a/rest.jpg)

check: lint typecheck test ## Everything CI runs (plus wheel-test and test-newest in .ci/run)

bench: $(STAMP) ## Benchmarks: analysis speed and measurement (need ../shared), journal scale, the app on ten years, status speed, TUI start-up
	TONUS_FACE_MODEL=$${TONUS_FACE_MODEL:-$(SHARED)/models/face_landmarker.task} $(BIN)/python bench/analyze_fps.py
	TONUS_FACE_MODEL=$${TONUS_FACE_MODEL:-$(SHARED)/models/face_landmarker.task} $(BIN)/python bench/video_sampling.py
	$(BIN)/python bench/store_scale.py
	TONUS_FACE_MODEL=$${TONUS_FACE_MODEL:-$(SHARED)/models/face_landmarker.task} $(BIN)/python bench/measurement.py
	$(BIN)/python bench/journal_scale.py
	$(BIN)/python bench/status_speed.py
	@test ! -f bench/tui_startup.py || $(BIN)/python bench/tui_startup.py

clean: ## Remove the virtual environment and caches
	rm -rf .venv .venv-newest .pytest_cache .mypy_cache .ruff_cache
