"""The role × view isolation matrix for the results pages, targets, exports and results API.

Every row is one view, every cell one role. Anonymous users are sent to the login page (the
API answers 403); an object of another organisation is a 404 (its existence is not revealed);
inside the organisation, a user without the right gets a 403. A manager sees only their own
department; refused writes change nothing. The campaign is scored first so that every page
has numbers: the Sales manager and the Customer Success manager have submitted, and the
consultant has rated Sales. The anonymity threshold is 1 so that every department is shown;
the threshold itself is tested in test_privacy.py (and below, at the default of 3).
"""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from assessments import services
from assessments.models import Response, Target
from assessments.services import AnswerInput
from tests.matrix import api_as, api_matrix, as_role, check, matrix, succeeded, user_of

pytestmark = pytest.mark.django_db

SALES = "Sales"
SUCCESS = "Customer Success"
BOTH = {SALES, SUCCESS}
# The departments whose rows each role may see in an export or the results API.
DEPARTMENTS_SEEN = {
    "org_admin": BOTH,
    "consultant": BOTH,
    "manager": {SALES},
    "other_manager": {SUCCESS},
}


def answer_all(response, questions, index):
    """Answer every applicable question of ``response`` with the choice at ``index``."""
    items = [
        AnswerInput(question_id=q.pk, choice_id=list(q.choices.all())[index].pk)
        for q in questions.values()
        if q.applies_to(response.department.function)
    ]
    services.save_answers(response=response, items=items)
    services.submit_response(response=response)


@pytest.fixture
def scored(cast):
    """Sales manager answers the top choice (5) everywhere, Customer Success the middle (3),
    and the consultant rates Sales at the bottom (1). Threshold 1: every department shown."""
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 2)
    answer_all(cast.other_response, cast.questions, 1)
    cast.consultant_response = services.add_respondent(
        campaign=cast.campaign,
        department=cast.sales,
        user=cast.users.consultant,
        rater_role=Response.RaterRole.CONSULTANT,
        notify=False,
    )
    answer_all(cast.consultant_response, cast.questions, 0)
    return cast


def department_of(cast, name):
    return {SALES: cast.sales, SUCCESS: cast.success}[name]


def respondents_of(cast, name):
    """The users who submitted answers for a department."""
    users = cast.users
    return {SALES: [users.manager, users.consultant], SUCCESS: [users.other_manager]}[name]


def table_rows(reply, fmt) -> list[list]:
    """The rows of an export (header first) whatever its format."""
    if fmt == "csv":
        return list(csv.reader(io.StringIO(reply.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(reply.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def you(reply) -> str:
    """The label the explanation gives the viewer's own answers, in the page's language."""
    with translation.override(reply.wsgi_request.LANGUAGE_CODE):
        return translation.gettext("You")


def owners(entry) -> set[int]:
    """The ids of the users whose answers an explanation entry shows."""
    return {line["answer"].response.respondent_id for line in entry["lines"] if line["answer"]}


# ------------------------------------------------------------ 16. campaign results overview

OVERVIEW = matrix({"org_admin": 200, "consultant": 200, "manager": 302, "other_manager": 302})
# A manager is sent to their own department's page.
OWN_DEPARTMENT = {"manager": SALES, "other_manager": SUCCESS}


@pytest.mark.parametrize(("role", "expected"), OVERVIEW)
def test_it_shows_the_results_overview_only_to_org_admins_and_consultants(
    client, scored, role, expected
):
    url = reverse("results:campaign", args=[scored.campaign.pk])
    reply = as_role(client, scored, role).get(url)
    check(reply, expected)
    if expected == 302:
        department = department_of(scored, OWN_DEPARTMENT[role])
        assert reply["Location"] == reverse(
            "results:department", args=[scored.campaign.pk, department.pk]
        )
    if expected == 200:
        assert {d.name for d in reply.context["results"].departments} == BOTH


# ------------------------------------------------------------ 17. department results

SALES_RESULTS = matrix({"org_admin": 200, "consultant": 200, "manager": 200})
SUCCESS_RESULTS = matrix({"org_admin": 200, "consultant": 200, "other_manager": 200})


@pytest.mark.parametrize(("role", "expected"), SALES_RESULTS)
def test_it_shows_sales_results_only_to_its_manager_org_admins_and_consultants(
    client, scored, role, expected
):
    url = reverse("results:department", args=[scored.campaign.pk, scored.sales.pk])
    reply = as_role(client, scored, role).get(url)
    check(reply, expected)
    if expected == 200:
        assert reply.context["department"] == scored.sales
        assert {r.dimension.code: r for r in reply.context["rows"]}["kpi"].mean is not None
        assert scored.users.other_manager.username not in reply.content.decode()


@pytest.mark.parametrize(("role", "expected"), SUCCESS_RESULTS)
def test_it_shows_customer_success_results_only_to_its_manager_org_admins_and_consultants(
    client, scored, role, expected
):
    url = reverse("results:department", args=[scored.campaign.pk, scored.success.pk])
    reply = as_role(client, scored, role).get(url)
    check(reply, expected)
    if expected == 200:
        assert reply.context["department"] == scored.success
        assert {r.dimension.code: r for r in reply.context["rows"]}["kpi"].mean is not None
        assert scored.users.manager.username not in reply.content.decode()


# ------------------------------------------------------------ 18. score explanation

SALES_EXPLAIN = SALES_RESULTS
SUCCESS_EXPLAIN = SUCCESS_RESULTS


@pytest.mark.parametrize(("role", "expected"), SALES_EXPLAIN)
def test_it_explains_sales_scores_only_to_its_manager_org_admins_and_consultants(
    client, scored, role, expected
):
    url = reverse("results:explain", args=[scored.campaign.pk, scored.sales.pk, "kpi"])
    reply = as_role(client, scored, role).get(url)
    check(reply, expected)
    if expected == 200:
        respondents = reply.context["respondents"]
        # Only Sales answers: the Customer Success manager's are never among them.
        assert len(respondents) == 2
        shown = set().union(*(owners(entry) for entry in respondents))
        assert shown == {scored.users.manager.pk, scored.users.consultant.pk}
        assert scored.users.other_manager.username not in reply.content.decode()


@pytest.mark.parametrize(("role", "expected"), SUCCESS_EXPLAIN)
def test_it_explains_customer_success_scores_only_to_its_manager_org_admins_and_consultants(
    client, scored, role, expected
):
    url = reverse("results:explain", args=[scored.campaign.pk, scored.success.pk, "kpi"])
    reply = as_role(client, scored, role).get(url)
    check(reply, expected)
    if expected == 200:
        respondents = reply.context["respondents"]
        assert len(respondents) == 1
        assert owners(respondents[0]) == {scored.users.other_manager.pk}
        # Sales respondents are never named (the consultant only as the viewer, in the header).
        text = reply.content.decode()
        assert scored.users.manager.username not in text
        if role != "consultant":
            assert scored.users.consultant.username not in text


@pytest.mark.parametrize(
    ("department", "role"),
    [
        (SALES, "org_admin"),
        (SALES, "consultant"),
        (SALES, "manager"),
        (SUCCESS, "org_admin"),
        (SUCCESS, "consultant"),
        (SUCCESS, "other_manager"),
    ],
)
def test_it_shows_no_other_self_rating_below_the_anonymity_threshold(
    client, scored, department, role
):
    """At the default threshold of three both departments (one self-rating each) are
    withheld: no other manager's answers are shown, named or not; the viewer's own answers
    are labelled as theirs, and the consultant's outside rating is shown under their name."""
    scored.campaign.anonymity_threshold = 3
    scored.campaign.save()
    viewer = user_of(scored, role)
    url = reverse(
        "results:explain",
        args=[scored.campaign.pk, department_of(scored, department).pk, "kpi"],
    )
    reply = as_role(client, scored, role).get(url)
    assert reply.status_code == 200
    text = reply.content.decode()
    for user in (scored.users.manager, scored.users.other_manager):
        if user != viewer:
            assert user.username not in text
    respondents = reply.context["respondents"]
    managers = {scored.users.manager.pk, scored.users.other_manager.pk}
    for entry in respondents:
        if owners(entry) == {viewer.pk}:
            assert entry["label"] == you(reply)
        else:
            # Only outside ratings are left: the consultant's, under their name.
            assert owners(entry) == {scored.users.consultant.pk}
            assert entry["label"] == scored.users.consultant.username
    shown = set().union(set(), *(owners(entry) for entry in respondents))
    assert not (shown & managers) - {viewer.pk}
    is_respondent = viewer in respondents_of(scored, department)
    assert sum(entry["label"] == you(reply) for entry in respondents) == int(is_respondent)


# ------------------------------------------------------------ 19. targets

TARGETS = matrix({"org_admin": 302, "consultant": 302})


@pytest.mark.parametrize(("role", "expected"), TARGETS)
def test_it_sets_targets_only_for_org_admins_and_consultants(client, scored, role, expected):
    url = reverse("results:targets", args=[scored.campaign.pk, scored.sales.pk])
    reply = as_role(client, scored, role).post(url, {"target-kpi": "5"})
    check(reply, expected)
    if succeeded(expected):
        assert reply["Location"] == reverse(
            "results:department", args=[scored.campaign.pk, scored.sales.pk]
        )
        target = Target.objects.get(department=scored.sales, dimension_code="kpi")
        assert target.level == 5 and target.set_by == user_of(scored, role)
    else:
        assert not Target.objects.exists()


# ------------------------------------------------------------ 20. exports

EXPORT_KINDS = [
    pytest.param(kind, fmt, id=f"{kind}.{fmt}")
    for kind in ("scores", "answers")
    for fmt in ("csv", "xlsx")
]
EXPORT = matrix({"org_admin": 200, "consultant": 200, "manager": 200, "other_manager": 200})


@pytest.mark.parametrize(("kind", "fmt"), EXPORT_KINDS)
@pytest.mark.parametrize(("role", "expected"), EXPORT)
def test_it_exports_results_only_within_each_users_scope(client, scored, role, expected, kind, fmt):
    url = reverse("results:export", args=[scored.campaign.pk, kind, fmt])
    reply = as_role(client, scored, role).get(url)
    check(reply, expected)
    if expected != 200:
        return
    rows = table_rows(reply, fmt)
    body = rows[1:]
    assert body
    seen = DEPARTMENTS_SEEN[role]
    assert {row[0] for row in body} == seen
    cells = [str(cell) for row in rows for cell in row if cell is not None]
    for hidden in BOTH - seen:
        assert not any(hidden in cell for cell in cells)
        if fmt == "csv":
            assert hidden not in reply.content.decode("utf-8-sig")
    if kind == "answers":
        # Nobody who answered for a department outside the caller's scope is named.
        for name in BOTH - seen:
            for user in respondents_of(scored, name):
                if user != user_of(scored, role):
                    assert not any(user.username in cell for cell in cells)


def test_it_refuses_an_unknown_export_kind(client, scored):
    client.force_login(scored.users.org_admin)
    url = f"/campaigns/{scored.campaign.pk}/export/secrets.csv"
    assert url == reverse("results:export", args=[scored.campaign.pk, "secrets", "csv"])
    assert client.get(url).status_code == 404


# ------------------------------------------------------------ 21. another organisation's results

GLOBEX_RESULTS = matrix({"outsider": 200, "consultant_without_access": 200}, inside=())
GLOBEX_TARGETS = matrix({"outsider": 302, "consultant_without_access": 302}, inside=())


GLOBEX_VIEWS = [
    pytest.param("campaign", (), id="overview"),
    pytest.param("department", ("department",), id="department"),
    pytest.param("explain", ("department", "kpi"), id="explain"),
    *(
        pytest.param("export", (kind, fmt), id=f"{kind}.{fmt}")
        for kind in ("scores", "answers")
        for fmt in ("csv", "xlsx")
    ),
]


@pytest.mark.parametrize(("view", "rest"), GLOBEX_VIEWS)
@pytest.mark.parametrize(("role", "expected"), GLOBEX_RESULTS)
def test_it_shows_globex_results_and_exports_only_inside_globex(
    client, scored, role, expected, view, rest
):
    args = [
        scored.globex_campaign.pk,
        *(scored.globex_sales.pk if arg == "department" else arg for arg in rest),
    ]
    url = reverse(f"results:{view}", args=args)
    check(as_role(client, scored, role).get(url), expected)


@pytest.mark.parametrize(("role", "expected"), GLOBEX_TARGETS)
def test_it_sets_globex_targets_only_inside_globex(client, scored, role, expected):
    url = reverse(
        "results:targets",
        args=[scored.globex_campaign.pk, scored.globex_sales.pk],
    )
    check(as_role(client, scored, role).post(url, {"target-kpi": "5"}), expected)
    assert Target.objects.exists() is succeeded(expected)


# ------------------------------------------------------------ 22. results API

API_RESULTS = api_matrix(
    {"org_admin": 200, "consultant": 200, "manager": 200, "other_manager": 200}
)
GLOBEX_API_RESULTS = api_matrix({"outsider": 200, "consultant_without_access": 200}, inside=())


@pytest.mark.parametrize(("role", "expected"), API_RESULTS)
def test_it_serves_results_by_api_only_within_each_callers_scope(scored, role, expected):
    reply = api_as(scored, role).get(f"/api/v1/campaigns/{scored.campaign.pk}/results/")
    assert reply.status_code == expected
    if expected == 200:
        scores = reply.json()["scores"]
        assert {row["department_name"] for row in scores} == DEPARTMENTS_SEEN[role]
        departments = {department_of(scored, name).pk for name in DEPARTMENTS_SEEN[role]}
        assert {row["department"] for row in scores} == departments


@pytest.mark.parametrize(("role", "expected"), GLOBEX_API_RESULTS)
def test_it_serves_globex_results_by_api_only_inside_globex(scored, role, expected):
    reply = api_as(scored, role).get(f"/api/v1/campaigns/{scored.globex_campaign.pk}/results/")
    assert reply.status_code == expected
    if expected == 200:
        names = {row["department_name"] for row in reply.json()["scores"]}
        assert names <= {scored.globex_sales.name}
