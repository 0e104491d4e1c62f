"""The README works as written.

- Every ``.venv/bin/python manage.py …`` line in its shell blocks runs, in README order, from
  the project root of a checkout where ``make run`` has written ``.env`` (the same writer,
  devtools/envfile.py) and nothing is exported: no DEBUG, no SECRET_KEY. Only where the data
  goes differs: the database, media, static files and ``-o`` outputs go to a temp dir.
  Optional ``[...]`` parts are left out and placeholders (``CAMPAIGN_ID``, ``MODULE_SLUG``)
  filled in; long-running commands (servers, workers) are checked with ``help`` instead.
- The Configuration table names every variable the settings and gunicorn read.
"""

import os
import re
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from devtools.throwaway_postgres import Cluster

ROOT = Path(settings.BASE_DIR)
README = (ROOT / "README.md").read_text(encoding="utf-8")
PREFIX = ".venv/bin/python manage.py "
LONG_RUNNING = {"runserver", "report_worker", "db_worker"}
# Variables of the environment that are not LevelCheck's configuration.
NOT_CONFIGURATION = {"DJANGO_SETTINGS_MODULE"}


def shell_lines(markdown: str) -> list[str]:
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", markdown, re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line:
                lines.append(line)
    return lines


def manage_commands() -> list[str]:
    return [line for line in shell_lines(README) if line.startswith(PREFIX)]


def as_run(line: str, values: dict[str, str], outputs: Path) -> list[str]:
    """The printed line without its optional parts, placeholders filled in, outputs moved."""
    while re.search(r"\[[^\[\]]*\]", line):
        line = re.sub(r"\s*\[[^\[\]]*\]", "", line)
    args = shlex.split(line)
    for index, arg in enumerate(args):
        if arg in values:
            args[index] = values[arg]
        elif index and args[index - 1] in ("-o", "--output"):
            args[index] = str(outputs / arg)
    assert args[0] == ".venv/bin/python"
    return [str(ROOT / args[0]), *args[1:]]


def test_the_readme_shows_the_commands_this_test_runs():
    commands = {line.split()[2] for line in manage_commands()}
    assert {"import_framework", "export_framework", "render_report", "send_reminders"} <= commands


@pytest.mark.skipif(
    Cluster.from_env() is not None,
    reason="the README's commands run against the SQLite default; make test covers them",
)
def test_every_manage_py_command_in_the_readme_runs_as_printed(tmp_path):
    env_file = tmp_path / ".env"
    subprocess.run([sys.executable, "devtools/envfile.py", str(env_file)], cwd=ROOT, check=True)
    assert "DEBUG=1" in env_file.read_text() and "SECRET_KEY=" in env_file.read_text()
    database = tmp_path / "levelcheck.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' async switch would fail `check --deploy` (async.E001).
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
        and not key.startswith("LEVELCHECK_")
    }
    env.update(
        LEVELCHECK_ENV_FILE=str(env_file),
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
    )

    def run(args: list[str]) -> subprocess.CompletedProcess:
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{shlex.join(args)}\n{done.stdout}\n{done.stderr}"
        return done

    # What `make run` does before the README's commands: the schema and the modules.
    run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"])
    run([sys.executable, "manage.py", "import_modules", "--skip-existing"])

    ran = []
    for line in manage_commands():
        name = line.split()[2]
        if name in LONG_RUNNING:
            run([sys.executable, "manage.py", "help", name])
            continue
        with sqlite3.connect(database) as db:
            campaign = db.execute("select min(id) from assessments_campaign").fetchone()[0]
            module = db.execute("select min(slug) from training_module").fetchone()[0]
        values = {"CAMPAIGN_ID": str(campaign), "MODULE_SLUG": module}
        if "CAMPAIGN_ID" in line:
            assert campaign is not None, f"no campaign yet for: {line}"
        run(as_run(line, values, tmp_path))
        ran.append(name)

    assert "render_report" in ran and "setup_demo" in ran
    pdfs = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert pdfs and all((tmp_path / name).read_bytes().startswith(b"%PDF-") for name in pdfs)


def environment_variables_read() -> set[str]:
    names = set()
    for path in (ROOT / "config" / "settings.py", ROOT / "config" / "gunicorn.conf.py"):
        source = path.read_text(encoding="utf-8")
        names |= set(
            re.findall(
                r"""(?:os\.environ\.get|env_bool|env_list|os\.environ\[)\(?\s*["']([A-Z_]+)["']""",
                source,
            )
        )
    return names - NOT_CONFIGURATION


def configuration_table() -> set[str]:
    section = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names = set()
    for row in re.findall(r"^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \|", section, re.M):
        names |= set(re.findall(r"`([A-Z_]+)`", row))
    return names


def test_the_configuration_table_names_every_variable_read():
    read, documented = environment_variables_read(), configuration_table()
    assert len(read) > 30
    assert read - documented == set()
    assert documented - read == set()
