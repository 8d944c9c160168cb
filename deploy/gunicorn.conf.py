"""gunicorn's configuration for Liuhen in production (`gunicorn -c deploy/gunicorn.conf.py liuhen.wsgi`).

Everything an agency changes comes from the environment (deploy/liuhen.env.example):
LIUHEN_WORKERS   worker processes (default: 2 × cores + 1)
LIUHEN_BIND      address to listen on (default 127.0.0.1:8000; TLS is the proxy's, LIUHEN_HTTPS=1)
LIUHEN_TIMEOUT   seconds a request may take before its worker is restarted (default 120: a large
                 court-copy package or an archive export is streamed, but a document is rendered
                 in the request)

Sync workers (WSGI): Liuhen's body limits refuse an over-long upload while it streams
(liuhen/web/middleware.py) — an ASGI server would spool the body first. Static files are served by
WhiteNoise from inside the workers (settings.py), so no separate static directory is needed.
"""
import multiprocessing
import os

bind = os.environ.get("LIUHEN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("LIUHEN_WORKERS", "") or 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"
timeout = int(os.environ.get("LIUHEN_TIMEOUT", "") or 120)
graceful_timeout = 30
# A worker is replaced after this many requests, so that a slow leak in a library costs nothing. The
# jitter is half of it: workers started together serve at the same pace, and with a jitter of 10 %
# (2 000 ± 200) all four restarted within the same two seconds under load — each importing Django for
# seconds while nobody answered: p95 of the cached portal page 4.9 s (bench/load.py, 2026-12-03).
max_requests = 20000
max_requests_jitter = 10000
# The application is loaded in each worker after the fork: no database connection or S3 client is
# shared between processes.
preload_app = False
# Headers from the TLS proxy on this machine only (X-Forwarded-Proto: settings.LIUHEN_HTTPS).
forwarded_allow_ips = os.environ.get("LIUHEN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# One line per request on stdout (the journal under systemd); errors on stderr.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LIUHEN_LOG_LEVEL", "info")
# Requests whose request line or headers are absurdly long are refused before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
