# Build, check and test entry points.  `make help` lists the targets; `make test` is what CI runs.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Touched after a successful install: the install re-runs when pyproject.toml, setup.py or
# constraints.txt (the exact versions make and CI install) is newer.
STAMP := $(VENV)/.installed.stamp

# Our own code, checked with mypy --strict: those of these folders that hold Python files.
STRICT_DIRS := $(shell for d in llmgw_contracts llmgw_conformance llmgw_reference llmgw_sdk tools tests; do \
	find $$d -name '*.py' 2>/dev/null | grep -q . && echo $$d; done)

# pyproject.toml registers llmgw_conformance.pytest_plugin as a pytest plugin; until that module exists,
# pytest would fail to start, so the plugin is switched off by name.
PYTEST_ARGS ?= $(if $(wildcard llmgw_conformance/pytest_plugin.py),,-p no:llm_gateway_conformance)

.DEFAULT_GOAL := help
.PHONY: help venv generate check-generated oas32 lint-contracts fidelity lint typecheck browser pytest test test-clock \
	conformance serve bench killmatrix matrix clean contract-diff contract-gate contract-release

help: ## List the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) \
		| awk 'BEGIN {FS = ":.*## "}; {printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml setup.py constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -c constraints.txt -e '.[dev]'
	@touch $@

venv: $(STAMP) ## Create .venv if missing; install the project with its dev extras at the versions of constraints.txt

generate: $(STAMP) ## Regenerate llmgw_generated/ from contracts/openapi (left untouched if a contract is invalid)
	$(PY) -m tools.codegen generate

check-generated: $(STAMP) ## Fail, naming each stale/missing/extra file, if llmgw_generated/ differs from the contracts
	$(PY) -m tools.codegen check

oas32: $(STAMP) ## Write OpenAPI 3.2 copies of the contracts to build/oas32/ and validate them
	$(PY) -m tools.to_oas32

lint-contracts: $(STAMP) ## Validate the contracts (3.1, and their 3.2 copies) and apply the contract rules
	$(PY) -m tools.lint_contracts

fidelity: $(STAMP) ## Fail on any undecided difference between the contract's OpenAI surface and OpenAI's own description
	$(PY) -m tools.openai_fidelity

# The contract's releases (issue 14): contracts/released/ is the last released copy (kept in the repo,
# CI's fresh clone has no tags); OLD and NEW are folders or git refs (default: that copy and contracts/).
contract-diff: $(STAMP) ## List every contract change, breaking/compatible/informational (OLD=released NEW=working tree)
	$(PY) -m tools.contract_diff $(or $(OLD),contracts/released) $(or $(NEW),contracts)

contract-gate: $(STAMP) ## Fail when a contract change since the last release lacks its version bump or CHANGELOG entry
	$(PY) -m tools.contract_diff.gate

contract-release: $(STAMP) ## Make the current contract the released copy (contracts/released/); commit it with the bump
	$(PY) -m tools.contract_diff.release

lint: $(STAMP) ## ruff check and ruff format --check on our code (llmgw_generated/ excluded)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP) ## mypy --strict on our packages; mypy on llmgw_generated/ (relaxed, see pyproject.toml)
	$(VENV)/bin/mypy --explicit-package-bases $(STRICT_DIRS)
	@if [ -f llmgw_generated/__init__.py ]; then echo "$(VENV)/bin/mypy llmgw_generated"; $(VENV)/bin/mypy llmgw_generated; \
	else echo "typecheck: llmgw_generated/ is empty, run make generate" >&2; exit 1; fi

# The tests run in PYTEST_WORKERS processes (pytest-xdist, --dist loadfile: a module's tests stay on one
# worker, so a module fixture starts its servers once). Most tests wait on real servers rather than the
# CPU, so 4 workers pay even on CI's 2 cores. PYTEST_ONE_PROCESS modules run after, in one process:
# schemathesis' tests share node ids, and xdist would run only the first of them (tests/conftest.py
# refuses such a collection under xdist). PYTEST_WORKERS=0 runs everything in one process. The slowest
# tests are listed at the end, to see where the time goes.
PYTEST_WORKERS ?= 4
PYTEST_ONE_PROCESS := tests/reference/test_schemathesis_sweep.py
PYTEST_XDIST := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile \
	$(foreach m,$(PYTEST_ONE_PROCESS),--ignore=$(m)))

pytest: $(STAMP) ## Run every test (PYTEST_WORKERS=4 processes; 0: in one process)
	$(PY) -m pytest $(PYTEST_XDIST) --durations=25 $(PYTEST_ARGS)
	$(if $(PYTEST_XDIST),$(PY) -m pytest $(PYTEST_ONE_PROCESS) $(PYTEST_ARGS))

# The HTML report test looks at the page as a reader does, in headless Chromium (Debian's package).
browser: ## Install headless Chromium with apt-get when it is missing (for the HTML report test)
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		{ echo "installing chromium (apt-get)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# test-clock stamps the start; the recipe records the wall time of a green run in reports/make-test.json
# (tools/make_test_clock.py), which `make bench` reports against the 15-minute goal.
test-clock: $(STAMP) ## Stamp the start of make test (its first step)
	@$(PY) -m tools.make_test_clock start

test: test-clock lint-contracts contract-gate fidelity check-generated lint typecheck browser pytest ## Everything CI runs (creates .venv first if missing)
	@$(PY) -m tools.make_test_clock stop

# API_KEY and RESTRICTED_API_KEY reach the suite through the environment (make exports command-line
# variables; the recipe hands them on as LLMGW_API_KEY / LLMGW_RESTRICTED_API_KEY), never as flags, so
# they are not echoed here or visible in the process list. The suite's exit code (0 passed, 1 a MUST
# failed, 2 usage error, 3 target unusable, 4 suite error, 130/143 interrupted) is printed, because
# make itself exits 2 whatever the failing recipe returned; CI that needs the code runs the CLI itself.
conformance: $(STAMP) ## Judge TARGET=url (default: embedded reference); PROFILE= CHECK= SEED= REPORT_DIR= MODEL= API_KEY=
	@LLMGW_API_KEY="$${LLMGW_API_KEY:-$${API_KEY:-}}" LLMGW_RESTRICTED_API_KEY="$${LLMGW_RESTRICTED_API_KEY:-$${RESTRICTED_API_KEY:-}}" \
	$(PY) -m llmgw_conformance run $(if $(TARGET),--target '$(TARGET)') $(if $(PROFILE),--profile '$(PROFILE)') \
		$(if $(CHECK),--check '$(CHECK)') $(if $(SEED),--seed '$(SEED)') \
		$(if $(REPORT_DIR),--report-dir '$(REPORT_DIR)') $(if $(MODEL),--model '$(MODEL)'); \
	code=$$?; [ $$code -eq 0 ] || echo "make conformance: the suite exited $$code (1 a MUST failed, 2 usage error, 3 target unusable, 4 suite error, 130/143 interrupted)" >&2; \
	exit $$code

serve: $(STAMP) ## Start the reference gateway and worker (HOST=127.0.0.1 PORT=8080 API_KEY=sk-local-dev)
	$(VENV)/bin/python -m llmgw_reference --host $(or $(HOST),127.0.0.1) --port $(or $(PORT),8080) --api-key $(or $(API_KEY),sk-local-dev)

bench: $(STAMP) ## Run the benchmarks (~5-10 min); summary table printed and written to reports/bench.json
	$(PY) -m tools.bench --out reports/bench.json

killmatrix: $(STAMP) ## Prove the suite: every fault of the reference killed, clean and hostile rows (reports/killmatrix.*)
	$(PY) -m tools.killmatrix

# Not part of `make test`: installs real engines into $LLMGW_MATRIX_ROOT (default /tmp/llmgw-matrix; the
# first llama.cpp build takes about 10 min on 2 cores), starts each on a free port, runs the suite on it.
# ONLY='llama-server transformers' picks rows; REUSE='llama-server=URL litellm=URL transformers=URL' judges
# servers already up; MODELS='transformers=/path' names the model a reused server serves.
matrix: $(STAMP) ## Engine compatibility matrix: judge real servers, write docs/compatibility.md (ONLY= REUSE= MODELS=)
	$(PY) -m tools.matrix $(foreach o,$(ONLY),--only '$(o)') $(foreach r,$(REUSE),--reuse-running '$(r)') \
		$(foreach m,$(MODELS),--model '$(m)')

clean: ## Remove build/ and tool caches (not .venv, not llmgw_generated/)
	rm -rf build .mypy_cache .ruff_cache .pytest_cache
