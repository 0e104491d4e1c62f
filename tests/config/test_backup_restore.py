"""Backups: ``devtools.backup`` dumps the database, ``devtools.restore`` puts it back.

The round trip runs on the throwaway PostgreSQL cluster of ``make test-postgres``: the demo
data is written (committed) into the test database once for the module, dumped with the
real script, and the test database is emptied again, as pytest-django expects. Every restore
goes into a database of its own on the same cluster, compared with the original table by
table: row count, a digest of every row, and each sequence's position. The refusals that
need no server run on SQLite too.
"""

import io
import stat
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from psycopg import sql

from devtools import backup, restore
from devtools.throwaway_postgres import Cluster

CLUSTER = Cluster.from_env()


def needs_cluster(test):
    """Runs on the throwaway cluster only. Marked as using the database outside a transaction:
    pytest-django then makes the test database (which these tests commit into, dump and empty
    again) and flushes it after each test."""
    test = pytest.mark.django_db(transaction=True)(test)
    return pytest.mark.skipif(
        CLUSTER is None, reason="needs the throwaway PostgreSQL cluster of `make test-postgres`"
    )(test)


FRAMEWORK_FILE = Path(settings.BASE_DIR) / "maturity" / "frameworks" / "customer-engagement.yaml"


def url(database: str) -> str:
    return replace(CLUSTER, database=database).url


def server():
    return psycopg.connect(url("postgres"), autocommit=True)


def snapshot(database: str) -> dict[str, tuple]:
    """Every table's row count and a digest of all its rows; every sequence's position."""
    with psycopg.connect(url(database)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        found = {}
        for table in tables:
            found[table] = conn.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text),"
                    " '')) FROM {} t"
                ).format(sql.Identifier(table))
            ).fetchone()
        for name, last_value in conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ):
            found[f"sequence {name}"] = (last_value,)
    return found


@pytest.fixture(scope="module")
def demo_backup(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, dumped by the backup script; the test database is empty again after."""
    source = connection.settings_dict["NAME"]
    directory = tmp_path_factory.mktemp("backups")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast):
        try:
            call_command("import_framework", str(FRAMEWORK_FILE), stdout=io.StringIO())
            call_command("import_modules", verbosity=0, stdout=io.StringIO())
            call_command("setup_demo", stdout=io.StringIO())
            original = snapshot(source)
            dump = backup.backup(backup.Database.from_env({"DATABASE_URL": url(source)}), directory)
        finally:
            call_command("flush", interactive=False, verbosity=0)
    return SimpleNamespace(source=source, dump=dump, snapshot=original)


@pytest.fixture
def new_database():
    """Names for databases this test makes on the cluster; dropped afterwards."""
    made = []

    def name():
        made.append(f"levelcheck_restored_{len(made)}")
        return made[-1]

    yield name
    with server() as conn:
        for database in made:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )


@pytest.fixture
def cluster_env(monkeypatch, demo_backup):
    monkeypatch.setenv("DATABASE_URL", url(demo_backup.source))


# ------------------------------------------------------------ backup


@needs_cluster
def test_the_backup_is_a_file_named_by_database_and_time_for_its_owner_only(demo_backup):
    dump = demo_backup.dump
    assert dump.name.startswith(f"levelcheck-{demo_backup.source}-")
    assert dump.name.endswith("Z.dump")
    assert dump.read_bytes().startswith(b"PGDMP")
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert not list(dump.parent.glob("*.partial"))


@needs_cluster
def test_the_command_prints_the_path_of_the_dump(cluster_env, tmp_path, capsys):
    assert backup.main([str(tmp_path)]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.parent == tmp_path and printed.is_file()


# ------------------------------------------------------------ restore


@needs_cluster
def test_a_backup_restores_into_a_fresh_database_table_by_table(
    demo_backup, cluster_env, new_database, capsys
):
    copy = new_database()
    assert restore.main([str(demo_backup.dump), "--database", copy, "--create"]) == 0
    assert capsys.readouterr().out.strip() == f"restored {demo_backup.dump} into {copy}"

    restored = snapshot(copy)
    assert restored.keys() == demo_backup.snapshot.keys()
    for table, found in restored.items():
        assert found == demo_backup.snapshot[table], table
    # The demo data really was there to compare.
    assert restored["assessments_answer"][0] > 100
    assert restored["auth_user"][0] >= 10
    with psycopg.connect(url(copy)) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM assessments_organisation")}
    assert "サンプルSaaS株式会社" in names


@needs_cluster
def test_it_replaces_a_database_with_tables_only_when_told_to(
    demo_backup, cluster_env, new_database, capsys
):
    copy = new_database()
    assert restore.main([str(demo_backup.dump), "--database", copy, "--create"]) == 0
    with psycopg.connect(url(copy)) as conn:
        conn.execute("DELETE FROM improvement_evidence")  # the demo's evidence on answers
        conn.execute("DELETE FROM assessments_answer")
        conn.execute("UPDATE assessments_organisation SET name = 'changed'")
    changed = snapshot(copy)
    capsys.readouterr()

    with pytest.raises(SystemExit) as refused:
        restore.main([str(demo_backup.dump), "--database", copy])
    assert refused.value.code == 2
    assert "add --yes" in capsys.readouterr().err
    assert snapshot(copy) == changed

    assert restore.main([str(demo_backup.dump), "--database", copy, "--yes"]) == 0
    assert snapshot(copy) == demo_backup.snapshot


@needs_cluster
def test_a_broken_dump_changes_nothing(demo_backup, cluster_env, new_database, tmp_path, capsys):
    copy = new_database()
    assert restore.main([str(demo_backup.dump), "--database", copy, "--create"]) == 0
    with psycopg.connect(url(copy)) as conn:
        conn.execute("UPDATE assessments_organisation SET name = 'changed'")
    before = snapshot(copy)
    broken = tmp_path / "broken.dump"
    data = demo_backup.dump.read_bytes()
    broken.write_bytes(data[: len(data) * 2 // 3])
    capsys.readouterr()

    with pytest.raises(SystemExit) as failed:
        restore.main([str(broken), "--database", copy, "--yes"])
    assert failed.value.code == 1
    assert f"database {copy} is unchanged" in capsys.readouterr().err
    assert snapshot(copy) == before


@needs_cluster
def test_a_failed_restore_into_a_new_database_leaves_no_database(
    demo_backup, cluster_env, new_database, tmp_path, capsys
):
    copy = new_database()
    broken = tmp_path / "broken.dump"
    data = demo_backup.dump.read_bytes()
    broken.write_bytes(data[: len(data) * 2 // 3])

    with pytest.raises(SystemExit) as failed:
        restore.main([str(broken), "--database", copy, "--create"])
    assert failed.value.code == 1
    assert "was dropped again" in capsys.readouterr().err
    with server() as conn:
        assert not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [copy]).fetchone()


@needs_cluster
def test_it_refuses_to_create_a_database_that_exists(demo_backup, cluster_env, capsys):
    with pytest.raises(SystemExit) as refused:
        restore.main([str(demo_backup.dump), "--database", demo_backup.source, "--create"])
    assert refused.value.code == 2
    assert "exists already: leave out --create" in capsys.readouterr().err


@needs_cluster
def test_it_refuses_a_database_that_does_not_exist(demo_backup, cluster_env, capsys):
    with pytest.raises(SystemExit) as refused:
        restore.main([str(demo_backup.dump), "--database", "levelcheck_nowhere"])
    assert refused.value.code == 2
    assert "does not exist: add --create" in capsys.readouterr().err


# ------------------------------------------------------------ refusals without a server


def test_restore_refuses_a_missing_file(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
    with pytest.raises(SystemExit) as refused:
        restore.main([str(tmp_path / "missing.dump")])
    assert refused.value.code == 2
    assert "missing.dump: no such file" in capsys.readouterr().err


def test_restore_refuses_a_file_that_is_not_a_dump(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
    plain = tmp_path / "plain.sql"
    plain.write_text("CREATE TABLE x ();")
    with pytest.raises(SystemExit) as refused:
        restore.main([str(plain)])
    assert refused.value.code == 2
    assert "is not a pg_dump custom-format archive" in capsys.readouterr().err


def test_restore_needs_a_dump_argument(capsys):
    with pytest.raises(SystemExit) as refused:
        restore.main([])
    assert refused.value.code == 2
    assert "the following arguments are required: dump" in capsys.readouterr().err


def test_backup_refuses_a_sqlite_database(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with pytest.raises(SystemExit) as refused:
        backup.main([str(tmp_path)])
    assert refused.value.code == 2
    assert "names a sqlite3 database" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.dump"))


def test_backup_needs_a_database_url(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LEVELCHECK_ENV_FILE", "")
    with pytest.raises(SystemExit) as refused:
        backup.main([str(tmp_path)])
    assert refused.value.code == 2
    assert "DATABASE_URL is not set" in capsys.readouterr().err


def test_backup_reads_the_database_url_from_the_env_file(monkeypatch, tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text("DATABASE_URL=postgres://app:s3cret@db.internal:6543/lc?sslmode=require\n")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LEVELCHECK_ENV_FILE", str(env_file))
    database = backup.Database.from_env()
    assert database.name == "lc"
    # The password goes to the client programs through the environment only.
    assert database.conninfo() == ("dbname=lc host=db.internal port=6543 user=app sslmode=require")
    assert database.env()["PGPASSWORD"] == "s3cret"
