"""The API does what its OpenAPI schema says, under schemathesis, against a live server.

The demo data (``setup_demo``, the real framework) runs behind pytest-django's live server;
each role logs in through the login form, and every operation of ``/api/v1/schema/`` is
fuzzed with that session (the CSRF token in ``X-CSRFToken``): schemathesis' examples,
coverage (boundary and wrong-type values) and fuzzing phases, positive and negative data,
NUL bytes included. Generated ids are steered onto the demo's own objects (most of them; the
rest stay random, and other organisations' objects are in the pools too), so operations
answer with real objects rather than only 404s.

Every response must be: no 5xx, a documented status code, a documented content type and
headers, and a body that validates against the schema. Bounded and repeatable: a fixed seed,
derandomized generation, no example database. ``make fuzz`` runs the same test longer, with
more roles (``LEVELCHECK_FUZZ_EXAMPLES``, ``LEVELCHECK_FUZZ_ROLES``, ``LEVELCHECK_FUZZ_SEED``).
"""

import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import schemathesis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from assessments.models import Campaign, Department, Organisation, Response
from assessments.selectors import campaigns_for
from maturity.framework_file import load_framework_file
from maturity.framework_io import import_framework
from maturity.models import Choice, Framework, Question
from reports.models import ReportJob

FRAMEWORK_FILE = Path(settings.BASE_DIR) / "maturity" / "frameworks" / "customer-engagement.yaml"
PASSWORD = "levelcheck-demo"
# The suite: an org admin (every campaign, results, reports) and a manager half-way through
# the open campaign (their own response and its autosave). `make fuzz` adds the others.
ROLES = os.environ.get("LEVELCHECK_FUZZ_ROLES", "sato,takahashi").split(",")
EXAMPLES = int(os.environ.get("LEVELCHECK_FUZZ_EXAMPLES", "15"))
SEED = int(os.environ.get("LEVELCHECK_FUZZ_SEED", "20261124"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@dataclass
class Tally:
    """What the run did, printed once the module is done: cases, statuses, failures (a
    failing case is counted again each time Hypothesis replays it while shrinking)."""

    cases: Counter = field(default_factory=Counter)
    phases: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    server_errors: int = 0
    started: float | None = None  # at the first role's setup (demo data, login included)

    def lines(self) -> list[str]:
        seconds = time.monotonic() - (self.started or time.monotonic())
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        lines = [
            f"api fuzz: {sum(self.cases.values())} cases in {seconds:.0f} s "
            f"(seed {SEED}, {EXAMPLES} fuzzing examples per operation), "
            f"{self.server_errors} server errors (5xx), {len(set(self.failures))} distinct "
            "failures",
            f"api fuzz: by role {dict(self.cases)}; by phase {dict(self.phases)}",
            f"api fuzz: by status {statuses}",
        ]
        return lines + [f"api fuzz: FAILED {failure}" for failure in sorted(set(self.failures))]


TALLY = Tally()


@pytest.fixture(scope="module", autouse=True)
def report_the_figures(request):
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None or not sum(TALLY.cases.values()):
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        for line in TALLY.lines():
            reporter.write_line(line)


@dataclass
class Pools:
    """Ids of the demo's objects, by what a path parameter or body field names."""

    campaigns: list[int]
    responses: list[int]
    reports: list[int]
    frameworks: list[int]
    questions: list[int]
    departments: list[int]
    choices: dict[int, list[int]]

    def for_path(self, path: str, name: str) -> list[int]:
        if name == "question_id":
            return self.questions
        resource = path.removeprefix("/api/v1/").split("/")[0]
        return getattr(self, resource, [])


def steer(value, own: list[int], every: list[int]):
    """Most generated integers become an id: two in five one of the user's own objects, two
    in five any object (other organisations' too), one in five stays as generated. A function
    of the value alone, so that Hypothesis replays and shrinks a case faithfully."""
    if isinstance(value, bool) or not isinstance(value, int) or value % 5 == 0:
        return value
    pool = (own if value % 5 < 3 else every) or every
    return pool[value % len(pool)] if pool else value


@pytest.fixture
def demo(live_server, settings, tmp_path):
    """The demo data behind the live server, with report jobs in every state."""
    TALLY.started = TALLY.started or time.monotonic()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Plain HTTP on loopback, as `make serve` runs it: cookies without the Secure flag.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    source = FRAMEWORK_FILE.name
    import_framework(load_framework_file(FRAMEWORK_FILE.read_bytes(), source=source), source=source)
    call_command("setup_demo", verbosity=0)
    organisation = Organisation.objects.get(slug="sample-saas")
    campaign = Campaign.objects.filter(organisation=organisation).order_by("-opens_on").first()
    now = timezone.now()
    done = ReportJob.objects.create(
        organisation=organisation,
        campaign=campaign,
        kind=ReportJob.Kind.CAMPAIGN,
        language="ja",
        status=ReportJob.Status.DONE,
        size=8,
        pages=1,
        attempts=1,
        started_at=now,
        finished_at=now,
    )
    done.file.save("report.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    ReportJob.objects.create(
        organisation=organisation,
        campaign=campaign,
        kind=ReportJob.Kind.CAMPAIGN,
        language="en",
        status=ReportJob.Status.FAILED,
        error_code=ReportJob.Error.choices[0][0],
        error_detail="RuntimeError",
        attempts=2,
        finished_at=now,
    )
    ReportJob.objects.create(
        organisation=organisation,
        kind=ReportJob.Kind.HANDOUT,
        language="ja",
        module_slugs=["churn-basics"],
    )
    other = Organisation.objects.exclude(pk=organisation.pk).first()
    ReportJob.objects.create(
        organisation=other,
        campaign=Campaign.objects.filter(organisation=other).first(),
        kind=ReportJob.Kind.CAMPAIGN,
        language="ja",
    )
    choices: dict[int, list[int]] = {}
    for question_id, choice_id in Choice.objects.order_by("pk").values_list("question", "pk"):
        choices.setdefault(question_id, []).append(choice_id)
    return Pools(
        campaigns=pks(Campaign.objects.all()),
        responses=pks(Response.objects.all()),
        reports=pks(ReportJob.objects.all()),
        frameworks=pks(Framework.objects.all()),
        questions=pks(Question.objects.all()),
        departments=pks(Department.objects.all()),
        choices=choices,
    )


def pks(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True).distinct())


def own_pools(user, every: Pools) -> Pools:
    """The ids of what ``user`` may open (nothing for an anonymous one)."""
    if user is None:
        return Pools([], [], [], every.frameworks, every.questions, [], every.choices)
    campaigns = campaigns_for(user)
    organisations = campaigns.values("organisation")
    responses = Response.objects.filter(Q(respondent=user) | Q(campaign__in=campaigns))
    return Pools(
        campaigns=pks(campaigns),
        responses=pks(responses),
        reports=pks(ReportJob.objects.filter(organisation__in=organisations)),
        frameworks=every.frameworks,
        questions=every.questions,
        departments=pks(Department.objects.filter(organisation__in=organisations)),
        choices=every.choices,
    )


@dataclass
class FuzzUser:
    role: str
    http: requests.Session
    headers: dict[str, str]
    own: Pools
    every: Pools

    def steer(self, case) -> None:
        for name, value in (case.path_parameters or {}).items():
            case.path_parameters[name] = steer(
                value, self.own.for_path(case.path, name), self.every.for_path(case.path, name)
            )
        if not isinstance(case.body, dict):
            return
        if "choice" in case.body:
            choices = self.every.choices.get((case.path_parameters or {}).get("question_id"), [])
            case.body["choice"] = steer(case.body["choice"], choices, choices)
        if "department" in case.body:
            case.body["department"] = steer(
                case.body["department"], self.own.departments, self.every.departments
            )


def log_in(base_url: str, username: str) -> requests.Session:
    """A browser's login: the form's CSRF token, the password, the session cookie."""
    http = requests.Session()
    form = http.get(f"{base_url}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    reply = http.post(
        f"{base_url}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    assert reply.status_code == 302, f"{username} could not log in: {reply.status_code}"
    assert "sessionid" in http.cookies
    return http


@pytest.fixture(params=ROLES)
def fuzz_user(request, demo, live_server):
    username = request.param
    http = log_in(live_server.url, username) if username != "anonymous" else requests.Session()
    if "csrftoken" not in http.cookies:
        http.get(f"{live_server.url}/accounts/login/", timeout=30)
    user = get_user_model().objects.filter(username=username).first()
    headers = {"X-CSRFToken": http.cookies["csrftoken"]}
    yield FuzzUser(username, http, headers, own_pools(user, demo), demo)
    # A kept-alive connection keeps its server thread, and that thread its database
    # connection (PostgreSQL would refuse to drop the test database).
    http.close()


@pytest.fixture
def api_schema(fuzz_user, live_server):
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
            "generation": {
                "max-examples": EXAMPLES,
                "deterministic": True,
                "database": "none",
                # The session cookie is the user's; generated `sessionid` values would log out.
                "with-security-parameters": False,
            },
        }
    )
    return schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/schema/?format=json", config=config
    )


@pytest.fixture(autouse=True)
def node_id_for_schemathesis(request):
    # schemathesis 4.32's lazy schemas read and rename `Node._nodeid`, which pytest 9 renamed
    # to `_id`: give it the attribute (its renaming then only changes what it reports).
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_the_api_answers_as_its_schema_says(case, fuzz_user):
    fuzz_user.steer(case)
    response = case.call(session=fuzz_user.http, headers=fuzz_user.headers, timeout=30)
    TALLY.cases[fuzz_user.role] += 1
    TALLY.phases[case.meta.phase.name.value if case.meta else "explicit"] += 1
    TALLY.statuses[response.status_code] += 1
    if response.status_code >= 500:
        TALLY.server_errors += 1
    try:
        case.validate_response(response, checks=CHECKS, headers=fuzz_user.headers)
    except FailureGroup as group:
        for failure in group.exceptions:
            TALLY.failures.append(
                f"{fuzz_user.role} {case.method} {case.path} -> {response.status_code}: "
                f"{failure.title}"
            )
        raise
