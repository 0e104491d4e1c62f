"""Every main page, rendered in Japanese for the demo roles, shows no English UI text.

tests/config/test_i18n.py checks the catalogue; this checks what people read. The demo data
(the shipped framework and modules, ``setup_demo``) is built once for the module; each role's
pages (two error pages and four forms sent back with errors too) are rendered with
``Accept-Language: ja`` and their visible text (text nodes and the
``title``, ``placeholder``, ``aria-label``, ``alt`` and button ``value`` attributes; not
scripts or styles) is checked three ways:

- no msgid of the project's catalogue that has a Japanese translation (≥ 2 words, msgstr
  different from the msgid) shows as such: a string rendered outside gettext, or a stale
  catalogue;
- every gettext call made while rendering resolves: a UI string missing from the catalogue
  (a new ``{% translate %}`` nobody added to django.po) shows up here;
- no run of three or more English words is left in the text, apart from an allow-list of
  names that stay English (LevelCheck, CSV, …): English that never went through gettext.
"""

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from assessments.models import Campaign, Response
from maturity.models import Dimension
from training.models import LearningPath, Module

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"
FRAMEWORK_FILE = Path(settings.BASE_DIR) / "maturity" / "frameworks" / "customer-engagement.yaml"
CURRENT = "2026年度 下期 レベルチェック"

# English that stays English on a Japanese page: names and format labels.
ALLOWED_ENGLISH = {"LevelCheck", "CSV", "XLSX", "PDF", "API", "LTV", "KPI"}

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, built once for the module; the test database is emptied after."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast):
        try:
            out = io.StringIO()
            call_command("import_framework", str(FRAMEWORK_FILE), stdout=out)
            call_command("import_modules", verbosity=0, stdout=out)
            call_command("setup_demo", stdout=out)
            yield pages()
        finally:
            call_command("flush", interactive=False, verbosity=0)


def pages() -> dict[str | None, list[tuple]]:
    """username (None: anonymous): [(page name, URL[, status])] — every main page for one
    role or more, and the error pages."""
    campaign = Campaign.objects.get(name=CURRENT)
    by_name = {d.name: d for d in campaign.departments.all()}
    sales = by_name["営業部"]
    dimension = Dimension.objects.filter(framework=campaign.framework).order_by("order").first()
    module = Module.objects.order_by("order").first()

    def response_of(username):
        return Response.objects.get(campaign=campaign, respondent__username=username)

    takahashi, watanabe = response_of("takahashi"), response_of("watanabe")
    pk, organisation = campaign.pk, campaign.organisation_id
    results = [
        ("results campaign", reverse("results:campaign", args=[pk])),
        ("results department", reverse("results:department", args=[pk, sales.pk])),
        ("results explain", reverse("results:explain", args=[pk, sales.pk, dimension.code])),
    ]
    learning = [
        ("module list", reverse("training:module-list")),
        ("module detail", reverse("training:module-detail", args=[module.slug])),
        ("quiz", reverse("training:module-quiz", args=[module.slug])),
    ]
    assert LearningPath.objects.filter(department=sales).exists()
    return {
        None: [
            ("login", reverse("login")),
            ("password reset", reverse("password_reset")),
            ("password reset sent", reverse("password_reset_done")),
            ("page not found", "/no-such-page/", 404),
        ],
        "sato": [
            ("home", reverse("home")),
            ("campaign list", reverse("assessments:campaign-list")),
            ("campaign detail", reverse("assessments:campaign-detail", args=[pk])),
            ("campaign form", reverse("assessments:campaign-create", args=[organisation])),
            *results,
            ("reports", reverse("reports:campaign-reports", args=[pk])),
            ("handouts", reverse("reports:handouts", args=[organisation])),
            ("team progress", reverse("training:team-progress")),
            ("learning path", reverse("training:learning-path", args=[pk, sales.pk])),
            ("calculators", reverse("training:calculators")),
            ("framework", reverse("maturity:framework-detail", args=[campaign.framework.slug])),
        ],
        "tanaka": [
            ("home", reverse("home")),
            ("campaign detail", reverse("assessments:campaign-detail", args=[pk])),
            *results,
        ],
        "takahashi": [
            ("home", reverse("home")),
            (
                "questionnaire",
                reverse("assessments:questionnaire", args=[takahashi.pk, dimension.code]),
            ),
            ("review", reverse("assessments:response-review", args=[takahashi.pk])),
            ("results department", reverse("results:department", args=[pk, sales.pk])),
            ("team progress", reverse("training:team-progress")),
        ],
        "watanabe": [
            ("home", reverse("home")),
            ("review (submitted)", reverse("assessments:response-review", args=[watanabe.pk])),
        ],
        "nakamura": [("home", reverse("home")), *learning],
        "kimura": [
            ("home", reverse("home")),
            ("campaign list", reverse("assessments:campaign-list")),
            ("another organisation's results", reverse("results:campaign", args=[pk]), 404),
        ],
    }


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes and the attributes shown as text, each a chunk."""

    SKIPPED = {"script", "style"}
    SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        attributes = dict(attrs)
        for name in self.SHOWN_ATTRIBUTES & attributes.keys():
            self.add(attributes[name])
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.add(attributes.get("value"))

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)

    def handle_data(self, data):
        if not self.skipping:
            self.add(data)

    def add(self, text) -> None:
        text = " ".join((text or "").split())
        if text:
            self.chunks.append(text)


def visible_chunks(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.chunks


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[A-Za-z]+")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def translated_msgids() -> list[str]:
    """The English fragments (between placeholders, tags stripped, ≥ 2 words) of every
    catalogue entry with a Japanese translation different from its msgid."""
    fragments = set()
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        sources = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            sources.append((entry.msgid_plural, entry.msgstr_plural.get(1, "")))
        for msgid, msgstr in sources:
            if not msgstr or msgstr == msgid:
                continue
            for fragment in PLACEHOLDER.split(TAG.sub(" ", msgid)):
                fragment = " ".join(fragment.split()).strip(" .,:;")
                if len(WORD.findall(fragment)) >= 2:
                    fragments.add(fragment)
    return sorted(fragments)


# Three or more English words in a row; e-mail addresses and URLs are removed first.
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ ,:;/&()-]+[A-Za-z][A-Za-z'’]*){2,}")
NOT_PROSE = re.compile(r"\S+@\S+|https?://\S+|/\S*")


def english_runs(chunks: list[str]) -> list[str]:
    runs = []
    for chunk in chunks:
        for run in ENGLISH_RUN.findall(NOT_PROSE.sub(" ", chunk)):
            if len([w for w in WORD.findall(run) if w not in ALLOWED_ENGLISH]) >= 3:
                runs.append(run)
    return runs


@pytest.fixture
def unresolved(monkeypatch):
    """The msgids that gettext looked up during the test, in Japanese, and returned
    unchanged (no translation in any catalogue)."""
    missed: set[str] = set()
    trans = translation._trans
    # Every catalogue in use (Django's, the apps', the project's) merged, as gettext reads it.
    catalog = trans_real.translation("ja")._catalog

    def recording(name, message_and_key):
        original = getattr(trans, name)

        def lookup(*args):
            result = original(*args)
            message, key = message_and_key(*args)
            if (
                translation.get_language() == "ja"
                and isinstance(message, str)  # a lazy msgid resolves through gettext again
                and result == message
                and WORD.search(message)
                and key not in catalog  # translated to itself, e.g. "LTV ÷ CAC"
            ):
                missed.add(message)
            return result

        monkeypatch.setattr(trans, name, lookup)

    recording("gettext", lambda message: (message, message))
    recording("pgettext", lambda context, message: (message, f"{context}\x04{message}"))
    recording(
        "ngettext", lambda singular, plural, n: (singular if n == 1 else plural, (singular, 0))
    )
    recording(
        "npgettext",
        lambda context, singular, plural, n: (
            singular if n == 1 else plural,
            (f"{context}\x04{singular}", 0),
        ),
    )
    return missed


def render(client: Client, url: str, language: str = "ja", status: int = 200) -> list[str]:
    reply = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert reply.status_code == status, (url, reply.status_code)
    return visible_chunks(reply.content.decode())


def problems_of(chunks: list[str], msgids: list[str]) -> dict[str, list[str]]:
    text = " ".join(" ".join(chunks).split())
    found = {
        "English msgids": [m for m in msgids if m in text],
        "English phrases": english_runs(chunks),
    }
    return {kind: items for kind, items in found.items() if items}


ROLES = [None, "sato", "tanaka", "takahashi", "watanabe", "nakamura", "kimura"]
MAIN_PAGES = {
    "home",
    "campaign list",
    "campaign detail",
    "results campaign",
    "results department",
    "results explain",
    "questionnaire",
    "review",
    "module list",
    "module detail",
    "quiz",
    "team progress",
    "learning path",
    "reports",
    "login",
    "password reset",
}


@pytest.mark.parametrize("username", ROLES, ids=[str(role) for role in ROLES])
def test_every_page_of_the_role_is_in_japanese(demo, unresolved, username):
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    msgids = translated_msgids()
    problems = []
    for name, url, *status in demo[username]:
        unresolved.clear()
        found = problems_of(render(client, url, status=status[0] if status else 200), msgids)
        found["msgid without a translation"] = sorted(unresolved)
        problems += [
            f"{name} ({url}), {kind}: {item}" for kind, items in found.items() for item in items
        ]
    assert problems == []


def test_the_main_pages_are_all_checked(demo):
    checked = {name for pages in demo.values() for name, *_ in pages}
    assert checked >= MAIN_PAGES


def test_the_home_page_speaks_japanese_and_english_on_request(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="sato"))
    catalogue = polib.pofile(str(CATALOGUE))
    japanese = {entry.msgstr for entry in catalogue.translated_entries() if entry.msgstr}
    english = {entry.msgid for entry in catalogue.translated_entries()}
    in_japanese, in_english = render(client, "/"), render(client, "/", language="en")
    assert JAPANESE.search(" ".join(in_japanese))
    assert len(japanese & set(in_japanese)) >= 5
    assert len(english & set(in_english)) >= 5
    # Only what reads the same in both languages, and the language switcher's 日本語.
    assert japanese & set(in_english) <= english | {"日本語"}


def test_the_checks_find_english_on_an_english_page(demo):
    """The same checks on the login page in English see what they look for."""
    chunks = render(Client(), reverse("login"), language="en")
    found = problems_of(chunks, translated_msgids())
    assert found["English msgids"] and found["English phrases"]


def test_a_msgid_missing_from_the_catalogue_is_recorded(unresolved):
    with translation.override("ja"):
        assert translation.gettext("Log in") == "ログイン"
        translation.gettext("A heading nobody translated")
        translation.pgettext("menu", "Another heading nobody translated")
    with translation.override("en"):
        translation.gettext("An English page is not checked")
    assert unresolved == {"A heading nobody translated", "Another heading nobody translated"}


def test_forms_with_errors_are_in_japanese(demo, unresolved):
    """A form sent back with its errors: the errors come from Python, not the template."""
    campaign = Campaign.objects.get(name=CURRENT)
    sales = campaign.departments.get(name="営業部")
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="sato"))
    forms = [
        (Client(), reverse("login"), {"username": "sato", "password": "wrong"}),
        (
            admin,
            reverse("assessments:campaign-create", args=[campaign.organisation_id]),
            {"name": "下期"},
        ),
        (admin, reverse("training:learning-path", args=[campaign.pk, sales.pk]), {"name": "x"}),
        (
            admin,
            reverse("training:module-quiz", args=[Module.objects.order_by("order")[0].slug]),
            {"x": "1"},
            400,  # an incomplete quiz is refused, with the form and its error
        ),
    ]
    msgids, problems = translated_msgids(), []
    for client, url, data, *status in forms:
        unresolved.clear()
        reply = client.post(url, data, HTTP_ACCEPT_LANGUAGE="ja")
        html = reply.content.decode()
        assert reply.status_code == (status[0] if status else 200), (url, reply.status_code)
        assert re.search(r'errorlist|role="alert"|field-error', html), url  # sent back with errors
        found = problems_of(visible_chunks(html), msgids)
        found["msgid without a translation"] = sorted(unresolved)
        problems += [f"{url}, {kind}: {item}" for kind, items in found.items() for item in items]
    assert problems == []
