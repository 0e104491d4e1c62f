"""Back up LevelCheck's PostgreSQL database to one timestamped ``pg_dump -Fc`` file.

From the project root::

    .venv/bin/python -m devtools.backup [DIRECTORY]      # default var/backups

dumps the database named by ``DATABASE_URL`` (the environment, else the env file the settings
read) into ``DIRECTORY/levelcheck-<database>-<UTC time>.dump``, readable by its owner only, and
prints the file's path. The dump is written under a ``.partial`` name and renamed once
``pg_dump`` has succeeded and ``pg_restore --list`` has read it back, so a file with the final
name is always a whole archive. ``python -m devtools.restore`` puts one back.

The password goes to ``pg_dump`` through ``PGPASSWORD``, never on a command line that ``ps``
shows. ``pg_dump`` comes from the throwaway cluster's bindir inside one (tests), else from
``PATH`` (Debian's wrapper picks the version matching the server), else from the newest
``/usr/lib/postgresql/*/bin``.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
from dotenv import dotenv_values
from psycopg.conninfo import make_conninfo

from devtools.throwaway_postgres import Cluster

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIRECTORY = ROOT / "var" / "backups"
POSTGRES_ENGINES = {"django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"}
# Keys of Django's OPTIONS that are Django's own, not libpq connection parameters.
DJANGO_ONLY_OPTIONS = {"isolation_level", "server_side_binding", "pool", "assume_role", "context"}


class UsageError(Exception):
    """Wrong arguments or configuration: said in one sentence, exit status 2."""


@dataclass
class Database:
    """Where a PostgreSQL database is, as libpq wants it."""

    name: str
    params: dict[str, str] = field(default_factory=dict)
    password: str = ""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Database:
        """The database of ``DATABASE_URL``, read as the settings read it."""
        environ = os.environ if environ is None else environ
        url = environ.get("DATABASE_URL")
        if url is None:
            env_file = environ.get("LEVELCHECK_ENV_FILE", str(ROOT / ".env"))
            if env_file and Path(env_file).is_file():
                url = dotenv_values(env_file).get("DATABASE_URL")
        if not url:
            raise UsageError(
                "DATABASE_URL is not set: give the PostgreSQL database to use, "
                "e.g. DATABASE_URL=postgres://user@host:5432/levelcheck"
            )
        try:
            config = dj_database_url.parse(url)
        except ValueError as exc:
            raise UsageError(f"DATABASE_URL cannot be read: {exc}") from exc
        if config["ENGINE"] not in POSTGRES_ENGINES:
            raise UsageError(
                f"DATABASE_URL names a {config['ENGINE'].rsplit('.', 1)[-1]} database; "
                "these scripts back up PostgreSQL (copy a SQLite file with "
                "`sqlite3 FILE '.backup COPY'`)"
            )
        params = {
            "host": config.get("HOST") or "",
            "port": str(config.get("PORT") or ""),
            "user": config.get("USER") or "",
        }
        params.update(
            (key, str(value))
            for key, value in (config.get("OPTIONS") or {}).items()
            if key not in DJANGO_ONLY_OPTIONS
        )
        return cls(
            name=config["NAME"],
            params={k: v for k, v in params.items() if v},
            password=config.get("PASSWORD") or "",
        )

    def named(self, name: str) -> Database:
        """Another database on the same server, reached the same way."""
        return Database(name=name, params=dict(self.params), password=self.password)

    def conninfo(self) -> str:
        """libpq connection string, without the password."""
        return make_conninfo(dbname=self.name, **self.params)

    def env(self) -> dict[str, str]:
        """The environment for a client program: the password, where there is one."""
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, **kwargs):
        import psycopg

        return psycopg.connect(
            self.conninfo(), **({"password": self.password} if self.password else {}), **kwargs
        )


def tool(name: str) -> str:
    """The path of a PostgreSQL client program (``pg_dump``, ``pg_restore``)."""
    cluster = Cluster.from_env()
    if cluster is not None and Path(cluster.tool(name)).is_file():
        return cluster.tool(name)
    found = shutil.which(name)
    if found:
        return found
    debian = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if debian:
        return debian[-1]
    raise UsageError(f"{name} not found: install PostgreSQL's client programs (postgresql-client)")


def backup(database: Database, directory: Path) -> Path:
    """Dump ``database`` into a new timestamped file in ``directory``; its path."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    safe_name = re.sub(r"[^A-Za-z0-9_.-]", "_", database.name)
    final = directory / f"levelcheck-{safe_name}-{stamp}.dump"
    partial = final.with_name(final.name + ".partial")
    if final.exists():
        raise UsageError(f"{final} exists already: wait a second and run again")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    umask = os.umask(0o077)  # the dump holds people's names, e-mail addresses and answers
    try:
        dumped = subprocess.run(
            [
                tool("pg_dump"),
                "--format=custom",
                f"--file={partial}",
                f"--dbname={database.conninfo()}",
            ],
            env=database.env(),
        )
        if dumped.returncode == 0:
            listed = subprocess.run(
                [tool("pg_restore"), "--list", str(partial)],
                stdout=subprocess.DEVNULL,
                env=database.env(),
            )
        if dumped.returncode != 0 or listed.returncode != 0:
            partial.unlink(missing_ok=True)
            raise RuntimeError(f"pg_dump of {database.name} failed; no backup was written")
        os.replace(partial, final)
    finally:
        os.umask(umask)
    return final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.backup",
        description="Dump the PostgreSQL database of DATABASE_URL with pg_dump -Fc into a "
        "new timestamped file in DIRECTORY and print its path.",
    )
    parser.add_argument(
        "directory",
        nargs="?",
        type=Path,
        default=DEFAULT_DIRECTORY,
        help=f"where the dump goes (default {DEFAULT_DIRECTORY.relative_to(ROOT)})",
    )
    args = parser.parse_args(argv)
    try:
        path = backup(Database.from_env(), args.directory)
    except UsageError as exc:
        parser.exit(2, f"backup: {exc}\n")
    except RuntimeError as exc:
        parser.exit(1, f"backup: {exc}\n")
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
