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
    for help_id in re.findall(r'<p class="[^"]*" id="(id_\w+_helptext)"', html):
        assert help_id in wanted, help_id


def test_the_learning_path_form_explains_its_members_and_due_date(client, django_user_model, demo):
    username, url = demo["learning path"]
    client.force_login(django_user_model.objects.get(username=username))
    html = client.get(url).content.decode()
    assert '<fieldset aria-describedby="id_members_helptext"><legend>割り当て先</legend>' in html
    assert re.search(r'<input type="date"[^>]*aria-describedby="id_due_on_helptext"', html)
    assert (
        '<p class="field-help muted" id="id_members_helptext">'
        "選んだメンバーのホーム画面と勉強会の一覧に、期限とともにモジュールが表示されます。</p>"
    ) in html
    assert "目安の期限です。期限を過ぎてもモジュールは受講でき" in html
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A date to aim for: the modules stay open after it" in english
