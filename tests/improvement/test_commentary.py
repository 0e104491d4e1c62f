"""The consultant's commentary: saving, publishing and taking back to draft (services), who
reads what (selectors), the Markdown sanitised, the pages and the inclusion tags, and the
pages in Japanese."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from assessments.access import standing_in
from improvement.commentary.selectors import commentary_for, markdown_source, rendered
from improvement.commentary.services import (
    CommentaryError,
    publish_commentary,
    save_commentary,
    unpublish_commentary,
)
from improvement.models import TEXT_MAX_LENGTH, Action, Commentary
from tests.config.test_translated_pages import (
    problems_of,
    translated_msgids,
    unresolved,  # noqa: F401 - a fixture
    visible_chunks,
)

pytestmark = pytest.mark.django_db

DRAFT_TEXT = "Draft-only sentence 7f3a"
PUBLISHED_TEXT = "Published sentence 91bc"


def save(cast, department=None, narrative=DRAFT_TEXT, findings="- one finding", by=None):
    return save_commentary(
        campaign=cast.campaign,
        department=department,
        narrative=narrative,
        findings=findings,
        by=by or cast.users.consultant,
    )


def published(cast, department=None, narrative=PUBLISHED_TEXT):
    commentary = save(cast, department, narrative=narrative)
    return publish_commentary(commentary=commentary, by=cast.users.consultant)


def standing(cast, role):
    return standing_in(getattr(cast.users, role), cast.acme.pk)


# ------------------------------------------------------------------------------ services


def test_it_creates_a_draft_then_updates_the_same_row(cast):
    first = save(cast, narrative="first")
    second = save(cast, narrative="second", by=cast.users.org_admin)
    assert first.pk == second.pk
    assert Commentary.objects.filter(campaign=cast.campaign).count() == 1
    second.refresh_from_db()
    assert (second.narrative, second.status, second.updated_by) == (
        "second",
        "draft",
        cast.users.org_admin,
    )


def test_it_keeps_the_campaigns_and_each_departments_commentary_apart(cast):
    save(cast, narrative="campaign")
    save(cast, cast.sales, narrative="sales")
    save(cast, cast.success, narrative="success")
    texts = {
        c.department_id: c.narrative for c in Commentary.objects.filter(campaign=cast.campaign)
    }
    assert texts == {None: "campaign", cast.sales.pk: "sales", cast.success.pk: "success"}


@pytest.mark.parametrize("role", ["manager", "other_manager", "staff", "outsider", "nobody"])
def test_only_org_admins_and_consultants_write(cast, role):
    with pytest.raises(PermissionDenied):
        save(cast, by=getattr(cast.users, role))
    assert not Commentary.objects.exists()


def test_it_refuses_a_department_outside_the_campaign(cast):
    with pytest.raises(CommentaryError) as excinfo:
        save(cast, cast.globex_sales)
    assert excinfo.value.code == "department_not_in_campaign"
    assert not Commentary.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The key findings are too long: at most 20000 characters (they have 20001)."),
        ("ja", "主な所見が長すぎます。20000文字以内にしてください（現在20001文字）。"),
    ],
)
def test_it_refuses_too_long_a_text_in_the_users_language(cast, language, expected):
    with translation.override(language), pytest.raises(CommentaryError) as excinfo:
        save(cast, findings="x" * (TEXT_MAX_LENGTH + 1))
    assert (excinfo.value.code, excinfo.value.field) == ("findings_too_long", "findings")
    assert excinfo.value.message == expected
    assert not Commentary.objects.exists()


def test_it_takes_a_text_at_the_limit(cast):
    assert len(save(cast, narrative="あ" * TEXT_MAX_LENGTH).narrative) == TEXT_MAX_LENGTH


def test_it_refuses_a_control_character(cast):
    with pytest.raises(CommentaryError) as excinfo:
        save(cast, narrative="bad\x00text")
    assert excinfo.value.code == "narrative_unstorable"


def test_it_publishes_and_takes_back_to_draft(cast):
    commentary = publish_commentary(commentary=save(cast), by=cast.users.org_admin)
    assert commentary.status == "published" and commentary.published_at is not None
    first_published = commentary.published_at
    again = publish_commentary(commentary=commentary, by=cast.users.consultant)
    assert again.published_at == first_published
    back = unpublish_commentary(commentary=commentary, by=cast.users.consultant)
    assert (back.status, back.published_at) == ("draft", None)
    assert Commentary.objects.get().status == "draft"


def test_it_refuses_to_publish_an_empty_commentary(cast):
    commentary = save(cast, narrative="  ", findings="")
    with pytest.raises(CommentaryError) as excinfo:
        publish_commentary(commentary=commentary, by=cast.users.consultant)
    assert (excinfo.value.code, excinfo.value.status) == ("nothing_to_publish", 409)
    assert Commentary.objects.get().status == "draft"


def test_a_manager_cannot_publish(cast):
    commentary = save(cast)
    with pytest.raises(PermissionDenied):
        publish_commentary(commentary=commentary, by=cast.users.manager)
    assert Commentary.objects.get().status == "draft"


def test_editing_published_text_keeps_it_published_with_the_new_text(cast):
    commentary = published(cast)
    first_published = commentary.published_at
    edited = save(cast, narrative="Revised text", by=cast.users.org_admin)
    assert (edited.status, edited.narrative, edited.updated_by) == (
        "published",
        "Revised text",
        cast.users.org_admin,
    )
    assert edited.published_at == first_published
    assert edited.updated_at >= first_published
    seen = commentary_for(cast.campaign, standing=standing(cast, "manager"))
    assert seen.narrative == "Revised text"


# ------------------------------------------------------------------------------ selectors


def test_managers_read_no_draft(cast):
    save(cast)
    save(cast, cast.sales)
    assert commentary_for(cast.campaign, standing=standing(cast, "manager")) is None
    assert commentary_for(cast.campaign, cast.sales, standing=standing(cast, "manager")) is None
    assert commentary_for(cast.campaign, standing=standing(cast, "consultant")).narrative == (
        DRAFT_TEXT
    )
    assert commentary_for(cast.campaign, cast.sales, standing=standing(cast, "org_admin"))


def test_managers_read_the_published_campaign_text_and_their_own_departments_only(cast):
    published(cast, narrative="campaign")
    published(cast, cast.sales, narrative="sales")
    published(cast, cast.success, narrative="success")
    manager = standing(cast, "manager")
    assert commentary_for(cast.campaign, standing=manager).narrative == "campaign"
    assert commentary_for(cast.campaign, cast.sales, standing=manager).narrative == "sales"
    assert commentary_for(cast.campaign, cast.success, standing=manager) is None


def test_the_web_rendering_removes_scripts_javascript_links_and_event_attributes(cast):
    commentary = save(
        cast,
        narrative=(
            "**bold** <script>alert('x')</script>\n\n[bad](javascript:alert(1)) "
            '<img src=x onerror="alert(2)"> <a href="https://example.com" onclick="x()">ok</a>'
        ),
        findings="- one\n- two\n\n<iframe src='https://evil'></iframe>",
    )
    html = rendered(commentary)
    narrative, findings = str(html["narrative_html"]), str(html["findings_html"])
    assert "<strong>bold</strong>" in narrative
    for bad in ("<script", "alert('x')", "javascript:", "onerror", "onclick", "<img"):
        assert bad not in narrative
    assert 'href="https://example.com"' in narrative
    assert "<li>one</li>" in findings and "<iframe" not in findings


def test_the_pdf_gets_the_markdown_source(cast):
    commentary = save(cast, narrative="# Title\n\n**x**", findings="- a")
    assert markdown_source(commentary) == {"narrative": "# Title\n\n**x**", "findings": "- a"}
    assert markdown_source(None) == {"narrative": "", "findings": ""}
    assert rendered(None) == {"narrative_html": "", "findings_html": ""}


# ------------------------------------------------------------------------------ pages


def page(cast, department=None):
    if department is None:
        return reverse("improvement:commentary", args=[cast.campaign.pk])
    return reverse("improvement:department-commentary", args=[cast.campaign.pk, department.pk])


def test_the_writer_saves_from_the_page(client, cast):
    client.force_login(cast.users.consultant)
    reply = client.post(
        page(cast, cast.sales),
        {"intent": "save", "narrative": "**Strong** start", "findings": "- a\n- b"},
    )
    assert reply.status_code == 302 and reply["Location"] == page(cast, cast.sales)
    commentary = Commentary.objects.get()
    assert (commentary.department, commentary.narrative, commentary.status) == (
        cast.sales,
        "**Strong** start",
        "draft",
    )
    html = client.get(page(cast, cast.sales)).content.decode()
    assert "<strong>Strong</strong> start" in html  # the preview of the saved text
    assert 'name="intent" value="publish"' in html


def test_the_writer_publishes_and_unpublishes_from_the_page(client, cast):
    save(cast)
    client.force_login(cast.users.org_admin)
    client.post(page(cast), {"intent": "publish"})
    assert Commentary.objects.get().status == "published"
    assert 'value="unpublish"' in client.get(page(cast)).content.decode()
    client.post(page(cast), {"intent": "unpublish"})
    assert Commentary.objects.get().status == "draft"


def test_the_page_sends_back_too_long_a_text_with_the_message(client, cast):
    client.force_login(cast.users.consultant)
    reply = client.post(
        page(cast),
        {"intent": "save", "narrative": "x" * (TEXT_MAX_LENGTH + 1), "findings": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert reply.status_code == 400
    assert reply.context["form"].errors["narrative"]
    assert not Commentary.objects.exists()


@pytest.mark.parametrize("intent", ["", "delete", "x" * 300])
def test_the_page_refuses_an_unknown_intent(client, cast, intent):
    save(cast)
    client.force_login(cast.users.consultant)
    reply = client.post(page(cast), {"intent": intent, "narrative": "changed", "findings": ""})
    assert reply.status_code == 302
    assert Commentary.objects.get().narrative == DRAFT_TEXT


def test_publishing_nothing_from_the_page_is_a_message_not_an_error(client, cast):
    client.force_login(cast.users.consultant)
    reply = client.post(page(cast), {"intent": "publish"}, follow=True)
    assert reply.status_code == 200
    assert not Commentary.objects.exists()
    assert [str(m) for m in reply.context["messages"]] == [
        "所見を書いて保存してから公開してください。"
    ]


def test_a_manager_reads_the_empty_state_while_it_is_a_draft(client, cast):
    save(cast)
    client.force_login(cast.users.manager)
    html = client.get(page(cast), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert DRAFT_TEXT not in html
    assert "No commentary published yet." in html
    assert "<textarea" not in html and 'name="intent"' not in html


def test_a_manager_reads_the_published_text_without_the_form(client, cast):
    published(cast, cast.sales)
    client.force_login(cast.users.manager)
    reply = client.get(page(cast, cast.sales))
    html = reply.content.decode()
    assert PUBLISHED_TEXT in html and "<textarea" not in html


def test_the_page_shows_the_roadmap_a_manager_may_see(client, cast):
    today = datetime.date.today()
    for department, title in ((cast.sales, "Sales action"), (cast.success, "Success action")):
        Action.objects.create(
            campaign=cast.campaign,
            department=department,
            dimension_code="kpi",
            title=title,
            due_on=today + datetime.timedelta(days=45),
        )
    client.force_login(cast.users.manager)
    html = client.get(page(cast)).content.decode()
    assert "Sales action" in html and "Success action" not in html
    client.force_login(cast.users.consultant)
    html = client.get(page(cast)).content.decode()
    assert "Sales action" in html and "Success action" in html
    assert html.index('data-bucket="60"') < html.index("Sales action")


def test_the_page_reads_in_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries):
    published(cast)
    client.force_login(cast.users.consultant)
    client.get(page(cast))
    for n in range(15):
        Action.objects.create(
            campaign=cast.campaign,
            department=cast.sales if n % 2 else cast.success,
            dimension_code="data",
            title=f"a{n}",
            owner=cast.users.staff,
            due_on=datetime.date.today() + datetime.timedelta(days=n * 8),
        )
    with django_assert_max_num_queries(14):
        assert client.get(page(cast)).status_code == 200


# ------------------------------------------------------------------------------ tags

TAGS = Template(
    "{% load improvement_commentary %}{% commentary_block campaign department %}"
    "{% roadmap_block campaign department %}"
)


def tags(cast, role, department=None):
    request = RequestFactory().get("/")
    request.user = getattr(cast.users, role)
    with translation.override("en"):
        return TAGS.render(
            Context({"request": request, "campaign": cast.campaign, "department": department})
        )


def test_the_block_shows_writers_the_draft_marked_with_an_edit_link(cast):
    save(cast, cast.sales)
    html = tags(cast, "consultant", cast.sales)
    assert DRAFT_TEXT in html and ">Draft</span>" in html
    assert page(cast, cast.sales) in html
    assert "30/60/90-day roadmap" in html


def test_the_block_hides_the_draft_from_the_manager(cast):
    save(cast, cast.sales)
    html = tags(cast, "manager", cast.sales)
    assert DRAFT_TEXT not in html and "No commentary published yet." in html
    assert page(cast, cast.sales) not in html


def test_the_block_shows_the_manager_the_published_text(cast):
    published(cast)
    html = tags(cast, "manager")
    assert PUBLISHED_TEXT in html and ">Draft</span>" not in html


def test_the_blocks_show_nothing_of_another_department_or_organisation(cast):
    published(cast, cast.success)
    assert PUBLISHED_TEXT not in tags(cast, "manager", cast.success)
    assert tags(cast, "manager", cast.success).strip() == ""
    assert tags(cast, "outsider").strip() == ""
    assert tags(cast, "staff").strip() == ""


# ------------------------------------------------------------------------------ Japanese


@pytest.mark.parametrize("role", ["consultant", "manager"])
def test_the_commentary_pages_are_in_japanese(client, cast, unresolved, role):  # noqa: F811
    published(cast, cast.sales, narrative="営業部の所見")
    save(cast, narrative="全社の下書き")
    Action.objects.create(
        campaign=cast.campaign,
        department=cast.sales,
        dimension_code="kpi",
        title="週次のKPI確認",
        due_on=datetime.date.today() - datetime.timedelta(days=2),
    )
    client.force_login(getattr(cast.users, role))
    msgids = translated_msgids()
    problems = {}
    for url in (page(cast), page(cast, cast.sales)):
        reply = client.get(url, HTTP_ACCEPT_LANGUAGE="ja")
        assert reply.status_code == 200
        chunks = visible_chunks(reply.content.decode())
        found = problems_of(chunks, msgids)
        if found:
            problems[url] = found
    assert not problems
    assert not unresolved
