"""``make serve``'s script (devtools/serve.py) as an operator meets it: it prepares the
database and static files, serves pages with DEBUG off through gunicorn, restarts the report
worker when it dies, and Ctrl-C (SIGINT to the process group) stops every process."""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> dict[int, str]:
    """Every live descendant of ``pid`` with its command line, read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                try:
                    cmdline = (Path("/proc") / str(child) / "cmdline").read_bytes()
                except OSError:
                    continue
                found[child] = cmdline.replace(b"\0", b" ").decode()
                frontier.append(child)
    return found


def wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"not within {seconds} s: {what}")


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Accept-Language": "en"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_make_serve_serves_restarts_the_worker_and_stops_everything_on_ctrl_c(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not key.startswith("LEVELCHECK_")
    }
    env.update(
        LEVELCHECK_ENV_FILE="",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PORT=str(port),
        GUNICORN_ACCESS_LOG="",
    )
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed below
    serve = subprocess.Popen(
        [sys.executable, "devtools/serve.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal gives `make serve`
    )
    try:

        def page():
            assert serve.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                return get(port, "/accounts/login/")
            except OSError:
                return None

        status, body = wait_for(page, 120, "the login page under gunicorn")
        assert status == 200
        assert b"/static/css/levelcheck." in body  # a hashed name: DEBUG is off
        assert get(port, "/campaigns/")[0] == 302  # to the login, not an HTTPS redirect

        def worker_pids():
            return [
                pid for pid, cmd in children(serve.pid).items() if "manage.py report_worker" in cmd
            ]

        [worker] = wait_for(worker_pids, 30, "the report worker")
        os.kill(worker, signal.SIGKILL)
        [restarted] = wait_for(
            lambda: [pid for pid in worker_pids() if pid != worker], 30, "a new worker"
        )
        assert restarted != worker

        running = children(serve.pid)
        assert any("gunicorn" in cmd for cmd in running.values())
        os.killpg(serve.pid, signal.SIGINT)  # Ctrl-C in the terminal
        assert serve.wait(timeout=60) == 0
        wait_for(
            lambda: not any(Path(f"/proc/{pid}").exists() for pid in running),
            30,
            "every process of make serve stopped",
        )
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "restarting it" in output
    assert "stopping gunicorn and the report worker" in output
