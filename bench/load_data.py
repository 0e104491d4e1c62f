"""The load benchmark's data: the schema and framework (through manage.py), then one
organisation with one manager per department and one open campaign over all of them, built
in-process through the ORM and the services; returns what each simulated manager needs."""

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.harness import log, run
from bench.load_config import FRAMEWORK_FILE, FUNCTIONS, PASSWORD

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Spec:
    """One simulated manager: who logs in, which response, its questions and choices."""

    username: str
    response_id: int
    questions: list[tuple[int, list[int]]]  # (question id, choice ids) in questionnaire order


def prepare_database(env: dict, *, deadline: float) -> None:
    """Schema and the shipped framework, as ``make run`` would (no demo data needed); each
    command must end by ``deadline`` (``time.monotonic()``)."""
    manage = [sys.executable, "manage.py"]
    for args in (["migrate", "--no-input", "-v0"], ["import_framework", FRAMEWORK_FILE]):
        log("manage.py " + " ".join(args))
        run(manage + args, env=env, cwd=ROOT, timeout=max(1.0, deadline - time.monotonic()))


def build_campaign(count: int) -> tuple[int, list[Spec]]:
    """One organisation; ``count`` departments, each with one manager; one open campaign
    over all of them, created and opened through the services (which make the responses)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from assessments import services
    from assessments.models import (
        Campaign,
        Department,
        Invitation,
        Membership,
        Organisation,
        Response,
    )
    from assessments.selectors import questionnaire
    from maturity.models import Framework

    user_model = get_user_model()
    framework = Framework.objects.get(status=Framework.Status.PUBLISHED)
    password = make_password(PASSWORD)  # hashed once: the same password for every manager
    with transaction.atomic():
        organisation = Organisation.objects.create(name="Load bench", slug="load-bench")
        departments = Department.objects.bulk_create(
            Department(
                organisation=organisation,
                name=f"Department {i:03d}",
                function=FUNCTIONS[i % len(FUNCTIONS)],
            )
            for i in range(count)
        )
        users = user_model.objects.bulk_create(
            user_model(username=f"load-manager-{i:03d}", password=password) for i in range(count)
        )
        Membership.objects.bulk_create(
            Membership(
                user=user,
                organisation=organisation,
                department=department,
                role=Membership.Role.MANAGER,
            )
            for user, department in zip(users, departments, strict=True)
        )
        today = timezone.localdate()
        campaign = services.create_campaign(
            organisation=organisation,
            framework=framework,
            name="Load bench campaign",
            departments=departments,
            opens_on=today - datetime.timedelta(days=1),
            closes_on=today + datetime.timedelta(days=30),
            created_by=None,
        )
        # Nobody is e-mailed (the managers have no address anyway): invitations count as sent.
        Invitation.objects.filter(response__campaign=campaign).update(sent_at=timezone.now())
        services.set_campaign_status(campaign=campaign, status=Campaign.Status.OPEN)

    questions = {
        function: [
            (question.pk, [choice.pk for choice in question.choices.all()])
            for dimension in questionnaire(framework.pk, function)
            for question in dimension.applicable_questions
        ]
        for function in FUNCTIONS
    }
    responses = Response.objects.filter(campaign=campaign).select_related(
        "respondent", "department"
    )
    specs = sorted(
        (Spec(r.respondent.username, r.pk, questions[r.department.function]) for r in responses),
        key=lambda spec: spec.username,
    )
    if len(specs) != count:
        raise RuntimeError(f"{len(specs)} responses for {count} managers")
    return campaign.pk, specs
