"""Settings for the HTTP benchmarks (autosave, load): production-like (DEBUG off) on plain
HTTP over loopback.

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

# The bench talks plain HTTP to 127.0.0.1, so cookies must not be HTTPS-only and nothing may
# redirect to HTTPS.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0

# No collectstatic for a throwaway run: plain static storage needs no manifest to render the
# login page (the benchmarks measure the API, not static files).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    **getattr(_base, "STORAGES", {}),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Per-request logging would cost as much as a save; keep warnings and errors only.
LOGGING = {**_base.LOGGING, "root": {**_base.LOGGING["root"], "level": "WARNING"}}

# The load benchmark logs 200 managers in through the real login form in a few seconds. With
# the default PBKDF2 (a million iterations, ~0.5 s of CPU each) that alone would take minutes
# on two cores; logging in is not what the benchmarks measure. Set before any user is created,
# so every bench user's password is hashed (and checked) with the fast hasher.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Those 200 logins all come from 127.0.0.1: a per-IP login lockout or throttle (django-axes)
# must not refuse them. The autosave requests the benchmarks measure do not go through it.
AXES_ENABLED = False
