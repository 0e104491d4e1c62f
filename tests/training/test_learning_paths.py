"""Learning paths: proposed from a department's lowest dimensions, assigned in one
transaction, and scoped by role."""

import copy
import datetime
import re

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from assessments.services import AnswerInput
from maturity.framework_io import import_framework
from tests.assessments.conftest import open_campaign
from tests.training.conftest import META, english, write_module
from training import services
from training.models import Assignment, LearningPath, LearningPathItem, Module
from training.services import import_modules

pytestmark = pytest.mark.django_db

# Sales answers so that its dimensions come out data 1.00 < tools 2.33 < kpi 3.00 < talent 5.00:
# choice index per question (choices score 1, 3, 5; the second question weighs 2).
ANSWERS = {"data": (0, 0), "tools": (0, 1), "kpi": (1, 1), "talent": (2, 2)}
# Module order runs against the expected proposal order, so sorting by it cannot pass.
MODULE_ORDER = {"talent": 1, "kpi": 2, "tools": 3, "data": 4}


@pytest.fixture
def four_dimensions(cast, framework_data, tmp_path):
    """A campaign on a four-dimension framework where Sales' manager has answered
    (threshold 1, so the scores are shown), and one module per dimension."""
    data = copy.deepcopy(framework_data)
    data["slug"] = "four"
    template = data["dimensions"][0]
    for code in ("tools", "talent"):
        dimension = copy.deepcopy(template)
        dimension["code"] = code
        dimension["title"] = {"ja": f"{code}の軸", "en": f"{code} axis"}
        for question in dimension["questions"]:
            question["code"] = question["code"].replace("kpi", code)
        data["dimensions"].append(dimension)
    framework = import_framework(data, source="four.yaml")
    campaign = open_campaign(organisation=cast.acme, framework=framework, departments=[cast.sales])
    campaign.anonymity_threshold = 1
    campaign.save()
    response = campaign.responses.get(respondent=cast.users.manager)
    items = []
    for question in framework.questions.prefetch_related("choices").select_related("dimension"):
        index = ANSWERS[question.dimension.code][int(question.code[-1])]
        items.append(
            AnswerInput(question_id=question.pk, choice_id=list(question.choices.all())[index].pk)
        )
    assessment_services.save_answers(response=response, items=items)
    assessment_services.submit_response(response=response)
    for code, order in MODULE_ORDER.items():
        meta = copy.deepcopy(META)
        meta.update(order=order, title=f"{code}の学習", dimensions=[{"code": code, "levels": [1]}])
        en = english(meta)
        en["title"] = f"Learning {code}"
        write_module(tmp_path, slug=f"learn-{code}", ja=meta, en=en)
    import_modules(directory=tmp_path)
    return campaign


def test_a_path_is_proposed_from_the_lowest_dimensions_and_assigned(client, cast, four_dimensions):
    client.force_login(cast.users.manager)
    url = reverse("training:learning-path", args=[four_dimensions.pk, cast.sales.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    # The three lowest dimensions, lowest first; the highest (talent, 5.00) is not proposed.
    expected = [
        ("learn-data", "data axis", 1.0),
        ("learn-tools", "tools axis", 2.33),
        ("learn-kpi", "kpi axis", 3.0),
    ]
    proposals = page.context["proposals"]
    assert [(p["module"].slug, p["dimension"], round(p["mean"], 2)) for p in proposals] == expected
    slugs = [slug for slug, _dimension, _mean in expected]
    pks = [Module.objects.get(slug=slug).pk for slug in slugs]
    assert page.context["form"].initial["modules"] == pks
    html = page.content.decode()
    why = r'<li><strong>Learning (\w+)</strong> <span class="muted">(.+?)</span>'
    assert re.findall(why, html) == [
        ("data", "data axis · 1.00"),
        ("tools", "tools axis · 2.33"),
        ("kpi", "kpi axis · 3.00"),
    ]
    checked = re.findall(r'<input type="checkbox" name="modules" value="(\d+)"[^>]*checked', html)
    assert sorted(int(pk) for pk in checked) == sorted(pks)
    assert Module.objects.get(slug="learn-talent").pk not in {int(pk) for pk in checked}

    due = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()
    form = {"name": "Sales path", "modules": pks, "members": [str(cast.users.staff.pk)]}
    reply = client.post(url, {**form, "due_on": due})
    assert reply.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.user, assignment.path.department) == (cast.users.staff, cast.sales)
    assert assignment.due_on.isoformat() == due
    assert [item.module.slug for item in assignment.path.items.order_by("order")] == [
        "learn-kpi",
        "learn-tools",
        "learn-data",
    ]  # the path keeps the modules' own order
    client.force_login(cast.users.staff)
    home = client.get(reverse("home")).content.decode()
    assert "dataの学習" in home
    items = client.get(reverse("training:module-list")).context["items"]
    assert items[0]["assignment"] == assignment


def test_a_refused_assignment_leaves_no_path_behind(cast, module):
    # okada manages Customer Success: not a member of Sales, so the service refuses him.
    with pytest.raises(services.TrainingError) as refusal:
        services.create_and_assign_path(
            organisation=cast.acme,
            department=cast.sales,
            name="Sales path",
            modules=[module],
            users=[cast.users.staff, cast.users.other_manager],
            due_on=datetime.date(2030, 1, 1),
            created_by=cast.users.manager,
        )
    assert refusal.value.code == "not_a_member" and "okada" in refusal.value.message
    assert not LearningPath.objects.exists()
    assert not LearningPathItem.objects.exists() and not Assignment.objects.exists()


def test_a_path_is_assigned_to_members_of_its_department(cast, module):
    path = services.create_and_assign_path(
        organisation=cast.acme,
        department=cast.sales,
        name="Sales path",
        modules=[module],
        users=[cast.users.staff, cast.users.manager],
        due_on=datetime.date(2030, 1, 1),
        created_by=cast.users.manager,
    )
    assert sorted(a.user.username for a in path.assignments.all()) == ["mori", "sasaki"]
    assert [item.module for item in path.items.all()] == [module]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("other_manager", 403),
        ("staff", 403),
        ("outsider", 404),
        ("consultant_without_access", 404),
        ("org_admin", 200),
        ("consultant", 200),
    ],
)
def test_paths_are_scoped(client, cast, module, role, status):
    client.force_login(getattr(cast.users, role))
    url = reverse("training:learning-path", args=[cast.campaign.pk, cast.sales.pk])
    assert client.get(url).status_code == status
    client.post(url, {"name": "x", "modules": [module.pk], "members": [], "due_on": "2030-01-01"})
    if status != 200:
        assert not LearningPath.objects.exists()
