"""The commentary and roadmap API: GET and PUT of the texts, publishing and taking back to
draft, drafts never shown to managers (the same empty state as no commentary), the error
shape for bad input, and the roadmap with ?department=."""

import datetime

import pytest
from django.urls import reverse

from improvement.commentary.services import publish_commentary, save_commentary
from improvement.models import TEXT_MAX_LENGTH, Action, Commentary
from tests.matrix import api_as, check_api

pytestmark = pytest.mark.django_db

DRAFT_TEXT = "Draft-only sentence 7f3a"


def url(cast, department=None, *, publish=False):
    suffix = "-publish" if publish else ""
    if department is None:
        return reverse(f"api-commentary{suffix}", args=[cast.campaign.pk])
    return reverse(f"api-department-commentary{suffix}", args=[cast.campaign.pk, department.pk])


def save(cast, department=None, narrative=DRAFT_TEXT, findings=""):
    return save_commentary(
        campaign=cast.campaign,
        department=department,
        narrative=narrative,
        findings=findings,
        by=cast.users.consultant,
    )


def test_it_answers_the_empty_state_when_there_is_no_commentary(cast):
    reply = api_as(cast, "consultant").get(url(cast))
    check_api(reply, 200)
    assert reply.json() == {
        "campaign": cast.campaign.pk,
        "department": None,
        "status": "none",
        "narrative": "",
        "findings": "",
        "narrative_html": "",
        "findings_html": "",
        "published_at": None,
        "updated_at": None,
        "updated_by": "",
    }


def test_a_writer_puts_the_texts_and_gets_them_back_rendered(cast):
    client = api_as(cast, "consultant")
    reply = client.put(
        url(cast, cast.sales),
        {"narrative": "**bold** <script>x()</script>", "findings": "- a"},
        format="json",
    )
    check_api(reply, 200)
    body = reply.json()
    assert (body["department"], body["status"], body["updated_by"]) == (
        cast.sales.pk,
        "draft",
        "conny",
    )
    assert body["narrative"] == "**bold** <script>x()</script>"
    assert "<strong>bold</strong>" in body["narrative_html"]
    assert "<script" not in body["narrative_html"]
    assert body["findings_html"] == "<ul>\n<li>a</li>\n</ul>"
    assert Commentary.objects.get().narrative == "**bold** <script>x()</script>"


def test_the_manager_gets_the_empty_state_for_a_draft(cast):
    save(cast)
    save(cast, cast.sales)
    for address in (url(cast), url(cast, cast.sales)):
        reply = api_as(cast, "manager").get(address)
        check_api(reply, 200)
        assert reply.json()["status"] == "none"
        assert DRAFT_TEXT not in reply.content.decode()


def test_the_manager_reads_the_published_text(cast):
    publish_commentary(commentary=save(cast, cast.sales), by=cast.users.consultant)
    reply = api_as(cast, "manager").get(url(cast, cast.sales))
    check_api(reply, 200)
    assert (reply.json()["status"], reply.json()["narrative"]) == ("published", DRAFT_TEXT)


def test_publish_and_back_to_draft(cast):
    save(cast)
    client = api_as(cast, "org_admin")
    reply = client.post(url(cast, publish=True))
    check_api(reply, 200)
    assert reply.json()["status"] == "published" and reply.json()["published_at"]
    reply = client.delete(url(cast, publish=True))
    check_api(reply, 200)
    assert (reply.json()["status"], reply.json()["published_at"]) == ("draft", None)
    assert Commentary.objects.get().status == "draft"


def test_publishing_nothing_is_a_conflict(cast):
    client = api_as(cast, "consultant")
    check_api(client.post(url(cast, publish=True)), 409, "nothing_to_publish")
    save(cast, narrative=" ", findings="")
    check_api(client.post(url(cast, publish=True)), 409, "nothing_to_publish")
    assert Commentary.objects.get().status == "draft"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"findings": "x"}, "narrative"),
        ({"narrative": "x"}, "findings"),
        ({"narrative": None, "findings": ""}, "narrative"),
        ({"narrative": "x" * (TEXT_MAX_LENGTH + 1), "findings": ""}, "narrative"),
        ({"narrative": "", "findings": "x" * (TEXT_MAX_LENGTH + 1)}, "findings"),
        ({"narrative": ["a"], "findings": ""}, "narrative"),
    ],
)
def test_it_refuses_bad_input_with_the_error_shape(cast, body, field):
    reply = api_as(cast, "consultant").put(url(cast), body, format="json")
    check_api(reply, 400, "invalid")
    assert field in reply.json()["error"]["fields"]
    assert not Commentary.objects.exists()


def test_it_refuses_a_control_character_with_a_code(cast):
    reply = api_as(cast, "consultant").put(
        url(cast), {"narrative": "a\x0bb", "findings": ""}, format="json"
    )
    check_api(reply, 400, "narrative_unstorable")
    assert reply.json()["error"]["fields"] == {"narrative": [reply.json()["error"]["message"]]}


def test_a_published_commentary_edited_stays_published(cast):
    publish_commentary(commentary=save(cast), by=cast.users.consultant)
    reply = api_as(cast, "consultant").put(
        url(cast), {"narrative": "new", "findings": ""}, format="json"
    )
    check_api(reply, 200)
    assert (reply.json()["status"], reply.json()["narrative"]) == ("published", "new")
    assert api_as(cast, "manager").get(url(cast)).json()["narrative"] == "new"


# ------------------------------------------------------------------------------ roadmap


def roadmap_url(cast, department=None):
    address = reverse("api-roadmap", args=[cast.campaign.pk])
    return address if department is None else f"{address}?department={department}"


@pytest.fixture
def actions(cast):
    today = datetime.date.today()
    made = {}
    for department, title, days in (
        (cast.sales, "sales overdue", -1),
        (cast.sales, "sales later", 120),
        (cast.success, "success 60", 45),
    ):
        made[title] = Action.objects.create(
            campaign=cast.campaign,
            department=department,
            dimension_code="kpi",
            title=title,
            owner=cast.users.staff,
            due_on=today + datetime.timedelta(days=days),
        )
    return made


def bucket_titles(reply) -> dict[str, list[str]]:
    return {b["key"]: [i["title"] for i in b["items"]] for b in reply.json()["buckets"]}


def test_the_roadmap_has_the_four_buckets(cast, actions):
    reply = api_as(cast, "consultant").get(roadmap_url(cast))
    check_api(reply, 200)
    assert bucket_titles(reply) == {
        "30": ["sales overdue"],
        "60": ["success 60"],
        "90": [],
        "later": ["sales later"],
    }
    [item] = reply.json()["buckets"][0]["items"]
    assert item == {
        "action": actions["sales overdue"].pk,
        "title": "sales overdue",
        "department": cast.sales.pk,
        "department_name": "Sales",
        "dimension": "kpi",
        "dimension_title": item["dimension_title"],
        "owner": "sasaki",
        "due_on": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
        "status": "planned",
        "overdue": True,
    }
    assert item["dimension_title"] in {"kpi axis", "kpiの軸"}
    assert reply.json()["department"] is None


def test_the_roadmap_of_one_department(cast, actions):
    reply = api_as(cast, "org_admin").get(roadmap_url(cast, cast.success.pk))
    check_api(reply, 200)
    assert reply.json()["department"] == cast.success.pk
    assert bucket_titles(reply)["60"] == ["success 60"]
    assert bucket_titles(reply)["30"] == []


def test_a_manager_gets_their_own_departments_roadmap(cast, actions):
    reply = api_as(cast, "manager").get(roadmap_url(cast))
    check_api(reply, 200)
    assert reply.json()["department"] == cast.sales.pk
    assert "success 60" not in reply.content.decode()
    check_api(api_as(cast, "manager").get(roadmap_url(cast, cast.success.pk)), 403)


@pytest.mark.parametrize("value", ["abc", "0", "-1", str(2**64), "1.5"])
def test_the_roadmap_refuses_a_bad_department(cast, value):
    reply = api_as(cast, "consultant").get(roadmap_url(cast, value))
    check_api(reply, 400, "invalid")
    assert "department" in reply.json()["error"]["fields"]


def test_the_roadmap_404s_for_a_department_outside_the_campaign(cast):
    reply = api_as(cast, "consultant").get(roadmap_url(cast, cast.globex_sales.pk))
    check_api(reply, 404)


def test_the_roadmap_reads_in_a_bounded_number_of_queries(
    cast, actions, django_assert_max_num_queries
):
    for n in range(20):
        Action.objects.create(
            campaign=cast.campaign,
            department=cast.sales,
            dimension_code="data",
            title=f"a{n}",
            owner=cast.users.manager,
            due_on=datetime.date.today() + datetime.timedelta(days=n * 6),
        )
    client = api_as(cast, "consultant")
    with django_assert_max_num_queries(8):
        reply = client.get(roadmap_url(cast))
    assert sum(len(b["items"]) for b in reply.json()["buckets"]) == 23


def test_the_commentary_reads_in_a_bounded_number_of_queries(cast, django_assert_max_num_queries):
    save(cast)
    client = api_as(cast, "manager")
    with django_assert_max_num_queries(8):
        check_api(client.get(url(cast)), 200)
