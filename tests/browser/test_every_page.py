"""Every page of every role, as a phone shows it: reached by following links from the home
page (demo data, a 390 px wide viewport, in Japanese and in English), each page is in the
browser's language (``<html lang>``; LocaleMiddleware reads the Accept-Language the context's
locale sends), no wider than the screen (tables scroll inside their own container), no
heading leaves one character alone on its last line, and axe-core finds no accessibility
violation (colour contrast included, so every badge and chip reaches WCAG AA).

Japanese, the users' first language, visits two pages of each route; English one (still
every route of every role), which keeps the English crawl to about half the Japanese one's
time in CI.

axe-core is shipped beside this file (tests/browser/vendor/axe.min.js, axe-core 4.10.3 from
the npm registry, MPL-2.0) and injected into each page; the contexts bypass the
Content-Security-Policy for that one script (tests/browser/test_content_security_policy.py
checks the policy itself).
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve

from maturity.framework_file import load_framework_file
from maturity.framework_io import import_framework
from training.services import import_modules

from .conftest import FRAMEWORK_FILE

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
DEMO_PASSWORD = "levelcheck-demo"
PHONE = {"width": 390, "height": 844}
CONTENT = Path(settings.BASE_DIR) / "training" / "content"
# Links that download a file, end the session, switch the language or lead into the admin
# or the API are not pages of the site.
SKIP = (
    "/download",
    "/export",
    "/logout",
    "/i18n/",
    "/admin/",
    "/api/",
    ".csv",
    ".xlsx",
    ".pdf",
    "/interview-guide/",
    "/file/",
)
# Browser locale: pages of one route (e.g. two modules, two dimensions) a role visits.
LANGUAGES = {"ja-JP": 2, "en-US": 1}
ROLES = {
    "sato": "org admin",
    "tanaka": "consultant",
    "takahashi": "manager answering",
    "watanabe": "manager who submitted",
    "nakamura": "staff",
    "kimura": "org admin of another organisation",
}
# WCAG 2 A and AA rules (axe's tags), the standard the issue asks for.
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
}"""
WIDTHS = """() => ({document: document.documentElement.scrollWidth, viewport: window.innerWidth,
  widest: [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
      && !e.closest('.table-wrap, .chart-wide, .prose table, .q-dimensions, [data-scrolls]'))
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))})"""
# Headings of more than one line whose last line holds a single character (a heading that
# ended in a lone 「ク」 on a phone): the characters of that line, counted back from the end.
LONE_ENDINGS = """() => [...document.querySelectorAll('main h1, main h2, main h3')].flatMap(h => {
  const chars = [];
  const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode())
    for (let i = 0; i < n.data.length; i++) if (n.data[i].trim()) chars.push([n, i]);
  if (chars.length < 2) return [];
  const range = document.createRange();
  const top = ([n, i]) => { range.setStart(n, i); range.setEnd(n, i + 1);
    const rects = range.getClientRects(); return rects.length ? rects[0].top : null; };
  const last = top(chars[chars.length - 1]);
  let k = chars.length - 1;
  while (k > 0 && Math.abs(top(chars[k - 1]) - last) < 2) k--;
  return k > 0 && chars.length - k === 1 ? [h.textContent.trim()] : [];
})"""


@pytest.fixture
def demo(live_server):
    source = FRAMEWORK_FILE.name
    import_framework(load_framework_file(FRAMEWORK_FILE.read_bytes(), source=source), source=source)
    import_modules(directory=CONTENT)
    call_command("setup_demo", verbosity=0)
    return live_server


def route_of(url: str) -> str | None:
    """The URL pattern a link leads to (its name), or None for no page of the site."""
    try:
        match = resolve(urlparse(url).path)
    except Resolver404:
        return None
    return match.view_name


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def problems_of(page, url: str, language: str) -> list[str]:
    """What is wrong with the page the browser shows: not in ``language`` ("ja", "en"),
    wider than the screen, or an axe-core violation."""
    problems = []
    lang = page.evaluate("document.documentElement.lang")
    if not lang.startswith(language):
        problems.append(f"{url}: <html lang={lang!r}>, not {language}")
    widths = page.evaluate(WIDTHS)
    if widths["document"] > widths["viewport"]:
        problems.append(
            f"{url}: {widths['document']} px wide at {widths['viewport']} px "
            f"(past the edge: {widths['widest']})"
        )
    for heading in page.evaluate(LONE_ENDINGS):
        problems.append(f"{url}: heading {heading!r} ends with one character alone on a line")
    page.add_script_tag(content=AXE)
    for violation in page.evaluate(AXE_RUN):
        problems.append(f"{url}: axe {violation['id']} ({violation['impact']}): "
                        f"{violation['nodes']}")  # fmt: skip
    return problems


def visit_every_page(
    page, base: str, language: str, per_route_limit: int
) -> tuple[dict[str, str], list[str]]:
    """Breadth-first over the site's links from the home page, ``per_route_limit`` pages of
    each route; {url: route} of the pages seen and the problems found on them."""
    seen: dict[str, str] = {}
    per_route: dict[str, int] = {}
    problems: list[str] = []
    queue = deque([f"{base}/"])
    while queue:
        url = queue.popleft()
        route = route_of(url)
        if url in seen or route is None or per_route.get(route, 0) >= per_route_limit:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        seen[url] = route
        try:
            response = page.goto(url)
        except Exception as error:  # noqa: BLE001 - a download or a broken link: say which
            problems.append(f"{url}: not a page ({str(error).splitlines()[0]})")
            continue
        status = response.status if response else 0
        if status >= 500:
            problems.append(f"{url}: status {status}")
            continue
        problems += problems_of(page, url, language)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
            href = urldefrag(href).url
            if href.startswith(base) and not any(part in href for part in SKIP):
                queue.append(href)
    return seen, problems


@pytest.mark.parametrize("locale", list(LANGUAGES), ids=[loc[:2] for loc in LANGUAGES])
@pytest.mark.parametrize("username", list(ROLES), ids=list(ROLES.values()))
def test_every_page_of_the_role_fits_a_phone_and_passes_axe(new_context, demo, username, locale):
    base = demo.url
    context = new_context(locale=locale, viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    login(page, base, username)
    seen, problems = visit_every_page(page, base, locale[:2], LANGUAGES[locale])
    assert problems == [], "\n".join(problems)
    assert len(seen) >= 3, seen  # the crawl reached the role's pages, not just the home page


@pytest.mark.parametrize(
    ("locale", "other", "log_out"),
    [("ja-JP", "en", "ログアウト"), ("en-US", "ja", "Log out")],
    ids=["ja", "en"],
)
def test_the_browser_language_chooses_the_page_language(new_context, demo, locale, other, log_out):
    """The crawl's contexts really get their language: the page says so and is written in
    it, and the check finds a page in the other one."""
    context = new_context(locale=locale, viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    login(page, demo.url, "sato")
    page.goto(f"{demo.url}/")
    assert page.evaluate("document.documentElement.lang") == locale[:2]
    assert page.locator("header form button[type=submit]").last.inner_text() == log_out
    assert problems_of(page, "/", locale[:2]) == []
    problems = problems_of(page, "/", other)
    assert problems == [f"/: <html lang={locale[:2]!r}>, not {other}"], problems


def test_the_checks_see_a_page_wider_than_the_phone_and_a_contrast_failure(new_context, demo):
    """The two checks find what they look for: a page made too wide, a badge made pale."""
    context = new_context(locale="ja-JP", viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    login(page, demo.url, "sato")
    page.goto(f"{demo.url}/")
    page.evaluate(
        """() => {
        const wide = document.createElement('div');
        wide.style.width = '700px'; wide.textContent = 'wide';
        document.querySelector('main').append(wide);
        const pale = document.createElement('span');
        pale.textContent = 'レベル2'; pale.style.color = '#ffffff';
        pale.style.background = '#f3dc95';
        document.querySelector('main').append(pale);
    }"""
    )
    widths = page.evaluate(WIDTHS)
    assert widths["document"] > widths["viewport"] == 390
    page.add_script_tag(content=AXE)
    assert "color-contrast" in {v["id"] for v in page.evaluate(AXE_RUN)}
    problems = problems_of(page, "/", "ja")
    assert any(" px wide at 390 px" in problem for problem in problems), problems
    assert any("axe color-contrast" in problem for problem in problems), problems


def test_the_check_sees_a_lone_last_character_that_the_stylesheet_avoids(new_context, demo):
    """A heading 13 characters wide holding 14: wrapped plainly (the stylesheet before
    text-wrap: pretty) its last line is 「と」 alone and the check says so; under the site's
    stylesheet the same heading keeps more than one character on its last line."""
    context = new_context(locale="ja-JP", viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{demo.url}/")
    page.evaluate(
        """() => { for (const wrap of ['wrap', '']) {
        const heading = document.createElement('h2');
        heading.textContent = 'レベルチェック診断で測ること'; heading.style.width = '13.3em';
        heading.dataset.wrap = wrap || 'site';
        if (wrap) heading.style.textWrap = wrap;
        document.querySelector('main').append(heading);
    } }"""
    )
    lines = page.eval_on_selector_all(
        "main h2[data-wrap]", "hs => hs.map(h => Math.round(h.getBoundingClientRect().height))"
    )
    assert lines[0] == lines[1] > 40  # both wrap onto two lines
    assert page.evaluate(LONE_ENDINGS) == ["レベルチェック診断で測ること"]
    assert page.evaluate("getComputedStyle(document.querySelector('main h2')).textWrap") == (
        "pretty"
    )
    problems = problems_of(page, "/", "ja")
    assert problems == [
        "/: heading 'レベルチェック診断で測ること' ends with one character alone on a line"
    ], problems
