"""gunicorn settings for LevelCheck: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

Every knob comes from the environment (the README's Configuration table). gthread workers
keep browsers' keep-alive connections cheap; autosave requests are short and the database
does the waiting.
"""

import multiprocessing
import os

bind = os.environ.get(
    "GUNICORN_BIND", f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
)
workers = int(os.environ.get("WEB_CONCURRENCY", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows for weeks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Only these addresses may set X-Forwarded-* (the load balancer); loopback by default.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# "-" is standard output; an empty value turns the access log off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
wsgi_app = "config.wsgi:application"
# No gunicornc control socket: its default path is per user, so several gunicorns on one
# machine (app instances, tests, benchmarks) would take it from each other; systemd and
# signals manage the process instead.
control_socket_disable = True
