# Groundswell: the verbs everyone needs. Needs only python3 (3.11+), make and git.
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := var/tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000
export PORT
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install demo run worker test test-fast test-browser lint typecheck migrations-check \
        messages clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.installed

## make demo: install, migrate, load the seed demo data, run server and worker.
demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) load_demo
	@echo "Starting Groundswell on http://127.0.0.1:$(PORT) (Ctrl+C stops server and worker)"
	@$(MANAGE) worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(VENV)/bin/gunicorn groundswell.wsgi --config gunicorn.conf.py --bind 127.0.0.1:$(PORT)

run: install
	$(MANAGE) runserver 127.0.0.1:$(PORT)

worker: install
	$(MANAGE) worker

## make test: lint, types, migrations check, then the whole suite (browser tests
## run where Debian's chromium is installed).
test: install lint typecheck migrations-check
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not browser"

test-browser: install
	$(PY) -m pytest -q -m browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy groundswell

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

## Regenerate translation catalogs (needs GNU gettext: apt-get install gettext).
MESSAGE_IGNORES := --ignore=.venv --ignore=var --ignore=tests --ignore=benchmarks --ignore=docs

messages: install
	$(MANAGE) makemessages -l es --no-location --no-obsolete $(MESSAGE_IGNORES)
	$(MANAGE) compilemessages -l es $(MESSAGE_IGNORES)

clean:
	rm -rf $(VENV) $(TOOLS)
