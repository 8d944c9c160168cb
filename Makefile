# Liuhen — the two commands: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
LIUHEN := $(VENV)/bin/liuhen
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run demo test test-sqlite test-postgres bench bench-verify bench-ingest bench-check bench-documents bench-archive bench-load screenshots clean prod-up prod-down

setup:
	@scripts/bootstrap.sh

# Set up, create the database, load demo data (once) and serve on http://127.0.0.1:8000
run: setup
	$(LIUHEN) migrate --no-input
	$(LIUHEN) demo
	@# the integrator signs checkpoints in the background while the server runs
	$(LIUHEN) integrator & trap 'kill $$!' EXIT; $(LIUHEN) runserver $(HOST):$(PORT)

demo: setup
	$(LIUHEN) migrate --no-input
	$(LIUHEN) demo

# The whole suite on SQLite, then again on a throw-away PostgreSQL cluster.
test: setup
	@scripts/test.sh

test-sqlite: setup
	$(VENV)/bin/pytest -n $${LIUHEN_TEST_WORKERS:-4} --dist loadscope

test-postgres: setup
	@scripts/with-postgres.sh $(VENV)/bin/pytest -n $${LIUHEN_TEST_WORKERS:-4} --dist loadscope -m "not browser and not pages_only"

# Benchmarks (figures in the README): the ledger against pymerkle.
bench: setup
	$(VENV)/bin/pip install -q -e '.[bench]' -c constraints.txt
	$(VENV)/bin/python bench/ledger.py

# `liuhen verify` with its domain checks, on realistic cases built through the services.
bench-verify: setup
	$(VENV)/bin/python bench/verify.py

# The findings engine (`liuhen check`): 100 000 generated cases × 20 records on SQLite, the full
# scan against the per-case ORM loop, and the incremental re-check (`bench/check.py --quick`: 5 000).
bench-check: setup
	$(VENV)/bin/python bench/check.py

# Footage ingest against cp + sha256sum, its peak RSS on a 4 GiB file, and the S3 store against
# boto3 (a SeaweedFS on loopback); needs ffmpeg and about 15 GB free in the temporary directory.
bench-ingest: setup
	$(VENV)/bin/python bench/ingest.py

# A one-page document rendered alone, rendered and sealed (PAdES), as DOCX, and issued
# (`bench/documents.py --quick`: three of each).
bench-documents: setup
	$(VENV)/bin/python bench/documents.py

# The archival package: export + 四性检测 of 20 documents and 2 GiB of footage against bagit's
# make_bag + validate (`bench/archive.py --quick`: 6 documents, 100 MiB).
bench-archive: setup
	$(VENV)/bin/python bench/archive.py

# The three pages (case, record, public portal) under wrk on the production stack, demo data grown to
# 3 000 cases (`bench/load.py --quick`: 80 cases, 5 s per run); installs wrk with apt-get when missing.
bench-load: setup
	$(VENV)/bin/python bench/load.py

# The production stack on this one machine, for tests (deploy/, README "Production"): PostgreSQL,
# SeaweedFS (S3), migrate, the integrator and gunicorn with 4 workers on http://127.0.0.1:8100
# (PROD_PORT, PROD_WORKERS, PROD_DIR, PROD_DEMO=1 for the demo data). `make prod-down` stops it.
prod-up: setup
	@scripts/prod-up.sh

prod-down:
	@scripts/prod-down.sh

# Refresh the README's screenshots from a browser-test run.
screenshots: setup
	LIUHEN_UPDATE_SCREENSHOTS=1 $(VENV)/bin/pytest -q -m browser

clean:
	rm -rf $(VENV) var
