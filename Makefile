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

## make demo: install, migrate, load the seed demo data, run server and worker (manage.py
## up starts either again if it exits).
demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) import_districts groundswell/districts/data/chicago-wards-2023.geojson \
	  --set chicago-wards-2023 --name "Chicago wards (2023–)" --valid-from 2023-05-15
	$(MANAGE) load_demo
	@echo "Starting Groundswell on http://127.0.0.1:$(PORT) (Ctrl+C stops server and worker)"
	@WEB_BIND=127.0.0.1:$(PORT) $(MANAGE) up

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

## Regenerate every language's translation catalog (needs GNU gettext: apt-get install
## gettext), compile them, and print how complete each is (docs/translating.md).
MESSAGE_IGNORES := --ignore=.venv --ignore=var --ignore=tests --ignore=benchmarks --ignore=docs

messages: install
	$(MANAGE) makemessages --all --no-location --no-obsolete $(MESSAGE_IGNORES)
	$(MANAGE) compilemessages $(MESSAGE_IGNORES)
	$(MANAGE) translation_coverage

clean:
	rm -rf $(VENV) $(TOOLS)

## make bench-intake: the signing-surge benchmark on the production app server
## (manage.py serve, granian) and the worker on PostgreSQL, wrk load from 127.0.0.1, a
## bare uvicorn + asyncpg baseline, kill -9 durability; see docs/benchmarks.md. Needs
## PostgreSQL (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432) and Redis
## (BENCH_REDIS_URL); installs Debian's wrk when missing. BENCH_ARGS passes options,
## e.g. make bench-intake BENCH_ARGS="--workers 4 --duration 30", or "--profile" to see
## where one app process spends its time (py-spy).
.PHONY: bench bench-intake
bench-intake: install
	$(UV) sync --frozen --group bench
	@command -v wrk >/dev/null 2>&1 || { echo "== installing Debian's wrk"; \
	  apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(PY) benchmarks/intake.py $(BENCH_ARGS)

## make bench: every benchmark. Each one adds itself as a prerequisite, as bench-scale
## (the 1,000,000-signature petition) does below.
bench: bench-intake

## make bench-scale (scale benchmarks): one petition with 1,000,000 signatures on
## PostgreSQL, database bench_scale (BENCH_SCALE_DATABASE_URL changes it). Generates it
## with COPY unless it is already there (FORCE=1 regenerates, BENCH_SCALE_SIGNATURES=N
## another size), then times the public page, count.json, <slug>.json, the dashboard and
## its counts, the CSV export (test client and manage.py serve), and the verification-email
## drain through the real worker to a local SMTP server; prints figures against targets
## and writes benchmarks/results/scale-<timestamp>.json. BENCH_SCALE_ARGS passes options
## to benchmarks/scale.py, e.g. BENCH_SCALE_ARGS="--no-email --iterations 50".
.PHONY: bench-scale
BENCH_SCALE_SIGNATURES ?= 1000000
bench-scale: install
	$(PY) benchmarks/generate_petition.py --signatures $(BENCH_SCALE_SIGNATURES) \
	  $(if $(filter-out 0 no false,$(FORCE)),--force)
	$(PY) benchmarks/scale.py $(BENCH_SCALE_ARGS)
bench: bench-scale

## make bench-people: searching 1,000,000 supporters (people.search, the first page of
## /manage/<org>/people/) on PostgreSQL, database bench_people
## (BENCH_PEOPLE_DATABASE_URL changes it). Generates it with COPY unless it is already
## there (FORCE=1 regenerates); prints p50/p99 per query against the 200 ms target.
## BENCH_PEOPLE_ARGS passes options, e.g. BENCH_PEOPLE_ARGS="--runs 50".
.PHONY: bench-people
bench-people: install
	$(PY) benchmarks/people_search.py $(if $(filter-out 0 no false,$(FORCE)),--force) \
	  $(BENCH_PEOPLE_ARGS)

## make bench-import: a 100,000-row CSV import of supporters on PostgreSQL, then the same
## file again (every row unchanged), database bench_import (BENCH_IMPORT_DATABASE_URL
## changes it; recreated each run); prints rows/s, seconds and peak memory against the
## 60 s target. BENCH_IMPORT_ARGS passes options, e.g. BENCH_IMPORT_ARGS="--rows 20000".
.PHONY: bench-import
bench-import: install
	$(PY) benchmarks/people_import.py $(BENCH_IMPORT_ARGS)

## make bench-chaos: ten minutes of signing, confirming, updates and CSV imports while the
## worker and app processes are killed with SIGKILL at random, PostgreSQL is restarted
## once and Redis stopped for 30 s; then it checks that no acknowledged signature was
## lost, no email sent twice or never, no task stuck, and how long /healthz took to
## notice each fault. It starts its own PostgreSQL cluster (initdb under
## var/bench-chaos/), redis-server and SMTP sink on free ports, so it needs Debian's
## postgresql and redis-server packages but no running servers. Exits 1 when a figure
## that must be 0 is not. BENCH_CHAOS_ARGS passes options to benchmarks/chaos.py, e.g.
## BENCH_CHAOS_ARGS="--duration 120 --seed 7".
.PHONY: bench-chaos
bench-chaos: install
	$(PY) benchmarks/chaos.py $(BENCH_CHAOS_ARGS)
bench: bench-chaos

## make bench-sqlite: a signing surge on the embedded default, as `make demo` runs it
## (SQLite under var/bench-sqlite/, manage.py serve and worker, wrk signers from
## 127.0.0.1); prints signatures/s, sign p50/p99, 503s, lost signatures and confirmations.
## BENCH_SQLITE_ARGS passes options, e.g. BENCH_SQLITE_ARGS="--signers 32 --duration 30".
.PHONY: bench-sqlite
bench-sqlite: install
	@command -v wrk >/dev/null 2>&1 || { echo "== installing Debian's wrk"; \
	  apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(PY) benchmarks/sqlite_surge.py $(BENCH_SQLITE_ARGS)
bench: bench-sqlite

## make bench-locate: point-in-polygon lookups (groundswell.districts.locate) of 100,000
## random points over Chicago's bounding box on the 50 wards, one at a time and in one
## batch; prints points/s, p50/p99 per lookup and memory. Uses a throwaway SQLite
## database under var/. BENCH_LOCATE_ARGS passes options, e.g. "--points 20000".
.PHONY: bench-locate
bench-locate: install
	$(PY) benchmarks/locate.py $(BENCH_LOCATE_ARGS)
bench: bench-locate

## make bench-wards: the worker assigning wards to 1,000,000 signatures on PostgreSQL
## (groundswell.districts.assignment through petitions.wards: points located in batches,
## ZIP codes to their low-precision point, each batch written with its counts by ward),
## database bench_wards (BENCH_WARDS_DATABASE_URL changes it; recreated each run, rows
## loaded with COPY); prints rows/s, seconds and peak memory, and checks the counts by
## ward against the signatures. BENCH_WARDS_ARGS passes options, e.g.
## BENCH_WARDS_ARGS="--signatures 100000".
.PHONY: bench-wards
bench-wards: install
	$(PY) benchmarks/wards.py $(BENCH_WARDS_ARGS)
bench: bench-wards

## make bench-packets: a petition's delivery packets (petitions.actions.write_packet: the
## signer list as CSV, its SHA-256, the PDF with the ward map and every signer listed) for
## the Mayor (50,000 verified signers) and one alderperson (their ward's), on a throwaway
## SQLite database under var/; prints seconds, signers/s, pages, sizes and peak memory.
## BENCH_PACKETS_ARGS passes options, e.g. BENCH_PACKETS_ARGS="--signatures 5000".
.PHONY: bench-packets
bench-packets: install
	$(PY) benchmarks/packets.py $(BENCH_PACKETS_ARGS)
bench: bench-packets

## make bench-form-position: where the sign form sits on a 360 × 800 phone screen, on
## both seed petitions of the demo (load_demo, kept under var/bench-form-position/), in
## English and Spanish; prints the page's height and the form's distance from the top in
## px. Needs Debian's chromium.
.PHONY: bench-form-position
bench-form-position: install
	$(PY) benchmarks/form_position.py $(BENCH_FORM_POSITION_ARGS)
bench: bench-form-position

## make bench-mailings: one mailing to 100,000 supporters (a throwaway SQLite database
## under var/bench-mailings/) sent by the real worker to a local SMTP server (aiosmtpd);
## prints messages/s (target >= 500) and the worker's peak memory.
## BENCH_MAILINGS_ARGS passes options, e.g. BENCH_MAILINGS_ARGS="--recipients 5000".
.PHONY: bench-mailings
bench-mailings: install
	$(PY) benchmarks/mailings.py $(BENCH_MAILINGS_ARGS)
bench: bench-mailings

## make bench-texts: one text to 20,000 supporters (a throwaway SQLite database under
## var/bench-texts/): the preview's exact count, fixing the recipients, and sending them
## all with the real clock job to a local Twilio-shaped HTTP server; prints seconds,
## texts/s and peak memory. BENCH_TEXTS_ARGS passes options, e.g. "--recipients 5000".
.PHONY: bench-texts
bench-texts: install
	$(PY) benchmarks/texts.py $(BENCH_TEXTS_ARGS)
bench: bench-texts

## make bench-canvass: canvassing on PostgreSQL (database bench_canvass, recreated each
## run; BENCH_CANVASS_DATABASE_URL changes it): cutting 50,000 doors into 200 turfs (the
## cutting alone and the whole action), how much shorter a route is than nearest-neighbour
## order, and 200 phones uploading their turf's visits at once to `manage.py serve`, then
## replaying them; prints visits/s acknowledged and checks each visit is stored once.
## BENCH_CANVASS_ARGS passes options, e.g. BENCH_CANVASS_ARGS="--doors 5000 --phones 50".
.PHONY: bench-canvass
bench-canvass: install
	$(PY) benchmarks/canvass.py $(BENCH_CANVASS_ARGS)
bench: bench-canvass

## make bench-research: importing 1,000,000 ISBE campaign-finance receipts on PostgreSQL
## (database bench_research, recreated each run; BENCH_RESEARCH_DATABASE_URL changes it),
## then the same file again; prints rows/s, seconds and peak memory.
## BENCH_RESEARCH_ARGS passes options, e.g. BENCH_RESEARCH_ARGS="--rows 100000 --proposals".
.PHONY: bench-research
bench-research: install
	$(PY) benchmarks/research.py $(BENCH_RESEARCH_ARGS)
