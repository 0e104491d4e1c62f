"""What the HTTP benchmarks share: the environment of their Django processes, gunicorn on a
loopback port, logging in through the real login form, percentiles and CPU counters.

Used by bench/autosave.py and bench/load.py; the PostgreSQL side is
devtools/throwaway_postgres.py.
"""

import glob
import http.client
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from devtools.throwaway_postgres import free_port  # noqa: F401 - part of the harness API

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT_S = 60


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def run(cmd: list[str], **kwargs) -> str:
    """Run a setup command; on failure show its output, since it is otherwise swallowed."""
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        sys.stdout.write(done.stdout + done.stderr)
        raise RuntimeError(f"command failed ({done.returncode}): {' '.join(cmd)}")
    return done.stdout


def bench_env(database_url: str) -> dict[str, str]:
    """The environment of every Django process of a benchmark (manage.py, gunicorn, this
    one): bench.settings decides, so neither the developer's .env (DEBUG=1 and its own
    SECRET_KEY) nor an exported DEBUG leaks in."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "LEVELCHECK_ENV_FILE": "",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("DEBUG", None)
    return env


def use_env_here(env: dict[str, str]) -> None:
    """Make this process's own django.setup() see the same settings as its children."""
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "LEVELCHECK_ENV_FILE"):
        os.environ[name] = env[name]
    os.environ.pop("DEBUG", None)


# ---------------------------------------------------------------- gunicorn


class Gunicorn:
    """gunicorn serving ``config.wsgi`` with gthread workers (so clients keep their
    connections alive) on one loopback port, which stays the same across restarts."""

    def __init__(self, env: dict, workdir: Path, *, workers: int, threads: int) -> None:
        self.env, self.workers, self.threads = env, workers, threads
        self.port = free_port()
        self.logfile = workdir / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self) -> None:
        """Start and return once the login page answers 200."""
        cmd = [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            "--worker-class=gthread",
            f"--threads={self.threads}",
            "--keep-alive=5",
            "--log-level=warning",
            f"--chdir={ROOT}",
        ]
        log(
            f"gunicorn: {self.workers} workers × {self.threads} threads (gthread) "
            f"on 127.0.0.1:{self.port}"
        )
        with open(self.logfile, "a") as out:  # the child keeps its own descriptor
            # Its own process group, so that kill() takes the workers down with the master.
            self.process = subprocess.Popen(
                cmd,
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            if self.process.poll() is not None:  # e.g. the port was taken meanwhile
                raise RuntimeError("gunicorn exited:\n" + self.log_text()[-3000:])
            if self._answers():
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within {READY_TIMEOUT_S} s")
            time.sleep(0.2)

    def _answers(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                conn.request("GET", "/accounts/login/")
                return conn.getresponse().status == 200
            finally:
                conn.close()
        except (OSError, http.client.HTTPException):
            return False

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, as a crash would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """Graceful stop (in-flight requests finish), killed after 30 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_text(self) -> str:
        return self.logfile.read_text(errors="replace") if self.logfile.exists() else ""


@contextmanager
def gunicorn(env: dict, workdir: Path, *, workers: int, threads: int) -> Iterator[Gunicorn]:
    """A started gunicorn, stopped afterwards whatever happened; its log (warnings and
    errors only) is shown when not empty."""
    server = Gunicorn(env, workdir, workers=workers, threads=threads)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        errors = server.log_text().strip()
        if errors:
            log("gunicorn log:\n" + errors[-3000:])


# ---------------------------------------------------------------- clients


def login(port: int, username: str, password: str, *, timeout: float = 30) -> dict[str, str]:
    """Log in through the real login form (GET for the CSRF token, then POST); returns the
    session and CSRF cookies."""
    cookies = SimpleCookie()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/accounts/login/")
        reply = conn.getresponse()
        page = reply.read().decode()
        for header in reply.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if reply.status != 200 or token is None or "csrftoken" not in cookies:
            raise RuntimeError(f"login page for {username}: HTTP {reply.status}, no CSRF token")
        body = urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "username": username,
                "password": password,
                "next": "/",
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken'].value}",
        }
        conn.request("POST", "/accounts/login/", body=body, headers=headers)
        reply = conn.getresponse()
        reply.read()
        for header in reply.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    finally:
        conn.close()
    if reply.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login as {username} failed (HTTP {reply.status})")
    return {name: morsel.value for name, morsel in cookies.items()}


def percentile_ms(seconds: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of durations in seconds, in milliseconds."""
    if not seconds:
        return float("nan")
    ordered = sorted(seconds)
    return 1000 * ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


TICK = os.sysconf("SC_CLK_TCK")


def cpu_busy_s() -> tuple[float, float]:
    """(busy, elapsed) CPU seconds of all cores since boot, from /proc/stat."""
    with open("/proc/stat") as stat:
        ticks = [int(v) for v in stat.readline().split()[1:9]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks) - idle) / TICK, sum(ticks) / TICK


def tree_cpu_s(root_pid: int) -> float:
    """CPU seconds used so far by a process and its live descendants (gunicorn workers,
    PostgreSQL backends), to tell which side of the wire the time goes to."""
    parents, used = {}, {}
    for stat_path in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat_path) as stat:
                text = stat.read()
        except OSError:
            continue  # exited meanwhile
        fields = text[text.rfind(")") + 2 :].split()
        pid = int(stat_path.split("/")[2])
        parents[pid] = int(fields[1])
        used[pid] = (int(fields[11]) + int(fields[12])) / TICK
    total, todo = 0.0, [root_pid]
    while todo:
        pid = todo.pop()
        total += used.get(pid, 0.0)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total
