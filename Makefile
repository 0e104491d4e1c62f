# LevelCheck — the two commands of the README's Quick start are `make run` and `make test`.
# Both create .venv, install what they need and are safe to run again.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEFAULT_FRAMEWORK := maturity/frameworks/customer-engagement.yaml
# Every shipped framework, the default first (devtools/serve.py imports the same list).
FRAMEWORKS := $(DEFAULT_FRAMEWORK) $(filter-out $(DEFAULT_FRAMEWORK),$(sort $(wildcard maturity/frameworks/*.yaml)))
# Each framework's interview kit (maturity/interview_kit.py), imported after the frameworks.
INTERVIEW_KITS := $(sort $(wildcard maturity/frameworks/interview/*.interview.yaml))

.PHONY: run serve test install install-test fonts pdf-tools browser messages-compile messages lint format migrate seed demo bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Charts and PDF reports embed IPAex Gothic (IPA Font License) from Debian.
IPAEX := /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf
fonts:
	@test -f $(IPAEX) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-ipaexfont-gothic >/dev/null; }

# Report tests read PDFs back with poppler's pdftotext.
pdf-tools:
	@command -v pdftotext >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }

# Browser tests drive Debian's chromium through Playwright (no browser download).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-ipaexfont-gothic >/dev/null; }

# Translations are compiled from locale/*/LC_MESSAGES/django.po with GNU gettext.
messages-compile:
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }
	@DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v0

# For developers: refresh the catalogs after changing UI strings.
messages: install
	DEBUG=1 $(PY) manage.py makemessages -l ja -l en --ignore=.venv --ignore=var --no-obsolete

# Development settings (DEBUG=1, a generated SECRET_KEY), written once, git-ignored.
.env: | $(PY)
	$(PY) devtools/envfile.py

migrate: install messages-compile fonts .env
	$(PY) manage.py migrate --no-input -v0

seed: migrate
	$(foreach file,$(FRAMEWORKS),$(PY) manage.py import_framework $(file) --skip-existing &&) true
	$(PY) manage.py import_modules --skip-existing
	$(foreach file,$(INTERVIEW_KITS),$(PY) manage.py import_interview_kit $(file) &&) true

demo: seed
	$(PY) manage.py setup_demo

# The report worker runs beside the dev server and is stopped (by its pid) when the server
# stops, however it stops; its autoreloader takes its child process down with it.
run: demo
	@echo ""
	@echo "LevelCheck is starting on http://$(HOST):$(PORT)/ (with the report worker)"
	@echo ""
	@$(PY) manage.py report_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production stack locally: gunicorn + the report worker, DEBUG off, collectstatic and
# migrate first, against DATABASE_URL (the SQLite file by default). Ctrl-C stops both.
serve: install messages-compile fonts .env
	$(PY) devtools/serve.py

test: install-test messages-compile fonts pdf-tools browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	LEVELCHECK_ENV_FILE= SECRET_KEY=tests-only-insecure-key $(BIN)/pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL: a throwaway cluster (Debian's postgresql installed when
# missing) on a free loopback port, removed afterwards, also on failure or Ctrl-C.
.PHONY: test-postgres
test-postgres: install-test messages-compile fonts pdf-tools browser
	LEVELCHECK_ENV_FILE= SECRET_KEY=tests-only-insecure-key \
	  $(PY) -m devtools.throwaway_postgres -- $(BIN)/pytest $(PYTEST_ARGS)

# The suite's schemathesis test (tests/config/test_api_fuzz.py), longer: every demo role and
# an anonymous client, more examples per operation; it prints cases, statuses and failures.
FUZZ_EXAMPLES ?= 100
FUZZ_ROLES ?= sato,tanaka,takahashi,ito,watanabe,nakamura,kimura,anonymous
FUZZ_SEED ?= 20261124
.PHONY: fuzz
fuzz: install-test messages-compile fonts
	LEVELCHECK_ENV_FILE= SECRET_KEY=tests-only-insecure-key LEVELCHECK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	  LEVELCHECK_FUZZ_ROLES=$(FUZZ_ROLES) LEVELCHECK_FUZZ_SEED=$(FUZZ_SEED) \
	  $(BIN)/pytest tests/config/test_api_fuzz.py $(PYTEST_ARGS)

# Benchmarks print figures; they start PostgreSQL and gunicorn themselves.
bench: install-test messages-compile fonts
	$(PY) bench/autosave.py
	$(PY) bench/scoring.py
	$(PY) bench/report.py
	$(PY) bench/load.py
	$(PY) bench/framework_import.py

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var/*.sqlite3 var/static
