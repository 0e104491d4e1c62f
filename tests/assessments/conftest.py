"""The standard cast for assessment tests: two organisations and every kind of user.

Acme (the organisation under test) has a sales and a customer-success department and an
open campaign on the sample framework; Globex is another organisation with its own campaign.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from assessments import services
from assessments.models import (
    Campaign,
    ConsultantAccess,
    Department,
    Membership,
    Organisation,
    Response,
)
from assessments.services import AnswerInput
from maturity.functions import DepartmentFunction


def make_user(django_user_model, username, **extra):
    return django_user_model.objects.create_user(
        username, email=f"{username}@example.com", password="pw", **extra
    )


def open_campaign(*, organisation, framework, departments, name="Level check", created_by=None):
    today = timezone.localdate()
    campaign = services.create_campaign(
        organisation=organisation,
        framework=framework,
        name=name,
        departments=departments,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        created_by=created_by,
    )
    return services.set_campaign_status(campaign=campaign, status=Campaign.Status.OPEN)


@pytest.fixture
def cast(db, django_user_model, sample_framework):
    acme = Organisation.objects.create(name="Acme", slug="acme")
    sales = Department.objects.create(
        organisation=acme, name="Sales", function=DepartmentFunction.SALES
    )
    success = Department.objects.create(
        organisation=acme, name="Customer Success", function=DepartmentFunction.CUSTOMER_SUCCESS
    )
    users = SimpleNamespace(
        org_admin=make_user(django_user_model, "alice"),
        manager=make_user(django_user_model, "mori"),  # manager of Sales
        other_manager=make_user(django_user_model, "okada"),  # manager of Customer Success
        staff=make_user(django_user_model, "sasaki"),  # staff of Sales
        consultant=make_user(django_user_model, "conny"),  # has access to Acme
        consultant_without_access=make_user(django_user_model, "cole"),
        outsider=make_user(django_user_model, "gina"),  # org admin of Globex
        nobody=make_user(django_user_model, "nobody"),  # signed in, no organisation
    )
    Membership.objects.create(user=users.org_admin, organisation=acme, role="org_admin")
    Membership.objects.create(
        user=users.manager, organisation=acme, department=sales, role="manager"
    )
    Membership.objects.create(
        user=users.other_manager, organisation=acme, department=success, role="manager"
    )
    Membership.objects.create(user=users.staff, organisation=acme, department=sales, role="staff")
    ConsultantAccess.objects.create(user=users.consultant, organisation=acme)

    globex = Organisation.objects.create(name="Globex", slug="globex")
    globex_sales = Department.objects.create(
        organisation=globex, name="Globex Sales", function=DepartmentFunction.SALES
    )
    Membership.objects.create(user=users.outsider, organisation=globex, role="org_admin")
    globex_manager = make_user(django_user_model, "gary")
    Membership.objects.create(
        user=globex_manager, organisation=globex, department=globex_sales, role="manager"
    )
    ConsultantAccess.objects.create(user=users.consultant_without_access, organisation=globex)

    campaign = open_campaign(
        organisation=acme, framework=sample_framework, departments=[sales, success]
    )
    globex_campaign = open_campaign(
        organisation=globex, framework=sample_framework, departments=[globex_sales]
    )
    return SimpleNamespace(
        framework=sample_framework,
        acme=acme,
        globex=globex,
        sales=sales,
        success=success,
        globex_sales=globex_sales,
        users=users,
        campaign=campaign,
        globex_campaign=globex_campaign,
        response=Response.objects.get(campaign=campaign, respondent=users.manager),
        other_response=Response.objects.get(campaign=campaign, respondent=users.other_manager),
        globex_response=Response.objects.get(campaign=globex_campaign),
        questions={q.code: q for q in sample_framework.questions.prefetch_related("choices")},
    )


def answer_all(response, questions, index, *, comment="", submit=True):
    """Answer every applicable question with the choice at ``index`` (and submit)."""
    items = [
        AnswerInput(question_id=q.pk, choice_id=list(q.choices.all())[index].pk, comment=comment)
        for q in questions.values()
        if q.applies_to(response.department.function)
    ]
    services.save_answers(response=response, items=items)
    if submit:
        services.submit_response(response=response)
