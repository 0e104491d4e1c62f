"""Evidence: the services' rules (targets, kinds, links), review, the lock and versions,
re-certification, the anonymity rule, and the pages (queue, detail, forms) in Japanese."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.access import standings
from improvement.evidence import selectors, services
from improvement.evidence.validation import EvidenceError
from improvement.models import Evidence
from tests.config.test_translated_pages import (  # noqa: F401
    problems_of,
    render,
    translated_msgids,
    unresolved,
    visible_chunks,
)
from tests.improvement.evidence_support import (  # noqa: F401
    add_text,
    answered_fixture,
    media_fixture,
    pdf,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def standing_of(cast, role):
    return standings(getattr(cast.users, role))[cast.acme.pk]


def visible_titles(cast, role, **options):
    user = getattr(cast.users, role)
    rows = selectors.evidence_for(
        cast.campaign, viewer_standing=standing_of(cast, role), viewer=user, **options
    )
    return [e.title for e in rows]


def refused(code, **call):
    with pytest.raises(EvidenceError) as caught:
        services.add_evidence(**call)
    assert caught.value.code == code, caught.value.message
    return caught.value


def base(cast, **changes):
    call = {
        "campaign": cast.campaign,
        "department": cast.sales,
        "answer": cast.answer,
        "kind": "text",
        "title": "Proof",
        "text": "A text",
        "by": cast.users.manager,
    }
    call.update(changes)
    return call


# ------------------------------------------------------------------ adding


def test_it_adds_text_evidence_to_an_answer_pending_review(answered):
    evidence = add_text(answered)
    evidence.refresh_from_db()
    assert (evidence.status, evidence.kind, evidence.version, evidence.is_current) == (
        "pending",
        "text",
        1,
        True,
    )
    assert evidence.owner == answered.users.manager
    assert evidence.answer == answered.answer and evidence.action is None
    assert evidence.department == answered.sales


def test_it_refuses_both_an_answer_and_an_action(answered):
    refused("target_required", **base(answered, action=answered.action))


def test_it_refuses_neither_an_answer_nor_an_action(answered):
    refused("target_required", **base(answered, answer=None))
    assert not Evidence.objects.exists()


def test_it_refuses_an_answer_of_another_department(answered):
    refused("answer_elsewhere", **base(answered, answer=answered.other_answer))


def test_it_refuses_an_action_of_another_department(answered):
    call = base(answered, answer=None, action=answered.success_action, by=answered.users.org_admin)
    refused("action_elsewhere", **call)


def test_it_refuses_a_department_outside_the_campaign(answered):
    refused("department_elsewhere", **base(answered, department=answered.globex_sales))


def test_it_refuses_evidence_from_someone_who_may_not_add_it(answered):
    # Customer Success's manager neither answered this nor runs the campaign.
    error = refused("forbidden", **base(answered, by=answered.users.other_manager))
    assert error.status == 403


def test_text_evidence_needs_a_text(answered):
    error = refused("text_required", **base(answered, text="   "))
    assert error.field == "text"


def test_it_needs_a_title(answered):
    refused("title_required", **base(answered, title=" "))


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.com/file",
        "example.com/no-scheme",
        "https://",
        "",
    ],
)
def test_a_link_must_be_http_or_https(answered, url):
    error = refused("bad_link", **base(answered, kind="link", url=url, text=""))
    assert error.field == "url"


def test_a_link_is_kept_as_typed(answered):
    evidence = services.add_evidence(
        **base(answered, kind="link", url=" https://example.com/churn?q=1 ", text="")
    )
    assert evidence.url == "https://example.com/churn?q=1"


def test_a_file_needs_a_file(answered):
    refused("file_required", **base(answered, kind="file"))


def test_a_link_on_text_evidence_is_refused(answered):
    refused("link_not_expected", **base(answered, url="https://example.com"))


def test_a_past_re_certification_date_is_refused(answered):
    yesterday = TODAY - datetime.timedelta(days=1)
    refused("date_in_past", **base(answered, recertify_on=yesterday))


def test_the_action_owner_adds_evidence_to_their_action(answered):
    evidence = add_text(answered, action=answered.action, by=answered.users.staff)
    assert evidence.action == answered.action and evidence.answer is None


# ------------------------------------------------------------------ review


def test_an_org_admin_approves_pending_evidence(answered):
    evidence = add_text(answered)
    reviewed = services.review_evidence(
        evidence=evidence, decision="approved", comment="", by=answered.users.org_admin
    )
    reviewed.refresh_from_db()
    assert reviewed.status == "approved" and reviewed.is_locked
    assert reviewed.reviewed_by == answered.users.org_admin and reviewed.reviewed_at


def test_a_rejection_needs_a_comment(answered):
    evidence = add_text(answered)
    with pytest.raises(EvidenceError) as caught:
        services.review_evidence(
            evidence=evidence, decision="rejected", comment=" ", by=answered.users.consultant
        )
    assert caught.value.code == "comment_required"
    evidence.refresh_from_db()
    assert evidence.status == "pending"
    services.review_evidence(
        evidence=evidence,
        decision="rejected",
        comment="Attach the dashboard",
        by=answered.users.consultant,
    )
    evidence.refresh_from_db()
    assert (evidence.status, evidence.review_comment) == ("rejected", "Attach the dashboard")


def test_only_pending_evidence_is_reviewed(answered):
    evidence = add_text(answered)
    services.review_evidence(evidence=evidence, decision="approved", by=answered.users.org_admin)
    with pytest.raises(EvidenceError) as caught:
        services.review_evidence(
            evidence=evidence, decision="rejected", comment="no", by=answered.users.org_admin
        )
    assert (caught.value.code, caught.value.status) == ("not_pending", 409)


@pytest.mark.parametrize("role", ["manager", "other_manager", "staff"])
def test_only_org_admins_and_consultants_review(answered, role):
    evidence = add_text(answered)
    with pytest.raises(EvidenceError) as caught:
        services.review_evidence(
            evidence=evidence, decision="approved", by=getattr(answered.users, role)
        )
    assert caught.value.status == 403
    evidence.refresh_from_db()
    assert evidence.status == "pending"


# ------------------------------------------------------------------ lock and versions


def approved(cast, **extra):
    evidence = add_text(cast, **extra)
    return services.review_evidence(evidence=evidence, decision="approved", by=cast.users.org_admin)


def test_changing_approved_evidence_makes_a_new_pending_version(answered):
    first = approved(answered)
    second = services.revise_evidence(
        evidence=first, by=answered.users.manager, text="A monthly and a weekly review."
    )
    first.refresh_from_db()
    assert second.pk != first.pk
    assert (second.version, second.status, second.is_current) == (2, "pending", True)
    assert second.previous == first and second.series == first.series
    assert (first.status, first.is_current, first.text) == (
        "approved",
        False,
        "We run a monthly churn review.",
    )
    assert second.text == "A monthly and a weekly review."
    assert [e.version for e in selectors.history(first)] == [2, 1]
    assert [e.version for e in selectors.history(second)] == [2, 1]
    # Only the current version is listed.
    assert visible_titles(answered, "org_admin") == ["Proof"]
    assert [
        e.pk
        for e in selectors.evidence_for(
            answered.campaign,
            viewer_standing=standing_of(answered, "org_admin"),
            viewer=answered.users.org_admin,
        )
    ] == [second.pk]


def test_an_old_version_cannot_be_changed(answered):
    first = approved(answered)
    services.revise_evidence(evidence=first, by=answered.users.manager, title="New title")
    with pytest.raises(EvidenceError) as caught:
        services.revise_evidence(evidence=first, by=answered.users.manager, title="Again")
    assert (caught.value.code, caught.value.status) == ("not_current", 409)
    assert Evidence.objects.count() == 2


def test_pending_evidence_is_edited_in_place(answered):
    evidence = add_text(answered)
    same = services.revise_evidence(evidence=evidence, by=answered.users.manager, title="Better")
    assert same.pk == evidence.pk and same.version == 1
    assert Evidence.objects.get().title == "Better"


def test_rejected_evidence_edited_goes_back_to_pending(answered):
    evidence = add_text(answered)
    services.review_evidence(
        evidence=evidence, decision="rejected", comment="Too vague", by=answered.users.org_admin
    )
    revised = services.revise_evidence(
        evidence=evidence, by=answered.users.manager, text="Numbers attached"
    )
    assert (revised.pk, revised.status, revised.version) == (evidence.pk, "pending", 1)
    assert Evidence.objects.count() == 1


def test_a_change_that_changes_nothing_makes_no_version(answered):
    first = approved(answered)
    same = services.revise_evidence(evidence=first, by=answered.users.manager, title="Proof")
    assert same.pk == first.pk and Evidence.objects.count() == 1


def test_someone_else_cannot_change_evidence(answered):
    evidence = add_text(answered)
    with pytest.raises(EvidenceError) as caught:
        services.revise_evidence(evidence=evidence, by=answered.users.other_manager, title="x")
    assert caught.value.status == 403
    assert Evidence.objects.get().title == "Proof"


def test_an_unknown_field_is_refused(answered):
    evidence = add_text(answered)
    with pytest.raises(EvidenceError) as caught:
        services.revise_evidence(evidence=evidence, by=answered.users.manager, status="approved")
    assert caught.value.code == "unknown_field"
    assert Evidence.objects.get().status == "pending"


# ------------------------------------------------------------------ re-certification


def test_approved_evidence_is_flagged_when_its_re_certification_date_comes(answered):
    due_soon = TODAY + datetime.timedelta(days=10)
    evidence = approved(answered, recertify_on=due_soon)
    pending = add_text(answered, title="Pending one", recertify_on=TODAY)
    assert list(selectors.recertification_due(answered.campaign, TODAY)) == []
    later = due_soon + datetime.timedelta(days=1)
    assert [e.pk for e in selectors.recertification_due(answered.campaign, due_soon)] == [
        evidence.pk
    ]
    assert [e.pk for e in selectors.recertification_due(answered.campaign, later)] == [evidence.pk]
    rows = selectors.evidence_for(
        answered.campaign,
        viewer_standing=standing_of(answered, "org_admin"),
        viewer=answered.users.org_admin,
        today=later,
    )
    flags = {e.title: e.recertification_due for e in rows}
    # Pending evidence is not "due": it has not been certified yet.
    assert flags == {"Proof": True, "Pending one": False}
    assert pending.pk in {e.pk for e in rows}


def test_a_new_version_clears_the_flag_until_it_is_approved(answered):
    evidence = approved(answered, recertify_on=TODAY)
    assert selectors.recertification_due(answered.campaign, TODAY).count() == 1
    services.revise_evidence(
        evidence=evidence, by=answered.users.manager, recertify_on=TODAY + datetime.timedelta(90)
    )
    assert selectors.recertification_due(answered.campaign, TODAY).count() == 0


# ------------------------------------------------------------------ who sees what


def test_each_role_sees_the_evidence_of_what_it_may_see(answered):
    add_text(answered, title="Sales answer")
    add_text(answered, answer=answered.other_answer, title="Success answer")
    add_text(answered, action=answered.action, title="Sales action", by=answered.users.staff)
    add_text(answered, action=answered.success_action, title="Success action")
    everything = {"Sales answer", "Success answer", "Sales action", "Success action"}
    assert set(visible_titles(answered, "org_admin")) == everything
    assert set(visible_titles(answered, "consultant")) == everything
    assert set(visible_titles(answered, "manager")) == {"Sales answer", "Sales action"}
    assert set(visible_titles(answered, "other_manager")) == {"Success answer", "Success action"}
    # Staff own the Sales action: they see its evidence, nothing else.
    assert set(visible_titles(answered, "staff")) == {"Sales action"}
    assert visible_titles(answered, "org_admin", department=answered.success) == [
        "Success action",
        "Success answer",
    ] or set(visible_titles(answered, "org_admin", department=answered.success)) == {
        "Success action",
        "Success answer",
    }


def test_answer_evidence_is_withheld_where_the_answer_is(answered):
    """Threshold 3: both departments withheld. A self-rating's answer evidence then shows to
    nobody but its respondent; action evidence identifies nobody and stays."""
    answered.campaign.anonymity_threshold = 3
    answered.campaign.save()
    add_text(answered, title="Sales answer")
    add_text(answered, action=answered.action, title="Sales action", by=answered.users.staff)
    assert visible_titles(answered, "org_admin") == ["Sales action"]
    assert visible_titles(answered, "consultant") == ["Sales action"]
    assert set(visible_titles(answered, "manager")) == {"Sales answer", "Sales action"}
    evidence = Evidence.objects.get(title="Sales answer")
    client = Client()
    client.force_login(answered.users.org_admin)
    assert client.get(reverse("improvement:evidence-detail", args=[evidence.pk])).status_code == 404
    client.force_login(answered.users.manager)
    assert client.get(reverse("improvement:evidence-detail", args=[evidence.pk])).status_code == 200


def test_an_outside_rating_s_evidence_shows_in_a_withheld_department(answered):
    from assessments import services as assessment_services
    from assessments.models import Answer, Response
    from tests.assessments.conftest import answer_all

    answered.campaign.anonymity_threshold = 3
    answered.campaign.save()
    rating = assessment_services.add_respondent(
        campaign=answered.campaign,
        department=answered.sales,
        user=answered.users.consultant,
        rater_role=Response.RaterRole.CONSULTANT,
        notify=False,
    )
    answer_all(rating, answered.questions, 0)
    answer = Answer.objects.select_related("response").get(
        response=rating, question=answered.questions["kpi-q0"]
    )
    add_text(answered, answer=answer, title="Consultant's note")
    assert visible_titles(answered, "org_admin") == ["Consultant's note"]
    assert visible_titles(answered, "manager") == ["Consultant's note"]


# ------------------------------------------------------------------ pages


def test_the_queue_lists_pending_first_and_flags_re_certification(client, answered):
    old = approved(answered, title="Approved long ago", recertify_on=TODAY)
    add_text(answered, title="Waiting", answer=answered.other_answer)
    client.force_login(answered.users.consultant)
    reply = client.get(reverse("improvement:evidence", args=[answered.campaign.pk]))
    assert reply.status_code == 200
    assert [e.title for e in reply.context["rows"]] == ["Waiting", "Approved long ago"]
    assert (reply.context["pending"], reply.context["due"]) == (1, 1)
    html = reply.content.decode()
    assert html.index("Waiting") < html.index("Approved long ago")
    assert "status-due" in html
    filtered = client.get(
        reverse("improvement:evidence", args=[answered.campaign.pk]),
        {"status": "approved", "department": answered.sales.pk},
    )
    assert [e.pk for e in filtered.context["rows"]] == [old.pk]


def test_the_queue_ignores_bad_filters(client, answered):
    add_text(answered)
    client.force_login(answered.users.org_admin)
    reply = client.get(
        reverse("improvement:evidence", args=[answered.campaign.pk]),
        {"status": "bogus", "department": "99999999999999999999"},
    )
    assert reply.status_code == 200 and len(reply.context["rows"]) == 1


def test_the_queue_s_queries_do_not_grow_with_rows(client, answered, django_assert_max_num_queries):
    for n in range(3):
        add_text(answered, title=f"Answer proof {n}")
        add_text(
            answered, action=answered.action, title=f"Action proof {n}", by=answered.users.staff
        )
    client.force_login(answered.users.org_admin)
    url = reverse("improvement:evidence", args=[answered.campaign.pk])
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for n in range(10):
        add_text(answered, answer=answered.other_answer, title=f"More {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        reply = client.get(url)
    assert len(reply.context["rows"]) == 16


def test_the_web_form_adds_text_evidence_and_lands_on_it(client, answered):
    client.force_login(answered.users.manager)
    url = reverse(
        "improvement:answer-evidence-create",
        args=[answered.response.pk, answered.answer.question_id],
    )
    page = client.get(url)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    reply = client.post(url, {"kind": "text", "title": "Review notes", "text": "Monthly review"})
    evidence = Evidence.objects.get()
    assert reply.status_code == 302
    assert reply["Location"] == reverse("improvement:evidence-detail", args=[evidence.pk])
    assert (evidence.title, evidence.text, evidence.answer_id) == (
        "Review notes",
        "Monthly review",
        answered.answer.pk,
    )


def test_the_web_form_refuses_a_javascript_link_in_japanese(client, answered):
    client.force_login(answered.users.manager)
    url = reverse(
        "improvement:answer-evidence-create",
        args=[answered.response.pk, answered.answer.question_id],
    )
    reply = client.post(
        url,
        {"kind": "link", "title": "x", "url": "javascript:alert(1)"},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert reply.status_code == 200
    assert "http:// または https:// で始まる" in reply.content.decode()
    assert not Evidence.objects.exists()


def test_the_review_form_approves_and_locks(client, answered):
    evidence = add_text(answered)
    client.force_login(answered.users.org_admin)
    reply = client.post(
        reverse("improvement:evidence-review", args=[evidence.pk]),
        {"decision": "approved", "comment": ""},
    )
    assert reply.status_code == 302
    evidence.refresh_from_db()
    assert evidence.status == "approved"
    # The owner's change then makes version 2, and the page says so.
    client.force_login(answered.users.manager)
    reply = client.post(
        reverse("improvement:evidence-detail", args=[evidence.pk]),
        {"kind": "text", "title": "Proof", "text": "Updated"},
        follow=True,
    )
    new = Evidence.objects.get(is_current=True)
    assert new.version == 2 and new.previous_id == evidence.pk
    assert reply.redirect_chain[-1][0] == reverse("improvement:evidence-detail", args=[new.pk])
    assert [v.version for v in reply.context["versions"]] == [2, 1]


def test_a_rejection_without_comment_is_sent_back(client, answered):
    evidence = add_text(answered)
    client.force_login(answered.users.consultant)
    reply = client.post(
        reverse("improvement:evidence-review", args=[evidence.pk]),
        {"decision": "rejected", "comment": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert reply.status_code == 200
    assert "Say why the evidence is rejected." in reply.content.decode()
    evidence.refresh_from_db()
    assert evidence.status == "pending"


# ------------------------------------------------------------------ template tags


def render_tag(source, context):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = context.pop("user")
    return Template("{% load improvement_evidence %}" + source).render(
        Context({"request": request, **context})
    )


def test_answer_evidence_lists_evidence_and_the_add_link(answered):
    evidence = add_text(answered, title="Churn review")
    html = render_tag(
        "{% answer_evidence answer %}",
        {"user": answered.users.manager, "answer": answered.answer, "campaign": answered.campaign},
    )
    assert "Churn review" in html
    assert reverse("improvement:evidence-detail", args=[evidence.pk]) in html
    add = reverse(
        "improvement:answer-evidence-create",
        args=[answered.response.pk, answered.answer.question_id],
    )
    assert add in html
    # Another department's manager sees nothing of it.
    assert "Churn review" not in render_tag(
        "{% answer_evidence answer %}",
        {"user": answered.users.other_manager, "answer": answered.answer},
    )


def test_answer_evidence_costs_the_same_queries_for_every_answer(
    answered, django_assert_max_num_queries
):
    from assessments.models import Answer

    add_text(answered, title="Churn review")
    answers = list(Answer.objects.filter(response__campaign=answered.campaign))
    assert len(answers) >= 4
    source = "{% for a in answers %}{% answer_evidence a %}{% endfor %}"
    context = {"answers": answers[:1], "campaign": answered.campaign}
    with django_assert_max_num_queries(12) as one:
        render_tag(source, {"user": answered.users.org_admin, **context})
    context["answers"] = answers
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = render_tag(source, {"user": answered.users.org_admin, **context})
    assert html.count("Churn review") == 1


def test_answer_evidence_is_empty_where_the_answer_is_withheld(answered):
    answered.campaign.anonymity_threshold = 3
    answered.campaign.save()
    add_text(answered, title="Churn review")
    html = render_tag(
        "{% answer_evidence answer %}",
        {"user": answered.users.org_admin, "answer": answered.answer},
    )
    assert "Churn review" not in html and "evidence/new" not in html


def test_department_evidence_counts_by_status(answered):
    approved(answered, title="A", recertify_on=TODAY)
    add_text(answered, title="B")
    rejected = add_text(answered, action=answered.action, title="C", by=answered.users.staff)
    services.review_evidence(
        evidence=rejected, decision="rejected", comment="No", by=answered.users.org_admin
    )
    add_text(answered, answer=answered.other_answer, title="Elsewhere")
    html = render_tag(
        "{% department_evidence campaign department %}",
        {
            "user": answered.users.org_admin,
            "campaign": answered.campaign,
            "department": answered.sales,
        },
    )
    import re

    counts = dict(re.findall(r'status-(\w+)">[^<]+</span> <strong>(\d+)</strong>', html))
    assert counts == {"approved": "1", "pending": "1", "rejected": "1", "due": "1"}
    assert f"?department={answered.sales.pk}" in html
    manager_html = render_tag(
        "{% department_evidence campaign department %}",
        {
            "user": answered.users.manager,
            "campaign": answered.campaign,
            "department": answered.sales,
        },
    )
    assert "?department=" not in manager_html  # the queue is for reviewers


def test_action_evidence_lists_it_for_the_owner(answered):
    add_text(answered, action=answered.action, title="Dashboard link", by=answered.users.staff)
    html = render_tag(
        "{% action_evidence action %}", {"user": answered.users.staff, "action": answered.action}
    )
    assert "Dashboard link" in html
    assert reverse("improvement:action-evidence-create", args=[answered.action.pk]) in html
    assert "Dashboard link" not in render_tag(
        "{% action_evidence action %}",
        {"user": answered.users.other_manager, "action": answered.action},
    )


# ------------------------------------------------------------------ Japanese


def test_the_evidence_pages_are_in_japanese(answered, media, unresolved):  # noqa: F811
    evidence = add_text(answered, title="月次レビュー", text="解約率を毎月確認しています。")
    file_evidence = services.add_evidence(
        **base(answered, kind="file", file=pdf("議事録.pdf"), text="", title="議事録")
    )
    services.review_evidence(evidence=evidence, decision="approved", by=answered.users.org_admin)
    pages = {
        "org_admin": [
            reverse("improvement:evidence", args=[answered.campaign.pk]),
            reverse("improvement:evidence-detail", args=[evidence.pk]),
            reverse("improvement:evidence-detail", args=[file_evidence.pk]),
        ],
        "manager": [
            reverse(
                "improvement:answer-evidence-create",
                args=[answered.response.pk, answered.answer.question_id],
            ),
            reverse("improvement:evidence-detail", args=[evidence.pk]),
        ],
        "staff": [reverse("improvement:action-evidence-create", args=[answered.action.pk])],
    }
    msgids, problems = translated_msgids(), []
    for role, urls in pages.items():
        client = Client()
        client.force_login(getattr(answered.users, role))
        for url in urls:
            unresolved.clear()
            found = problems_of(render(client, url), msgids)
            found["msgid without a translation"] = sorted(unresolved)
            problems += [f"{role} {url} {k}: {v}" for k, items in found.items() for v in items]
    assert problems == []


def test_the_evidence_form_with_errors_is_in_japanese(answered, unresolved):  # noqa: F811
    client = Client()
    client.force_login(answered.users.manager)
    url = reverse(
        "improvement:answer-evidence-create",
        args=[answered.response.pk, answered.answer.question_id],
    )
    reply = client.post(url, {"kind": "file", "title": ""}, HTTP_ACCEPT_LANGUAGE="ja")
    assert reply.status_code == 200
    found = problems_of(visible_chunks(reply.content.decode()), translated_msgids())
    found["msgid without a translation"] = sorted(unresolved)
    assert {k: v for k, v in found.items() if v} == {}
