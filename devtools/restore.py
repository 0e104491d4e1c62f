"""Restore a ``devtools.backup`` dump into a PostgreSQL database, all or nothing.

From the project root::

    .venv/bin/python -m devtools.restore DUMP [--database NAME] [--create] [--yes]

restores ``DUMP`` into the database named by ``DATABASE_URL``, or into ``NAME`` on the same
server reached the same way. ``pg_restore`` runs with ``--clean --if-exists`` (the dump's
tables are dropped and made again) in one transaction (``--single-transaction``: on any
error nothing changes), without the dump's owners and grants: the objects belong to
``DATABASE_URL``'s user, as ``migrate`` would make them. ``ANALYZE`` follows, so the planner
has statistics at once.

It refuses, with exit status 2 and a sentence saying why: a file that is not a ``pg_dump -Fc``
archive; ``--create`` for a database that exists, or no ``--create`` for one that does not;
a database that already holds tables, unless ``--yes`` (stop the app servers and workers
first: their connections hold locks the restore would wait for). The safest way back is a new
database (``--database levelcheck_restored --create``), checked, then named in
``DATABASE_URL``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import psycopg
from psycopg import sql

from devtools.backup import Database, UsageError, tool

DUMP_MAGIC = b"PGDMP"  # the first bytes of every pg_dump custom-format archive

USER_TABLES = """
    SELECT count(*) FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_toast%'
"""


def check_dump(path: Path) -> None:
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    with path.open("rb") as file:
        if file.read(len(DUMP_MAGIC)) != DUMP_MAGIC:
            raise UsageError(
                f"{path} is not a pg_dump custom-format archive "
                "(make one with `python -m devtools.backup`)"
            )


def maintenance_connection(target: Database) -> psycopg.Connection:
    """A connection to the server outside the target database, to create or look it up."""
    error: Exception | None = None
    for name in ("postgres", "template1", target.name):
        try:
            return target.named(name).connect(autocommit=True)
        except psycopg.OperationalError as exc:
            error = exc
    raise RuntimeError(f"cannot connect to the server of {target.name}: {error}")


def restore(target: Database, dump: Path, *, create: bool = False, replace: bool = False) -> None:
    """Restore ``dump`` into ``target`` (see the module's docstring for the rules)."""
    check_dump(dump)
    with maintenance_connection(target) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_catalog.pg_database WHERE datname = %s", [target.name]
        ).fetchone()
        if create and exists:
            raise UsageError(
                f"database {target.name} exists already: leave out --create to restore into it"
            )
        if not create and not exists:
            raise UsageError(f"database {target.name} does not exist: add --create to make it")
        if create:
            conn.execute(
                sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                    sql.Identifier(target.name)
                )
            )
    if not create:
        with target.connect() as conn:
            tables = conn.execute(USER_TABLES).fetchone()[0]
        if tables and not replace:
            raise UsageError(
                f"database {target.name} holds {tables} tables: restoring replaces them and "
                "their rows. Stop the app servers and workers, then add --yes"
            )
    restored = subprocess.run(
        [
            tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={target.conninfo()}",
            str(dump),
        ],
        env=target.env(),
    )
    if restored.returncode != 0:
        if create:
            with maintenance_connection(target) as conn:
                conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(target.name)))
            raise RuntimeError(
                f"pg_restore failed; database {target.name}, made by --create, was dropped again"
            )
        raise RuntimeError(f"pg_restore failed; database {target.name} is unchanged")
    with target.connect(autocommit=True) as conn:
        conn.execute("ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.restore",
        description="Restore a pg_dump -Fc archive (python -m devtools.backup) into the "
        "database of DATABASE_URL, or NAME on the same server: clean, in one transaction.",
    )
    parser.add_argument("dump", type=Path, help="the .dump file")
    parser.add_argument(
        "--database", metavar="NAME", help="restore into this database instead of DATABASE_URL's"
    )
    parser.add_argument(
        "--create", action="store_true", help="make the database first (it must not exist)"
    )
    parser.add_argument(
        "--yes", action="store_true", help="replace the tables of a database that has some"
    )
    args = parser.parse_args(argv)
    try:
        target = Database.from_env()
        if args.database:
            target = target.named(args.database)
        restore(target, args.dump, create=args.create, replace=args.yes)
    except UsageError as exc:
        parser.exit(2, f"restore: {exc}\n")
    except (RuntimeError, psycopg.Error) as exc:
        parser.exit(1, f"restore: {exc}\n")
    print(f"restored {args.dump} into {target.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
