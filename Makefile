# `make run` starts the dashboard on the bundled data; `make test` runs every test.
# Both set up what they need on a fresh Debian machine first.
VENV := .venv
PYTHON := $(VENV)/bin/python
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
SYSTEM_PACKAGES := chromium fonts-noto-cjk nginx postgresql postgresql-postgis libreoffice-calc-nogui libreoffice-impress-nogui libreoffice-writer-nogui poppler-utils

.PHONY: run test test-fast lint system-packages serve-replicas

run: $(VENV)/.installed
	$(PYTHON) scripts/serving/serve.py

# An intranet server for many users: Debian's nginx at http://localhost:8501, caching the
# frontend's files, before several processes (`make serve-replicas REPLICAS=3`; default: one per core).
serve-replicas: $(VENV)/.installed
	@dpkg -s nginx >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx; }
	$(PYTHON) scripts/serving/serve_replicas.py $(if $(REPLICAS),--replicas $(REPLICAS))

# The tests that need no browser, no office suite and no load, two at a time (one per core).
FAST_TESTS := tests/unit tests/app

# The browser tests, two files at a time: each waits on a server and a browser as much as it
# works, so two share the two cores in half the time (7.5 min against 11).
BROWSER_TESTS := tests/browser

# Lint and format are checked first: a test run on code ruff refuses is not green. Then the
# fast tests side by side, the browser tests two files at a time, and the rest (the office
# suite's renderings, the benchmark and the load tests, which want the machine) one at a time.
test: lint system-packages
	$(PYTHON) -m pytest -n 2 $(FAST_TESTS)
	$(PYTHON) -m pytest -n 2 --dist loadfile $(BROWSER_TESTS)
	$(PYTHON) -m pytest $(addprefix --ignore=,$(FAST_TESTS) $(BROWSER_TESTS))

# The inner loop.
test-fast: $(VENV)/.dev-installed
	$(PYTHON) -m pytest -q -n 2 $(FAST_TESTS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy lib scripts

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt
	$(PYTHON) -m pip install --quiet --no-deps --editable .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Debian's Chromium drives the browser tests; the CJK fonts make Chinese readable in it;
# nginx stands in front of several dashboard processes (tests/perf/test_load.py); LibreOffice
# saves spreadsheets as staff's own office suite does and renders the exported deck and brief,
# whose pages poppler reads back (tests/libreoffice.py).
system-packages:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(SYSTEM_PACKAGES); }
