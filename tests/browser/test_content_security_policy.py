"""The Content-Security-Policy holds in a real browser: every page a role reaches by following
links (demo data, Japanese) loads with no CSP violation in chromium's console, with the
stylesheet applied and the autosave script running under ``script-src 'self'``."""

from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from maturity.framework_file import load_framework_file
from maturity.framework_io import import_framework
from training.services import import_modules

from .conftest import FRAMEWORK_FILE

DEMO_PASSWORD = "levelcheck-demo"
PAGES_PER_ROLE = 18
# Links that download a file, end the session or change something on GET are not followed.
SKIP = ("/download/", "/export", "/logout", "/i18n/", "/admin/logout", ".csv", ".xlsx", ".pdf")
CONTENT = Path(settings.BASE_DIR) / "training" / "content"


@pytest.fixture
def demo(live_server):
    source = FRAMEWORK_FILE.name
    import_framework(load_framework_file(FRAMEWORK_FILE.read_bytes(), source=source), source=source)
    import_modules(directory=CONTENT)
    call_command("setup_demo", verbosity=0)
    return live_server


def crawl(page, start: str, base: str) -> dict[str, int]:
    """Breadth-first over same-site links from ``start``; the status of every page seen."""
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.popleft()
        if url in seen:
            continue
        response = page.goto(url)
        seen[url] = response.status if response else 0
        for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
            href = urldefrag(href).url
            wanted = href.startswith(base) and not any(part in href for part in SKIP)
            if wanted and href not in seen:
                queue.append(href)
    return seen


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.parametrize(
    "username, start",
    [
        ("sato", "/"),  # org admin: campaigns, results, reports
        ("tanaka", "/campaigns/"),  # consultant
        ("takahashi", "/"),  # manager half-way through the questionnaire
        ("nakamura", "/learn/"),  # staff: modules and quizzes
        ("levelcheck-admin", "/admin/"),  # the Django admin
    ],
)
def test_it_shows_every_reachable_page_without_a_csp_violation(new_context, demo, username, start):
    base = demo.url
    context = new_context(locale="ja-JP")
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    login(page, base, username)
    seen = crawl(page, base + start, base)

    assert violations == []
    assert len(seen) >= 5, seen
    assert [url for url, status in seen.items() if status >= 400] == []
    # The stylesheet applied (a CSP or static-files failure leaves the page unstyled).
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"


def test_the_autosave_script_runs_under_the_policy(new_context, demo):
    from assessments.models import Response

    base = demo.url
    response = Response.objects.filter(respondent__username="takahashi", status="in_progress")
    response = response.order_by("-pk").first()
    context = new_context(locale="ja-JP")
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    login(page, base, "takahashi")
    page.goto(f"{base}/responses/{response.pk}/")
    # questionnaire.js saves the choice through the API and says so on the card.
    page.locator("label.choice").first.click()
    expect(page.locator('[data-save-state][data-kind="saved"]').first).to_be_visible()
    assert violations == []
    assert urlparse(page.url).path.startswith(f"/responses/{response.pk}/")
