"""The demo data (``front.demo.setup_demo`` on the shipped framework), for tests that need a
real framework's nine dimensions and a previous campaign."""

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessments.models import Campaign, Department, Organisation
from maturity.framework_file import load_framework_file
from maturity.framework_io import import_framework
from training.services import import_modules

FRAMEWORK_FILE = Path(settings.BASE_DIR) / "maturity" / "frameworks" / "customer-engagement.yaml"


@pytest.fixture
def demo(db):
    """The demo with the shipped training modules: ``first`` (上期, closed) and
    ``current`` (下期, whose previous campaign is ``first``), a few departments, and the org
    admin ``sato``."""
    source = FRAMEWORK_FILE.name
    import_framework(load_framework_file(FRAMEWORK_FILE.read_bytes(), source=source), source=source)
    import_modules(directory=Path(settings.BASE_DIR) / "training" / "content")
    call_command("setup_demo", stdout=io.StringIO())
    organisation = Organisation.objects.get(slug="sample-saas")
    first, current = Campaign.objects.filter(organisation=organisation).order_by("opens_on")
    departments = {d.name: d for d in Department.objects.filter(organisation=organisation)}
    return SimpleNamespace(
        organisation=organisation,
        first=first,
        current=current,
        inside_sales=departments["インサイドセールス部"],
        sales=departments["営業部"],
        admin=get_user_model().objects.get(username="sato"),
    )
