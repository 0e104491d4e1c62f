"""A large submitted campaign, built fast, for the scoring and report benchmarks.

One organisation, its departments and managers (functions chosen so that every respondent
answers 51–54 of the shipped framework's 58 questions), one consultant rating every
department so that the perception gap has something to compare, and every response
submitted with varied choices and ~3 % N/A where a question allows it. The campaign goes
through ``assessments.services.create_campaign``; the answers are bulk-inserted (test data,
not the code under test). Call after ``django.setup()``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORK_FILE = ROOT / "maturity" / "frameworks" / "customer-engagement.yaml"

# (name, function): functions whose managers answer 51–54 of the framework's 58 questions.
DEPARTMENTS = [
    ("Marketing East", "marketing"),
    ("Marketing West", "marketing"),
    ("Field Sales 1", "sales"),
    ("Field Sales 2", "sales"),
    ("Enterprise Sales", "sales"),
    ("Inside Sales 1", "inside_sales"),
    ("Inside Sales 2", "inside_sales"),
    ("Customer Success 1", "customer_success"),
    ("Customer Success 2", "customer_success"),
    ("Customer Success 3", "customer_success"),
]
MANAGERS_PER_DEPARTMENT = 100
NA_SHARE = 0.03  # of the answers to questions that allow N/A
SEED = 20260401


@dataclass
class Built:
    campaign_id: int
    responses: int
    answers: int
    na: int
    departments: int


def import_shipped_framework():
    from maturity.framework_file import load_framework_file
    from maturity.framework_io import import_framework

    source = str(FRAMEWORK_FILE.relative_to(ROOT))
    data = load_framework_file(FRAMEWORK_FILE.read_bytes(), source=source)
    return import_framework(data, source=source)


def build_campaign(
    framework, *, slug: str, departments: list[tuple[str, str]], managers: int, rng
) -> Built:
    """An organisation, its departments and managers, a campaign created by the service, one
    consultant rating every department, and every response submitted with answers."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from assessments import services
    from assessments.models import (
        Answer,
        Campaign,
        ConsultantAccess,
        Department,
        Membership,
        Organisation,
        Response,
    )
    from maturity.models import Question

    user_model = get_user_model()
    with transaction.atomic():
        organisation = Organisation.objects.create(name=f"Bench {slug}", slug=f"bench-{slug}")
        depts = Department.objects.bulk_create(
            Department(organisation=organisation, name=name, function=function)
            for name, function in departments
        )
        users = user_model.objects.bulk_create(
            user_model(username=f"{slug}-manager-{i:05d}", password="!")
            for i in range(len(depts) * managers)
        )
        Membership.objects.bulk_create(
            Membership(
                user=user,
                organisation=organisation,
                department=depts[i // managers],
                role=Membership.Role.MANAGER,
            )
            for i, user in enumerate(users)
        )
        today = timezone.localdate()
        campaign = services.create_campaign(
            organisation=organisation,
            framework=framework,
            name=f"Bench {slug}",
            departments=depts,
            opens_on=today - datetime.timedelta(days=30),
            closes_on=today - datetime.timedelta(days=1),
            created_by=None,
        )
        consultant = user_model.objects.create(username=f"{slug}-consultant", password="!")
        ConsultantAccess.objects.create(user=consultant, organisation=organisation)
        for department in depts:
            services.add_respondent(
                campaign=campaign,
                department=department,
                user=consultant,
                rater_role=Response.RaterRole.CONSULTANT,
                notify=False,
            )
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
        Response.objects.filter(campaign=campaign).update(
            status=Response.Status.SUBMITTED, submitted_at=timezone.now()
        )

        questions = list(
            Question.objects.filter(framework=framework)
            .select_related("dimension")
            .prefetch_related("choices")
        )
        choices = {q.pk: sorted(q.choices.all(), key=lambda c: c.order) for q in questions}
        dimension_offset = {q.dimension.code: rng.uniform(-0.8, 0.8) for q in questions}
        department_level = {d.pk: rng.uniform(0.8, 3.2) for d in depts}  # index on 0–4
        rows = []
        responses = Response.objects.filter(campaign=campaign).select_related("department")
        for response in responses:
            department = response.department
            own = rng.gauss(0, 0.5)  # some respondents are harsher than others
            for question in questions:
                if not question.applies_to(department.function):
                    continue
                if question.allow_na and rng.random() < NA_SHARE:
                    rows.append(
                        Answer(
                            response=response,
                            question=question,
                            is_na=True,
                            na_reason="Not part of this team's work",
                        )
                    )
                    continue
                options = choices[question.pk]
                centre = department_level[department.pk] + dimension_offset[question.dimension.code]
                index = round(centre + own + rng.gauss(0, 0.7))
                choice = options[min(len(options) - 1, max(0, index))]
                rows.append(Answer(response=response, question=question, choice=choice))
        Answer.objects.bulk_create(rows, batch_size=2000)
    return Built(
        campaign_id=campaign.pk,
        responses=len(responses),
        answers=len(rows),
        na=sum(1 for row in rows if row.is_na),
        departments=len(depts),
    )
