"""Settings for the autosave benchmark: production-like (DEBUG off) on plain HTTP over loopback.

Everything comes from ``config.settings``; only what a throwaway local run needs differs.
"""

import os

# config.settings refuses to load without a secret key when DEBUG is off.
BENCH_SECRET_KEY = "levelcheck-bench-only-not-a-secret"
os.environ.setdefault("SECRET_KEY", BENCH_SECRET_KEY)

from config import settings as _base  # noqa: E402
from config.settings import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = BENCH_SECRET_KEY
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ROOT_URLCONF = "bench.urls"

# The bench talks plain HTTP to 127.0.0.1, so cookies must not be HTTPS-only.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Per-request logging would cost as much as a save; keep warnings and errors only.
LOGGING = {**_base.LOGGING, "root": {**_base.LOGGING["root"], "level": "WARNING"}}
