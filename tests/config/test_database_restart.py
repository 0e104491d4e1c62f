"""A PostgreSQL restart under a real gunicorn: the requests after it succeed.

Each gunicorn worker keeps its database connection between requests (CONN_MAX_AGE, 60 s); a
restart of the server cuts every one of them. With CONN_HEALTH_CHECKS on (config/settings.py)
the first query of a request on a kept connection is preceded by a check; a dead connection is
dropped and a new one opened, so no request fails. The control, with the checks off and one
worker, shows the failure they prevent: exactly the first request after the restart fails (its
query meets the dead connection; config/errors.py answers 503, a 500 before it; Django closes
the connection when the request ends), and the next one reconnects. With N workers that is up
to N failed requests, one per kept connection: the 5 of 12 seen before the checks were on.

This runs only inside the throwaway cluster of ``make test-postgres``, which it restarts.
gunicorn serves a database of its own, cloned from the migrated test database, with one user
signed in by a session; requests go over loopback to the session-authenticated
``/api/v1/campaigns/``, which reads the session, the user and the campaigns. The restart also
cuts this process's own connection, so every test here closes it afterwards: pytest-django's
flush after a transactional test, and the tests after these, open a fresh one.
"""

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections
from psycopg import sql

from devtools.throwaway_postgres import Cluster, free_port

CLUSTER = Cluster.from_env()
pytestmark = [
    pytest.mark.skipif(
        CLUSTER is None,
        reason="restarts the throwaway PostgreSQL cluster of `make test-postgres`; none here",
    ),
    # Not for the ORM: pytest-django makes the test database (cloned below) only for tests
    # marked as using it, and a restart would break the transaction of a non-transactional one.
    pytest.mark.django_db(transaction=True),
]
ROOT = Path(settings.BASE_DIR)
DATABASE = "levelcheck_restart"
URL = "/api/v1/campaigns/"
START_TIMEOUT = 60

# Run with the site's environment: one user, signed in; prints the session key.
SIGN_IN = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
user = get_user_model().objects.create_user("restart", first_name="花子", last_name="再起")
client = Client()
client.force_login(user)
print(client.cookies["sessionid"].value)
"""


def server():
    return psycopg.connect(replace(CLUSTER, database="postgres").url, autocommit=True)


def backends() -> set[int]:
    """The server processes of the connections open to the site's database."""
    with server() as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [DATABASE])
        return {pid for (pid,) in rows}


@pytest.fixture(scope="module")
def site(django_db_setup, tmp_path_factory):
    """The site's database (a clone of the migrated, empty test database), its environment
    and a signed-in session."""
    template = connection.settings_dict["NAME"]
    connections.close_all()  # a template database must have no open sessions
    with server() as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(DATABASE), sql.Identifier(template)
            )
        )
    # As an operator would start it: without what the browser tests set for their own process.
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **env,
        "DATABASE_URL": replace(CLUSTER, database=DATABASE).url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LEVELCHECK_ENV_FILE": "",
        "DEBUG": "0",
        "SECRET_KEY": "tests-only-restart-key",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "60",
        # Plain HTTP on loopback, as `make serve` runs it.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
    }
    signed_in = subprocess.run(
        [sys.executable, "-c", SIGN_IN], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert signed_in.returncode == 0, signed_in.stderr
    try:
        yield SimpleNamespace(env=env, session=signed_in.stdout.strip().splitlines()[-1])
    finally:
        with server() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE))
            )


@pytest.fixture(autouse=True)
def reconnect_afterwards():
    """The restart cut this process's connection too: drop it, the next test opens another."""
    yield
    connections.close_all()


class Gunicorn:
    def __init__(self, site, log: Path, *, workers: int, settings_module: str):
        self.site = site
        self.port = free_port()
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "config.wsgi:application",
                    f"--bind=127.0.0.1:{self.port}",
                    f"--workers={workers}",
                    "--graceful-timeout=5",
                    "--access-logfile=-",
                ],
                env={**site.env, "DJANGO_SETTINGS_MODULE": settings_module},
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.wait_until_serving()

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited ({self.process.returncode}):\n{self.log_text()}")
            try:
                self.get()
                return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"gunicorn did not answer within {START_TIMEOUT} s:\n{self.log_text()}")

    def get(self) -> int:
        """One signed-in API request on a new HTTP connection; its status."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(
                "GET",
                URL,
                headers={"Cookie": f"sessionid={self.site.session}", "Accept": "application/json"},
            )
            reply = conn.getresponse()
            body = reply.read()
        finally:
            conn.close()
        if reply.status == 200:
            assert json.loads(body) == []  # signed in (else 403), no campaigns of its own
        return reply.status

    def get_many(self, count: int, *, at_once: int = 1) -> list[int]:
        with ThreadPoolExecutor(at_once) as pool:
            return list(pool.map(lambda _: self.get(), range(count)))

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def gunicorn(site, tmp_path):
    started = []

    def start(*, workers: int, settings_module: str = "config.settings") -> Gunicorn:
        started.append(
            Gunicorn(
                site,
                tmp_path / f"gunicorn-{len(started)}.log",
                workers=workers,
                settings_module=settings_module,
            )
        )
        return started[-1]

    yield start
    for server_process in started:
        server_process.stop()


def test_requests_after_a_restart_succeed_on_kept_connections(gunicorn):
    app = gunicorn(workers=2)
    # Busy enough that both workers hold a connection (four clients at once, two workers).
    before = []
    for _ in range(20):
        before += app.get_many(8, at_once=4)
        if len(backends()) == 2:
            break
    kept = backends()
    assert len(kept) == 2, f"the two workers should each keep a connection: {kept}"
    assert set(before) == {200}

    CLUSTER.restart()
    assert not backends() & kept  # every kept connection was cut

    after = app.get_many(12) + app.get_many(8, at_once=4)
    assert after == [200] * 20, app.log_text()
    # New connections, kept again for the next requests.
    assert 1 <= len(backends()) <= 2


def test_without_health_checks_the_first_request_after_a_restart_fails(gunicorn):
    app = gunicorn(workers=1, settings_module="tests.config.settings_without_health_checks")
    assert app.get_many(3) == [200, 200, 200]
    assert len(backends()) == 1

    CLUSTER.restart()

    # A lost connection is a 503 with Retry-After (config/errors.py), not a 500.
    assert app.get_many(6) == [503, 200, 200, 200, 200, 200]
    assert "OperationalError" in app.log_text()
