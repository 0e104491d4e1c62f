"""Every model change has its migration: a model edited without one fails here, not on the
first deploy."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_migrations_match_the_models():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits 1 when a migration is missing
        pytest.fail(f"makemigrations --check exited {exc.code}:\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()
