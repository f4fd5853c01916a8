# Two commands matter (README): `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run dev test install messages pdf-deps lint format migrations-check browser-deps worker bench seed

install: $(VENV)/.synced messages pdf-deps

$(VENV)/.synced: pyproject.toml uv.lock
	@test -x $(PY) || $$(scripts/find-python) -m venv $(VENV)
	@$(VENV)/bin/python -m pip install -q --disable-pip-version-check uv==0.13.9
	$(VENV)/bin/uv sync --locked --python $(PY) --quiet
	@touch $@

# Translations are compiled from the .po files in the tree (gettext's msgfmt).
messages:
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	@for po in $$(find src -name django.po); do msgfmt --check -o "$${po%.po}.mo" "$$po" || exit 1; done

# WeasyPrint's system libraries (Pango with libthai, HarfBuzz's subsetter) for the signed PDFs.
pdf-deps:
	@scripts/install-pdf-deps

# As production serves (DEBUG off, gunicorn, whitenoise), with the sandbox on plain HTTP.
run: install
	SANDBOX=1 DEBUG=0 scripts/run-portal $(PORT)

# Django's debug server with DEBUG on, for development.
dev: install
	SANDBOX=1 DEBUG=1 scripts/run-portal --dev $(PORT)

test: install browser-deps
	scripts/run-tests

browser-deps:
	@scripts/install-browser-deps

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

migrations-check: install
	SANDBOX=1 $(PY) manage.py makemigrations --check --dry-run

worker: install
	SANDBOX=1 $(PY) manage.py db_worker

bench: install
	scripts/run-bench
