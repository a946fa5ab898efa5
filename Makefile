# Landkarte — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
OUT ?= out/demo
# Python 3.12 through pyenv (pinned by .python-version); fall back to a python3.12 on PATH.
PYTHON312 := $(shell pyenv which python3.12 2>/dev/null || command -v python3.12)

.PHONY: venv demo test test-unit bench lint system netbox testhosts clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON312)" || { echo "Python 3.12 not found: install it with pyenv (pyenv install 3.12) and retry."; exit 1; }
	$(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed

demo: venv
	@bash scripts/demo.sh "$(OUT)"

# System packages and real components (NetBox, SSH target hosts, Chromium) come from scripts/setup-system.sh.
system:
	@bash scripts/setup-system.sh

test: venv system
	$(PY) -m pytest -q

test-unit: venv
	$(PY) -m pytest -q -m "not integration"

bench: venv
	$(PY) -m benchmarks

lint: venv
	$(VENV)/bin/ruff check .

# A local NetBox 4.7 for development (installed once, then started; `scripts/netbox.sh env` prints the URL).
netbox:
	bash scripts/netbox.sh install
	bash scripts/netbox.sh start

# The golden Debian image for the SSH target hosts of the Ansible integration test.
testhosts:
	bash scripts/testhosts.sh build

clean:
	rm -rf $(VENV) out .pytest_cache
