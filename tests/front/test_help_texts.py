"""A field's help text is read out with the field: the paragraph under it carries the id that
Django's widgets name in ``aria-describedby`` (``<auto_id>_helptext``). The learning-path,
evidence, evidence review and commentary forms wrote ``<auto_id>-help`` or no id at all, so a
screen reader heard none of their help. The learning-path form also explains its members and
due date. Checked on the demo's pages as its people see them."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Campaign, Department
from improvement.models import Action, Evidence
from maturity.framework_file import load_framework_file
from maturity.framework_io import import_framework
from training.services import import_modules

FRAMEWORK = Path(settings.BASE_DIR) / "maturity" / "frameworks" / "customer-engagement.yaml"


@pytest.fixture
def demo(db, django_user_model):
    source = FRAMEWORK.name
    import_framework(load_framework_file(FRAMEWORK.read_bytes(), source=source), source=source)
    import_modules(directory=Path(settings.BASE_DIR) / "training" / "content")
    call_command("setup_demo", verbosity=0)
    current = Campaign.objects.get(status=Campaign.Status.OPEN, organisation__slug="sample-saas")
    sales = Department.objects.get(organisation=current.organisation, name="営業部")
    return {
        "learning path": (
            "takahashi",
            reverse("training:learning-path", args=[current.pk, sales.pk]),
        ),
        "evidence": (
            "takahashi",
            reverse(
                "improvement:action-evidence-create",
                args=[Action.objects.filter(campaign=current, department=sales).first().pk],
            ),
        ),
        "evidence review": (
            "tanaka",
            reverse(
                "improvement:evidence-detail",
                args=[Evidence.objects.filter(campaign=current, status="pending").first().pk],
            ),
        ),
        "commentary": ("tanaka", reverse("improvement:commentary", args=[current.pk])),
    }


def described(html: str) -> tuple[list[str], set[str]]:
    """The ids that controls name in aria-describedby, and the ids present on the page."""
    wanted = [i for value in re.findall(r'aria-describedby="([^"]+)"', html) for i in value.split()]
    return wanted, set(re.findall(r'\bid="([^"]+)"', html))


@pytest.mark.parametrize("form", ["learning path", "evidence", "evidence review", "commentary"])
def test_every_help_text_is_the_one_its_field_names(client, django_user_model, demo, form):
    username, url = demo[form]
    client.force_login(django_user_model.objects.get(username=username))
    html = client.get(url).content.decode()
    wanted, present = described(html)
    helps = [i for i in wanted if i.endswith("_helptext")]
    assert helps, f"no field of the {form} form names a help text"
    assert [i for i in wanted if i not in present] == []
    # and no help paragraph under a field is left unnamed by it
    for help_id in re.findall(r'<(?:p|div) class="[^"]*" id="(id_\w+_helptext)"', html):
        assert help_id in wanted, help_id


def test_the_learning_path_form_explains_its_members_and_due_date(client, django_user_model, demo):
    username, url = demo["learning path"]
    client.force_login(django_user_model.objects.get(username=username))
    html = client.get(url).content.decode()
    assert '<fieldset aria-describedby="id_members_helptext"><legend>割り当て先</legend>' in html
    assert re.search(r'<input type="date"[^>]*aria-describedby="id_due_on_helptext"', html)
    assert (
        '<div class="field-help muted" id="id_members_helptext">'
        "選んだメンバーのホーム画面と勉強会の一覧に、期限とともにモジュールが表示されます。</div>"
    ) in html
    assert "目安の期限です。期限を過ぎてもモジュールは受講でき" in html
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A date to aim for: the modules stay open after it" in english


BLANK = {"csrfmiddlewaretoken": "sent-by-the-browser"}


def form_pages(demo_ids):
    """(name, user, method, url, data): every form page of the site as its user first sees it
    and as it comes back refused (a POST of the blank form: a browser sends at least the CSRF
    token, so the form is bound), where Django writes aria-describedby for
    the help text and the errors."""
    current, sales, action, evidence, organisation = demo_ids
    campaign_page = reverse("assessments:campaign-detail", args=[current.pk])
    return [
        (
            "new campaign",
            "sato",
            "get",
            reverse("assessments:campaign-create", args=[organisation.pk]),
            None,
        ),
        (
            "new campaign refused",
            "sato",
            "post",
            reverse("assessments:campaign-create", args=[organisation.pk]),
            BLANK,
        ),
        (
            "organisation settings",
            "sato",
            "get",
            reverse("assessments:organisation-settings", args=[organisation.pk]),
            None,
        ),
        (
            "organisation settings refused",
            "sato",
            "post",
            reverse("assessments:organisation-settings", args=[organisation.pk]),
            {"business_model": "nonsense"},
        ),
        ("campaign page", "sato", "get", campaign_page, None),
        (
            "respondent refused",
            "sato",
            "post",
            reverse("assessments:campaign-add-respondent", args=[current.pk]),
            BLANK,
        ),
        (
            "deadline refused",
            "sato",
            "post",
            reverse("assessments:campaign-deadline", args=[current.pk]),
            {"closes_on": "soon"},
        ),
        (
            "learning path refused",
            "takahashi",
            "post",
            reverse("training:learning-path", args=[current.pk, sales.pk]),
            BLANK,
        ),
        (
            "action refused",
            "tanaka",
            "post",
            reverse("improvement:action-create", args=[current.pk, sales.pk]),
            BLANK,
        ),
        (
            "evidence refused",
            "takahashi",
            "post",
            reverse("improvement:action-evidence-create", args=[action.pk]),
            BLANK,
        ),
        (
            "evidence review refused",
            "tanaka",
            "post",
            reverse("improvement:evidence-review", args=[evidence.pk]),
            {"decision": "rejected"},
        ),
        (
            "milestone refused",
            "sato",
            "post",
            reverse("improvement:milestones", args=[current.pk]),
            BLANK,
        ),
        (
            "compare refused",
            "sato",
            "get",
            reverse("improvement:compare", args=[current.pk]) + "?before=x&after=y",
            None,
        ),
    ]


@pytest.fixture
def demo_ids(demo):
    current = Campaign.objects.get(status=Campaign.Status.OPEN, organisation__slug="sample-saas")
    sales = Department.objects.get(organisation=current.organisation, name="営業部")
    action = Action.objects.filter(campaign=current, department=sales).first()
    evidence = Evidence.objects.filter(campaign=current, status="pending").first()
    return current, sales, action, evidence, current.organisation


FORM_PAGE_NAMES = [
    "new campaign",
    "new campaign refused",
    "organisation settings",
    "organisation settings refused",
    "campaign page",
    "respondent refused",
    "deadline refused",
    "learning path refused",
    "action refused",
    "evidence refused",
    "evidence review refused",
    "milestone refused",
    "compare refused",
]


@pytest.mark.parametrize("name", FORM_PAGE_NAMES)
def test_every_form_names_only_help_and_errors_that_are_on_the_page(
    client, django_user_model, demo_ids, name
):
    """A field's aria-describedby names ids that exist (Django writes <auto_id>_helptext and
    <auto_id>_error; the pages wrote -help and -error, so the error of a refused field was
    never read out with it), and every help text and error under a field is named by it."""
    pages = {page[0]: page[1:] for page in form_pages(demo_ids)}
    assert list(pages) == FORM_PAGE_NAMES
    username, method, url, data = pages[name]
    client.force_login(django_user_model.objects.get(username=username))
    reply = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert reply.status_code in (200, 400), (reply.status_code, url)
    html = reply.content.decode()
    wanted, present = described(html)
    assert [i for i in wanted if i not in present] == []
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []  # no id twice
    under_fields = re.findall(r'\bid="(id_[\w-]+_(?:helptext|error))"', html)
    assert [i for i in under_fields if i not in wanted] == []
    if name.endswith("refused"):
        assert reply.status_code == 400 or "aria-invalid" in html, reply.status_code
        errors = [i for i in under_fields if i.endswith("_error")]
        assert errors, f"the refused {name} page shows no field error"
        for error_id in errors:  # the control itself says it is invalid
            field_id = error_id.removesuffix("_error")
            assert re.search(
                rf'(id="{field_id}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field_id}"'
                rf'|aria-describedby="[^"]*{error_id})',
                html,
            ), error_id
