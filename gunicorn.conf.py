"""gunicorn settings for Groundswell; every value can be overridden from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threads (the gthread worker) by default: its heartbeat does not wait for a request, so
# a long streamed export is not killed at `timeout`, and database waits overlap.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
# "-" is standard output; empty switches the access log off (a surge writes a line per request).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
