"""Demo data: two organisations, their people, and campaigns with realistic answers.

Idempotent: running it again finds what exists and adds nothing twice. Answers go through
the same services as real respondents' answers.
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessments import services
from assessments.models import (
    Campaign,
    ConsultantAccess,
    Department,
    Invitation,
    Membership,
    Organisation,
    Response,
)
from assessments.selectors import questionnaire
from maturity.functions import DepartmentFunction as F
from maturity.models import Framework

from .demo_improvement import setup_improvement_demo

PASSWORD = "levelcheck-demo"

# username, full name (family, given), e-mail local part, role, department key
PEOPLE = [
    ("sato", "佐藤", "美咲", "org_admin", None),
    ("suzuki", "鈴木", "大輔", "manager", "marketing"),
    ("takahashi", "高橋", "直樹", "manager", "sales"),
    ("kobayashi", "小林", "由美", "manager", "sales"),
    # Three submitted self-ratings put 営業部 at the anonymity threshold (3): the demo shows a
    # department with its scores and named answers beside four withheld ones.
    ("matsumoto", "松本", "さくら", "manager", "sales"),
    ("inoue", "井上", "拓海", "manager", "sales"),
    ("ito", "伊藤", "翔太", "manager", "inside_sales"),
    ("watanabe", "渡辺", "彩", "manager", "customer_success"),
    ("yamamoto", "山本", "健一", "manager", "management"),
    ("nakamura", "中村", "陽菜", "staff", "sales"),
    ("kato", "加藤", "蓮", "staff", "customer_success"),
    ("yoshida", "吉田", "葵", "staff", "marketing"),
]
DEPARTMENTS = {
    "marketing": ("マーケティング部", F.MARKETING),
    "sales": ("営業部", F.SALES),
    "inside_sales": ("インサイドセールス部", F.INSIDE_SALES),
    "customer_success": ("カスタマーサクセス部", F.CUSTOMER_SUCCESS),
    "management": ("経営企画部", F.MANAGEMENT),
}
# Typical level per department and dimension: sales still chases orders, customer success
# leads on its own practice, marketing is data-savvy but rewarded for leads.
PROFILE = {
    "marketing": {"default": 2.6, "tools": 3.6, "data": 3.4, "incentives": 1.8},
    "sales": {"default": 1.9, "incentives": 1.3, "kpi": 1.7, "talent": 2.3},
    "inside_sales": {"default": 2.4, "tools": 3.2, "operations": 2.9},
    "customer_success": {"default": 3.2, "customer-success": 4.1, "kpi": 3.6, "incentives": 2.4},
    "management": {"default": 2.8, "leadership": 3.3, "data": 2.2},
}
# How the previous campaign compared: everyone a little lower.
PREVIOUS_SHIFT = -0.6


def _user(username, family, given, email_domain):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"last_name": family, "first_name": given, "email": f"{username}@{email_domain}"},
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


def _answer(
    response: Response, rng: random.Random, *, shift: float, completion: float, submit: bool
):
    if response.answers.exists():
        return
    profile = PROFILE[response.department.function]  # keyed by department function
    bias = (
        0.4 if response.rater_role == Response.RaterRole.MANAGER else -0.2
    )  # self-ratings run high
    items = []
    for dimension in questionnaire(response.campaign.framework_id, response.department.function):
        mean = profile.get(dimension.code, profile["default"]) + shift + bias
        for question in dimension.applicable_questions:
            if rng.random() > completion:
                continue
            choices = list(question.choices.all())
            if question.allow_na and rng.random() < 0.12:
                items.append(
                    services.AnswerInput(
                        question_id=question.pk,
                        is_na=True,
                        na_reason="当部門では該当する業務がないため",
                    )
                )
                continue
            position = min(len(choices), max(1, round(rng.gauss(mean, 0.75))))
            comment = ""
            if rng.random() < 0.08:
                comment = rng.choice(
                    [
                        "四半期ごとに見直しを始めたが、まだ定着していない。",
                        "部門間で定義が揃っておらず、会議のたびに数字が食い違う。",
                        "ツールはあるが入力が徹底されていない。",
                        "新任マネージャーの着任後に改善が進んだ。",
                    ]
                )
            items.append(
                services.AnswerInput(
                    question_id=question.pk, choice_id=choices[position - 1].pk, comment=comment
                )
            )
    services.save_answers(response=response, items=items)
    if submit:
        services.submit_response(response=response)


def _demo_learning(organisation, departments, campaign, users) -> None:
    """A learning path for 営業部 from the open campaign's results, assigned to its staff,
    and some progress in customer success. Needs the modules (make run imports them)."""
    from results.loader import campaign_results
    from training import services as training_services
    from training.models import LearningPath, Module
    from training.selectors import proposed_modules

    if (
        not Module.objects.exists()
        or LearningPath.objects.filter(organisation=organisation).exists()
    ):
        return
    sales = departments["sales"]
    proposals = proposed_modules(campaign_results(campaign), sales.pk)
    path = training_services.create_learning_path(
        organisation=organisation,
        department=sales,
        name="営業部 学習パス（2026年度 下期）",
        modules=[p["module"] for p in proposals[:3]],
        created_by=users["takahashi"],
        campaign=campaign,
    )
    training_services.assign_path(
        path=path,
        users=[users["nakamura"]],
        due_on=campaign.closes_on + datetime.timedelta(days=30),
        assigned_by=users["takahashi"],
    )
    for module in Module.objects.order_by("order")[:2]:
        questions = list(module.quiz_questions.prefetch_related("choices"))
        answers = {q.pk: q.correct_choice.pk for q in questions}
        training_services.record_attempt(
            user=users["kato"], organisation=organisation, module=module, answers=answers
        )


def _campaign(organisation, framework, name, departments, admin, opens_on, closes_on) -> Campaign:
    campaign = Campaign.objects.filter(organisation=organisation, name=name).first()
    if campaign is None:
        campaign = services.create_campaign(
            organisation=organisation,
            framework=framework,
            name=name,
            departments=departments,
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=admin,
        )
        # Demo respondents are not e-mailed: the invitations count as sent.
        Invitation.objects.filter(response__campaign=campaign).update(sent_at=timezone.now())
        campaign = services.set_campaign_status(campaign=campaign, status=Campaign.Status.OPEN)
    return campaign


@transaction.atomic
def setup_demo() -> dict:
    """Create (or find) the demo organisations, people and campaigns; returns the logins."""
    framework = (
        Framework.objects.filter(
            slug=settings.DEFAULT_FRAMEWORK_SLUG, status=Framework.Status.PUBLISHED
        )
        .order_by("-version")
        .first()
    )
    if framework is None:
        raise RuntimeError("Import the default framework first (make run does).")
    rng = random.Random(20261124)
    today = timezone.localdate()

    organisation, _ = Organisation.objects.get_or_create(
        slug="sample-saas", defaults={"name": "サンプルSaaS株式会社"}
    )
    departments = {
        key: Department.objects.get_or_create(
            organisation=organisation, name=name, defaults={"function": function}
        )[0]
        for key, (name, function) in DEPARTMENTS.items()
    }
    users = {}
    for username, family, given, role, department_key in PEOPLE:
        user = _user(username, family, given, "sample-saas.example")
        users[username] = user
        Membership.objects.get_or_create(
            user=user,
            organisation=organisation,
            defaults={"role": role, "department": departments.get(department_key)},
        )
    consultant = _user("tanaka", "田中", "健", "levelcheck-consulting.example")
    ConsultantAccess.objects.get_or_create(user=consultant, organisation=organisation)
    superuser = get_user_model().objects.filter(username="levelcheck-admin").first()
    if superuser is None:
        get_user_model().objects.create_superuser(
            "levelcheck-admin", "admin@levelcheck.example", PASSWORD
        )

    # A second client organisation, to see that nobody crosses between them.
    other, _ = Organisation.objects.get_or_create(
        slug="bright-lease", defaults={"name": "ブライトリース株式会社"}
    )
    other_department, _ = Department.objects.get_or_create(
        organisation=other, name="法人営業部", defaults={"function": F.SALES}
    )
    for username, family, given, role in [
        ("kimura", "木村", "拓也", "org_admin"),
        ("hayashi", "林", "真由", "manager"),
    ]:
        user = _user(username, family, given, "bright-lease.example")
        Membership.objects.get_or_create(
            user=user, organisation=other, defaults={"role": role, "department": other_department}
        )
    other_campaign = _campaign(
        other,
        framework,
        "2026年度 レベルチェック",
        [other_department],
        None,
        today - datetime.timedelta(days=10),
        today + datetime.timedelta(days=40),
    )
    for response in other_campaign.responses.all():
        _answer(response, rng, shift=0, completion=0.6, submit=False)

    admin = users["sato"]
    previous_name = "2026年度 上期 レベルチェック"
    if not Campaign.objects.filter(organisation=organisation, name=previous_name).exists():
        previous = _campaign(
            organisation, framework, previous_name, list(departments.values()), admin, today, today
        )
        for response in previous.responses.all():
            _answer(response, rng, shift=PREVIOUS_SHIFT, completion=1.0, submit=True)
        services.set_campaign_status(campaign=previous, status=Campaign.Status.CLOSED)
        Campaign.objects.filter(pk=previous.pk).update(
            opens_on=today - datetime.timedelta(days=200),
            closes_on=today - datetime.timedelta(days=170),
        )

    current = _campaign(
        organisation,
        framework,
        "2026年度 下期 レベルチェック",
        list(departments.values()),
        admin,
        today - datetime.timedelta(days=14),
        today + datetime.timedelta(days=30),
    )
    plan = {  # username: (completion, submit); ito has not started yet
        "suzuki": (1.0, True),
        "takahashi": (0.5, False),
        "kobayashi": (1.0, True),
        "matsumoto": (1.0, True),
        "inoue": (1.0, True),
        "watanabe": (1.0, True),
        "yamamoto": (0.9, True),  # a few questions left unanswered
    }
    for username in ("matsumoto", "inoue"):  # also in a demo made before they joined
        services.add_respondent(
            campaign=current,
            department=departments["sales"],
            user=users[username],
            rater_role=Response.RaterRole.MANAGER,
            notify=False,
        )
    for response in current.responses.select_related("respondent", "department"):
        completion, submit = plan.get(response.respondent.username, (0.0, False))
        if completion:
            _answer(response, rng, shift=0, completion=completion, submit=submit)
    for key in ("customer_success", "sales"):
        response = services.add_respondent(
            campaign=current,
            department=departments[key],
            user=consultant,
            rater_role=Response.RaterRole.CONSULTANT,
            notify=False,  # demo respondents are not e-mailed
        )
        if not response.is_submitted:
            _answer(response, rng, shift=0, completion=1.0, submit=True)

    _demo_learning(organisation, departments, current, users)
    setup_improvement_demo(
        organisation=organisation,
        departments=departments,
        previous=Campaign.objects.filter(organisation=organisation, name=previous_name).first(),
        current=current,
        users=users,
        consultant=consultant,
    )

    return {
        "password": PASSWORD,
        "logins": [
            ("levelcheck-admin", "Django admin (superuser)"),
            ("sato", f"org admin, {organisation.name}"),
            ("tanaka", f"consultant for {organisation.name}"),
            ("watanabe", "manager, カスタマーサクセス部 (submitted)"),
            ("takahashi", "manager, 営業部 (half answered)"),
            ("ito", "manager, インサイドセールス部 (not started)"),
            ("nakamura", "staff, 営業部"),
            ("kimura", f"org admin, {other.name} (another organisation)"),
        ],
    }
