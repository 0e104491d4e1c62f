"""The campaign report reads its data in a fixed number of queries, whatever the number of
departments: each department's commentary, comments, actions, evidence, loop, training
progress and disagreements come from one read for the whole campaign (issue 15: the report
built at close to reportlab's own speed, data read included)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import Department, Membership, Response
from improvement.actions.services import create_action
from improvement.commentary.services import publish_commentary, save_commentary
from maturity.functions import DepartmentFunction
from reports.campaign_report import build_campaign_report
from tests.assessments.conftest import answer_all, make_user
from tests.reports.test_campaign_report import pages_text
from tests.training.conftest import write_module
from training.models import Module, ModuleProgress
from training.services import import_modules

pytestmark = pytest.mark.django_db


def add_department(cast, django_user_model, number: int) -> Department:
    """A department with a manager who answered (spread answers and a comment), a published
    commentary, an action linking the module and a member who read it."""
    department = Department.objects.create(
        organisation=cast.acme, name=f"Team {number}", function=DepartmentFunction.SALES
    )
    cast.campaign.departments.add(department)
    for index, choice in ((1, 0), (2, 2)):  # two managers, answers two levels apart
        manager = make_user(django_user_model, f"manager-{number}-{index}")
        Membership.objects.create(
            user=manager, organisation=cast.acme, department=department, role="manager"
        )
        response = services.add_respondent(
            campaign=cast.campaign,
            department=department,
            user=manager,
            rater_role=Response.RaterRole.MANAGER,
            notify=False,
        )
        answer_all(response, cast.questions, choice, comment=f"comment {number}-{index}")
    commentary = save_commentary(
        campaign=cast.campaign,
        department=department,
        narrative=f"Narrative of team {number}.",
        findings="- a finding",
        by=cast.users.consultant,
    )
    publish_commentary(commentary=commentary, by=cast.users.consultant)
    module = Module.objects.get()
    create_action(
        campaign=cast.campaign,
        department=department,
        dimension_code=module.dimensions.first().dimension_code,
        title=f"Action of team {number}",
        modules=[module],
        by=cast.users.consultant,
    )
    staff = make_user(django_user_model, f"staff-{number}")
    Membership.objects.create(
        user=staff, organisation=cast.acme, department=department, role="staff"
    )
    ModuleProgress.objects.create(user=staff, organisation=cast.acme, module=module)
    return department


def report_queries(cast) -> int:
    with CaptureQueriesContext(connection) as queries:
        pdf = build_campaign_report(cast.campaign, language="en")
    assert pdf.startswith(b"%PDF")
    return len(queries)


def test_the_report_reads_the_same_queries_for_two_departments_or_six(
    cast, django_user_model, tmp_path
):
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    write_module(tmp_path)
    import_modules(directory=tmp_path)
    add_department(cast, django_user_model, 1)
    add_department(cast, django_user_model, 2)
    report_queries(cast)  # first use: what a process reads once (none of the report's data)
    two = report_queries(cast)
    for number in range(3, 7):
        add_department(cast, django_user_model, number)
    six = report_queries(cast)
    assert six == two
    # The whole build, scoring and the previous campaign included, stays a small constant
    # (the 10-department benchmark campaign read 321 before each department's data was read
    # once for the campaign).
    assert two <= 45


def test_each_department_still_gets_its_own_commentary_comments_and_actions(
    cast, django_user_model, tmp_path
):
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    write_module(tmp_path)
    import_modules(directory=tmp_path)
    for number in (1, 2, 3):
        add_department(cast, django_user_model, number)
    pdf = build_campaign_report(cast.campaign, language="en")

    text = " ".join(" ".join(pages_text(pdf)).split())
    starts = [text.index(f"Team {n} against the organisation") for n in (1, 2, 3)]
    ends = starts[1:] + [len(text)]
    for number, start, end in zip((1, 2, 3), starts, ends, strict=True):
        # Each department's chapter prints its own commentary and comments, no other's.
        chapter = text[start:end]
        assert f"Narrative of team {number}." in chapter
        assert f"comment {number}-1" in chapter
        others = {1, 2, 3} - {number}
        assert not any(f"Narrative of team {n}." in chapter for n in others)
        assert not any(f"comment {n}-1" in chapter for n in others)
        # and its loop table lists its own action
        assert text.count(f"Action of team {number}") >= 1
