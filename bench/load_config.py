"""The load benchmark's knobs (environment variables, see bench/README.md) and constants,
read once by every bench/load_*.py module."""

import os

MANAGERS = int(os.environ.get("BENCH_LOAD_MANAGERS", "200"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_LOAD_THREADS", "4"))
THINK_S = float(os.environ.get("BENCH_LOAD_THINK_MS", "200")) / 1000
CHANGE_MIND = float(os.environ.get("BENCH_LOAD_CHANGE", "0.25"))
WARM_S = float(os.environ.get("BENCH_LOAD_WARM_S", "5"))
PHASE_S = float(os.environ.get("BENCH_LOAD_PHASE_S", "15"))
SETTLE_S = float(os.environ.get("BENCH_LOAD_SETTLE_S", "5"))
MAX_SAVES = int(os.environ.get("BENCH_LOAD_MAX_SAVES", "1000"))
TIME_LIMIT_S = float(os.environ.get("BENCH_LOAD_TIME_LIMIT", "300"))
CLIENT_TIMEOUT_S = float(os.environ.get("BENCH_LOAD_CLIENT_TIMEOUT", "30"))
BACKOFF_S = float(os.environ.get("BENCH_LOAD_BACKOFF_MS", "1000")) / 1000
BACKOFF_MAX_S = float(os.environ.get("BENCH_LOAD_BACKOFF_MAX_MS", "8000")) / 1000

DB_NAME = "levelcheck_load"
PASSWORD = "load-bench-password"
FRAMEWORK_FILE = "maturity/frameworks/customer-engagement.yaml"
FUNCTIONS = ["marketing", "sales", "inside_sales", "customer_success"]
API_PATH = "/api/v1/responses/{pk}/answers/{qid}/"
BARE_PATH = "/bench/bare/"
# gunicorn closes a keep-alive connection idle for 5 s (--keep-alive=5); a client idle for
# longer (backing off) opens a new one rather than race that close.
IDLE_REUSE_S = 4.0
