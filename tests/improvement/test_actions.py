"""Improvement actions: the services (each check, the history with its values, completed_at),
the selectors (overdue, progress against the target, anonymity), the pages (filters,
overdue flag, progress numbers, history), the export, the template tag and a Japanese check.

``acted`` builds the standard set: Sales answered (threshold 1, so its scores show), five
actions over both departments in every status, one overdue."""

import csv
import datetime
import io

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from improvement.actions import selectors, services
from improvement.actions.services import ActionError
from improvement.models import Action, ActionEvent
from maturity.models import Recommendation
from results.loader import shown_results
from results.plan import plan_rows
from tests.assessments.conftest import answer_all
from tests.config.test_translated_pages import (
    problems_of,
    render,
    translated_msgids,
    unresolved,  # noqa: F401 - a fixture
)
from training.models import Module

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def make_actions(cast):
    """Five actions: Sales kpi overdue (staff), Sales data in progress (manager), Sales kpi
    done, Customer Success kpi dropped, Customer Success data planned (consultant)."""
    users, by = cast.users, cast.users.org_admin
    create = services.create_action
    made = {
        "overdue": create(
            campaign=cast.campaign,
            department=cast.sales,
            dimension_code="kpi",
            title="KPIを定義する",
            owner=users.staff,
            due_on=TODAY - DAY,
            planned_level=4,
            by=by,
        ),
        "soon": create(
            campaign=cast.campaign,
            department=cast.sales,
            dimension_code="data",
            title="Unify customer data",
            owner=users.manager,
            due_on=TODAY + 3 * DAY,
            planned_level=3,
            by=by,
        ),
        "done": create(
            campaign=cast.campaign,
            department=cast.sales,
            dimension_code="kpi",
            title="Churn dashboard",
            owner=users.manager,
            due_on=TODAY + 10 * DAY,
            planned_level=5,
            by=by,
        ),
        "dropped": create(
            campaign=cast.campaign,
            department=cast.success,
            dimension_code="kpi",
            title="NPS survey",
            owner=users.other_manager,
            planned_level=5,
            by=by,
        ),
        "planned": create(
            campaign=cast.campaign,
            department=cast.success,
            dimension_code="data",
            title="Onboarding flow",
            owner=users.consultant,
            by=by,
        ),
    }
    services.move_action(action=made["soon"], status=Action.Status.IN_PROGRESS, by=by)
    services.move_action(action=made["done"], status=Action.Status.DONE, by=by)
    services.move_action(action=made["dropped"], status=Action.Status.DROPPED, by=by)
    return {key: Action.objects.get(pk=a.pk) for key, a in made.items()}


@pytest.fixture
def acted(cast):
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 1)  # Sales: 3 on the 1–5 scale everywhere
    cast.actions = make_actions(cast)
    return cast


def kpi_recommendation(cast, level=3) -> Recommendation:
    return Recommendation.objects.get(
        dimension_level__dimension__framework=cast.framework,
        dimension_level__dimension__code="kpi",
        dimension_level__level=level,
    )


def create(cast, **fields):
    values = {
        "campaign": cast.campaign,
        "department": cast.sales,
        "dimension_code": "kpi",
        "title": "An action",
        "by": cast.users.org_admin,
        **fields,
    }
    return services.create_action(**values)


# ------------------------------------------------------------------ services: checks


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"dimension_code": "nope"}, "unknown_dimension", "dimension_code"),
        ({"title": "   "}, "title_required", "title"),
        ({"title": "x" * 201}, "title_too_long", "title"),
        ({"title": "bad\x0btext"}, "title_unstorable", "title"),
        ({"planned_level": 6}, "bad_level", "planned_level"),
        ({"planned_level": 0}, "bad_level", "planned_level"),
        ({"planned_level": True}, "bad_level", "planned_level"),
        ({"due_on": "2026-01-01"}, "bad_due_date", "due_on"),
        ({"due_on": TODAY - 30 * DAY}, "bad_due_date", "due_on"),
        ({"due_on": TODAY + 365 * 11 * DAY}, "bad_due_date", "due_on"),
        ({"modules": [999999]}, "unknown_module", "modules"),
    ],
)
def test_it_refuses_bad_input(cast, fields, code, field):
    with pytest.raises(ActionError) as refused:
        create(cast, **fields)
    assert (refused.value.code, refused.value.field, refused.value.status) == (code, field, 400)
    assert refused.value.message
    assert not Action.objects.exists() and not ActionEvent.objects.exists()


def test_it_refuses_a_department_the_campaign_does_not_assess(cast):
    with pytest.raises(ActionError) as refused:
        create(cast, department=cast.globex_sales)
    assert refused.value.code == "department_not_assessed"


def test_it_refuses_an_owner_outside_the_organisation(cast):
    for outsider in (cast.users.outsider, cast.users.consultant_without_access, cast.users.nobody):
        with pytest.raises(ActionError) as refused:
            create(cast, owner=outsider)
        assert (refused.value.code, refused.value.field) == ("owner_not_member", "owner")


def test_it_accepts_members_and_consultants_as_owners(cast):
    for owner in (cast.users.staff, cast.users.consultant, cast.users.other_manager):
        assert create(cast, owner=owner).owner == owner


def test_it_refuses_a_recommendation_of_another_dimension(cast):
    other = Recommendation.objects.get(
        dimension_level__dimension__framework=cast.framework,
        dimension_level__dimension__code="data",
        dimension_level__level=2,
    )
    with pytest.raises(ActionError) as refused:
        create(cast, recommendation=other)
    assert refused.value.code == "recommendation_elsewhere"
    assert create(cast, recommendation=kpi_recommendation(cast)).recommendation.text == (
        "kpi 次へ3"
    )


def test_the_due_date_may_be_past_but_not_before_the_campaign_opened(cast):
    opened = cast.campaign.opens_on
    assert create(cast, due_on=opened).due_on == opened
    with pytest.raises(ActionError):
        create(cast, due_on=opened - DAY)


def test_an_update_refuses_what_a_create_refuses(cast):
    action = create(cast)
    for fields, code in [
        ({"owner": cast.users.outsider}, "owner_not_member"),
        ({"status": "finished"}, "bad_status"),
        ({"campaign": cast.globex_campaign}, "not_editable"),
        (
            {"dimension_code": "data", "recommendation": kpi_recommendation(cast)},
            "recommendation_elsewhere",
        ),
    ]:
        with pytest.raises(ActionError) as refused:
            services.update_action(action=action, by=cast.users.org_admin, **fields)
        assert refused.value.code == code
    assert action.events.count() == 1  # only "created"


# ------------------------------------------------------------------ services: history


def test_creating_records_every_value_set(cast):
    module = Module.objects.create(slug="m1", title="Metrics", summary="s", minutes=5)
    recommendation = kpi_recommendation(cast)
    action = create(
        cast,
        title="Define KPIs",
        owner=cast.users.staff,
        due_on=datetime.date(2030, 4, 1),
        planned_level=4,
        recommendation=recommendation,
        modules=[module],
    )
    [event] = action.events.all()
    assert event.kind == "created" and event.by == cast.users.org_admin
    assert event.changes == {
        "title": [None, "Define KPIs"],
        "dimension_code": [None, "kpi"],
        "owner": [None, cast.users.staff.pk],
        "due_on": [None, "2030-04-01"],
        "status": [None, "planned"],
        "planned_level": [None, 4],
        "recommendation": [None, recommendation.pk],
        "modules": [None, [module.pk]],
        "department": [None, cast.sales.pk],
    }
    assert list(action.modules.all()) == [module]


def test_changing_records_old_and_new_values_of_the_changed_fields_only(cast):
    action = create(cast, owner=cast.users.staff, due_on=datetime.date(2030, 4, 1))
    services.update_action(
        action=action,
        by=cast.users.manager,
        title="An action",  # unchanged: not recorded
        owner=cast.users.manager,
        due_on=datetime.date(2030, 5, 1),
        planned_level=3,
    )
    event = action.events.get(kind="changed")
    assert event.by == cast.users.manager
    assert event.changes == {
        "owner": [cast.users.staff.pk, cast.users.manager.pk],
        "due_on": ["2030-04-01", "2030-05-01"],
        "planned_level": [None, 3],
    }
    services.update_action(action=action, by=cast.users.manager, title="An action")
    assert action.events.count() == 2  # nothing changed, nothing recorded


def test_done_sets_completed_at_and_reopening_clears_it(cast):
    action = create(cast)
    before = timezone.now()
    services.move_action(action=action, status="done", by=cast.users.staff)
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at >= before
    services.move_action(action=action, status="in_progress", by=cast.users.staff)
    action.refresh_from_db()
    assert action.completed_at is None
    changes = [e.changes for e in action.events.filter(kind="changed")]
    assert changes == [{"status": ["planned", "done"]}, {"status": ["done", "in_progress"]}]


def test_an_action_from_a_plan_row_takes_its_dimension_target_and_first_recommendation(acted):
    results = shown_results(acted.campaign)
    row = plan_rows(results, acted.sales.pk)[0]
    action = services.create_action_from_plan_row(
        campaign=acted.campaign, row=row, by=acted.users.org_admin
    )
    assert action.department == acted.sales
    assert action.dimension_code == row.dimension.code
    assert action.planned_level == row.target == 4  # level 3 now, default target one up
    assert action.title == f"{row.dimension.code} 次へ3" == row.action
    assert action.recommendation.text == row.action


def test_an_action_from_a_recommendation_takes_its_text_as_title(cast):
    recommendation = kpi_recommendation(cast, level=2)
    # A published framework refuses save(); the long text is for this test only.
    Recommendation.objects.filter(pk=recommendation.pk).update(text="長い" * 150)
    recommendation.refresh_from_db()
    action = services.create_action_from_recommendation(
        campaign=cast.campaign,
        department=cast.sales,
        recommendation=recommendation,
        by=cast.users.org_admin,
    )
    assert len(action.title) == 200 and action.title.endswith("…")
    assert action.description == recommendation.text
    assert (action.dimension_code, action.planned_level) == ("kpi", 3)
    assert action.recommendation == recommendation


# ------------------------------------------------------------------ selectors


def test_overdue_is_open_and_due_before_today(acted):
    a = acted.actions
    assert selectors.is_overdue(a["overdue"], TODAY)
    assert not selectors.is_overdue(a["overdue"], TODAY - DAY)
    assert not selectors.is_overdue(a["soon"], TODAY)
    a["done"].due_on = TODAY - 5 * DAY
    assert not selectors.is_overdue(a["done"], TODAY)  # done is never overdue
    rows = selectors.actions_for(acted.campaign, overdue=True, today=TODAY)
    assert [r.title for r in rows] == ["KPIを定義する"]
    annotated = {r.pk: r.overdue for r in selectors.actions_for(acted.campaign, today=TODAY)}
    assert annotated == {r.pk: selectors.is_overdue(r, TODAY) for r in Action.objects.all()}


def test_actions_for_filters(acted):
    titles = lambda **kw: sorted(a.title for a in selectors.actions_for(acted.campaign, **kw))  # noqa: E731
    assert titles(department=acted.success) == ["NPS survey", "Onboarding flow"]
    assert titles(status="done") == ["Churn dashboard"]
    assert titles(owner=acted.users.manager) == ["Churn dashboard", "Unify customer data"]
    assert len(titles(overdue=False)) == 4


def test_progress_against_the_target_counts_each_status(acted):
    progress = {r.dimension.code: r for r in selectors.action_progress(acted.campaign, acted.sales)}
    kpi, data = progress["kpi"], progress["data"]
    assert (kpi.mean, kpi.level, kpi.target) == (3.0, 3, 4)
    assert (kpi.done, kpi.open, kpi.overdue, kpi.dropped, kpi.total) == (1, 1, 1, 0, 2)
    assert kpi.planned_level == 5 and kpi.reaches_target is True
    assert (data.done, data.open, data.overdue, data.planned_level) == (0, 1, 0, 3)
    assert data.reaches_target is False


def test_progress_of_a_withheld_department_shows_no_mean(acted):
    success = {
        r.dimension.code: r for r in selectors.action_progress(acted.campaign, acted.success)
    }
    # Customer Success has not answered: nothing to show, not even a default target.
    assert (success["kpi"].mean, success["kpi"].level, success["kpi"].target) == (None, None, None)
    assert (success["kpi"].dropped, success["kpi"].planned_level) == (1, None)
    acted.campaign.anonymity_threshold = 3  # Sales has one self-rating: now withheld
    acted.campaign.save()
    sales = {r.dimension.code: r for r in selectors.action_progress(acted.campaign, acted.sales)}
    assert (sales["kpi"].mean, sales["kpi"].level, sales["kpi"].target) == (None, None, None)
    assert sales["kpi"].done == 1


def test_the_history_reads_in_names_and_labels(acted, settings):
    from django.utils import translation

    action = acted.actions["overdue"]
    services.update_action(
        action=action, by=acted.users.manager, owner=acted.users.manager, status="in_progress"
    )
    acted.users.manager.last_name, acted.users.manager.first_name = "森", "太郎"
    acted.users.manager.save()
    with translation.override("en"):
        entries = selectors.history(action)
    assert [e["kind"] for e in entries] == ["Created", "Changed"]
    created = {c.label: c.new for c in entries[0]["changes"]}
    assert created["Department"] == "Sales" and created["Dimension"] == "kpi axis"
    assert created["Due date"] == (TODAY - DAY).isoformat() and created["Owner"] == "sasaki"
    assert entries[1]["by"] == "森 太郎"
    assert [(c.label, c.old, c.new) for c in entries[1]["changes"]] == [
        ("Owner", "sasaki", "森 太郎"),
        ("Status", "Planned", "In progress"),
    ]
    with translation.override("ja"):
        changes = selectors.history(action)[1]["changes"]
    assert changes[1].new == "進行中"


# ------------------------------------------------------------------ pages


def titles_on(reply) -> list[str]:
    return [a.title for a in reply.context["actions"]]


def test_the_campaign_list_filters(client, acted):
    client.force_login(acted.users.org_admin)
    url = reverse("improvement:actions", args=[acted.campaign.pk])
    everything = titles_on(client.get(url))
    # By department name (Customer Success first), then due date (none last).
    assert everything == [
        "NPS survey",
        "Onboarding flow",
        "KPIを定義する",
        "Unify customer data",
        "Churn dashboard",
    ]
    assert titles_on(client.get(url, {"status": "done"})) == ["Churn dashboard"]
    assert titles_on(client.get(url, {"overdue": "true"})) == ["KPIを定義する"]
    assert titles_on(client.get(url, {"owner": acted.users.consultant.pk})) == ["Onboarding flow"]
    assert titles_on(client.get(url, {"department": acted.success.pk, "dimension": "kpi"})) == [
        "NPS survey"
    ]
    assert titles_on(client.get(url, {"dimension": "data", "status": "in_progress"})) == [
        "Unify customer data"
    ]


def test_a_bad_filter_is_shown_not_a_500(client, acted):
    client.force_login(acted.users.org_admin)
    url = reverse("improvement:actions", args=[acted.campaign.pk])
    reply = client.get(url, {"status": "finished", "owner": "99999999999999999999"})
    assert reply.status_code == 200
    assert 'class="field-error"' in reply.content.decode()


def test_overdue_is_flagged_in_words(client, acted):
    client.force_login(acted.users.org_admin)
    html = client.get(
        reverse("improvement:actions", args=[acted.campaign.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    overdue_row = html.split(f'data-action="{acted.actions["overdue"].pk}"')[1].split("</tr>")[0]
    other_row = html.split(f'data-action="{acted.actions["soon"].pk}"')[1].split("</tr>")[0]
    assert ">Overdue<" in overdue_row and "Overdue" not in other_row
    assert "In progress" in other_row


def test_staff_see_only_the_actions_they_own(client, acted):
    client.force_login(acted.users.staff)
    reply = client.get(reverse("improvement:actions", args=[acted.campaign.pk]))
    assert titles_on(reply) == ["KPIを定義する"]


def test_a_manager_is_sent_to_their_department_with_the_filters(client, acted):
    client.force_login(acted.users.manager)
    reply = client.get(reverse("improvement:actions", args=[acted.campaign.pk]), {"status": "done"})
    assert reply["Location"] == (
        reverse("improvement:department-actions", args=[acted.campaign.pk, acted.sales.pk])
        + "?status=done"
    )
    assert titles_on(client.get(reply["Location"])) == ["Churn dashboard"]


def test_the_department_page_shows_progress_against_the_target(client, acted):
    client.force_login(acted.users.manager)
    reply = client.get(
        reverse("improvement:department-actions", args=[acted.campaign.pk, acted.sales.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert titles_on(reply) == ["KPIを定義する", "Unify customer data", "Churn dashboard"]
    html = reply.content.decode()
    kpi = html.split('data-dimension="kpi"')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0].strip() for c in kpi.split("<td>")[1:]]
    # now, target, planned, done, open, overdue, dropped
    assert cells[0] == "level 3 (3.00)"
    assert cells[1:3] == ["4", "5"]
    assert cells[3:5] == ["1", "1"]
    assert '<strong class="status status-overdue">1</strong>' in cells[5]
    assert cells[6] == "0"


def test_the_create_form_is_prefilled_from_a_plan_row_and_from_a_recommendation(client, acted):
    client.force_login(acted.users.manager)
    url = reverse("improvement:action-create", args=[acted.campaign.pk, acted.sales.pk])
    form = client.get(url, {"dimension": "data"}).context["form"]
    assert (form.initial["dimension_code"], form.initial["planned_level"]) == ("data", 4)
    assert form.initial["title"] == "data 次へ3"
    recommendation = kpi_recommendation(acted, level=2)
    form = client.get(url, {"recommendation": recommendation.pk}).context["form"]
    assert form.initial["title"] == "kpi 次へ2"
    assert form.initial["recommendation"] == recommendation.pk
    assert form.initial["planned_level"] == 3
    # Nonsense is ignored, never a 500.
    assert client.get(url, {"recommendation": "9" * 30, "dimension": "x"}).status_code == 200


def test_creating_through_the_form(client, acted):
    client.force_login(acted.users.manager)
    url = reverse("improvement:action-create", args=[acted.campaign.pk, acted.sales.pk])
    reply = client.post(
        url,
        {
            "title": "Call scripts",
            "dimension_code": "kpi",
            "owner": acted.users.staff.pk,
            "due_on": (TODAY + 5 * DAY).isoformat(),
            "planned_level": "4",
        },
    )
    action = Action.objects.get(title="Call scripts")
    assert reply["Location"] == reverse("improvement:action", args=[action.pk])
    assert (action.department, action.owner, action.planned_level, action.created_by) == (
        acted.sales,
        acted.users.staff,
        4,
        acted.users.manager,
    )


def test_the_form_shows_a_refusal_of_the_service(client, acted):
    client.force_login(acted.users.org_admin)
    url = reverse("improvement:action-create", args=[acted.campaign.pk, acted.sales.pk])
    reply = client.post(
        url,
        {"title": "Late", "dimension_code": "kpi", "due_on": "2001-01-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert reply.status_code == 200
    assert reply.context["form"].errors["due_on"][0].startswith("The due date must lie between")
    assert not Action.objects.filter(title="Late").exists()


def test_the_owner_select_shows_names_not_login_names(client, acted):
    acted.users.staff.last_name, acted.users.staff.first_name = "佐々木", "花子"
    acted.users.staff.save()
    client.force_login(acted.users.org_admin)
    url = reverse("improvement:action-create", args=[acted.campaign.pk, acted.sales.pk])
    html = client.get(url).content.decode()
    owner_select = html.split('name="owner"')[1].split("</select>")[0]
    assert f'value="{acted.users.staff.pk}">佐々木 花子<' in owner_select
    assert "sasaki" not in owner_select
    assert acted.users.outsider.username not in owner_select


def test_editing_records_the_history_shown_on_the_page(client, acted):
    action = acted.actions["soon"]
    client.force_login(acted.users.org_admin)
    url = reverse("improvement:action", args=[action.pk])
    data = {
        "title": "Unify customer data in one place",
        "dimension_code": "data",
        "owner": acted.users.staff.pk,
        "due_on": action.due_on.isoformat(),
        "status": "in_progress",
        "planned_level": "3",
    }
    assert client.post(url, data)["Location"] == url
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    history = html.split('id="history-heading"')[1]
    assert "Title: Unify customer data → Unify customer data in one place" in history
    assert "Owner: mori → sasaki" in history
    assert "Status: Planned → In progress" in history
    assert history.count("<li>") >= 3


def test_the_owner_moves_the_status_and_done_is_dated(client, acted):
    action = acted.actions["overdue"]
    client.force_login(acted.users.staff)
    page = client.get(reverse("improvement:action", args=[action.pk]))
    assert page.context["form"] is None and page.context["status_form"] is not None
    url = reverse("improvement:action-status", args=[action.pk])
    assert client.post(url, {"status": "done"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at is not None
    assert action.events.last().by == acted.users.staff
    assert client.post(url, {"status": "bogus"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


def test_the_owner_may_not_edit_the_rest(client, acted):
    action = acted.actions["overdue"]
    client.force_login(acted.users.staff)
    reply = client.post(
        reverse("improvement:action", args=[action.pk]),
        {"title": "Mine now", "dimension_code": "kpi", "status": "planned"},
    )
    assert reply.status_code == 403
    action.refresh_from_db()
    assert action.title == "KPIを定義する"


# ------------------------------------------------------------------ export


def rows_of(reply, fmt) -> list[list]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(reply.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(reply.content)).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_lists_the_actions_with_progress(client, acted, fmt):
    Action.objects.filter(pk=acted.actions["planned"].pk).update(title="=HYPERLINK(1)")
    client.force_login(acted.users.org_admin)
    reply = client.get(
        reverse("improvement:actions-export", args=[acted.campaign.pk, fmt]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    header, *rows = rows_of(reply, fmt)
    column = {name: i for i, name in enumerate(header)}
    by_title = {row[column["title"]]: row for row in rows}
    assert len(rows) == 5
    kpi = by_title["KPIを定義する"]
    assert kpi[column["department"]] == "Sales"
    assert kpi[column["status"]] == "Planned" and kpi[column["overdue"]] == "Yes"
    assert str(kpi[column["target level"]]) == "4" and str(kpi[column["current level"]]) == "3"
    assert str(kpi[column["done actions"]]) == "1" and str(kpi[column["open actions"]]) == "1"
    assert by_title["Unify customer data"][column["overdue"]] == "No"
    # Customer Success is withheld (no answers): no level, no target.
    nps = by_title["NPS survey"]
    assert nps[column["current level"]] in ("", None) and nps[column["target level"]] in ("", None)
    assert "'=HYPERLINK(1)" in by_title  # made inert


def test_the_export_is_scoped_like_the_list(client, acted):
    client.force_login(acted.users.staff)
    reply = client.get(reverse("improvement:actions-export", args=[acted.campaign.pk, "csv"]))
    header, *rows = rows_of(reply, "csv")
    assert [row[header.index("タイトル")] for row in rows] == ["KPIを定義する"]
    assert (
        client.get(
            reverse("improvement:actions-export", args=[acted.campaign.pk, "pdf"])
        ).status_code
        == 404
    )


# ------------------------------------------------------------------ template tag


def render_tag(user, cast, department):
    request = RequestFactory().get("/")
    request.user = user
    template = Template(
        "{% load improvement_actions %}{% department_actions campaign department %}"
    )
    return template.render(
        Context({"request": request, "campaign": cast.campaign, "department": department})
    )


def test_the_department_tag_shows_actions_and_progress_to_who_may_see_them(acted):
    html = render_tag(acted.users.manager, acted, acted.sales)
    assert html.count("data-action=") == 3
    assert f'data-action="{acted.actions["overdue"].pk}"' in html
    assert (
        "status-overdue"
        in html.split(f'data-action="{acted.actions["overdue"].pk}"')[1].split("</li>")[0]
    )
    assert reverse("improvement:action-create", args=[acted.campaign.pk, acted.sales.pk]) in html
    assert 'data-dimension="kpi"' in html
    for user in (acted.users.staff, acted.users.other_manager, acted.users.outsider):
        assert render_tag(user, acted, acted.sales).strip() == ""
    from django.contrib.auth.models import AnonymousUser

    assert render_tag(AnonymousUser(), acted, acted.sales).strip() == ""


# ------------------------------------------------------------------ query counts


def more_actions(cast, n):
    for i in range(n):
        services.create_action(
            campaign=cast.campaign,
            department=cast.sales if i % 2 else cast.success,
            dimension_code="kpi",
            title=f"Extra {i}",
            owner=cast.users.staff,
            due_on=TODAY + DAY,
            by=cast.users.org_admin,
        )


@pytest.mark.parametrize("name", ["improvement:actions", "department"])
def test_the_lists_take_a_fixed_number_of_queries(
    client, acted, django_assert_max_num_queries, name
):
    client.force_login(acted.users.org_admin)
    if name == "department":
        url = reverse("improvement:department-actions", args=[acted.campaign.pk, acted.sales.pk])
    else:
        url = reverse(name, args=[acted.campaign.pk])
    client.get(url)  # warm the caches
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    more_actions(acted, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        reply = client.get(url)
    assert len(reply.context["actions"]) > 15


# ------------------------------------------------------------------ Japanese


def test_the_action_pages_are_in_japanese(client, acted, unresolved):  # noqa: F811
    client.force_login(acted.users.org_admin)
    pk, sales = acted.campaign.pk, acted.sales.pk
    # Titles are what people type: none of three English words (they would count as UI).
    Action.objects.filter(title="Unify customer data").update(title="顧客データ統合")
    action = acted.actions["planned"]
    services.update_action(
        action=action, by=acted.users.org_admin, owner=acted.users.staff, status="in_progress"
    )
    urls = [
        reverse("improvement:actions", args=[pk]),
        reverse("improvement:department-actions", args=[pk, sales]),
        reverse("improvement:action-create", args=[pk, sales]) + "?dimension=kpi",
        reverse("improvement:action", args=[action.pk]),
    ]
    msgids, problems = translated_msgids(), []
    for url in urls:
        unresolved.clear()
        found = problems_of(render(client, url), msgids)
        found["msgid without a translation"] = sorted(unresolved)
        problems += [f"{url}, {kind}: {item}" for kind, items in found.items() for item in items]
    staff = Client()
    staff.force_login(acted.users.staff)
    unresolved.clear()
    found = problems_of(
        render(staff, reverse("improvement:action", args=[acted.actions["overdue"].pk])), msgids
    )
    found["msgid without a translation"] = sorted(unresolved)
    problems += [f"staff, {kind}: {item}" for kind, items in found.items() for item in items]
    assert problems == [], "\n".join(problems)
