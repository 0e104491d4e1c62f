"""Real-browser tests: Debian's chromium driven by Playwright against pytest-django's
``live_server``.

One browser per session; every test opens its own contexts (a context is a device: its
own cookies and storage) and they are closed when the test ends. The data is the shipped
framework, one organisation with a customer-success department, its manager and an open
campaign.
"""

import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

# Playwright's sync API runs an event loop in the test thread, which makes Django's
# async-safety check refuse the ORM calls the tests make; nothing here is actually async.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.conf import settings  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULTS = Path(settings.BASE_DIR) / "test-results"
SCREENSHOTS = RESULTS / "screenshots"
FAILURES = RESULTS / "failures"
FRAMEWORK_FILE = Path(settings.BASE_DIR) / "maturity" / "frameworks" / "customer-engagement.yaml"
PASSWORD = "a-long-test-password-42"
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        # A missing browser is a broken setup, not a reason to pass: `make test` installs it.
        pytest.fail(f"no chromium at {CHROMIUM} (`make browser` installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_context(browser, request):
    """Open a fresh browser context (a new device); English unless told otherwise.

    Contexts still open when the test ends are closed; on failure (or expected failure)
    their pages are screenshotted to test-results/failures/ first.
    """
    contexts = []

    def open_context(**options):
        options.setdefault("locale", "en-US")
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context

    report = getattr(request.node, "report_call", None)
    # Failures, and expected failures (known bugs), leave a picture of the page behind.
    failed = report is not None and (report.failed or hasattr(report, "wasxfail"))
    for context in contexts:
        try:
            if failed:
                FAILURES.mkdir(parents=True, exist_ok=True)
                name = re.sub(r"[^\w.-]+", "_", request.node.name)
                for n, page in enumerate(context.pages):
                    path = FAILURES / f"{name}-{n}.png"
                    page.screenshot(path=str(path), full_page=True)
                    print(f"screenshot of the failing page: {path}")
            context.close()
        except Exception:  # noqa: BLE001 - already closed by the test
            pass


@pytest.fixture
def assessment(live_server, django_user_model):
    """The shipped framework, Acme's customer-success manager and their open campaign."""
    from assessments.models import Department, Invitation, Membership, Organisation, Response
    from assessments.selectors import questionnaire
    from maturity.framework_file import load_framework_file
    from maturity.framework_io import import_framework
    from maturity.functions import DepartmentFunction
    from tests.assessments.conftest import open_campaign

    source = FRAMEWORK_FILE.name
    framework = import_framework(
        load_framework_file(FRAMEWORK_FILE.read_bytes(), source=source), source=source
    )
    acme = Organisation.objects.create(name="Acme", slug="acme")
    success = Department.objects.create(
        organisation=acme, name="Customer Success", function=DepartmentFunction.CUSTOMER_SUCCESS
    )
    manager = django_user_model.objects.create_user(
        "miyamoto", email="miyamoto@example.com", password=PASSWORD
    )
    Membership.objects.create(
        user=manager, organisation=acme, department=success, role=Membership.Role.MANAGER
    )
    campaign = open_campaign(organisation=acme, framework=framework, departments=[success])
    response = Response.objects.get(campaign=campaign, respondent=manager)
    invitation = Invitation.objects.get(response=response)
    dimensions = questionnaire(framework.pk, success.function)
    return SimpleNamespace(
        live_server=live_server,
        framework=framework,
        department=success,
        user=manager,
        password=PASSWORD,
        campaign=campaign,
        response=response,
        invitation_url=f"{live_server.url}/invitations/{invitation.token}/",
        dimensions=dimensions,
        questions=[q for d in dimensions for q in d.applicable_questions],
        page_url=lambda code: f"{live_server.url}/responses/{response.pk}/d/{code}/",
        review_url=f"{live_server.url}/responses/{response.pk}/review/",
    )
