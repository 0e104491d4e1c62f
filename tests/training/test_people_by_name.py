"""People by name: the learning-path form lists members by full name, the reopen message,
the assignment message and the results page's assigned learning name the person, never the
login name."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments import services as assessment_services
from training import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(cast):
    for user, last, first in (
        (cast.users.staff, "佐々木", "葵"),
        (cast.users.manager, "森", "健"),
    ):
        user.last_name, user.first_name = last, first
        user.save()
    return cast


def test_the_learning_path_form_lists_members_by_full_name(client, named, module):
    client.force_login(named.users.org_admin)
    url = reverse("training:learning-path", args=[named.campaign.pk, named.sales.pk])
    page = client.get(url)
    choices = dict(page.context["form"].fields["members"].choices)
    assert choices == {str(named.users.staff.pk): "佐々木 葵", str(named.users.manager.pk): "森 健"}
    html = page.content.decode()
    assert "佐々木 葵" in html and "sasaki" not in html


def test_a_member_without_a_name_is_listed_by_login_name(client, cast, module):
    client.force_login(cast.users.org_admin)
    url = reverse("training:learning-path", args=[cast.campaign.pk, cast.sales.pk])
    choices = dict(client.get(url).context["form"].fields["members"].choices)
    assert choices[str(cast.users.staff.pk)] == "sasaki"


def test_the_reopen_message_names_the_person(client, named):
    assessment_services.submit_response(response=named.response)
    client.force_login(named.users.org_admin)
    reply = client.post(reverse("assessments:response-reopen", args=[named.response.pk]))
    assert [m.message for m in get_messages(reply.wsgi_request)] == [
        "森 健 さんの回答を再開しました。"
    ]


def test_the_results_page_names_the_assignees_of_its_learning(client, named, module):
    services.create_and_assign_path(
        organisation=named.acme,
        department=named.sales,
        name="営業部の学習パス",
        modules=[module],
        users=[named.users.staff],
        due_on=datetime.date(2030, 1, 31),
        created_by=named.users.manager,
        campaign=named.campaign,
    )
    client.force_login(named.users.manager)
    url = reverse("results:department", args=[named.campaign.pk, named.sales.pk])
    html = client.get(url).content.decode()
    section = html[html.index('id="assigned-learning"') :]
    section = section[: section.index("</section>")]
    assert "営業部の学習パス" in section and "LTVの基本" in section
    assert "佐々木 葵" in section and "期限 2030年1月31日" in section
    assert "sasaki" not in section


def test_a_refused_assignment_names_the_outsider(named, module):
    other = named.users.other_manager  # manages Customer Success, not a member of Sales
    other.last_name, other.first_name = "岡田", "誠"
    other.save()
    with pytest.raises(services.TrainingError) as refusal:
        services.create_and_assign_path(
            organisation=named.acme,
            department=named.sales,
            name="Sales path",
            modules=[module],
            users=[named.users.staff, other],
            due_on=datetime.date(2030, 1, 1),
            created_by=named.users.manager,
        )
    assert refusal.value.message == "岡田 誠 は Sales のメンバーではありません。"


def assign(client, cast, module, members, **headers):
    url = reverse("training:learning-path", args=[cast.campaign.pk, cast.sales.pk])
    form = {"name": "営業部の学習パス", "modules": [module.pk], "due_on": "2030-01-31"}
    data = {**form, "members": [str(u.pk) for u in members]}
    reply = client.post(url, data, follow=True, **headers)
    assert reply.redirect_chain, reply.content.decode()[:500]  # assigned, on the results page
    return [m.message for m in reply.context["messages"]]


def test_the_assignment_message_names_the_people(client, named, module):
    client.force_login(named.users.org_admin)
    assert assign(client, named, module, [named.users.staff]) == [
        "営業部の学習パス を 佐々木 葵 に割り当てました（1 人）。"
    ]
    both = [named.users.staff, named.users.manager]
    assert assign(client, named, module, both) == [
        "営業部の学習パス を 佐々木 葵、森 健 に割り当てました（2 人）。"
    ]


def test_the_assignment_message_in_english(client, named, module):
    client.force_login(named.users.org_admin)
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}
    assert assign(client, named, module, [named.users.staff], **en) == [
        "Assigned 営業部の学習パス to 佐々木 葵."
    ]
    assert assign(client, named, module, [named.users.staff, named.users.manager], **en) == [
        "Assigned 営業部の学習パス to 2 people: 佐々木 葵, 森 健."
    ]
