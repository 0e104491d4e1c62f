"""A throwaway PostgreSQL cluster: created in a temp dir on a free loopback port, removed
afterwards whatever happens. Used by ``make test-postgres``, the benchmarks and the
backup/restore test.

As a command, it runs another command against the cluster and exits with its status::

    python -m devtools.throwaway_postgres -- pytest -x

The command sees ``DATABASE_URL`` and ``LEVELCHECK_PG_*`` variables, from which
:func:`Cluster.from_env` rebuilds a handle, so a test can restart or stop the very server it
runs against (``cluster.restart()``).

Debian's ``postgresql`` package is installed when no ``initdb`` is found (we run as root on
these machines; PostgreSQL itself refuses root, so it runs as the ``postgres`` user).
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DB_NAME = "levelcheck"
ENV_PREFIX = "LEVELCHECK_PG_"


def log(message: str) -> None:
    print(f"[postgres] {message}", file=sys.stderr, flush=True)


def _run(cmd: list[str], **kwargs) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise RuntimeError(f"command failed ({done.returncode}): {' '.join(cmd)}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bindir() -> Path:
    """Debian's newest installed PostgreSQL, installing the package when there is none."""

    def found() -> list[str]:
        return sorted(
            glob.glob("/usr/lib/postgresql/*/bin/initdb"),
            key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
        )

    if not found():
        log("PostgreSQL is missing: apt-get install postgresql")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        _run(["apt-get", "update", "-qq"], env=env)
        _run(["apt-get", "install", "-y", "-qq", "postgresql"], env=env)
    if not found():
        raise RuntimeError("no initdb under /usr/lib/postgresql/*/bin after installing")
    return Path(found()[-1]).parent


def as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; drop to the ``postgres`` user when we are root."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass
class Cluster:
    bindir: Path
    workdir: Path
    port: int
    database: str = DB_NAME

    @property
    def data(self) -> Path:
        return self.workdir / "pgdata"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    def tool(self, name: str) -> str:
        return str(self.bindir / name)

    def client_args(self) -> list[str]:
        return ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]

    # -------------------------------------------------------------- lifecycle

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres", "postgres")
        log(f"initdb {self.data} ({self.bindir.parent.name}), port {self.port}")
        _run(
            as_postgres(
                [self.tool("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]
                + ["-E", "UTF8", "--no-locale", "--no-sync"]
            )
        )

    def _pg_ctl(self, *args: str) -> list[str]:
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1"
            f" -c unix_socket_directories={self.workdir} -c max_connections=200"
        )
        return as_postgres(
            [self.tool("pg_ctl"), "-D", str(self.data), "-l", str(self.workdir / "postgres.log")]
            + ["-w", "-t", "60", "-o", options, *args]
        )

    def start(self) -> None:
        _run(self._pg_ctl("start"))

    def stop(self) -> None:
        """Stop the server if it runs: fast (sessions are cut), else immediate."""
        for mode in ("fast", "immediate"):
            if not (self.data / "postmaster.pid").exists():
                return
            subprocess.run(self._pg_ctl("-m", mode, "stop"), capture_output=True)
        if (self.data / "postmaster.pid").exists():
            log(f"could not stop the server of {self.data}")

    def restart(self) -> None:
        """Stop (fast: open connections are cut) and start again on the same port."""
        log("restarting PostgreSQL")
        _run(self._pg_ctl("-m", "fast", "restart"))

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def createdb(self, name: str | None = None) -> None:
        _run([self.tool("createdb"), *self.client_args(), name or self.database])

    # -------------------------------------------------------------- hand-over

    def env(self) -> dict[str, str]:
        return {
            "DATABASE_URL": self.url,
            ENV_PREFIX + "BINDIR": str(self.bindir),
            ENV_PREFIX + "WORKDIR": str(self.workdir),
            ENV_PREFIX + "PORT": str(self.port),
            ENV_PREFIX + "DATABASE": self.database,
        }

    @classmethod
    def from_env(cls) -> Cluster | None:
        """The cluster this process was started against, or None outside one."""
        try:
            return cls(
                bindir=Path(os.environ[ENV_PREFIX + "BINDIR"]),
                workdir=Path(os.environ[ENV_PREFIX + "WORKDIR"]),
                port=int(os.environ[ENV_PREFIX + "PORT"]),
                database=os.environ[ENV_PREFIX + "DATABASE"],
            )
        except KeyError:
            return None


@contextmanager
def throwaway_cluster(database: str = DB_NAME) -> Iterator[Cluster]:
    """A fresh, started cluster with an empty ``database``; stopped and deleted afterwards,
    also on failure or Ctrl-C."""
    workdir = Path(tempfile.mkdtemp(prefix="levelcheck-pg-"))
    cluster = Cluster(bindir=bindir(), workdir=workdir, port=free_port(), database=database)
    try:
        cluster.init()
        _start_on_a_free_port(cluster)
        cluster.createdb()
        yield cluster
    finally:
        # A second Ctrl-C (or a TERM) during the clean-up must not leave the server running.
        with _signals_ignored():
            log("stopping and removing the cluster")
            cluster.stop()
            shutil.rmtree(workdir, ignore_errors=True)


def _start_on_a_free_port(cluster: Cluster, attempts: int = 3) -> None:
    """Start; when another process took the port meanwhile (other clusters, other test runs
    on the same machine), try again on another one."""
    for attempt in range(1, attempts + 1):
        try:
            cluster.start()
            return
        except RuntimeError:
            log_file = cluster.workdir / "postgres.log"
            taken = log_file.exists() and "could not bind" in log_file.read_text(errors="replace")
            if not taken or attempt == attempts:
                raise
            cluster.port = free_port()
            log(f"port taken, trying {cluster.port}")
            log_file.unlink()


@contextmanager
def _signals_ignored() -> Iterator[None]:
    signums = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
    try:
        previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in signums}
    except ValueError:  # not the main thread: signals cannot be handled here anyway
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print("usage: python -m devtools.throwaway_postgres -- COMMAND [ARGS...]", file=sys.stderr)
        return 2

    # SIGTERM (CI timeout, kill) and SIGHUP (terminal closed) must still stop the server:
    # turn them into the exception Ctrl-C raises, remembering which signal it was.
    received: list[int] = []

    def terminate(signum, frame):
        received.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    with throwaway_cluster() as cluster:
        child = subprocess.Popen(argv, env={**os.environ, **cluster.env()})
        try:
            return child.wait()
        except KeyboardInterrupt:
            with _signals_ignored():
                _stop_child(child, forward=bool(received))
            return 130


def _stop_child(child: subprocess.Popen, *, forward: bool) -> None:
    """Let the command end (and clean up its own children) before the cluster goes away.

    Ctrl-C reaches the whole foreground process group, so the command has it already; a TERM
    or HUP was sent to us alone and is passed on.
    """
    if forward:
        child.terminate()
    try:
        child.wait(timeout=30)
    except subprocess.TimeoutExpired:
        log(f"{child.args[0]} did not stop within 30 s: killing it")
        child.kill()
        child.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
